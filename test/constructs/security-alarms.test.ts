import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import { SecurityAlarms } from '../../lib/constructs/security-alarms';
import { topicPublisherGrant } from '../../lib/constructs/topic-publishers';
import { buildExampleApp, newTestApp } from '../helpers/test-app';
import { asArray, keyPolicyStatements, onlyResource, type PolicyStatement } from '../helpers/template-queries';

/**
 * The alarm topic's `AWS::SNS::TopicPolicy` replaces SNS's default policy: a service publishes only if a statement
 * here allows it, and only if the topic key lets it generate the message's data key (Amazon SNS developer guide,
 * sns-key-management.html#compatibility-with-aws-services). These tests read both policies as SNS and KMS would.
 */

let templates: Record<string, Template>;
let audit: Template;
let topicId: string;
let topicStatements: PolicyStatement[];
let auditKeyStatements: PolicyStatement[];

beforeAll(() => {
  const built = buildExampleApp();
  templates = Object.fromEntries(built.stacks.map((stack) => [stack.stackName, Template.fromStack(stack)]));
  audit = Template.fromStack(built.audit);
  topicId = onlyResource(audit, 'AWS::SNS::Topic').logicalId;
  topicStatements = onlyResource(audit, 'AWS::SNS::TopicPolicy').resource.Properties.PolicyDocument.Statement;
  auditKeyStatements = keyPolicyStatements(audit, onlyResource(audit, 'AWS::KMS::Key').logicalId);
});

const servicePrincipal = (statement: PolicyStatement, service: string) =>
  JSON.stringify(statement.Principal) === JSON.stringify({ Service: service });

describe('alarm topic policy', () => {
  test('allows CloudWatch to publish, only from alarms in this account and Region', () => {
    const cloudwatch = topicStatements.filter(
      (s) => s.Effect === 'Allow' && servicePrincipal(s, 'cloudwatch.amazonaws.com'),
    );
    expect(cloudwatch).toEqual([
      {
        Sid: 'CloudWatchAlarmsPublish',
        Effect: 'Allow',
        Principal: { Service: 'cloudwatch.amazonaws.com' },
        Action: 'sns:Publish',
        Resource: { Ref: topicId },
        Condition: {
          StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } },
          ArnLike: {
            'aws:SourceArn': {
              'Fn::Join': ['', ['arn:aws:cloudwatch:us-east-1:', { Ref: 'AWS::AccountId' }, ':alarm:*']],
            },
          },
        },
      },
    ]);
  });

  test('has no Allow for anyone, for any AWS account principal, or without a source condition', () => {
    for (const statement of topicStatements.filter((s) => s.Effect === 'Allow')) {
      const principal = JSON.stringify(statement.Principal);
      expect(principal).not.toEqual('"*"');
      expect(principal).not.toContain('"AWS"');
      expect(Object.keys(statement.Condition?.StringEquals ?? {})).toContain('aws:SourceAccount');
      expect(Object.keys(statement.Condition?.ArnLike ?? {})).toContain('aws:SourceArn');
      expect(asArray(statement.Action)).toEqual(['sns:Publish']);
    }
  });

  test('keeps denying publishing without TLS, to everyone', () => {
    expect(topicStatements).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          Effect: 'Deny',
          Principal: '*',
          Condition: { Bool: { 'aws:SecureTransport': 'false' } },
        }),
      ]),
    );
  });

  test('lets the topic key serve CloudWatch for this topic only', () => {
    const key = auditKeyStatements.filter(
      (s) => s.Effect === 'Allow' && servicePrincipal(s, 'cloudwatch.amazonaws.com'),
    );
    expect(key).toHaveLength(1);
    expect(asArray(key[0]!.Action).sort()).toEqual(['kms:Decrypt', 'kms:GenerateDataKey*']);
    expect(key[0]!.Condition).toEqual({
      StringEquals: {
        'aws:SourceAccount': { Ref: 'AWS::AccountId' },
        'kms:EncryptionContext:aws:sns:topicArn': {
          'Fn::Join': ['', ['arn:aws:sns:us-east-1:', { Ref: 'AWS::AccountId' }, ':hipaa-rtc-example-security-alarms']],
        },
      },
    });
    // The key names the topic by its fixed name, not by reference: the topic refers to the key.
    audit.hasResourceProperties('AWS::SNS::Topic', { TopicName: 'hipaa-rtc-example-security-alarms' });
  });
});

