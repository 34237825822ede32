import * as events from 'aws-cdk-lib/aws-events';
import { Construct } from 'constructs';
import type { SecurityAlarms } from './security-alarms';

export interface AlarmTopicRouteProps {
  /** The alarm topic's owner: the route registers EventBridge as a publisher there (topic policy and key policy). */
  readonly securityAlarms: SecurityAlarms;
  /** What the rule forwards and why, shown in the console and the template. */
  readonly description: string;
  /** EventBridge event pattern (default event bus). */
  readonly eventPattern: Record<string, unknown>;
}

/**
 * An EventBridge rule on the default bus that forwards matching events to the security alarm topic.
 *
 * Written as an L1 rule on purpose: CDK's `targets.SnsTopic` adds its own unconditioned `sns:Publish` Allow for
 * events.amazonaws.com to the topic policy and nothing to the key policy. {@link SecurityAlarms.allowPublisher}
 * writes both statements instead, the topic one scoped to this account's rules and the key one without
 * aws:SourceAccount/aws:SourceArn, which AWS does not support in key policies for EventBridge (docs/paths.md). The
 * HipaaRtcPaths pack proves the route publishable on the synthesized templates.
 */
export class AlarmTopicRoute extends Construct {
  public readonly rule: events.CfnRule;

  constructor(scope: Construct, id: string, props: AlarmTopicRouteProps) {
    super(scope, id);
    props.securityAlarms.allowPublisher('eventbridge-rules');
    this.rule = new events.CfnRule(this, 'Rule', {
      description: props.description,
      state: 'ENABLED',
      eventPattern: props.eventPattern,
      targets: [{ id: 'SecurityAlarmTopic', arn: props.securityAlarms.topic.topicArn }],
    });
  }
}
