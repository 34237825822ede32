import {
  GUARD_RULE_NAMES,
  guardrailsStackIdPattern,
  renderEligibilityGuardRules,
} from '../../../lib/compliance/guard/eligibility-guard-rules';
import { eligibilityGuardRules } from '../../../lib/compliance/guard/account-guard-rules';
import { HOOK_ACCOUNT, hookInput, runGuard, stackIdOf, type GuardStatus } from '../../helpers/cfn-guard';

/**
 * The deploy-time rules, executed by the real cfn-guard (3.1.1, the binary @cdklabs/cdk-validator-cfnguard ships) over
 * Guard Hook inputs shaped as the Guard Hooks user guide documents them. Type-by-type agreement with the data is in
 * test/compliance/agreement.test.ts; this file covers what is not a type: the input's shape, where hook-management
 * types may appear, and which account a custom resource may call.
 */
const GUARDRAILS = 'hipaa-rtc-example-guardrails';
const rules = eligibilityGuardRules(GUARDRAILS);
const LAMBDA_HERE = `arn:aws:lambda:us-east-1:${HOOK_ACCOUNT}:function:provider`;

const cases: Record<string, unknown> = {
  // Input shape
  'an input with no Resources': {
    HookContext: { InvocationPoint: 'CREATE_PRE_PROVISION', AWSAccountID: HOOK_ACCOUNT },
  },
  'an input with empty Resources': {
    HookContext: { InvocationPoint: 'CREATE_PRE_PROVISION', AWSAccountID: HOOK_ACCOUNT },
    Resources: {},
  },
  'an input whose Resources is a list': {
    HookContext: { InvocationPoint: 'CREATE_PRE_PROVISION' },
    Resources: [{ ResourceType: 'AWS::S3::Bucket' }],
  },
  'an input with no HookContext': { Resources: { Target: { ResourceType: 'AWS::S3::Bucket' } } },
  'an empty document': {},
  'an eligible resource': hookInput({ ResourceType: 'AWS::S3::Bucket' }),
  // Hook-management types
  'GuardHook in a workload stack': hookInput({ ResourceType: 'AWS::CloudFormation::GuardHook' }),
  'HookTypeConfig in a workload stack': hookInput({ ResourceType: 'AWS::CloudFormation::HookTypeConfig' }),
  'LambdaHook in a workload stack': hookInput({ ResourceType: 'AWS::CloudFormation::LambdaHook' }),
  'TypeActivation in a workload stack': hookInput({ ResourceType: 'AWS::CloudFormation::TypeActivation' }),
  'HookTypeConfig updated in a workload stack': hookInput(
    { ResourceType: 'AWS::CloudFormation::HookTypeConfig' },
    'UPDATE_PRE_PROVISION',
  ),
  'GuardHook in the Guardrails stack': hookInput({ ResourceType: 'AWS::CloudFormation::GuardHook' }, undefined, {
    StackId: stackIdOf(GUARDRAILS),
  }),
  'GuardHook updated in the Guardrails stack': hookInput(
    { ResourceType: 'AWS::CloudFormation::GuardHook' },
    'UPDATE_PRE_PROVISION',
    { StackId: stackIdOf(GUARDRAILS) },
  ),
  'HookTypeConfig through Cloud Control (no StackId)': hookInput(
    { ResourceType: 'AWS::CloudFormation::HookTypeConfig' },
    undefined,
    { StackId: undefined, TargetType: 'CLOUD_CONTROL' },
  ),
  'GuardHook in a stack whose name extends the Guardrails name': hookInput(
    { ResourceType: 'AWS::CloudFormation::GuardHook' },
    undefined,
    { StackId: stackIdOf(`${GUARDRAILS}2`) },
  ),
  'GuardHook in a nested stack of the Guardrails stack': hookInput(
    { ResourceType: 'AWS::CloudFormation::GuardHook' },
    undefined,
    { StackId: stackIdOf(`${GUARDRAILS}-NestedStack-1ABCDEF`) },
  ),
  'a non-eligible type in the Guardrails stack': hookInput({ ResourceType: 'AWS::AppRunner::Service' }, undefined, {
    StackId: stackIdOf(GUARDRAILS),
  }),
  'deleting a GuardHook from a workload stack': hookInput(
    { ResourceType: 'AWS::CloudFormation::GuardHook' },
    'DELETE_PRE_PROVISION',
  ),
  // ServiceTokens
  'a custom resource on a Lambda function in this account': hookInput({
    ResourceType: 'Custom::Thing',
    ResourceProperties: { ServiceToken: LAMBDA_HERE },
  }),
  'a custom resource on an SNS topic in this account': hookInput({
    ResourceType: 'AWS::CloudFormation::CustomResource',
    ResourceProperties: { ServiceToken: `arn:aws:sns:us-east-1:${HOOK_ACCOUNT}:provider` },
  }),
  'a custom resource on a Lambda function in another account': hookInput({
    ResourceType: 'Custom::Thing',
    ResourceProperties: { ServiceToken: 'arn:aws:lambda:us-east-1:222222222222:function:provider' },
  }),
  'a custom resource on an SNS topic in another account': hookInput({
    ResourceType: 'Custom::Thing',
    ResourceProperties: { ServiceToken: 'arn:aws:sns:us-east-1:222222222222:provider' },
  }),
  'a custom resource on a Lambda ARN with no account': hookInput({
    ResourceType: 'Custom::Thing',
    ResourceProperties: { ServiceToken: 'arn:aws:lambda:us-east-1::function:provider' },
  }),
  'a custom resource judged without the account in the hook context': hookInput(
    { ResourceType: 'Custom::Thing', ResourceProperties: { ServiceToken: LAMBDA_HERE } },
    undefined,
    { AWSAccountID: undefined },
  ),
};

