import {
  classifyServiceToken,
  judgeResourceType,
  type EligibilityClass,
  type ServiceTokenTarget,
} from '../../../lib/compliance/eligibility';

const LAMBDA: ServiceTokenTarget = { kind: 'lambda-function', logicalId: 'Fn' };

describe('judgeResourceType: one verdict per class, present and absent', () => {
  test.each<[string, EligibilityClass, boolean]>([
    ['AWS::S3::Bucket', 'eligible', true],
    ['AWS::DynamoDB::GlobalTable', 'eligible', true],
    ['AWS::ApiGatewayV2::Api', 'eligible', true],
    ['AWS::IAM::Role', 'control-plane', true],
    ['AWS::CDK::Metadata', 'control-plane', true],
    ['AWS::AppRunner::Service', 'not-eligible', false],
    ['AWS::Lightsail::Instance', 'not-eligible', false],
    ['AWS::DirectoryService::SimpleAD', 'excluded-by-condition', false],
    ['AWS::Pinpoint::VoiceChannel', 'excluded-by-condition', false],
    ['Acme::Widget::Thing', 'unknown-namespace', false],
    ['AWS::NoSuchService::Thing', 'unknown-namespace', false],
    ['AWS::S3::NoSuchThing', 'unknown-type', false],
    ['AWS::S3::bucket', 'unknown-type', false],
    ['not a type', 'unknown-namespace', false],
  ])('%s is %s', (type, expectedClass, eligible) => {
    const verdict = judgeResourceType(type);
    expect(verdict).toMatchObject({ type, class: expectedClass, eligible, listDate: '2026-05-22' });
    expect(verdict.source).toBe('https://aws.amazon.com/compliance/hipaa-eligible-services-reference/');
    expect(verdict.reason.length).toBeGreaterThan(20);
  });

  test('the rest of a conditioned namespace stays eligible, carrying its condition', () => {
    expect(judgeResourceType('AWS::DirectoryService::MicrosoftAD')).toMatchObject({ class: 'eligible' });
    const sms = judgeResourceType('AWS::Pinpoint::SMSChannel');
    expect(sms.class).toBe('eligible');
    expect(sms.condition).toMatch(/voice message/i);
  });

  test('rows the reference marks uncertain fail closed and say so', () => {
    for (const type of ['AWS::SecurityHub::Hub', 'AWS::RDS::DBInstance', 'AWS::AppConfig::Application']) {
      const verdict = judgeResourceType(type);
      expect(verdict).toMatchObject({ class: 'not-eligible', eligible: false });
      expect(verdict.reason).toMatch(/FAIL-CLOSED/);
    }
  });

  describe('custom resources are judged by their ServiceToken', () => {
    test.each(['Custom::Anything', 'AWS::CloudFormation::CustomResource'])('%s backed by a Lambda function', (type) => {
      expect(judgeResourceType(type, LAMBDA)).toMatchObject({ class: 'custom-resource-eligible', eligible: true });
    });
    test('backed by an SNS topic', () => {
      expect(judgeResourceType('Custom::X', { kind: 'sns-topic', logicalId: 'T' }).eligible).toBe(true);
    });
    test.each<ServiceTokenTarget>([
      { kind: 'other-resource', logicalId: 'Q', type: 'AWS::SQS::Queue' },
      { kind: 'outside-template', detail: 'imported' },
      { kind: 'unresolved', detail: 'no token' },
    ])('not backed by a function or topic in the template: %j', (token) => {
      expect(judgeResourceType('Custom::X', token)).toMatchObject({
        class: 'custom-resource-not-eligible',
        eligible: false,
      });
    });
    test('without a token at all', () => {
      expect(judgeResourceType('Custom::X').eligible).toBe(false);
    });
  });
});

describe('classifyServiceToken', () => {
  const resources = {
    Fn: { Type: 'AWS::Lambda::Function' },
    Topic: { Type: 'AWS::SNS::Topic' },
    Queue: { Type: 'AWS::SQS::Queue' },
  };
  test.each<[string, unknown, ServiceTokenTarget['kind']]>([
    ['GetAtt Arn of a function', { 'Fn::GetAtt': ['Fn', 'Arn'] }, 'lambda-function'],
    ['GetAtt string form', { 'Fn::GetAtt': 'Fn.Arn' }, 'lambda-function'],
    ['Ref of a topic', { Ref: 'Topic' }, 'sns-topic'],
    ['GetAtt TopicArn of a topic', { 'Fn::GetAtt': ['Topic', 'TopicArn'] }, 'sns-topic'],
    ['Ref of a function (its name, not an ARN)', { Ref: 'Fn' }, 'other-resource'],
    ['GetAtt of another attribute', { 'Fn::GetAtt': ['Fn', 'SnapStartResponse'] }, 'unresolved'],
    ['a queue', { 'Fn::GetAtt': ['Queue', 'Arn'] }, 'other-resource'],
    ['a missing logical ID', { 'Fn::GetAtt': ['Gone', 'Arn'] }, 'outside-template'],
    ['an imported value', { 'Fn::ImportValue': 'x' }, 'outside-template'],
    ['a literal ARN', 'arn:aws:lambda:us-east-1:111111111111:function:x', 'outside-template'],
    ['nothing', undefined, 'unresolved'],
    ['two keys', { Ref: 'Topic', Other: 1 }, 'unresolved'],
  ])('%s', (_name, token, kind) => {
    expect(classifyServiceToken(token, resources).kind).toBe(kind);
  });
});
