import { Stack } from 'aws-cdk-lib';
import * as config from 'aws-cdk-lib/aws-config';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';

/** Key prefix of AWS Config's deliveries in the evidence bucket. */
export const CONFIG_DELIVERY_PREFIX = 'config';

export interface ConfigRecorderProps {
  /** Names the recorder and the delivery channel. */
  readonly deploymentName: string;
  /**
   * The audit evidence bucket (Object Lock, KMS): configuration history and snapshots land here. Its policy gets the
   * statements AWS Config needs, so it must be a bucket defined in this app, not an imported one.
   */
  readonly evidenceBucket: s3.IBucket;
  /** The evidence bucket's key; AWS Config encrypts each delivery with it. Must be defined in this app. */
  readonly evidenceKey: kms.IKey;
  /**
   * Record IAM and other global resource types. AWS Config records them in every region that says so, which
   * duplicates configuration items (and their cost): only the home region should.
   */
  readonly recordGlobalResourceTypes: boolean;
}

/**
 * The account's AWS Config recorder for all supported resource types, delivering to the evidence bucket.
 *
 * It records through the service-linked role AWSServiceRoleForConfig, which must exist before deployment (`aws iam
 * create-service-linked-role --aws-service-name config.amazonaws.com`; docs/detect.md). With a service-linked role
 * AWS Config writes to S3 and uses the key as the service principal config.amazonaws.com, so the bucket policy and
 * the key policy must allow it, scoped to this account ("Permissions for the Amazon S3 bucket for the AWS Config
 * delivery channel" and "Permissions for the KMS key", AWS Config developer guide,
 * https://docs.aws.amazon.com/config/latest/developerguide/s3-bucket-policy.html and s3-kms-key-policy.html).
 *
 * Only one customer-managed recorder may exist per account and region: an account whose organization already runs
 * one must configure `detect.config.mode: 'existing'` instead, or this resource fails to deploy.
 */
export class ConfigRecorder extends Construct {
  public readonly recorder: config.CfnConfigurationRecorder;
  public readonly deliveryChannel: config.CfnDeliveryChannel;

  constructor(scope: Construct, id: string, props: ConfigRecorderProps) {
    super(scope, id);
    const stack = Stack.of(this);

    this.recorder = new config.CfnConfigurationRecorder(this, 'Recorder', {
      name: `${props.deploymentName}-recorder`,
      roleArn: stack.formatArn({
        service: 'iam',
        region: '',
        resource: 'role',
        resourceName: 'aws-service-role/config.amazonaws.com/AWSServiceRoleForConfig',
      }),
      recordingGroup: { allSupported: true, includeGlobalResourceTypes: props.recordGlobalResourceTypes },
    });

    const fromThisAccount = { 'aws:SourceAccount': stack.account };
    const bucketStatements = [
      new iam.PolicyStatement({
        sid: 'AWSConfigBucketPermissionsCheck',
        principals: [new iam.ServicePrincipal('config.amazonaws.com')],
        actions: ['s3:GetBucketAcl'],
        resources: [props.evidenceBucket.bucketArn],
        conditions: { StringEquals: fromThisAccount },
      }),
      new iam.PolicyStatement({
        sid: 'AWSConfigBucketExistenceCheck',
        principals: [new iam.ServicePrincipal('config.amazonaws.com')],
        actions: ['s3:ListBucket'],
        resources: [props.evidenceBucket.bucketArn],
        conditions: { StringEquals: fromThisAccount },
      }),
      new iam.PolicyStatement({
        sid: 'AWSConfigBucketDelivery',
        principals: [new iam.ServicePrincipal('config.amazonaws.com')],
        actions: ['s3:PutObject'],
        resources: [props.evidenceBucket.arnForObjects(`${CONFIG_DELIVERY_PREFIX}/AWSLogs/${stack.account}/Config/*`)],
        conditions: { StringEquals: { 's3:x-amz-acl': 'bucket-owner-full-control', ...fromThisAccount } },
      }),
    ];
    for (const statement of bucketStatements) {
      if (!props.evidenceBucket.addToResourcePolicy(statement).statementAdded) {
        throw new Error(
          `ConfigRecorder ${this.node.path}: cannot add ${statement.sid} to the evidence bucket's policy (an imported bucket?); pass the bucket the Audit stack defines`,
        );
      }
    }
    const keyStatement = new iam.PolicyStatement({
      sid: 'AWSConfigDeliveryEncryption',
      principals: [new iam.ServicePrincipal('config.amazonaws.com')],
      actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
      resources: ['*'],
      conditions: { StringEquals: fromThisAccount },
    });
    if (!props.evidenceKey.addToResourcePolicy(keyStatement).statementAdded) {
      throw new Error(
        `ConfigRecorder ${this.node.path}: cannot add ${keyStatement.sid} to the evidence key's policy (an imported key?); pass the key the Audit stack defines`,
      );
    }

    this.deliveryChannel = new config.CfnDeliveryChannel(this, 'DeliveryChannel', {
      name: `${props.deploymentName}-delivery`,
      s3BucketName: props.evidenceBucket.bucketName,
      s3KeyPrefix: CONFIG_DELIVERY_PREFIX,
      s3KmsKeyArn: props.evidenceKey.keyArn,
      configSnapshotDeliveryProperties: { deliveryFrequency: 'TwentyFour_Hours' },
    });
    // AWS Config refuses a delivery channel while the account has no recorder.
    this.deliveryChannel.addResourceDependency(this.recorder);
  }
}
