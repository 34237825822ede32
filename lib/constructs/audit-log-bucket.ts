import { Duration } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { evidenceLifecycle, mandatoryBucketProps, sendServerAccessLogs } from './bucket-standard';

export type ObjectLockMode = 'GOVERNANCE' | 'COMPLIANCE';

export interface AuditLogBucketProps {
  readonly encryptionKey: kms.IKey;
  readonly accessLogBucket: s3.IBucket;
  /** Object Lock default retention and lifecycle expiry, in days. */
  readonly retentionDays: number;
  /** GOVERNANCE lets specially privileged users shorten retention; COMPLIANCE lets nobody, not even root. */
  readonly objectLockMode: ObjectLockMode;
  readonly transitionToArchiveAfterDays: number;
}

/**
 * Where CloudTrail writes. On top of the bucket standard it has Object Lock with a default retention (integrity of
 * audit evidence, HIPAA 164.312(c)(1)); Object Lock can only be enabled when a bucket is created, so it is here from
 * the first deploy.
 */
export class AuditLogBucket extends Construct {
  public readonly bucket: s3.Bucket;

  constructor(scope: Construct, id: string, props: AuditLogBucketProps) {
    super(scope, id);
    const retention = Duration.days(props.retentionDays);
    this.bucket = new s3.Bucket(this, 'Resource', {
      objectLockEnabled: true,
      objectLockDefaultRetention:
        props.objectLockMode === 'COMPLIANCE'
          ? s3.ObjectLockRetention.compliance(retention)
          : s3.ObjectLockRetention.governance(retention),
      lifecycleRules: evidenceLifecycle(props.retentionDays, props.transitionToArchiveAfterDays),
      ...mandatoryBucketProps(props.encryptionKey),
    });
    sendServerAccessLogs(this.bucket, props.accessLogBucket, 'audit-log-bucket/');
  }
}