let statuses: Map<string, GuardStatus>;
beforeAll(() => {
  statuses = runGuard(rules, new Map(Object.entries(cases)));
});

describe('the rules fail closed on an input with nothing to judge', () => {
  test.each([
    'an input with no Resources',
    'an input with empty Resources',
    'an input whose Resources is a list',
    'an input with no HookContext',
    'an empty document',
  ])('%s: FAIL', (name) => {
    expect(statuses.get(name)).toBe('FAIL');
  });
  test('while an ordinary eligible resource still passes', () => {
    expect(statuses.get('an eligible resource')).toBe('PASS');
  });
});

describe('hook-management types only in the Guardrails stack', () => {
  test.each<[string, GuardStatus]>([
    ['GuardHook in a workload stack', 'FAIL'],
    ['HookTypeConfig in a workload stack', 'FAIL'],
    ['LambdaHook in a workload stack', 'FAIL'],
    ['TypeActivation in a workload stack', 'FAIL'],
    ['HookTypeConfig updated in a workload stack', 'FAIL'],
    ['HookTypeConfig through Cloud Control (no StackId)', 'FAIL'],
    ['GuardHook in a stack whose name extends the Guardrails name', 'FAIL'],
    ['GuardHook in a nested stack of the Guardrails stack', 'FAIL'],
    ['GuardHook in the Guardrails stack', 'PASS'],
    ['GuardHook updated in the Guardrails stack', 'PASS'],
    ['deleting a GuardHook from a workload stack', 'PASS'],
  ])('%s: %s', (name, status) => {
    expect(statuses.get(name)).toBe(status);
  });

  test('the Guardrails stack gets no other exemption: a non-eligible type there still fails', () => {
    expect(statuses.get('a non-eligible type in the Guardrails stack')).toBe('FAIL');
  });
});

describe('custom resources may call only a Lambda function or SNS topic in this account', () => {
  test.each<[string, GuardStatus]>([
    ['a custom resource on a Lambda function in this account', 'PASS'],
    ['a custom resource on an SNS topic in this account', 'PASS'],
    ['a custom resource on a Lambda function in another account', 'FAIL'],
    ['a custom resource on an SNS topic in another account', 'FAIL'],
    ['a custom resource on a Lambda ARN with no account', 'FAIL'],
    ['a custom resource judged without the account in the hook context', 'FAIL'],
  ])('%s: %s', (name, status) => {
    expect(statuses.get(name)).toBe(status);
  });
});

describe('rendering', () => {
  const input = {
    allowedTypes: ['AWS::S3::Bucket'],
    gateManagementTypes: ['AWS::CloudFormation::GuardHook'],
    propertyConditions: [
      { type: 'AWS::RDS::DBInstance', property: 'Engine', eligibleValues: ['mysql'], absentEligible: false },
    ],
    guardrailsStackName: GUARDRAILS,
    listDate: '2026-05-22',
    source: 'https://example.org/list',
  };

  test('names every rule, and the Guardrails stack in the refusal message', () => {
    for (const name of Object.values(GUARD_RULE_NAMES)) expect(rules).toContain(`rule ${name}`);
    expect(rules).toContain(`may only be deployed by the stack ${GUARDRAILS}`);
  });

  test.each([
    ['a stack name with a slash', { guardrailsStackName: 'a/b' }, /not a CloudFormation stack name/],
    ['a stack name with a regex metacharacter', { guardrailsStackName: 'guard.*' }, /not a CloudFormation stack name/],
    ['no hook-management types', { gateManagementTypes: [] }, /without the hook-management types/],
    [
      'a hook-management type on the allow-list',
      { allowedTypes: ['AWS::S3::Bucket', 'AWS::CloudFormation::GuardHook'] },
      /allow hook-management or property-conditioned types outright: AWS::CloudFormation::GuardHook/,
    ],
    [
      'a property-conditioned type on the allow-list',
      { allowedTypes: ['AWS::S3::Bucket', 'AWS::RDS::DBInstance'] },
      /property-conditioned types outright: AWS::RDS::DBInstance/,
    ],
    ['no property conditions', { propertyConditions: [] }, /without the property conditions/],
    [
      'a property value that could break out of the regex',
      {
        propertyConditions: [
          { type: 'AWS::RDS::DBInstance', property: 'Engine', eligibleValues: ['a|.*'], absentEligible: false },
        ],
      },
      /unexpected property value/,
    ],
  ])('refuses %s', (_name, change, message) => {
    expect(() => renderEligibilityGuardRules({ ...input, ...change })).toThrow(message);
  });

  test('the StackId pattern is anchored and ends with the slash after the name', () => {
    expect(guardrailsStackIdPattern(GUARDRAILS)).toBe(
      String.raw`/^arn:aws[a-z-]*:cloudformation:[a-z0-9-]+:[0-9]{12}:stack\x2Fhipaa-rtc-example-guardrails\x2F/`,
    );
  });
});
