import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';

/**
 * The settings every bucket in the project gets, whatever it holds. Constructs spread these last so no caller can
 * weaken them: SSE-KMS with a customer-managed key and a bucket key (fewer KMS calls, same audit trail), TLS 1.2+
 * only, versioning, all public access blocked, ACLs disabled, and RETAIN so a stack deletion never deletes evidence
 * or PHI.
 */
export function mandatoryBucketProps(encryptionKey: kms.IKey): s3.BucketProps {
  return {
    encryption: s3.BucketEncryption.KMS,
    encryptionKey,
    bucketKeyEnabled: true,
    enforceSSL: true,
    minimumTLSVersion: 1.2,
    versioned: true,
    blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
    objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
    removalPolicy: RemovalPolicy.RETAIN,
    autoDeleteObjects: false,
  };
}

/** Lifecycle for evidence: move to an archive tier, expire after the retention period, and clean up. */
export function evidenceLifecycle(retentionDays: number, transitionToArchiveAfterDays: number): s3.LifecycleRule[] {
  return [
    {
      id: 'ArchiveThenExpire',
      transitions: [
        {
          storageClass: s3.StorageClass.GLACIER_INSTANT_RETRIEVAL,
          transitionAfter: Duration.days(transitionToArchiveAfterDays),
        },
      ],
      expiration: Duration.days(retentionDays),
      noncurrentVersionTransitions: [
        {
          storageClass: s3.StorageClass.GLACIER_INSTANT_RETRIEVAL,
          transitionAfter: Duration.days(transitionToArchiveAfterDays),
        },
      ],
      noncurrentVersionExpiration: Duration.days(retentionDays),
      abortIncompleteMultipartUploadAfter: Duration.days(7),
    },
  ];
}

/**
 * Points a bucket's server access logs at `target`. Set on the L1 rather than through `serverAccessLogsBucket`
 * because the L2 would also add an unconditioned `logging.s3.amazonaws.com` statement to the target's KMS key
 * policy; the access-log bucket and the audit key grant that service access themselves, scoped to this account.
 */
export function sendServerAccessLogs(bucket: s3.Bucket, target: s3.IBucket, prefix: string): void {
  const cfnBucket = bucket.node.defaultChild as s3.CfnBucket;
  cfnBucket.loggingConfiguration = {
    destinationBucketName: target.bucketName,
    logFilePrefix: prefix,
    targetObjectKeyFormat: { partitionedPrefix: { partitionDateSource: 'EventTime' } },
  };
}
