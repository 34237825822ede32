/**
 * Notifications: every CloudWatch alarm action and EventBridge rule target that is an SNS topic must be publishable
 * by that service, through the topic policy and through the topic key's policy. Facts (Amazon SNS developer guide):
 * - "Amazon SNS access policy" / AWS::SNS::TopicPolicy: a topic policy replaces the topic's default policy, so a
 *   policy holding only a Deny allows no service to publish.
 * - "Enable compatibility between event sources from AWS services and encrypted topics" (sns-key-management.html):
 *   the key policy must allow the service principal kms:GenerateDataKey* and kms:Decrypt; for EventBridge,
 *   aws:SourceAccount, aws:SourceArn and aws:SourceOrgID are not supported in the key policy.
 */
import { HopList, PATH_RULES, type PathResult } from './model';
import { evaluatePolicies, type ServiceRequest } from './policy';
import {
  ACCOUNT_PLACEHOLDER,
  accountOf,
  asList,
  label,
  propertiesOf,
  regionOf,
  resolve,
  resolveResource,
  resourcesOfType,
  sameResource,
  stackOf,
  tokenOf,
  type ResourceId,
  type TemplateSet,
} from './template-set';

interface Publisher {
  readonly service: 'cloudwatch.amazonaws.com' | 'events.amazonaws.com';
  readonly what: string;
  readonly source: ResourceId;
  /** The ARN the service sends as aws:SourceArn (a generated name stands in when the template names none). */
  readonly sourceArn: string;
  readonly account: string;
}

interface Target {
  readonly publisher: Publisher;
  /** The topic, or undefined with `unresolved` saying why. */
  readonly topic?: ResourceId;
  readonly unresolved?: string;
}

const ALARM_ACTION_KEYS = ['AlarmActions', 'OKActions', 'InsufficientDataActions'];

/** CloudFormation names an unnamed resource `<stack name>-<logical ID>-<random suffix>`. */
function generatedName(set: TemplateSet, id: ResourceId): string {
  return `${stackOf(set, id.stackId).stackName}-${id.logicalId}-GENERATED`;
}

function publisherTargets(set: TemplateSet): Target[] {
  const targets: Target[] = [];
  const add = (publisher: Publisher, raw: unknown) => {
    const resolved = resolve(set, publisher.source.stackId, raw);
    if (typeof resolved === 'object' && resolved.kind === 'ref') {
      const type = set.stacks.find((s) => s.stackId === resolved.stackId)?.resources[resolved.logicalId]?.Type;
      if (type === 'AWS::SNS::Topic') targets.push({ publisher, topic: resolved });
      return;
    }
    if (typeof resolved === 'string') {
      if (!resolved.includes(':sns:')) return; // not a topic (EC2, Auto Scaling or SSM action)
      const topic = resourcesOfType(set, 'AWS::SNS::Topic').find(
        (t) => t.properties.TopicName !== undefined && resolved.endsWith(`:${t.properties.TopicName}`),
      );
      targets.push(
        topic
          ? { publisher, topic }
          : { publisher, unresolved: `${resolved} is not a topic of these templates, so its policies cannot be read` },
      );
      return;
    }
    targets.push({ publisher, unresolved: `the action cannot be resolved (${resolved.why})` });
  };
  for (const type of ['AWS::CloudWatch::Alarm', 'AWS::CloudWatch::CompositeAlarm']) {
    for (const alarm of resourcesOfType(set, type)) {
      const stack = stackOf(set, alarm.stackId);
      const name = resolveString(set, alarm.stackId, alarm.properties.AlarmName) ?? generatedName(set, alarm);
      const publisher: Publisher = {
        service: 'cloudwatch.amazonaws.com',
        what: `alarm ${label(alarm)}`,
        source: alarm,
        sourceArn: `arn:aws:cloudwatch:${regionOf(stack)}:${accountOf(stack)}:alarm:${name}`,
        account: accountOf(stack),
      };
      for (const key of ALARM_ACTION_KEYS) for (const action of asList(alarm.properties[key])) add(publisher, action);
    }
  }
  for (const rule of resourcesOfType(set, 'AWS::Events::Rule')) {
    const stack = stackOf(set, rule.stackId);
    const name = resolveString(set, rule.stackId, rule.properties.Name) ?? generatedName(set, rule);
    const bus = resolveString(set, rule.stackId, rule.properties.EventBusName);
    const publisher: Publisher = {
      service: 'events.amazonaws.com',
      what: `EventBridge rule ${label(rule)}`,
      source: rule,
      sourceArn: `arn:aws:events:${regionOf(stack)}:${accountOf(stack)}:rule/${bus && bus !== 'default' ? `${bus}/` : ''}${name}`,
      account: accountOf(stack),
    };
    for (const target of asList(rule.properties.Targets)) add(publisher, target.Arn);
  }
  return targets;
}

