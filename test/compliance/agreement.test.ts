import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CfnResource, Stack } from 'aws-cdk-lib';
import { EXCLUDED_TYPES, judgeResourceType, knownResourceTypes, typeDecisions } from '../../lib/compliance/eligibility';
import { eligibilityGuardRules } from '../../lib/compliance/guard/account-guard-rules';
import { HipaaEligibilityChecks } from '../../lib/compliance/packs/hipaa-eligibility-checks';
import { eligibilityScp } from '../../lib/compliance/scp/account-scp';
import { EXCLUDED_FEATURE_ACTIONS } from '../../lib/compliance/scp/eligibility-scp';
import { iamPrefixesOfType, prefixesRefusedByTheGate } from '../../lib/compliance/scp/namespace-prefixes';
import { scpAllowsResourceType, scpDeniesAction } from '../../lib/compliance/scp/scp-verdict';
import { hookInput, runGuard, type GuardStatus } from '../helpers/cfn-guard';
import { buildExampleApp, newTestApp } from '../helpers/test-app';

/**
 * The four enforcement points are generated from one data source; this proves they give the same verdict for every
 * resource type the data knows, plus types it does not: the synth-time rule (which judges synthesized templates), the
 * CLI (the real binary), the Guard Hook's rules (executed by the real cfn-guard) and the organization SCP (which
 * works on IAM service prefixes, evaluated here against the rendered document). Where one of them cannot, or on
 * purpose does not, give the data's verdict, the difference is named below type by type with the reason, and the
 * tests assert those lists exactly: a new difference fails until it is understood and written down.
 */
const ROOT = path.resolve(__dirname, '../..');
const TYPES = [
  ...knownResourceTypes().filter((type) => type !== 'AWS::CloudFormation::CustomResource'),
  'AWS::S3::NoSuchThing',
  'AWS::NoSuchService::Thing',
  'Acme::Widget::Thing',
];
const expected = new Map(TYPES.map((type) => [type, judgeResourceType(type).eligible]));
const STACK_SIZE = 450; // CloudFormation's limit is 500 resources per stack
/** The example config's Guardrails stack: the one stack the deployed rules let hold hook-management types. */
const GUARDRAILS_STACK_NAME = 'hipaa-rtc-example-guardrails';

let outdir: string;
const logicalIdToType = new Map<string, string>();
const pathToType = new Map<string, string>();

beforeAll(() => {
  const app = newTestApp({ 'aws:cdk:disable-version-reporting': true });
  outdir = app.outdir;
  for (let start = 0; start < TYPES.length; start += STACK_SIZE) {
    const stack = new Stack(app, `Agreement${start / STACK_SIZE}`, { env: { region: 'us-east-1' } });
    TYPES.slice(start, start + STACK_SIZE).forEach((type, offset) => {
      const id = `R${start + offset}`;
      new CfnResource(stack, id, { type });
      logicalIdToType.set(id, type);
      pathToType.set(`${stack.node.id}/${id}`, type);
    });
  }
  app.synth();
  nagPack = new HipaaEligibilityChecks();
  nagReport = nagPack.validateScope(app);
});

let nagPack: HipaaEligibilityChecks;
let nagReport: ReturnType<HipaaEligibilityChecks['validateScope']>;

afterAll(() => fs.rmSync(outdir, { recursive: true, force: true }));

test('the data gives both verdicts, so agreement is not trivial', () => {
  const values = [...expected.values()];
  expect(values.filter(Boolean).length).toBeGreaterThan(1000);
  expect(values.filter((v) => !v).length).toBeGreaterThan(300);
});

test('cdk-nag rule agrees with the data on every type', () => {
  const flagged = new Set(
    nagReport.violations.flatMap((v) => v.violatingResources.map((r) => pathToType.get(r.constructPath ?? ''))),
  );
  const disagreements = TYPES.filter((type) => flagged.has(type) === expected.get(type));
  expect(disagreements).toEqual(Object.keys(SYNTH_RULE_DIFFERENCES));
  for (const type of disagreements) expect(expected.get(type)).toBe(true); // stricter, never laxer
});

