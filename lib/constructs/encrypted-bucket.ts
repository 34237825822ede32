import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { mandatoryBucketProps, sendServerAccessLogs } from './bucket-standard';

export interface EncryptedBucketProps {
  /** Customer-managed key for SSE-KMS. */
  readonly encryptionKey: kms.IKey;
  /** Where server access logs go (the Audit stack's access-log bucket). */
  readonly accessLogBucket: s3.IBucket;
  /**
   * Prefix for this bucket's access logs in the access-log bucket.
   * @default - the construct path followed by `/`
   */
  readonly accessLogPrefix?: string;
  /**
   * Lifecycle rules, e.g. retention of recordings.
   * @default - no lifecycle rules: objects are kept until deleted
   */
  readonly lifecycleRules?: s3.LifecycleRule[];
}

/**
 * A bucket for PHI. Encryption with a customer-managed key, TLS 1.2+ only, versioning, public access block, disabled
 * ACLs, server access logging and RETAIN are mandatory: the props deliberately offer no way to turn them off.
 */
export class EncryptedBucket extends Construct {
  public readonly bucket: s3.Bucket;

  constructor(scope: Construct, id: string, props: EncryptedBucketProps) {
    super(scope, id);
    this.bucket = new s3.Bucket(this, 'Resource', {
      lifecycleRules: props.lifecycleRules,
      ...mandatoryBucketProps(props.encryptionKey),
    });
    sendServerAccessLogs(this.bucket, props.accessLogBucket, props.accessLogPrefix ?? `${this.node.path}/`);
  }
}
