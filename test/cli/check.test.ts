import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ELIGIBILITY_RULE_ID, EXCEPTION_METADATA_KEY } from '../../lib/compliance/exception-metadata';
import { HIPAA_ELIGIBILITY_RULE_ID } from '../../lib/compliance/packs/hipaa-eligibility-checks';
import { sharedAssembly } from '../helpers/shared-assembly';

/** The real `hipaa-rtc` binary, as `npx hipaa-rtc` runs it after `npm ci`. */
const ROOT = path.resolve(__dirname, '../..');
const BIN = path.join(ROOT, 'bin/hipaa-rtc-cli.js');

function cli(...args: string[]) {
  const result = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', timeout: 60_000 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hipaa-rtc-cli-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function write(name: string, text: string): string {
  const file = path.join(dir, name);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
  return file;
}

const YAML_ELIGIBLE = `AWSTemplateFormatVersion: '2010-09-09'
Parameters:
  Env: { Type: String }
Resources:
  Key:
    Type: AWS::KMS::Key
    Properties:
      EnableKeyRotation: true
  Bucket:
    Type: AWS::S3::Bucket
    Properties:
      BucketName: !Sub '\${Env}-recordings-\${AWS::AccountId}'
      BucketEncryption:
        ServerSideEncryptionConfiguration:
          - ServerSideEncryptionByDefault:
              SSEAlgorithm: aws:kms
              KMSMasterKeyID: !GetAtt Key.Arn
  Provider:
    Type: AWS::Lambda::Function
    Properties:
      Role: !GetAtt [ProviderRole, Arn]
      Code: { ZipFile: !Join ['', ['exports.handler=async()=>', !Ref Env]] }
  ProviderRole:
    Type: AWS::IAM::Role
  Setting:
    Type: Custom::AccountSetting
    Properties:
      ServiceToken: !GetAtt Provider.Arn
`;

const YAML_NOT_ELIGIBLE = `Resources:
  Runner:
    Type: AWS::AppRunner::Service
  Directory:
    Type: AWS::DirectoryService::SimpleAD
  Imported:
    Type: Custom::Thing
    Properties:
      ServiceToken: !ImportValue shared-provider-arn
`;