/**
 * Types the synth rule refuses although the type itself is eligible, because it judges the whole template. The CLI
 * and the Guard rules judge each resource by its type.
 */
const SYNTH_RULE_DIFFERENCES: Readonly<Record<string, string>> = {
  'AWS::CloudFormation::Stack':
    'a nested stack deploys a template of its own: the synth rule judges it through the synthesized template of the ' +
    'CDK NestedStack it belongs to, and refuses one it cannot trace (here: no TemplateURL at all)',
};

describe('the SCP (IAM prefixes) against the gate (resource types)', () => {
  const scp = eligibilityScp();

  /**
   * Every type whose verdict differs between the two, grouped by why. The SCP can only allow or deny a whole IAM
   * prefix (plus actions it names), while the gate decides per resource type with type-level conditions. Each
   * difference below is a prefix the SCP must allow for an eligible service, shared with a namespace the gate
   * refuses, or a type the SCP cannot know. None goes the other way (the gate allows, the SCP denies): that would
   * make a stack the gate passed fail at deploy.
   */
  const SCP_DIFFERENCES: ReadonlyArray<{ readonly why: string; readonly types: readonly string[] }> = [
    {
      why:
        'RDS and Aurora are eligible only for the engines the list names: the gate judges DB instances, clusters, ' +
        'global clusters and proxies by their Engine, EngineMode or EngineFamily (here none is set, so it refuses ' +
        'them). The SCP allows rds:* (also the API of DocumentDB and Neptune) and cannot express the engine: it ' +
        'states this limit in docs/scp.md; the synth rule, the CLI and the Guard Hook enforce the condition.',
      types: ['AWS::RDS::DBCluster', 'AWS::RDS::DBInstance', 'AWS::RDS::DBProxy', 'AWS::RDS::GlobalCluster'],
    },
    {
      why:
        'SAM macros have no API of their own, so the SCP has nothing to deny; the gate refuses them alone (the ' +
        'transform replaces them at deploy, and the CLI judges what it generates). The SCP sees the calls of the ' +
        'generated resources, which the Guard Hook judges one by one.',
      types: [
        'AWS::Serverless::Api',
        'AWS::Serverless::Application',
        'AWS::Serverless::Function',
        'AWS::Serverless::HttpApi',
        'AWS::Serverless::LayerVersion',
        'AWS::Serverless::SimpleTable',
        'AWS::Serverless::StateMachine',
      ],
    },
    {
      why:
        'Object Lambda access points are created with s3:* actions (s3:CreateAccessPointForObjectLambda), the prefix ' +
        'of Amazon S3 (eligible); the gate refuses AWS::S3ObjectLambda (uncertain).',
      types: ['AWS::S3ObjectLambda::AccessPoint', 'AWS::S3ObjectLambda::AccessPointPolicy'],
    },
    {
      why:
        'hook management: the gate refuses these types in every stack but the Guardrails stack (a workload stack must ' +
        'not reconfigure or disable the Guard Hook). The SCP cannot tell the stacks apart: they are created by the ' +
        'same CloudFormation execution role, which needs cloudformation:* to deploy the Guardrails stack at all. ' +
        'The Guard rule and the synth-time gate carry this check (docs/eligibility-gate.md).',
      types: [
        'AWS::CloudFormation::GuardHook',
        'AWS::CloudFormation::HookDefaultVersion',
        'AWS::CloudFormation::HookTypeConfig',
        'AWS::CloudFormation::HookVersion',
        'AWS::CloudFormation::LambdaHook',
        'AWS::CloudFormation::TypeActivation',
      ],
    },
    {
      why:
        'the SCP cannot know resource types: a type that does not exist in a known namespace is refused by the gate ' +
        '(unknown type) while its prefix is allowed (CloudFormation would reject it anyway).',
      types: ['AWS::S3::NoSuchThing'],
    },
  ];

  test('every type whose SCP verdict differs from the gate is named, with why, and the SCP is never stricter', () => {
    const differing = TYPES.filter((type) => scpAllowsResourceType(scp.document, type) !== expected.get(type));
    expect([...differing].sort()).toEqual(SCP_DIFFERENCES.flatMap((difference) => difference.types).sort());
    for (const type of differing) expect(scpAllowsResourceType(scp.document, type)).toBe(true);
  });

  test('Security Hub: CSPM types pass everywhere; V2 types are refused by the gate and denied by named actions', () => {
    // The SCP allows securityhub:* (Security Hub CSPM is on the list) and denies the calls that create V2 resources,
    // so it agrees with the gate type by type; the test above would name any Security Hub type where it does not.
    expect(scp.allowedPrefixes).toContain('securityhub');
    for (const action of ['EnableSecurityHub', 'BatchEnableStandards', 'CreateFindingAggregator', 'CreateInsight'])
      expect(scpDeniesAction(scp.document, `securityhub:${action}`)).toBe(false);
    for (const action of ['EnableSecurityHubV2', 'CreateAggregatorV2', 'CreateAutomationRuleV2', 'CreateConnectorV2'])
      expect(scpDeniesAction(scp.document, `securityhub:${action}`)).toBe(true);
    const securityHub = TYPES.filter((type) => type.startsWith('AWS::SecurityHub::'));
    expect(securityHub.filter((type) => expected.get(type))).toHaveLength(13);
    expect(securityHub.filter((type) => !expected.get(type)).sort()).toEqual([
      'AWS::SecurityHub::AggregatorV2',
      'AWS::SecurityHub::AutomationRuleV2',
      'AWS::SecurityHub::ConnectorV2',
      'AWS::SecurityHub::HubV2',
    ]);
    for (const type of securityHub) expect(scpAllowsResourceType(scp.document, type)).toBe(expected.get(type));
  });

  test('no allowed prefix serves only namespaces the gate refuses outright', () => {
    const refused = prefixesRefusedByTheGate();
    expect(scp.allowedPrefixes.filter((prefix) => refused.has(prefix))).toEqual([]);
    // What that removes from the list's prefixes today, each with the namespaces behind it (docs/scp.md).
    expect(Object.fromEntries(scp.refusedPrefixes)).toEqual({
      'health-agent': ['AWS::HealthAgent'],
      robomaker: ['AWS::RoboMaker'],
    });
  });

  test('partially eligible services: each type the gate refuses inside an allowed prefix is denied by a named action', () => {
    const refusedByTypeDecision = [...typeDecisions().values()]
      .filter((decided) => decided.decision === 'not-eligible')
      .map((decided) => decided.type)
      .filter((type) => iamPrefixesOfType(type).some((prefix) => scp.allowedPrefixes.includes(prefix)));
    // (SAM macros have no prefix at all: named in SCP_DIFFERENCES instead.)
    expect(Object.keys(EXCLUDED_FEATURE_ACTIONS).sort()).toEqual(
      [...Object.keys(EXCLUDED_TYPES), ...refusedByTypeDecision].sort(),
    );
    expect(scpDeniesAction(scp.document, 'ds:CreateDirectory')).toBe(true); // Simple AD
    expect(scpDeniesAction(scp.document, 'ds:CreateMicrosoftAD')).toBe(false);
    expect(scpDeniesAction(scp.document, 'mobiletargeting:UpdateVoiceChannel')).toBe(true);
    expect(scpDeniesAction(scp.document, 'mobiletargeting:UpdateSmsChannel')).toBe(false);
  });

  test('control-plane namespaces the gate allows are allowed by the SCP too', () => {
    for (const type of [
      'AWS::ApplicationAutoScaling::ScalableTarget',
      'AWS::ResourceGroups::Group',
      'AWS::IAM::Role',
    ]) {
      expect(expected.get(type)).toBe(true);
      expect(scpAllowsResourceType(scp.document, type)).toBe(true);
    }
  });
});

