import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import type * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { AccessLogBucket } from './access-log-bucket';
import { CustomerManagedKey } from './customer-managed-key';
import { createKeyAdministratorRole } from './key-administrator-role';
import { SecurityAlarms } from './security-alarms';

export interface RegionalBaselineProps {
  readonly deploymentName: string;
  /** Prefix under which every project log group in this Region is named (the key serves only these). */
  readonly logGroupNamePrefix: string;
  /** Who is told when a relay alarm in this Region fires. */
  readonly alarmEmail: string;
  /** Retention of the access-log bucket, in days (the audit evidence retention). */
  readonly retentionDays: number;
  readonly transitionToArchiveAfterDays: number;
}

/**
 * What a relay Region needs before anything else deploys there, because AWS keeps it per Region: a customer-managed
 * key for the Region's logs, hook evaluation logs and alarm topic (KMS keys are regional); an access-log bucket (S3
 * delivers server access logs only to a bucket in the same Region); an alarm topic (a CloudWatch alarm can notify only
 * a topic in its own Region); and the role that administers the key. The home Region gets all of these from the Audit
 * stack. IAM is global, but the home key administrator's role has a generated name that another Region's template
 * cannot name without a cross-Region reference, so each Region has its own, with the same MFA-only trust.
 */
export class RegionalBaseline extends Construct {
  public readonly keyAdministrator: iam.Role;
  public readonly key: kms.IKey;
  public readonly accessLogBucket: s3.IBucket;
  public readonly alarmTopic: sns.ITopic;

  constructor(scope: Construct, id: string, props: RegionalBaselineProps) {
    super(scope, id);
    const stack = Stack.of(this);
    this.keyAdministrator = createKeyAdministratorRole(this, `hipaa-rtc KMS keys in ${stack.region}`);
    const cmk = new CustomerManagedKey(this, 'Key', {
      alias: `hipaa-rtc/${props.deploymentName}/regional`,
      description: 'hipaa-rtc relay Region: log groups, access logs, Guard Hook logs, alarm topic',
      administrator: this.keyAdministrator,
    });
    this.key = cmk.key;
    cmk.allowLogGroupsUnder(props.logGroupNamePrefix);
    cmk.allowS3AccessLogDelivery();
    this.accessLogBucket = new AccessLogBucket(this, 'AccessLogBucket', {
      encryptionKey: cmk.key,
      retentionDays: props.retentionDays,
      transitionToArchiveAfterDays: props.transitionToArchiveAfterDays,
    }).bucket;
    // No metric filters here: the home trail records every Region's API calls and the home alarms read it. This topic
    // carries the alarms that live in this Region (the relays' secret sync and rotation health).
    this.alarmTopic = new SecurityAlarms(this, 'Alarms', {
      encryptionKey: cmk.key,
      topicName: `${props.deploymentName}-security-alarms`,
      alarmEmail: props.alarmEmail,
      definitions: [],
    }).topic;
  }
}
