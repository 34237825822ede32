import { evaluatePolicies, globMatch, type ServiceRequest } from '../../../lib/compliance/paths/policy';
import { resolve, resolveString, type TemplateSet } from '../../../lib/compliance/paths/template-set';

const set: TemplateSet = {
  stacks: [
    {
      stackId: 'A',
      stackName: 'app-a',
      region: 'eu-west-1',
      templatePath: '',
      resources: { Topic: { Type: 'AWS::SNS::Topic' }, Key: { Type: 'AWS::KMS::Key' } },
      outputs: {
        TopicOut: { Value: { Ref: 'Topic' } },
        KeyArn: { Value: { 'Fn::GetAtt': ['Key', 'Arn'] }, Export: { Name: 'app-a:KeyArn' } },
      },
    },
    { stackId: 'B', stackName: 'app-b', templatePath: '', resources: {}, outputs: {} },
  ],
};

const request = (context: Record<string, string> = {}): ServiceRequest => ({
  service: 'cloudwatch.amazonaws.com',
  action: 'sns:Publish',
  resources: ['{{A/Topic}}'],
  context: { 'aws:SecureTransport': 'true', 'aws:SourceAccount': '111111111111', ...context },
});
const allow = (extra: Record<string, unknown> = {}) => ({
  Effect: 'Allow',
  Principal: { Service: 'cloudwatch.amazonaws.com' },
  Action: 'sns:Publish',
  Resource: { Ref: 'Topic' },
  ...extra,
});
const decide = (statements: unknown[], req = request()) =>
  evaluatePolicies([{ document: { Statement: statements }, stackId: 'A', name: 'policy' }], set, req);

describe('resolve', () => {
  test('follows Fn::GetStackOutput and Fn::ImportValue to the producing stack', () => {
    expect(resolve(set, 'B', { 'Fn::GetStackOutput': { StackName: 'app-a', OutputName: 'TopicOut' } })).toEqual({
      kind: 'ref',
      stackId: 'A',
      logicalId: 'Topic',
    });
    expect(resolve(set, 'B', { 'Fn::ImportValue': 'app-a:KeyArn' })).toMatchObject({
      stackId: 'A',
      logicalId: 'Key',
      attribute: 'Arn',
    });
    expect(resolve(set, 'B', { 'Fn::ImportValue': 'missing' })).toMatchObject({ kind: 'unresolved' });
  });

  test('joins and substitutes with pseudo parameters; an unknown account stays a placeholder', () => {
    expect(
      resolveString(set, 'A', {
        'Fn::Join': [':', ['arn', { Ref: 'AWS::Partition' }, { Ref: 'AWS::Region' }, { Ref: 'AWS::AccountId' }]],
      }),
    ).toBe('arn:aws:eu-west-1:{{AWS::AccountId}}');
    expect(resolveString(set, 'A', { 'Fn::Sub': 'x-${AWS::StackName}-${Key.Arn}' })).toBe('x-app-a-{{A/Key.Arn}}');
  });
});

describe('evaluatePolicies', () => {
  test('an Allow that matches principal, action, resource and conditions allows', () => {
    expect(decide([allow({ Condition: { StringEquals: { 'AWS:SourceAccount': '111111111111' } } })]).allowed).toBe(
      true,
    );
    expect(decide([allow({ Action: 'SNS:*' })]).allowed).toBe(true);
    expect(decide([allow({ Principal: { Service: 'events.amazonaws.com' } })]).allowed).toBe(false);
    expect(decide([allow({ Resource: 'arn:aws:sns:*:*:other' })]).allowed).toBe(false);
  });

  test('a Deny that applies wins; a TLS-only Deny does not apply to a service over TLS', () => {
    const tlsDeny = {
      Effect: 'Deny',
      Principal: '*',
      Action: 'sns:Publish',
      Resource: '*',
      Condition: { Bool: { 'aws:SecureTransport': 'false' } },
    };
    expect(decide([allow(), tlsDeny]).allowed).toBe(true);
    expect(decide([tlsDeny]).allowed).toBe(false);
    expect(decide([allow(), { ...tlsDeny, Condition: undefined }]).allowed).toBe(false);
  });

  test('what cannot be decided never allows and always denies (fail closed)', () => {
    const odd = { NumericLessThan: { 'aws:SourceAccount': '5' } };
    expect(decide([allow({ Condition: odd })]).allowed).toBe(false);
    expect(
      decide([allow({ Condition: { StringEquals: { 'aws:SourceArn': { 'Fn::ImportValue': 'missing' } } } })]).allowed,
    ).toBe(false);
    expect(
      decide([allow(), { Effect: 'Deny', Principal: '*', Action: '*', Resource: '*', Condition: odd }]).allowed,
    ).toBe(false);
  });

  test('absent keys: a positive operator fails, a negated one or IfExists holds', () => {
    expect(decide([allow({ Condition: { StringEquals: { 'aws:SourceOrgID': 'o-1' } } })]).allowed).toBe(false);
    expect(decide([allow({ Condition: { StringEqualsIfExists: { 'aws:SourceOrgID': 'o-1' } } })]).allowed).toBe(true);
    expect(decide([allow({ Condition: { StringNotEquals: { 'aws:SourceOrgID': 'o-1' } } })]).allowed).toBe(true);
  });

  test('glob matching: * spans any run (also colons), ? one character', () => {
    expect(globMatch('arn:aws:cloudwatch:*:1:alarm:*', 'arn:aws:cloudwatch:eu-west-1:1:alarm:a:b')).toBe(true);
    expect(globMatch('a?c', 'abc')).toBe(true);
    expect(globMatch('a?c', 'abbc')).toBe(false);
    expect(globMatch('arn:aws:s3:::b/AWSLogs/1/*', 'arn:aws:s3:::b/AWSLogs/2/x')).toBe(false);
  });
});
