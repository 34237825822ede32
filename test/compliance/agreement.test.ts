import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CfnResource, Stack } from 'aws-cdk-lib';
import { judgeResourceType, knownResourceTypes } from '../../lib/compliance/eligibility';
import { HipaaEligibilityChecks } from '../../lib/compliance/packs/hipaa-eligibility-checks';
import { eligibilityGuardRules } from '../../lib/hipaa-rtc-app';
import { hookInput, runGuard, type GuardStatus } from '../helpers/cfn-guard';
import { buildExampleApp, newTestApp } from '../helpers/test-app';

/**
 * The four enforcement points are generated from one data source; this proves three of them give the same verdict
 * for every resource type the data knows, plus types it does not: the synth-time cdk-nag rule, the CLI (the real
 * binary) and the Guard Hook's rules (executed by the real cfn-guard). The SCP works on IAM prefixes, not types,
 * and has its own tests.
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
  expect(disagreements).toEqual([]);
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