test('CLI (real binary, JSON output) agrees with the data on every type', () => {
  const result = spawnSync(
    process.execPath,
    [path.join(ROOT, 'bin/hipaa-rtc-cli.js'), 'check', outdir, '--format', 'json'],
    { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, timeout: 60_000 },
  );
  expect(result.status).toBe(1); // some types are not eligible
  const report = JSON.parse(result.stdout) as {
    resources: Array<{ logicalId: string; verdict: { type: string; eligible: boolean } }>;
  };
  const judged = new Map(report.resources.map((r) => [logicalIdToType.get(r.logicalId), r.verdict.eligible]));
  const disagreements = TYPES.filter((type) => judged.get(type) !== expected.get(type));
  expect(disagreements).toEqual([]);
});

test('Guard rules (executed by cfn-guard) agree with the data on every type', () => {
  const statuses = runGuard(
    eligibilityGuardRules(GUARDRAILS_STACK_NAME),
    new Map(TYPES.map((type) => [type, hookInput({ ResourceType: type })])),
  );
  const disagreements = TYPES.filter((type) => (statuses.get(type) === 'PASS') !== expected.get(type));
  expect(disagreements).toEqual([]);
});

describe('Guard rules beyond resource types', () => {
  const rules = eligibilityGuardRules(GUARDRAILS_STACK_NAME);
  const cases = new Map<string, unknown>([
    [
      'custom resource on a Lambda ARN',
      hookInput({
        ResourceType: 'Custom::Thing',
        ResourceProperties: { ServiceToken: 'arn:aws:lambda:us-east-1:111111111111:function:provider' },
      }),
    ],
    [
      'custom resource on an SNS ARN',
      hookInput({
        ResourceType: 'AWS::CloudFormation::CustomResource',
        ResourceProperties: { ServiceToken: 'arn:aws:sns:us-east-1:111111111111:provider' },
      }),
    ],
    [
      'custom resource on an S3 ARN',
      hookInput({ ResourceType: 'Custom::Thing', ResourceProperties: { ServiceToken: 'arn:aws:s3:::bucket' } }),
    ],
    ['custom resource without a token', hookInput({ ResourceType: 'Custom::Thing' })],
    [
      'deleting a non-eligible resource',
      hookInput({ ResourceType: 'AWS::AppRunner::Service' }, 'DELETE_PRE_PROVISION'),
    ],
    [
      'updating a non-eligible resource',
      hookInput({ ResourceType: 'AWS::AppRunner::Service' }, 'UPDATE_PRE_PROVISION'),
    ],
  ]);
  let statuses: Map<string, GuardStatus>;
  beforeAll(() => {
    statuses = runGuard(rules, cases);
  });

  test.each([
    ['custom resource on a Lambda ARN', 'PASS'],
    ['custom resource on an SNS ARN', 'PASS'],
    ['custom resource on an S3 ARN', 'FAIL'],
    ['custom resource without a token', 'FAIL'],
    ['deleting a non-eligible resource', 'PASS'],
    ['updating a non-eligible resource', 'FAIL'],
  ])('%s: %s', (name, status) => {
    expect(statuses.get(name)).toBe(status);
  });
});

test('the rules executed here are byte-identical to what the Guardrails stack writes for its hook', () => {
  const built = buildExampleApp();
  expect(built.guardrails.stackName).toBe(GUARDRAILS_STACK_NAME);
  expect(built.guardrails.eligibilityHook.rules.content).toBe(eligibilityGuardRules(GUARDRAILS_STACK_NAME));
  expect(eligibilityGuardRules(GUARDRAILS_STACK_NAME)).toContain('"AWS::S3::Bucket"');
  expect(eligibilityGuardRules(GUARDRAILS_STACK_NAME)).not.toContain('"AWS::AppRunner::Service"');
});