describe('every publisher in the app', () => {
  /** Which service publishes to the alarm topic, for each resource in any stack that names it as a target. */
  function publishers(): Array<{ where: string; service: string }> {
    const namesTopic = (value: unknown) => JSON.stringify(value ?? null).includes(topicId);
    return Object.entries(templates).flatMap(([stackName, template]) => [
      ...Object.entries(template.findResources('AWS::CloudWatch::Alarm'))
        .filter(([, alarm]) =>
          ['AlarmActions', 'OKActions', 'InsufficientDataActions'].some((k) => namesTopic(alarm.Properties[k])),
        )
        .map(([id]) => ({ where: `${stackName}/${id}`, service: 'cloudwatch.amazonaws.com' })),
      ...Object.entries(template.findResources('AWS::Events::Rule'))
        .filter(([, rule]) => asArray(rule.Properties.Targets).some((t: { Arn?: unknown }) => namesTopic(t.Arn)))
        .map(([id]) => ({ where: `${stackName}/${id}`, service: 'events.amazonaws.com' })),
      ...Object.entries(template.findResources('AWS::AutoScaling::AutoScalingGroup'))
        .filter(([, group]) => namesTopic(group.Properties.NotificationConfigurations))
        .map(([id]) => ({ where: `${stackName}/${id}`, service: 'autoscaling.amazonaws.com' })),
    ]);
  }

  test('the ten alarms (eight security, two relay) and the three Detect routes are the publishers today', () => {
    const found = publishers();
    expect(found.filter((p) => p.where.startsWith('hipaa-rtc-example-audit/'))).toHaveLength(8);
    expect(found.filter((p) => p.where.startsWith('hipaa-rtc-example-relay/'))).toHaveLength(2);
    // GuardDuty findings, Access Analyzer findings, AWS Backup job failures.
    expect(found.filter((p) => p.where.startsWith('hipaa-rtc-example-detect/'))).toEqual([
      expect.objectContaining({ service: 'events.amazonaws.com' }),
      expect.objectContaining({ service: 'events.amazonaws.com' }),
      expect.objectContaining({ service: 'events.amazonaws.com' }),
    ]);
    expect(new Set(found.map((p) => p.service))).toEqual(new Set(['cloudwatch.amazonaws.com', 'events.amazonaws.com']));
  });

  test('each publishing service is allowed by the topic policy and by the topic key', () => {
    for (const { where, service } of publishers()) {
      const topicAllow = topicStatements.some(
        (s) => s.Effect === 'Allow' && servicePrincipal(s, service) && asArray(s.Action).includes('sns:Publish'),
      );
      const keyAllow = auditKeyStatements.some(
        (s) =>
          s.Effect === 'Allow' &&
          servicePrincipal(s, service) &&
          asArray(s.Action).includes('kms:Decrypt') &&
          asArray(s.Action).includes('kms:GenerateDataKey*'),
      );
      expect({ where, service, topicAllow, keyAllow }).toEqual({ where, service, topicAllow: true, keyAllow: true });
    }
  });
});

describe('SecurityAlarms.allowPublisher', () => {
  function standalone(keyFor: (stack: Stack) => kms.IKey = (stack) => new kms.Key(stack, 'Key')) {
    const stack = new Stack(newTestApp(), 'Alarms', { env: { region: 'eu-west-1', account: '111122223333' } });
    const alarms = new SecurityAlarms(stack, 'SecurityAlarms', {
      trailLogGroup: new logs.LogGroup(stack, 'Trail'),
      encryptionKey: keyFor(stack),
      topicName: 'test-security-alarms',
      alarmEmail: 'secops@example.org',
      definitions: [],
    });
    return { stack, alarms };
  }

  test('EventBridge gets a topic Allow scoped to this account’s rules, and a key statement without source keys', () => {
    const { stack, alarms } = standalone();
    alarms.allowPublisher('eventbridge-rules');
    alarms.allowPublisher('eventbridge-rules');
    const template = Template.fromStack(stack);
    const topic = onlyResource(template, 'AWS::SNS::TopicPolicy').resource.Properties.PolicyDocument
      .Statement as PolicyStatement[];
    const events = topic.filter((s) => servicePrincipal(s, 'events.amazonaws.com'));
    expect(events).toEqual([
      expect.objectContaining({
        Effect: 'Allow',
        Action: 'sns:Publish',
        Condition: {
          StringEquals: { 'aws:SourceAccount': '111122223333' },
          ArnLike: { 'aws:SourceArn': 'arn:aws:events:eu-west-1:111122223333:rule/*' },
        },
      }),
    ]);
    const key = keyPolicyStatements(template, onlyResource(template, 'AWS::KMS::Key').logicalId).filter((s) =>
      servicePrincipal(s, 'events.amazonaws.com'),
    );
    expect(key).toHaveLength(1);
    expect(key[0]!.Condition).toEqual({
      StringEquals: {
        'kms:EncryptionContext:aws:sns:topicArn': 'arn:aws:sns:eu-west-1:111122223333:test-security-alarms',
      },
    });
    expect(JSON.stringify(key[0]!.Condition)).not.toMatch(/aws:Source(Account|Arn|OrgID)/);
  });

  test('refuses a key whose policy it cannot write (the topic would refuse every message)', () => {
    expect(() =>
      standalone((stack) => kms.Key.fromKeyArn(stack, 'Imported', 'arn:aws:kms:eu-west-1:111122223333:key/abc')),
    ).toThrow(/could not add cloudwatch\.amazonaws\.com's statement to the topic key's policy/);
  });
});

describe('topicPublisherGrant', () => {
  const scope = { partition: 'aws', region: 'us-east-2', account: '111122223333', topicArn: 'arn:topic' };

  test('CloudWatch: alarm ARN pattern in the topic policy; account and topic in the key policy', () => {
    const grant = topicPublisherGrant('cloudwatch-alarms', scope);
    expect(grant.service).toBe('cloudwatch.amazonaws.com');
    expect(grant.topicStatement.conditions).toEqual({
      StringEquals: { 'aws:SourceAccount': '111122223333' },
      ArnLike: { 'aws:SourceArn': 'arn:aws:cloudwatch:us-east-2:111122223333:alarm:*' },
    });
    expect(grant.keyStatement.actions).toEqual(['kms:Decrypt', 'kms:GenerateDataKey*']);
  });

  test('an unknown publisher fails with the known ones named', () => {
    expect(() => topicPublisherGrant('lambda' as never, scope)).toThrow(/known: cloudwatch-alarms, eventbridge-rules/);
  });
});
