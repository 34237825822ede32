import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { CustomerManagedKey } from '../../lib/constructs/customer-managed-key';
import { EncryptedBucket, type EncryptedBucketProps } from '../../lib/constructs/encrypted-bucket';
import { EncryptedTable, type EncryptedTableProps } from '../../lib/constructs/encrypted-table';
import { newTestApp } from '../helpers/test-app';

/**
 * The constructs' props have no switch for their security settings. A caller who smuggles L2 props in anyway (a cast,
 * plain JavaScript) must still get the standard: these tests pass exactly such weakening props.
 */
function scaffold() {
  const stack = new Stack(newTestApp(), 'Test', { env: { region: 'us-east-1' } });
  const administrator = new iam.Role(stack, 'Admin', { assumedBy: new iam.AccountRootPrincipal() });
  const key = new CustomerManagedKey(stack, 'Key', { alias: 'test/key', description: 'test', administrator }).key;
  const logs = new s3.Bucket(stack, 'Logs');
  return { stack, key, logs };
}

test('EncryptedBucket ignores attempts to weaken encryption, TLS, versioning, public access or retention', () => {
  const { stack, key, logs } = scaffold();
  const weakening = {
    encryption: s3.BucketEncryption.UNENCRYPTED,
    enforceSSL: false,
    versioned: false,
    blockPublicAccess: s3.BlockPublicAccess.BLOCK_ACLS_ONLY,
    publicReadAccess: true,
    autoDeleteObjects: true,
  };
  new EncryptedBucket(stack, 'Phi', {
    encryptionKey: key,
    accessLogBucket: logs,
    ...weakening,
  } as EncryptedBucketProps);
  const template = Template.fromStack(stack);
  const phi = Object.entries(template.findResources('AWS::S3::Bucket')).find(([id]) => id.startsWith('Phi'))![1];
  expect(phi.DeletionPolicy).toBe('Retain');
  expect(phi.Properties).toMatchObject({
    BucketEncryption: {
      ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms' } }],
    },
    VersioningConfiguration: { Status: 'Enabled' },
    PublicAccessBlockConfiguration: {
      BlockPublicAcls: true,
      BlockPublicPolicy: true,
      IgnorePublicAcls: true,
      RestrictPublicBuckets: true,
    },
    LoggingConfiguration: {
      DestinationBucketName: { Ref: expect.stringMatching(/^Logs/) },
      LogFilePrefix: 'Test/Phi/',
    },
  });
  expect(JSON.stringify(template.findResources('AWS::S3::BucketPolicy'))).toContain('aws:SecureTransport');
  template.resourceCountIs('Custom::S3AutoDeleteObjects', 0);
});

test('EncryptedTable ignores attempts to weaken encryption, PITR, deletion protection or retention', () => {
  const { stack, key } = scaffold();
  const weakening = {
    encryption: dynamodb.TableEncryptionV2.dynamoOwnedKey(),
    pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: false },
    deletionProtection: false,
  };
  new EncryptedTable(stack, 'Records', {
    encryptionKey: key,
    partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },
    ...weakening,
  } as EncryptedTableProps);
  const table = Object.values(Template.fromStack(stack).findResources('AWS::DynamoDB::GlobalTable'))[0]!;
  expect(table.DeletionPolicy).toBe('Retain');
  expect(table.Properties.SSESpecification).toEqual({ SSEEnabled: true, SSEType: 'KMS' });
  expect(table.Properties.Replicas[0]).toMatchObject({
    DeletionProtectionEnabled: true,
    PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
    SSESpecification: { KMSMasterKeyId: expect.anything() },
  });
});

test('CustomerManagedKey refuses AWS-reserved or malformed aliases, and unscoped service access', () => {
  const { stack } = scaffold();
  const administrator = new iam.Role(stack, 'Admin2', { assumedBy: new iam.AccountRootPrincipal() });
  expect(() => new CustomerManagedKey(stack, 'Reserved', { alias: 'aws/s3', description: 'x', administrator })).toThrow(
    /must not start with "aws\/"/,
  );
  expect(() => new CustomerManagedKey(stack, 'Spaces', { alias: 'my key', description: 'x', administrator })).toThrow(
    /must use/,
  );
  const key = new CustomerManagedKey(stack, 'Ok', { alias: 'ok/key', description: 'x', administrator });
  expect(() =>
    key.allowService({ sid: 'Open', service: 'sns.amazonaws.com', actions: ['kms:Decrypt'], conditions: {} }),
  ).toThrow(/needs at least one scoping condition/);
});
