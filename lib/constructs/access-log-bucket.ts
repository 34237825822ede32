import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { evidenceLifecycle, mandatoryBucketProps } from './bucket-standard';

export interface AccessLogBucketProps {
  /** Customer-managed key for the logs; its policy must let `logging.s3.amazonaws.com` generate data keys. */
  readonly encryptionKey: kms.IKey;
  /** Days to keep access logs (HIPAA audit evidence). */
  readonly retentionDays: number;
  /** Days before logs move to an archive storage class. */
  readonly transitionToArchiveAfterDays: number;
}

/**
 * The target of every bucket's server access logs. It does not log to itself (that would loop) and carries no
 * Object Lock default retention (S3 log delivery does not support it on target buckets); both gaps are recorded
 * exceptions. Log delivery is allowed only from buckets in this account.
 */
export class AccessLogBucket extends Construct {
  public readonly bucket: s3.Bucket;

  constructor(scope: Construct, id: string, props: AccessLogBucketProps) {
    super(scope, id);
    this.bucket = new s3.Bucket(this, 'Resource', {
      lifecycleRules: evidenceLifecycle(props.retentionDays, props.transitionToArchiveAfterDays),
      ...mandatoryBucketProps(props.encryptionKey),
    });
    this.bucket.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AllowServerAccessLogDeliveryFromThisAccount',
        principals: [new iam.ServicePrincipal('logging.s3.amazonaws.com')],
        actions: ['s3:PutObject'],
        resources: [this.bucket.arnForObjects('*')],
        conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(this).account } },
      }),
    );
  }
}