function resolveString(set: TemplateSet, stackId: string, value: unknown): string | undefined {
  if (value === undefined) return undefined;
  const resolved = resolve(set, stackId, value);
  return typeof resolved === 'string' ? resolved : undefined;
}

function topicArns(set: TemplateSet, topic: ResourceId): string[] {
  const stack = stackOf(set, topic.stackId);
  const name = resolveString(set, topic.stackId, propertiesOf(set, topic).TopicName);
  const ref = { kind: 'ref' as const, ...topic };
  return [
    tokenOf(ref),
    tokenOf({ ...ref, attribute: 'TopicArn' }),
    ...(name ? [`arn:aws:sns:${regionOf(stack)}:${accountOf(stack)}:${name}`] : []),
  ];
}

/** What the service sends with sns:Publish (the SNS guide's conditions for AWS service sources). */
function publishRequest(set: TemplateSet, publisher: Publisher, topic: ResourceId): ServiceRequest {
  return {
    service: publisher.service,
    action: 'sns:Publish',
    resources: topicArns(set, topic),
    context: {
      'aws:SourceAccount': publisher.account,
      'aws:SourceArn': publisher.sourceArn,
      'aws:SourceOwner': publisher.account,
      'aws:SecureTransport': 'true',
    },
  };
}

/** The topic's ARN as AWS will report it (a generated name stands in when the template names none). */
function topicArn(set: TemplateSet, topic: ResourceId): string {
  const stack = stackOf(set, topic.stackId);
  const name = resolveString(set, topic.stackId, propertiesOf(set, topic).TopicName) ?? generatedName(set, topic);
  return `arn:aws:sns:${regionOf(stack)}:${accountOf(stack)}:${name}`;
}

/**
 * What reaches KMS when the service publishes to an encrypted topic: SNS asks for the data key with the encryption
 * context aws:sns:topicArn = the topic ARN. EventBridge sends none of the aws:Source* keys to KMS for encrypted-topic
 * delivery (SNS guide, compatibility section), so a key statement conditioned on them never holds for it.
 */
function kmsContext(set: TemplateSet, publisher: Publisher, topic: ResourceId): Record<string, string> {
  const base = { 'aws:SecureTransport': 'true', 'kms:EncryptionContext:aws:sns:topicArn': topicArn(set, topic) };
  if (publisher.service === 'events.amazonaws.com') return base;
  return { ...base, 'aws:SourceAccount': publisher.account, 'aws:SourceArn': publisher.sourceArn };
}

function serviceName(service: string): string {
  return service === 'cloudwatch.amazonaws.com' ? 'CloudWatch alarms' : 'EventBridge rules';
}

