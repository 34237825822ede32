import { notificationPaths } from '../../../lib/compliance/paths';
import type { TemplateSet } from '../../../lib/compliance/paths/template-set';
import { fixture, hop, props } from './fixture';

const TOPIC_POLICY = 'SecurityAlarmsTopicPolicy3D2BAC67';
const KEY = 'AuditKeyD462845A';
const ALARMS = 'CloudWatch alarms -> HipaaRtcAudit/SecurityAlarmsTopicAF65CDDE';
const RULES = 'EventBridge rules -> HipaaRtcAudit/SecurityAlarmsTopicAF65CDDE';

const pathOf = (set: TemplateSet, title: string) => notificationPaths(set).find((p) => p.title === title);
const statements = (set: TemplateSet) => props(set, 'HipaaRtcAudit', TOPIC_POLICY).PolicyDocument.Statement;
const keyStatements = (set: TemplateSet) => props(set, 'HipaaRtcAudit', KEY).KeyPolicy.Statement;

function addRule(set: TemplateSet) {
  (set.stacks[0].resources as Record<string, unknown>).GuardDutyFindings = {
    Type: 'AWS::Events::Rule',
    Properties: {
      EventPattern: { source: ['aws.guardduty'] },
      Targets: [{ Arn: { Ref: 'SecurityAlarmsTopicAF65CDDE' }, Id: 'Topic' }],
    },
  };
}

function allowEventsToPublish(set: TemplateSet) {
  statements(set).push({
    Effect: 'Allow',
    Principal: { Service: 'events.amazonaws.com' },
    Action: 'sns:Publish',
    Resource: { Ref: 'SecurityAlarmsTopicAF65CDDE' },
    Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
  });
}

describe('noncompliant fixture (issue 11 defect 3, cut from the synthesized templates)', () => {
  const set = fixture('alarm-topic-noncompliant');

  test('alarms in both stacks reach the topic (the Relay alarm through Fn::GetStackOutput)', () => {
    expect(hop(pathOf(set, ALARMS), 'action -> topic').detail).toContain(
      '2 CloudWatch alarms (SecurityAlarmsRootAccountUseAlarm4DFD33EB, SecretSyncFailingBB26F0D4)',
    );
  });

  test('the topic policy holds only the TLS Deny, so CloudWatch may not publish; the key policy is right', () => {
    const path = pathOf(set, ALARMS);
    expect(hop(path, 'topic policy allows sns:Publish')).toMatchObject({
      verdict: 'fail',
      detail: expect.stringMatching(
        /replaces the default policy .* no statement allows cloudwatch\.amazonaws\.com sns:Publish/,
      ),
      resource: { stackId: 'HipaaRtcAudit', logicalId: TOPIC_POLICY },
    });
    expect(hop(path, 'topic key allows the service').verdict).toBe('pass');
  });
});

describe('compliant fixture (Allow for cloudwatch.amazonaws.com on aws:SourceAccount and the alarm ARN pattern)', () => {
  test('every alarm can publish', () => {
    const path = pathOf(fixture('alarm-topic-compliant'), ALARMS);
    expect(path?.hops.map((h) => h.verdict)).toEqual(['pass', 'pass', 'pass']);
  });

  test('conditions must be satisfiable: another account, or a SourceArn pattern for rules, allows nothing', () => {
    const otherAccount = fixture('alarm-topic-compliant');
    statements(otherAccount)[1].Condition.StringEquals['aws:SourceAccount'] = '999999999999';
    expect(hop(pathOf(otherAccount, ALARMS), 'topic policy allows sns:Publish').verdict).toBe('fail');
    const rulePattern = fixture('alarm-topic-compliant');
    statements(rulePattern)[1].Condition.ArnLike['aws:SourceArn'] = 'arn:aws:events:us-east-1:*:rule/*';
    expect(hop(pathOf(rulePattern, ALARMS), 'topic policy allows sns:Publish').verdict).toBe('fail');
  });

  test('an unconditioned Deny for everyone wins over the Allow', () => {
    const set = fixture('alarm-topic-compliant');
    statements(set).push({ Effect: 'Deny', Principal: '*', Action: 'sns:*', Resource: '*' });
    expect(hop(pathOf(set, ALARMS), 'topic policy allows sns:Publish')).toMatchObject({
      verdict: 'fail',
      detail: expect.stringContaining('statement #3 denies it'),
    });
  });

  test("with no topic policy at all, the default policy lets the owning account's alarms publish", () => {
    const set = fixture('alarm-topic-noncompliant');
    delete (set.stacks[0].resources as Record<string, unknown>)[TOPIC_POLICY];
    expect(hop(pathOf(set, ALARMS), 'topic policy allows sns:Publish').verdict).toBe('pass');
  });

  test('the key must allow CloudWatch both kms:GenerateDataKey* and kms:Decrypt', () => {
    const set = fixture('alarm-topic-compliant');
    const statement = keyStatements(set).find(
      (s: { Sid?: string }) => s.Sid === 'CloudWatchAlarmsPublishToEncryptedTopic',
    );
    statement.Action = ['kms:GenerateDataKey*'];
    expect(hop(pathOf(set, ALARMS), 'topic key allows the service')).toMatchObject({
      verdict: 'fail',
      detail: expect.stringContaining('kms:Decrypt: no statement allows cloudwatch.amazonaws.com kms:Decrypt'),
    });
  });
});