describe('hipaa-rtc check', () => {
  test('the real app: every resource eligible, exit 0', () => {
    // The assembly `cdk synth` writes (shared with the other test files that read it).
    const { code, stdout } = cli('check', sharedAssembly().dir);
    expect(code).toBe(0);
    expect(stdout).toMatch(/\d+ resources in 5 templates; 0 not HIPAA eligible \(list dated 2026-05-22/);
    expect(stdout).not.toMatch(/^\s+NOT /m);
    // The Guardrails stack's hook is a hook-management type: it passes only by its register entry, and says so.
    expect(stdout).toMatch(/^ {2}EXC EligibilityHook[0-9A-F]{8} AWS::CloudFormation::GuardHook \[gate-management\]/m);
    expect(stdout).toMatch(
      /excepted by the register entry in its template metadata \(owner: hipaa-rtc platform security/,
    );
    expect(stdout).toContain('1 not eligible but excepted (EXC)');
    expect(stdout.match(/^ {2}EXC /gm)).toHaveLength(1);
  });

  test('YAML with !Ref, !Sub, !GetAtt (both forms), !Join and a custom resource on a local function', () => {
    const { code, stdout, stderr } = cli('check', write('ok.template.yaml', YAML_ELIGIBLE));
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toContain('ok  Setting Custom::AccountSetting [custom-resource-eligible]');
    expect(stdout).toContain('5 resources in 1 templates; 0 not HIPAA eligible');
  });

  test('non-eligible resources: exit 1, each named with its class and what to do', () => {
    const { code, stdout } = cli('check', write('bad.yaml', YAML_NOT_ELIGIBLE));
    expect(code).toBe(1);
    expect(stdout).toContain('NOT Runner AWS::AppRunner::Service [not-eligible]');
    expect(stdout).toContain('NOT Directory AWS::DirectoryService::SimpleAD [excluded-by-condition]');
    expect(stdout).toContain('NOT Imported Custom::Thing [custom-resource-not-eligible]');
    expect(stdout).toMatch(/3 not HIPAA eligible/);
    expect(stdout).toMatch(/Remove each NOT resource/);
  });

  test('--format json for tooling', () => {
    const { code, stdout } = cli('check', write('json/bad.yaml', YAML_NOT_ELIGIBLE), '--format', 'json');
    expect(code).toBe(1);
    const report = JSON.parse(stdout);
    expect(report).toMatchObject({
      listDate: '2026-05-22',
      source: 'https://aws.amazon.com/compliance/hipaa-eligible-services-reference/',
      notEligible: 3,
    });
    expect(report.resources[0]).toMatchObject({
      logicalId: 'Runner',
      verdict: { type: 'AWS::AppRunner::Service', eligible: false, class: 'not-eligible', service: 'AWS App Runner' },
    });
  });

  test('a directory: every *.template.json / *.template.yaml in it and below, nothing else', () => {
    const tree = path.join(dir, 'tree');
    write('tree/A.template.json', JSON.stringify({ Resources: { T: { Type: 'AWS::SNS::Topic' } } }));
    write('tree/assembly-Stage/B.template.yaml', 'Resources:\n  Q:\n    Type: AWS::SQS::Queue\n');
    write('tree/manifest.json', JSON.stringify({ version: '55.0.0' }));
    const { code, stdout } = cli('check', tree, '--format', 'json');
    expect(code).toBe(0);
    const report = JSON.parse(stdout);
    expect(report.files.map((f: string) => path.relative(tree, f))).toEqual([
      'A.template.json',
      path.join('assembly-Stage', 'B.template.yaml'),
    ]);
    expect(report.resources).toHaveLength(2);
  });

  test.each([
    ['a missing file', () => [path.join(os.tmpdir(), 'does-not-exist.json')], /no such file or directory/],
    ['JSON that is not a template', () => [write('x.json', '{"hello": 1}')], /not a CloudFormation template/],
    ['broken JSON', () => [write('broken.json', '{"Resources": ')], /cannot parse/],
    ['broken YAML', () => [write('broken.yaml', 'Resources:\n  A: [unclosed\n')], /cannot parse/],
    [
      'a resource without a type',
      () => [write('notype.yaml', 'Resources:\n  A:\n    Properties: {}\n')],
      /has no "Type"/,
    ],
    ['a directory without templates', () => [fs.mkdtempSync(path.join(dir, 'empty-'))], /no \*\.template\.json/],
    ['no argument', () => [], /missing required argument/],
    ['a bad --format', () => [write('f.yaml', YAML_ELIGIBLE), '--format', 'xml'], /--format must be text or json/],
  ])('bad input, exit 2 with a clear message: %s', (_name, args, message) => {
    const { code, stderr, stdout } = cli('check', ...args());
    expect(code).toBe(2);
    expect(stderr).toMatch(message);
    expect(stdout).toBe('');
  });
});

/** A date `days` from now, as the register writes it; the CLI judges expiry against the real clock. */
function inDays(days: number): string {
  return new Date(Date.now() + days * 24 * 60 * 60 * 1000).toISOString().slice(0, 10);
}

function eligibilityException(overrides: Record<string, unknown> = {}) {
  return {
    ruleId: ELIGIBILITY_RULE_ID,
    reason: 'A reviewed reason of at least forty characters for this test fixture only.',
    compensatingControl: 'A compensating control described at length.',
    safeguard: '164.308(a)(1)(ii)(B) risk management',
    owner: 'platform team (test fixture)',
    expires: inDays(30),
    ...overrides,
  };
}

function hookTemplate(metadata?: unknown) {
  return JSON.stringify({
    Resources: {
      Hook: {
        Type: 'AWS::CloudFormation::GuardHook',
        ...(metadata === undefined ? {} : { Metadata: { [EXCEPTION_METADATA_KEY]: metadata } }),
      },
    },
  });
}

describe('hipaa-rtc check: hook-management types and exceptions in template metadata', () => {
  test('the CLI reads the rule ID the synth pack reports', () => {
    expect(ELIGIBILITY_RULE_ID).toBe(HIPAA_ELIGIBILITY_RULE_ID);
  });

  test('a workload template holding hook-management types fails, each named', () => {
    const template = `Resources:
  Config:
    Type: AWS::CloudFormation::HookTypeConfig
    Properties:
      TypeName: Private::Guard::HipaaRtcEligibility
      Configuration: '{"CloudFormationConfiguration":{"HookConfiguration":{"HookInvocationStatus":"DISABLED"}}}'
  Other:
    Type: AWS::CloudFormation::LambdaHook
  Activation:
    Type: AWS::CloudFormation::TypeActivation
  Bucket:
    Type: AWS::S3::Bucket
`;
    const { code, stdout } = cli('check', write('workload/hooks.template.yaml', template));
    expect(code).toBe(1);
    expect(stdout).toContain('NOT Config AWS::CloudFormation::HookTypeConfig [gate-management]');
    expect(stdout).toContain('NOT Other AWS::CloudFormation::LambdaHook [gate-management]');
    expect(stdout).toContain('NOT Activation AWS::CloudFormation::TypeActivation [gate-management]');
    expect(stdout).toContain('ok  Bucket AWS::S3::Bucket');
    expect(stdout).toMatch(/3 not HIPAA eligible/);
  });

  test('an eligibility exception recorded in the metadata passes the resource, shown as EXC and counted', () => {
    const { code, stdout } = cli(
      'check',
      write('meta/ok.template.json', hookTemplate([eligibilityException()])),
      '--format',
      'json',
    );
    expect(code).toBe(0);
    const report = JSON.parse(stdout);
    expect(report).toMatchObject({ notEligible: 0, excepted: 1 });
    expect(report.resources[0]).toMatchObject({
      logicalId: 'Hook',
      verdict: { class: 'gate-management', eligible: false },
      exception: { ruleId: ELIGIBILITY_RULE_ID, owner: 'platform team (test fixture)', daysUntilExpiry: 30 },
    });
  });

  test.each<[string, unknown, RegExp]>([
    ['no exception at all', undefined, /^$/],
    [
      'an exception for another rule',
      [eligibilityException({ ruleId: 'HIPAA.Security-S3BucketReplicationEnabled' })],
      /^$/,
    ],
    ['an expired exception', [eligibilityException({ expires: '2020-01-01' })], /expired on 2020-01-01/],
    [
      'an exception beyond the yearly review',
      [eligibilityException({ expires: inDays(400) })],
      /more than 366 days away/,
    ],
    ['an exception without an owner', [eligibilityException({ owner: '' })], /owner must name an accountable owner/],
    ['an exception with a made-up field', [eligibilityException({ approvedBy: 'me' })], /approvedBy|[Uu]nrecognized/],
    ['two exceptions for the rule', [eligibilityException(), eligibilityException()], /2 entries for/],
    ['metadata that is not a list', eligibilityException(), /is not a list of exceptions/],
  ])('not honoured: %s (exit 1)', (name, metadata, problem) => {
    const file = write(`meta/${name.replace(/\W+/g, '-')}.template.json`, hookTemplate(metadata));
    const { code, stdout } = cli('check', file, '--format', 'json');
    expect(code).toBe(1);
    const [resource] = JSON.parse(stdout).resources;
    expect(resource.exception).toBeUndefined();
    expect((resource.exceptionProblems ?? []).join('; ')).toMatch(problem);
  });

  test('a custom resource: ${AWS::AccountId} passes; a literal ARN in another account fails, naming it', () => {
    const template = JSON.stringify({
      Resources: {
        Here: {
          Type: 'Custom::Thing',
          Properties: {
            ServiceToken: { 'Fn::Sub': 'arn:${AWS::Partition}:lambda:${AWS::Region}:${AWS::AccountId}:function:p' },
          },
        },
        There: {
          Type: 'Custom::Thing',
          Properties: { ServiceToken: 'arn:aws:lambda:us-east-1:222222222222:function:p' },
        },
      },
    });
    const { code, stdout } = cli('check', write('tokens/t.template.json', template));
    expect(code).toBe(1);
    expect(stdout).toContain('ok  Here Custom::Thing [custom-resource-eligible]');
    expect(stdout).toMatch(/NOT There Custom::Thing \[custom-resource-not-eligible\] .*names account 222222222222/);
  });
});

describe('hipaa-rtc explain', () => {
  test('an excluded type: verdict, service, condition and source; exit 1', () => {
    const { code, stdout } = cli('explain', 'AWS::DirectoryService::SimpleAD');
    expect(code).toBe(1);
    expect(stdout).toContain('AWS::DirectoryService::SimpleAD: NOT ALLOWED (excluded-by-condition)');
    expect(stdout).toContain('service:    AWS Directory Service');
    expect(stdout).toContain('condition:  AWS Directory Service [excludes Simple AD]');
    expect(stdout).toContain('dated 2026-05-22, https://aws.amazon.com/compliance/hipaa-eligible-services-reference/');
  });

  test('an eligible type: exit 0; JSON on request', () => {
    const { code, stdout } = cli('explain', 'AWS::DynamoDB::GlobalTable', '--format', 'json');
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({ class: 'eligible', service: 'Amazon DynamoDB' });
  });

  test('something that is not a type: exit 2', () => {
    const { code, stderr } = cli('explain', 'S3 bucket');
    expect(code).toBe(2);
    expect(stderr).toContain('expected the form AWS::Service::Resource');
  });
});

test('npx hipaa-rtc resolves to this package after npm ci', () => {
  const result = spawnSync('npx', ['--no-install', 'hipaa-rtc', 'explain', 'AWS::S3::Bucket'], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 60_000,
  });
  expect(result.status).toBe(0);
  expect(result.stdout).toContain('AWS::S3::Bucket: ALLOWED (eligible)');
});