/** One path per (service, topic): every alarm or rule publishing to it is checked. */
export function notificationPaths(set: TemplateSet): PathResult[] {
  const targets = publisherTargets(set);
  const results: PathResult[] = [];
  for (const target of targets.filter((t) => t.unresolved)) {
    results.push({
      rule: PATH_RULES.notifications,
      title: `${target.publisher.what} -> SNS`,
      hops: [
        {
          name: 'action -> topic',
          verdict: 'fail',
          detail: target.unresolved!,
          fix: 'Point the action at a topic defined in these templates (Ref or a cross-stack reference).',
          resource: target.publisher.source,
        },
      ],
    });
  }
  const groups = new Map<string, Target[]>();
  for (const target of targets.filter((t) => t.topic)) {
    const key = `${target.publisher.service} ${label(target.topic!)}`;
    groups.set(key, [...(groups.get(key) ?? []), target]);
  }
  for (const group of groups.values()) {
    const { service } = group[0].publisher;
    const topic = group[0].topic!;
    const hops = new HopList();
    const sources = group.map((t) => t.publisher.source.logicalId);
    hops.add('action -> topic', () => ({
      verdict: 'pass',
      detail: `${group.length} ${serviceName(service)} (${sources.join(', ')}) notify ${label(topic)}`,
      resource: topic,
      node: `topic ${topic.logicalId}`,
    }));
    hops.add(
      'topic policy allows sns:Publish',
      () => {
        const policies = resourcesOfType(set, 'AWS::SNS::TopicPolicy').filter((p) =>
          asList(p.properties.Topics).some((t) => sameResource(resolveResource(set, p.stackId, t), topic)),
        );
        if (policies.length === 0)
          return {
            verdict: 'pass',
            detail: `no AWS::SNS::TopicPolicy: the default topic policy lets ${service} publish on behalf of the owning account`,
            resource: topic,
          };
        if (policies.length > 1)
          return {
            verdict: 'fail',
            detail: `${policies.map((p) => label(p)).join(' and ')} each replace the policy of ${label(topic)}: which one holds depends on deploy order`,
            fix: 'Keep exactly one topic policy per topic.',
            resource: policies[0],
          };
        const policy = policies[0];
        const refused = group
          .map((t) => ({
            t,
            decision: evaluatePolicies(
              [{ document: policy.properties.PolicyDocument, stackId: policy.stackId, name: label(policy) }],
              set,
              publishRequest(set, t.publisher, topic),
            ),
          }))
          .filter((d) => !d.decision.allowed);
        if (refused.length === 0)
          return {
            verdict: 'pass',
            detail: `${label(policy)} allows ${service} sns:Publish for every source`,
            resource: policy,
          };
        return {
          verdict: 'fail',
          detail:
            `${label(policy)} replaces the default policy and does not let ${service} publish for ` +
            `${refused.map((r) => r.t.publisher.source.logicalId).join(', ')}: ${refused[0].decision.reason}`,
          fix:
            `Add an Allow for ${service} to sns:Publish on the topic, conditioned on aws:SourceAccount = ` +
            `${group[0].publisher.account === ACCOUNT_PLACEHOLDER ? 'this account' : group[0].publisher.account} and aws:SourceArn ` +
            `= the ${service === 'cloudwatch.amazonaws.com' ? 'alarm' : 'rule'} ARN pattern.`,
          resource: policy,
        };
      },
      false,
    );
    hops.add(
      'topic key allows the service',
      () => {
        const keyId = propertiesOf(set, topic).KmsMasterKeyId;
        if (keyId === undefined)
          return {
            verdict: 'pass',
            detail: `${label(topic)} is not encrypted with a KMS key: no key hop`,
            resource: topic,
          };
        const resolved = resolve(set, topic.stackId, keyId);
        if (typeof resolved === 'string' && resolved.includes('alias/aws/'))
          return {
            verdict: 'fail',
            detail: `${label(topic)} uses the AWS managed key ${resolved}, whose policy no service source can be granted`,
            fix: 'Encrypt the topic with a customer managed key whose policy allows the service.',
            resource: topic,
          };
        const key = resolveResource(set, topic.stackId, keyId);
        if (
          !key ||
          set.stacks.find((s) => s.stackId === key.stackId)?.resources[key.logicalId]?.Type !== 'AWS::KMS::Key'
        )
          return {
            verdict: 'fail',
            detail: `the key of ${label(topic)} is not a key of these templates, so its policy cannot be read`,
            fix: 'Encrypt the topic with a key defined in these templates.',
            resource: topic,
          };
        const document = [{ document: propertiesOf(set, key).KeyPolicy, stackId: key.stackId, name: label(key) }];
        const problems: string[] = [];
        for (const action of ['kms:GenerateDataKey', 'kms:Decrypt']) {
          for (const t of group) {
            const decision = evaluatePolicies(document, set, {
              service,
              action,
              resources: [],
              context: kmsContext(set, t.publisher, topic),
            });
            if (!decision.allowed) {
              problems.push(`${action}: ${decision.reason}`);
              break;
            }
          }
        }
        if (problems.length === 0)
          return {
            verdict: 'pass',
            detail: `${label(key)} allows ${service} kms:GenerateDataKey* and kms:Decrypt`,
            resource: key,
            node: `key ${key.logicalId}`,
          };
        return {
          verdict: 'fail',
          detail:
            `${label(key)} does not let ${service} use it for ${label(topic)}: ${problems.join('; ')}` +
            (service === 'events.amazonaws.com'
              ? ' (EventBridge sends no aws:SourceAccount/aws:SourceArn/aws:SourceOrgID to KMS: such conditions never hold)'
              : ''),
          fix: `Allow ${service} kms:GenerateDataKey* and kms:Decrypt in the key policy${service === 'events.amazonaws.com' ? ' without source conditions' : ''}.`,
          resource: key,
          node: `key ${key.logicalId}`,
        };
      },
      false,
    );
    results.push({
      rule: PATH_RULES.notifications,
      title: `${serviceName(service)} -> ${label(topic)}`,
      hops: hops.toArray(),
    });
  }
  return results;
}
