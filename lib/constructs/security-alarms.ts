import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cloudwatchActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';
import { SECURITY_ALARMS, type SecurityAlarmDefinition } from './security-alarm-definitions';

export const SECURITY_METRIC_NAMESPACE = 'HipaaRtc/Security';

export interface SecurityAlarmsProps {
  /** The CloudTrail log group the metric filters read. */
  readonly trailLogGroup: logs.ILogGroup;
  /** Key for the alarm topic; its policy must let `cloudwatch.amazonaws.com` use it. */
  readonly encryptionKey: kms.IKey;
  /** Who is told. Alarm messages carry no PHI: only the alarm name, metric and time. */
  readonly alarmEmail: string;
  /**
   * The alarms to create.
   * @default SECURITY_ALARMS
   */
  readonly definitions?: readonly SecurityAlarmDefinition[];
}

/** One metric filter and one alarm per definition, all notifying a KMS-encrypted, TLS-only SNS topic. */
export class SecurityAlarms extends Construct {
  public readonly topic: sns.Topic;
  public readonly alarms: readonly cloudwatch.Alarm[];

  constructor(scope: Construct, id: string, props: SecurityAlarmsProps) {
    super(scope, id);
    this.topic = new sns.Topic(this, 'Topic', {
      displayName: 'hipaa-rtc security alarms',
      masterKey: props.encryptionKey,
      enforceSSL: true,
    });
    this.topic.addSubscription(new subscriptions.EmailSubscription(props.alarmEmail));
    const action = new cloudwatchActions.SnsAction(this.topic);

    this.alarms = (props.definitions ?? SECURITY_ALARMS).map((definition) => {
      const filter = new logs.MetricFilter(this, `${definition.id}Filter`, {
        logGroup: props.trailLogGroup,
        filterPattern: logs.FilterPattern.literal(definition.filterPattern),
        metricNamespace: SECURITY_METRIC_NAMESPACE,
        metricName: definition.id,
        metricValue: '1',
      });
      const alarm = new cloudwatch.Alarm(this, `${definition.id}Alarm`, {
        alarmDescription: `${definition.description} (HIPAA ${definition.hipaa})`,
        metric: filter.metric({ statistic: 'Sum', period: Duration.minutes(5) }),
        threshold: 1,
        evaluationPeriods: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      });
      alarm.addAlarmAction(action);
      return alarm;
    });
  }
}
