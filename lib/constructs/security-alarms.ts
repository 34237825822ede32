import { Duration, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cloudwatchActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';
import { SECURITY_ALARMS, type SecurityAlarmDefinition } from './security-alarm-definitions';
import { topicPublisherGrant, type TopicPublisher } from './topic-publishers';

export const SECURITY_METRIC_NAMESPACE = 'HipaaRtc/Security';

export interface SecurityAlarmsProps {
  /**
   * The CloudTrail log group the metric filters read.
   * @default - none: only allowed with no definitions (a relay region's topic, whose alarms are the relays' own)
   */
  readonly trailLogGroup?: logs.ILogGroup;
  /**
   * Key for the alarm topic, defined in this stack: the construct writes each publisher's statement into its policy,
   * so it fails on an imported key, whose policy it cannot change.
   */
  readonly encryptionKey: kms.IKey;
  /**
   * The topic's name. Fixed (not generated) so that the key policy can name the topic's ARN in its encryption-context
   * condition without referring to the topic, which refers to the key (a reference would be a dependency cycle).
   */
  readonly topicName: string;
  /** Who is told. Alarm messages carry no PHI: only the alarm name, metric and time. */
  readonly alarmEmail: string;
  /**
   * The alarms to create.
   * @default SECURITY_ALARMS
   */
  readonly definitions?: readonly SecurityAlarmDefinition[];
}

/**
 * One metric filter and one alarm per definition, all notifying a KMS-encrypted, TLS-only SNS topic.
 *
 * The topic's `AWS::SNS::TopicPolicy` replaces SNS's default access policy, so a service can publish only if a
 * statement here allows it, and only if the topic key's policy lets it generate the message's data key. Every
 * publisher therefore goes through {@link allowPublisher}, which writes both statements together. CloudWatch alarms
 * (this construct's and any other stack's in the same account and Region) are allowed from the start.
 */
export class SecurityAlarms extends Construct {
  public readonly topic: sns.Topic;
  public readonly alarms: readonly cloudwatch.Alarm[];
  private readonly encryptionKey: kms.IKey;
  private readonly topicArnForKeyPolicy: string;
  private readonly publishers = new Set<TopicPublisher>();

  constructor(scope: Construct, id: string, props: SecurityAlarmsProps) {
    super(scope, id);
    this.encryptionKey = props.encryptionKey;
    this.topic = new sns.Topic(this, 'Topic', {
      topicName: props.topicName,
      displayName: 'hipaa-rtc security alarms',
      masterKey: props.encryptionKey,
      enforceSSL: true,
    });
    this.topicArnForKeyPolicy = Stack.of(this).formatArn({ service: 'sns', resource: props.topicName });
    this.topic.addSubscription(new subscriptions.EmailSubscription(props.alarmEmail));
    this.allowPublisher('cloudwatch-alarms');
    const action = new cloudwatchActions.SnsAction(this.topic);

    const definitions = props.definitions ?? SECURITY_ALARMS;
    const trailLogGroup = props.trailLogGroup;
    if (definitions.length > 0 && trailLogGroup === undefined) {
      throw new Error(
        `SecurityAlarms ${this.node.path}: ${definitions.length} alarm definitions read CloudTrail, but no trailLogGroup was given; pass the trail's log group or no definitions`,
      );
    }
    this.alarms = definitions.map((definition) => {
      const filter = new logs.MetricFilter(this, `${definition.id}Filter`, {
        logGroup: trailLogGroup!,
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

  /**
   * Lets an AWS service publish to the topic: an Allow in the topic policy scoped to this account and to that
   * service's resources here, and the key statement the service needs to encrypt the message. Adding a publisher
   * twice is a no-op.
   */
  public allowPublisher(publisher: TopicPublisher): void {
    if (this.publishers.has(publisher)) return;
    const stack = Stack.of(this);
    const grant = topicPublisherGrant(publisher, {
      partition: stack.partition,
      region: stack.region,
      account: stack.account,
      topicArn: this.topicArnForKeyPolicy,
    });
    this.topic.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: grant.topicStatement.sid,
        principals: [new iam.ServicePrincipal(grant.service)],
        actions: ['sns:Publish'],
        resources: [this.topic.topicArn],
        conditions: grant.topicStatement.conditions,
      }),
    );
    const added = this.encryptionKey.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: grant.keyStatement.sid,
        principals: [new iam.ServicePrincipal(grant.service)],
        actions: [...grant.keyStatement.actions],
        resources: ['*'],
        conditions: grant.keyStatement.conditions,
      }),
    );
    if (!added.statementAdded) {
      throw new Error(
        `SecurityAlarms ${this.node.path}: could not add ${grant.service}'s statement to the topic key's policy ` +
          '(an imported key?); pass a key defined in this stack, or the topic would refuse every message',
      );
    }
    this.publishers.add(publisher);
  }
}
