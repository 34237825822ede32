import { RemovalPolicy } from 'aws-cdk-lib';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type { Construct } from 'constructs';

/**
 * The account's ECR repository for the pinned coturn image (docs/relay.md, supply path), created in `scope` with id
 * `CoturnRepository` (its logical id predates this module): KMS-encrypted, immutable tags so a digest's tag cannot
 * be repointed, scanned on push, retained with the stack.
 */
export function createCoturnRepository(scope: Construct, deploymentName: string, key: kms.IKey): ecr.Repository {
  return new ecr.Repository(scope, 'CoturnRepository', {
    repositoryName: `${deploymentName}/coturn`,
    encryption: ecr.RepositoryEncryption.KMS,
    encryptionKey: key,
    imageTagMutability: ecr.TagMutability.IMMUTABLE,
    imageScanOnPush: true,
    removalPolicy: RemovalPolicy.RETAIN,
  });
}