test('a key statement scoped to the topic (kms:EncryptionContext:aws:sns:topicArn) must name this topic', () => {
  const set = fixture('alarm-topic-compliant');
  props(set, 'HipaaRtcAudit', 'SecurityAlarmsTopicAF65CDDE').TopicName = 'alarms';
  const statement = keyStatements(set).find(
    (s: { Sid?: string }) => s.Sid === 'CloudWatchAlarmsPublishToEncryptedTopic',
  );
  const scopedTo = (name: string) => ({
    'kms:EncryptionContext:aws:sns:topicArn': {
      'Fn::Join': ['', ['arn:aws:sns:us-east-1:', { Ref: 'AWS::AccountId' }, `:${name}`]],
    },
  });
  statement.Condition.StringEquals = { ...statement.Condition.StringEquals, ...scopedTo('alarms') };
  expect(hop(pathOf(set, ALARMS), 'topic key allows the service').verdict).toBe('pass');
  statement.Condition.StringEquals = { ...statement.Condition.StringEquals, ...scopedTo('other-topic') };
  expect(hop(pathOf(set, ALARMS), 'topic key allows the service').verdict).toBe('fail');
});

describe('EventBridge rules that target the topic', () => {
  test('need their own Allow in the topic policy', () => {
    const set = fixture('alarm-topic-compliant');
    addRule(set);
    expect(hop(pathOf(set, RULES), 'topic policy allows sns:Publish').verdict).toBe('fail');
    allowEventsToPublish(set);
    expect(hop(pathOf(set, RULES), 'topic policy allows sns:Publish').verdict).toBe('pass');
  });

  test('fail when the key statement for events.amazonaws.com is conditioned on aws:SourceAccount (EventBridge sends none)', () => {
    const set = fixture('alarm-topic-compliant');
    addRule(set);
    allowEventsToPublish(set);
    keyStatements(set).push({
      Effect: 'Allow',
      Principal: { Service: 'events.amazonaws.com' },
      Action: ['kms:GenerateDataKey*', 'kms:Decrypt'],
      Resource: '*',
      Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
    });
    expect(hop(pathOf(set, RULES), 'topic key allows the service')).toMatchObject({
      verdict: 'fail',
      detail: expect.stringContaining('EventBridge sends no aws:SourceAccount'),
    });
    delete keyStatements(set)[keyStatements(set).length - 1].Condition;
    expect(hop(pathOf(set, RULES), 'topic key allows the service').verdict).toBe('pass');
  });
});

test('an alarm action that names an SNS topic outside the templates fails closed', () => {
  const set = fixture('alarm-topic-compliant');
  props(set, 'HipaaRtcRelay', 'SecretSyncFailingBB26F0D4').AlarmActions = [
    'arn:aws:sns:us-east-1:111111111111:elsewhere',
  ];
  expect(
    notificationPaths(set).find((p) => p.title.startsWith('alarm HipaaRtcRelay/SecretSyncFailing'))?.hops[0],
  ).toMatchObject({
    verdict: 'fail',
    detail: expect.stringContaining('is not a topic of these templates'),
  });
});
