import { RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as cloudtrail from 'aws-cdk-lib/aws-cloudtrail';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import type { CustomerManagedKey } from './customer-managed-key';

export interface AuditTrailProps {
  /**
   * The trail's name. It is fixed (not generated) because the key and bucket policies must name the trail's ARN
   * as a string: referencing the trail resource itself would make the trail depend on policies that depend on it.
   */
  readonly trailName: string;
  /** The audit key; this construct adds CloudTrail's scoped statements to its policy. */
  readonly key: CustomerManagedKey;
  /** The Object Lock bucket CloudTrail writes to; this construct adds CloudTrail's scoped bucket-policy statements. */
  readonly bucket: s3.Bucket;
  /** Buckets whose object-level events are not recorded (the trail's own storage, to avoid logging its own writes). */
  readonly bucketsExcludedFromDataEvents: readonly s3.IBucket[];
  /** Name of the CloudWatch Logs group that receives a copy of the trail for metric filters and search. */
  readonly logGroupName: string;
  /** Retention of that copy; the S3 bucket is the system of record. */
  readonly logGroupRetention: logs.RetentionDays;
}

/**
 * A multi-region trail with log-file validation, KMS encryption and delivery to CloudWatch Logs, recording every
 * management event (read and write, KMS included) and object-level events for S3 and DynamoDB across the account.
 *
 * Built on the L1 `CfnTrail` because the L2 `Trail` adds bucket-policy statements without `aws:SourceArn` (a
 * confused-deputy gap) and cannot express advanced event selectors.
 */
export class AuditTrail extends Construct {
  public readonly trail: cloudtrail.CfnTrail;
  public readonly logGroup: logs.LogGroup;
  /** The trail's ARN, built from its name (see {@link AuditTrailProps.trailName}). */
  public readonly trailArn: string;

  constructor(scope: Construct, id: string, props: AuditTrailProps) {
    super(scope, id);
    const stack = Stack.of(this);
    this.trailArn = stack.formatArn({ service: 'cloudtrail', resource: 'trail', resourceName: props.trailName });
    const fromThisTrail = { StringEquals: { 'aws:SourceArn': this.trailArn } };

    props.key.allowService({
      sid: 'CloudTrailEncryptLogs',
      service: 'cloudtrail.amazonaws.com',
      actions: ['kms:GenerateDataKey*'],
      conditions: {
        ...fromThisTrail,
        StringLike: {
          'kms:EncryptionContext:aws:cloudtrail:arn': stack.formatArn({
            service: 'cloudtrail',
            region: '*',
            resource: 'trail',
            resourceName: '*',
          }),
        },
      },
    });
    props.key.allowService({
      sid: 'CloudTrailDescribeKey',
      service: 'cloudtrail.amazonaws.com',
      actions: ['kms:DescribeKey'],
      conditions: fromThisTrail,
    });

    const bucketPolicyResults = [
      props.bucket.addToResourcePolicy(
        new iam.PolicyStatement({
          sid: 'CloudTrailAclCheck',
          principals: [new iam.ServicePrincipal('cloudtrail.amazonaws.com')],
          actions: ['s3:GetBucketAcl'],
          resources: [props.bucket.bucketArn],
          conditions: fromThisTrail,
        }),
      ),
      props.bucket.addToResourcePolicy(
        new iam.PolicyStatement({
          sid: 'CloudTrailWrite',
          principals: [new iam.ServicePrincipal('cloudtrail.amazonaws.com')],
          actions: ['s3:PutObject'],
          resources: [props.bucket.arnForObjects(`AWSLogs/${stack.account}/*`)],
          conditions: {
            StringEquals: { 's3:x-amz-acl': 'bucket-owner-full-control', 'aws:SourceArn': this.trailArn },
          },
        }),
      ),
    ];

    this.logGroup = new logs.LogGroup(this, 'LogGroup', {
      logGroupName: props.logGroupName,
      encryptionKey: props.key.key,
      retention: props.logGroupRetention,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    const deliveryPolicy = new iam.ManagedPolicy(this, 'LogDeliveryPolicy', {
      description: 'Lets CloudTrail write this trail into its CloudWatch Logs group and nowhere else.',
      statements: [
        new iam.PolicyStatement({
          actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
          resources: [this.logGroup.logGroupArn],
        }),
      ],
    });
    const deliveryRole = new iam.Role(this, 'LogDeliveryRole', {
      description: 'Assumed by CloudTrail to deliver this trail to CloudWatch Logs.',
      assumedBy: new iam.ServicePrincipal('cloudtrail.amazonaws.com').withConditions(fromThisTrail),
      managedPolicies: [deliveryPolicy],
    });

    const excludedPrefixes = props.bucketsExcludedFromDataEvents.map((bucket) => `${bucket.bucketArn}/`);
    this.trail = new cloudtrail.CfnTrail(this, 'Resource', {
      trailName: props.trailName,
      isLogging: true,
      isMultiRegionTrail: true,
      includeGlobalServiceEvents: true,
      enableLogFileValidation: true,
      kmsKeyId: props.key.key.keyArn,
      s3BucketName: props.bucket.bucketName,
      cloudWatchLogsLogGroupArn: this.logGroup.logGroupArn,
      cloudWatchLogsRoleArn: deliveryRole.roleArn,
      advancedEventSelectors: [
        {
          // No readOnly filter and no excluded event sources: KMS Decrypt calls are reads, and they are the record
          // of who used a PHI key (HIPAA 164.312(b)).
          name: 'All management events',
          fieldSelectors: [{ field: 'eventCategory', equalTo: ['Management'] }],
        },
        {
          name: 'S3 object events outside the audit storage',
          fieldSelectors: [
            { field: 'eventCategory', equalTo: ['Data'] },
            { field: 'resources.type', equalTo: ['AWS::S3::Object'] },
            ...(excludedPrefixes.length > 0 ? [{ field: 'resources.ARN', notStartsWith: excludedPrefixes }] : []),
          ],
        },
        {
          name: 'DynamoDB item events',
          fieldSelectors: [
            { field: 'eventCategory', equalTo: ['Data'] },
            { field: 'resources.type', equalTo: ['AWS::DynamoDB::Table'] },
          ],
        },
      ],
    });
    // Deleting the stack must not stop the audit trail.
    this.trail.applyRemovalPolicy(RemovalPolicy.RETAIN);
    // CloudTrail validates bucket and log-group access when the trail is created, so the policies must exist first.
    for (const result of bucketPolicyResults) {
      if (result.policyDependable) this.trail.node.addDependency(result.policyDependable);
    }
    this.trail.node.addDependency(deliveryRole);
  }
}
