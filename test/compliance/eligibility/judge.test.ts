import {
  GATE_MANAGEMENT_TYPES,
  classifyServiceToken,
  judgeResourceType,
  knownResourceTypes,
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
    for (const type of ['AWS::Timestream::Database', 'AWS::RDS::DBInstance', 'AWS::AppConfig::Application']) {
      const verdict = judgeResourceType(type);
      expect(verdict).toMatchObject({ class: 'not-eligible', eligible: false });
      expect(verdict.reason).toMatch(/FAIL-CLOSED/);
    }
  });

  describe('Security Hub is decided type by type: CSPM on the list, the newer Security Hub (V2) not', () => {
    test.each([
      'AWS::SecurityHub::Hub',
      'AWS::SecurityHub::Standard',
      'AWS::SecurityHub::FindingAggregator',
      'AWS::SecurityHub::AutomationRule',
      'AWS::SecurityHub::Connector',
    ])('%s (CSPM) is eligible, with its dated evidence', (type) => {
      const verdict = judgeResourceType(type);
      expect(verdict).toMatchObject({ class: 'eligible', eligible: true });
      expect(verdict.reason).toMatch(/Security Hub CSPM resource/);
      expect(verdict.decided?.on).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(verdict.decided?.evidence).toMatch(/https:\/\/docs\.aws\.amazon\.com\//);
    });
    test.each([
      'AWS::SecurityHub::HubV2',
      'AWS::SecurityHub::AggregatorV2',
      'AWS::SecurityHub::AutomationRuleV2',
      'AWS::SecurityHub::ConnectorV2',
    ])('%s (V2) is refused, and the reason names CSPM as the only Security Hub on the list', (type) => {
      const verdict = judgeResourceType(type);
      expect(verdict).toMatchObject({ class: 'not-eligible', eligible: false });
      expect(verdict.reason).toMatch(/Security Hub \(V2\), not of Security Hub CSPM/);
      expect(verdict.decided?.evidence).toMatch(/API_\w+V2\.html/);
    });
    test('a type of the namespace without a decision fails closed', () => {
      expect(judgeResourceType('AWS::SecurityHub::NoSuchThing').eligible).toBe(false);
    });
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
    [
      'a literal ARN (its account cannot be shown to be this one)',
      'arn:aws:lambda:us-east-1:111111111111:function:x',
      'other-account',
    ],
    ['nothing', undefined, 'unresolved'],
    ['two keys', { Ref: 'Topic', Other: 1 }, 'unresolved'],
  ])('%s', (_name, token, kind) => {
    expect(classifyServiceToken(token, resources).kind).toBe(kind);
  });
});

describe('hook-management types: refused by the judge (the Guardrails stack passes only through register entries)', () => {
  test.each([
    'AWS::CloudFormation::HookTypeConfig',
    'AWS::CloudFormation::GuardHook',
    'AWS::CloudFormation::LambdaHook',
    'AWS::CloudFormation::HookVersion',
    'AWS::CloudFormation::HookDefaultVersion',
    'AWS::CloudFormation::TypeActivation',
  ])('%s is gate-management, not eligible', (type) => {
    const verdict = judgeResourceType(type);
    expect(verdict).toMatchObject({ class: 'gate-management', eligible: false, service: 'AWS CloudFormation' });
    expect(verdict.reason).toMatch(/Guardrails stack/);
  });

  test('every listed type exists, and every known CloudFormation hook type is listed', () => {
    for (const type of Object.keys(GATE_MANAGEMENT_TYPES)) expect(knownResourceTypes()).toContain(type);
    const hookTypes = knownResourceTypes().filter((type) => /^AWS::CloudFormation::\w*Hook/.test(type));
    expect(hookTypes.length).toBeGreaterThanOrEqual(5);
    for (const type of hookTypes) expect(Object.keys(GATE_MANAGEMENT_TYPES)).toContain(type);
  });

  test('a future CloudFormation hook type fails closed as gate-management', () => {
    expect(judgeResourceType('AWS::CloudFormation::ControlHook').class).toBe('gate-management');
  });

  test.each([
    'AWS::CloudFormation::WaitConditionHandle',
    'AWS::CloudFormation::Stack',
    'AWS::CloudFormation::ResourceVersion',
    'AWS::CloudFormation::ModuleVersion',
    'AWS::CloudFormation::Macro',
  ])('%s changes no hook and stays eligible', (type) => {
    expect(judgeResourceType(type)).toMatchObject({ class: 'eligible', eligible: true });
  });
});

