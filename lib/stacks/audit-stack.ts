import { Stack, type StackProps } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import type * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { AccessLogBucket } from '../constructs/access-log-bucket';
import { AccountSettings } from '../constructs/account-settings';
import { ApiGatewayAccount } from '../constructs/api-gateway-account';
import { AuditLogBucket, type ObjectLockMode } from '../constructs/audit-log-bucket';
import { AuditTrail } from '../constructs/audit-trail';
import { CustomerManagedKey } from '../constructs/customer-managed-key';
import { createKeyAdministratorRole } from '../constructs/key-administrator-role';
import { logGroupNamePrefix } from '../constructs/log-group-naming';
import { SecurityAlarms } from '../constructs/security-alarms';

export interface AuditStackProps extends StackProps {
  /** Names the trail, the key alias and the log-group prefix. */
  readonly deploymentName: string;
  /** Object Lock default retention and lifecycle expiry of audit evidence, in days. */
  readonly retentionDays: number;
  readonly objectLockMode: ObjectLockMode;
  readonly transitionToArchiveAfterDays: number;
  /** Retention of the CloudWatch Logs copies (the S3 bucket is the system of record). */
  readonly cloudWatchLogsRetentionDays: logs.RetentionDays;
  readonly alarmEmail: string;
}

/**
 * The account's audit plane: the audit key, CloudTrail, the Object Lock evidence bucket, the access-log bucket,
 * security alarms and account-wide settings. Termination-protected; every stateful resource is retained.
 */
export class AuditStack extends Stack {
  /** Encrypts audit evidence and every project log group. */
  public readonly auditKey: kms.IKey;
  /** Administers the project's keys; can never use them on data. */
  public readonly keyAdministrator: iam.IRole;
  /** Target of every bucket's server access logs. */
  public readonly accessLogBucket: s3.IBucket;
  /** The Object Lock evidence bucket (trail logs; AWS Config deliveries when the Detect stack records). */
  public readonly auditLogBucket: s3.IBucket;
  /** Prefix under which every project log group must be named (the audit key only serves these). */
  public readonly logGroupNamePrefix: string;
  public readonly trail: AuditTrail;
  /** The KMS-encrypted security alarm topic; other stacks' alarms notify it too. */
  public readonly alarmTopic: sns.ITopic;
  /** Owns the alarm topic; `allowPublisher` lets another AWS service (e.g. EventBridge rules) publish to it. */
  public readonly securityAlarms: SecurityAlarms;

  constructor(scope: Construct, id: string, props: AuditStackProps) {
    super(scope, id, { ...props, terminationProtection: true });
    this.logGroupNamePrefix = logGroupNamePrefix(props.deploymentName);

    const keyAdministrator = createKeyAdministratorRole(this, 'hipaa-rtc KMS keys');
    this.keyAdministrator = keyAdministrator;

    const auditKey = new CustomerManagedKey(this, 'AuditKey', {
      alias: `hipaa-rtc/${props.deploymentName}/audit`,
      description: 'hipaa-rtc audit plane: CloudTrail, access logs, log groups, security alarm topic',
      administrator: keyAdministrator,
    });
    this.auditKey = auditKey.key;
    // API Gateway names its execution-log groups itself; the Signaling stack pre-creates them encrypted.
    auditKey.allowLogGroupsUnder(this.logGroupNamePrefix, ['API-Gateway-Execution-Logs_*']);
    auditKey.allowS3AccessLogDelivery();

    const accessLogs = new AccessLogBucket(this, 'AccessLogBucket', {
      encryptionKey: auditKey.key,
      retentionDays: props.retentionDays,
      transitionToArchiveAfterDays: props.transitionToArchiveAfterDays,
    });
    this.accessLogBucket = accessLogs.bucket;

    const auditLogs = new AuditLogBucket(this, 'AuditLogBucket', {
      encryptionKey: auditKey.key,
      accessLogBucket: accessLogs.bucket,
      retentionDays: props.retentionDays,
      objectLockMode: props.objectLockMode,
      transitionToArchiveAfterDays: props.transitionToArchiveAfterDays,
    });
    this.auditLogBucket = auditLogs.bucket;

    this.trail = new AuditTrail(this, 'Trail', {
      trailName: `${props.deploymentName}-audit`,
      key: auditKey,
      bucket: auditLogs.bucket,
      bucketsExcludedFromDataEvents: [auditLogs.bucket, accessLogs.bucket],
      logGroupName: `${this.logGroupNamePrefix}cloudtrail`,
      logGroupRetention: props.cloudWatchLogsRetentionDays,
    });

    // Writes the topic policy and the audit key's statements for every publisher (CloudWatch alarms from the start).
    this.securityAlarms = new SecurityAlarms(this, 'SecurityAlarms', {
      trailLogGroup: this.trail.logGroup,
      encryptionKey: auditKey.key,
      topicName: `${props.deploymentName}-security-alarms`,
      alarmEmail: props.alarmEmail,
    });
    this.alarmTopic = this.securityAlarms.topic;

    new ApiGatewayAccount(this, 'ApiGatewayAccount', { logGroupNamePrefix: this.logGroupNamePrefix });

    new AccountSettings(this, 'AccountSettings', {
      logEncryptionKey: auditKey.key,
      logGroupName: `${this.logGroupNamePrefix}account-settings`,
      logRetention: props.cloudWatchLogsRetentionDays,
    });
  }
}
