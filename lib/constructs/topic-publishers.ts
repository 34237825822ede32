/**
 * The AWS services that may publish to an encrypted alarm topic, and the two statements each needs: an Allow in the
 * topic policy (a topic policy replaces SNS's default policy, so without it the service is refused) and use of the
 * topic's key (SNS generates the message's data key with the publisher's authority).
 *
 * Sources: Amazon SNS developer guide, "Enable compatibility between event sources from AWS services and encrypted
 * topics" (https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html#compatibility-with-aws-services) and
 * "Example cases for Amazon SNS access control" (confused-deputy conditions); the SNS encryption context
 * `aws:sns:topicArn` as used in AWS's own key policy for an encrypted topic (Amazon GameLift FlexMatch guide, "Set up
 * an SNS topic with server-side encryption").
 */
export type TopicPublisher =
  /** CloudWatch alarms in this account and Region (any stack's). */
  | 'cloudwatch-alarms'
  /** EventBridge rules in this account and Region, on any event bus. */
  | 'eventbridge-rules';

export interface TopicPublisherScope {
  readonly partition: string;
  readonly region: string;
  readonly account: string;
  /** The topic's ARN, written without a reference to the topic (the topic refers to the key). */
  readonly topicArn: string;
}

export interface TopicPublisherGrant {
  readonly service: string;
  readonly topicStatement: { readonly sid: string; readonly conditions: Record<string, Record<string, unknown>> };
  readonly keyStatement: {
    readonly sid: string;
    readonly actions: readonly string[];
    readonly conditions: Record<string, Record<string, unknown>>;
  };
}

/** What SNS needs from the key to encrypt a message a publisher sends. */
const TOPIC_KEY_ACTIONS = ['kms:Decrypt', 'kms:GenerateDataKey*'] as const;

export function topicPublisherGrant(publisher: TopicPublisher, scope: TopicPublisherScope): TopicPublisherGrant {
  const { partition, region, account, topicArn } = scope;
  // The data key SNS requests for a message carries the topic's ARN as encryption context, so the key can be used
  // by the publisher for this topic's messages only.
  const forThisTopic = { 'kms:EncryptionContext:aws:sns:topicArn': topicArn };
  switch (publisher) {
    case 'cloudwatch-alarms':
      return {
        service: 'cloudwatch.amazonaws.com',
        topicStatement: {
          sid: 'CloudWatchAlarmsPublish',
          conditions: {
            StringEquals: { 'aws:SourceAccount': account },
            ArnLike: { 'aws:SourceArn': `arn:${partition}:cloudwatch:${region}:${account}:alarm:*` },
          },
        },
        keyStatement: {
          sid: 'CloudWatchAlarmsPublishToEncryptedTopic',
          actions: TOPIC_KEY_ACTIONS,
          conditions: { StringEquals: { 'aws:SourceAccount': account, ...forThisTopic } },
        },
      };
    case 'eventbridge-rules':
      return {
        service: 'events.amazonaws.com',
        topicStatement: {
          sid: 'EventBridgeRulesPublish',
          conditions: {
            StringEquals: { 'aws:SourceAccount': account },
            // rule/<name> on the default bus, rule/<bus>/<name> on others.
            ArnLike: { 'aws:SourceArn': `arn:${partition}:events:${region}:${account}:rule/*` },
          },
        },
        keyStatement: {
          sid: 'EventBridgeRulesPublishToEncryptedTopic',
          actions: TOPIC_KEY_ACTIONS,
          // Not aws:SourceAccount, aws:SourceArn or aws:SourceOrgID: AWS documents that they are not supported in
          // the key policy for EventBridge delivery to an encrypted topic, and a statement conditioned on them
          // drops every event silently. The topic policy above carries the source scoping instead.
          conditions: { StringEquals: forThisTopic },
        },
      };
    default: {
      const unknown: never = publisher;
      throw new Error(`unknown topic publisher "${String(unknown)}"; known: cloudwatch-alarms, eventbridge-rules`);
    }
  }
}