describe('ServiceTokens must name this account', () => {
  const resources = { Fn: { Type: 'AWS::Lambda::Function' }, Topic: { Type: 'AWS::SNS::Topic' } };
  const accepted: Array<[string, unknown]> = [
    [
      'Fn::Sub of a function ARN in ${AWS::AccountId}',
      {
        'Fn::Sub': 'arn:${AWS::Partition}:lambda:${AWS::Region}:${AWS::AccountId}:function:provider',
      },
    ],
    [
      'Fn::Sub of a topic ARN with a literal partition and region',
      {
        'Fn::Sub': 'arn:aws:sns:us-east-1:${AWS::AccountId}:provider-topic',
      },
    ],
    [
      'Fn::Sub with a variable in the name only',
      {
        'Fn::Sub': ['arn:${AWS::Partition}:lambda:${AWS::Region}:${AWS::AccountId}:function:${Name}', { Name: 'x' }],
      },
    ],
    [
      'Fn::Join with Ref AWS::AccountId',
      {
        'Fn::Join': [
          '',
          [
            'arn:',
            { Ref: 'AWS::Partition' },
            ':lambda:',
            { Ref: 'AWS::Region' },
            ':',
            { Ref: 'AWS::AccountId' },
            ':function:provider',
          ],
        ],
      },
    ],
    [
      'Fn::Join with a ":" delimiter',
      {
        'Fn::Join': [
          ':',
          ['arn', { Ref: 'AWS::Partition' }, 'lambda', 'us-east-1', { Ref: 'AWS::AccountId' }, 'function', 'p'],
        ],
      },
    ],
  ];
  test.each(accepted)('accepted: %s', (_name, token) => {
    const target = classifyServiceToken(token, resources);
    expect(target.kind).toBe('account-arn');
    expect(judgeResourceType('Custom::X', target)).toMatchObject({ eligible: true, class: 'custom-resource-eligible' });
  });

  test('a literal ARN in the account the caller names is accepted', () => {
    const token = 'arn:aws:lambda:us-east-1:111111111111:function:provider';
    expect(classifyServiceToken(token, resources, { account: '111111111111' }).kind).toBe('account-arn');
  });

  const refused: Array<[string, unknown, RegExp]> = [
    ['a literal ARN in another account', 'arn:aws:lambda:us-east-1:222222222222:function:provider', /222222222222/],
    ['a literal ARN when the account is unknown', 'arn:aws:sns:us-east-1:111111111111:t', /\$\{AWS::AccountId\}/],
    ['a literal ARN with no account', 'arn:aws:lambda:us-east-1::function:provider', /no account/],
    ['Fn::Sub with a literal account', { 'Fn::Sub': 'arn:aws:lambda:us-east-1:222222222222:function:p' }, /account/],
    [
      'Fn::Sub with a parameter as the account',
      {
        'Fn::Sub': 'arn:${AWS::Partition}:lambda:${AWS::Region}:${Account}:function:p',
      },
      /account/,
    ],
    [
      'Fn::Sub with a parameter as the region (it could carry another account)',
      {
        'Fn::Sub': 'arn:aws:lambda:${Region}:${AWS::AccountId}:function:p',
      },
      /account/,
    ],
    [
      'Fn::Sub whose variable map shadows AWS::AccountId',
      {
        'Fn::Sub': ['arn:aws:lambda:us-east-1:${AWS::AccountId}:function:p', { 'AWS::AccountId': '222222222222' }],
      },
      /shadow/,
    ],
    [
      'Fn::Sub of an S3 ARN in this account',
      { 'Fn::Sub': 'arn:aws:s3:::${AWS::AccountId}-bucket' },
      /Lambda function or SNS topic/,
    ],
    [
      'Fn::Join with another Ref as the account',
      {
        'Fn::Join': ['', ['arn:aws:lambda:us-east-1:', { Ref: 'Account' }, ':function:p']],
      },
      /account/,
    ],
  ];
  test.each(refused)('refused: %s', (_name, token, detail) => {
    const target = classifyServiceToken(token, resources);
    expect(target.kind).not.toBe('account-arn');
    const verdict = judgeResourceType('Custom::X', target);
    expect(verdict).toMatchObject({ eligible: false, class: 'custom-resource-not-eligible' });
    expect(verdict.reason).toMatch(detail);
  });
});
