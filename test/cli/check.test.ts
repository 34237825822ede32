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
    expect(stdout).toMatch(/^6 templates, \d+ resources: 0 not eligible, 1 excepted, 0 bad files\.$/m);
    expect(stdout).toContain('Judged against the HIPAA-eligible services list dated 2026-05-22:');
    expect(stdout).not.toMatch(/^\s+NOT /m);
    // The Guardrails stack's hook is a hook-management type: it passes only by its register entry, and says so.
    expect(stdout).toMatch(
      /^ {2}EXC EligibilityHook[0-9A-F]{8} +AWS::CloudFormation::GuardHook +excepted: hook management/m,
    );
    expect(stdout).toMatch(/^EXC: not eligible, passed by a reviewed, expiring register entry/m);
    expect(stdout.match(/^ {2}EXC /gm)).toHaveLength(1);
    const verbose = cli('check', sharedAssembly().dir, '--verbose').stdout;
    expect(verbose).toMatch(/exception: owner hipaa-rtc platform security/);
  });

  test('YAML with !Ref, !Sub, !GetAtt (both forms), !Join and a custom resource on a local function', () => {
    const { code, stdout, stderr } = cli('check', write('ok.template.yaml', YAML_ELIGIBLE));
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toMatch(/^ {2}ok {2}Setting +Custom::AccountSetting$/m);
    expect(stdout).toContain('1 template, 5 resources: 0 not eligible, 0 excepted, 0 bad files.');
  });

  test('non-eligible resources: exit 1, each named with its class and what to do', () => {
    const { code, stdout } = cli('check', write('bad.yaml', YAML_NOT_ELIGIBLE));
    expect(code).toBe(1);
    expect(stdout).toMatch(/^ {2}NOT Runner +AWS::AppRunner::Service +not on the HIPAA list$/m);
    expect(stdout).toMatch(/^ {2}NOT Directory +AWS::DirectoryService::SimpleAD +excluded by the list's condition$/m);
    expect(stdout).toMatch(
      /^ {2}NOT Imported +Custom::Thing +custom resource on a ServiceToken that is not eligible$/m,
    );
    expect(stdout).toMatch(/3 not eligible/);
    // A hand-written template is told to remove or replace, not to edit this repository's register.
    expect(stdout).toMatch(/^Template: remove each NOT resource or replace it with a HIPAA-eligible service/m);
    expect(stdout).not.toContain('exception-register.ts');
    for (const line of stdout.split('\n')) expect(line.length).toBeLessThanOrEqual(120);
    // The full basis, once per resource, on request.
    const verbose = cli('check', write('bad-verbose.yaml', YAML_NOT_ELIGIBLE), '--verbose').stdout;
    expect(verbose).toMatch(/reason: +AWS App Runner is not on the list/);
    expect(verbose).toMatch(/condition: AWS Directory Service \[excludes Simple AD\]/);
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

  test('a directory: every JSON and YAML template in it and below; other files skipped with a note', () => {
    const tree = path.join(dir, 'tree');
    write('tree/A.template.json', JSON.stringify({ Resources: { T: { Type: 'AWS::SNS::Topic' } } }));
    write('tree/assembly-Stage/B.template.yaml', 'Resources:\n  Q:\n    Type: AWS::SQS::Queue\n');
    write('tree/plain/network.yml', 'Resources:\n  V:\n    Type: AWS::EC2::VPC\n');
    write('tree/plain/params.json', JSON.stringify({ Parameters: { Env: 'prod' } }));
    write('tree/manifest.json', JSON.stringify({ version: '55.0.0' }));
    write('tree/node_modules/pkg/t.yaml', 'Resources:\n  X:\n    Type: AWS::AppRunner::Service\n');
    const { code, stdout } = cli('check', tree, '--format', 'json');
    expect(code).toBe(0);
    const report = JSON.parse(stdout);
    expect(report.files.map((f: string) => path.relative(tree, f))).toEqual([
      'A.template.json',
      path.join('assembly-Stage', 'B.template.yaml'),
      path.join('plain', 'network.yml'),
    ]);
    expect(report.resources).toHaveLength(3);
    expect(report.skipped.map((s: { file: string }) => path.relative(tree, s.file))).toEqual([
      'manifest.json',
      path.join('plain', 'params.json'),
    ]);
    const text = cli('check', tree).stdout;
    expect(text).toMatch(/^skipped .*manifest\.json: not a template \(no "Resources" section\)$/m);
  });

  test.each([
    ['a missing file', () => [path.join(os.tmpdir(), 'does-not-exist.json')], /no such file or directory/],
    ['a directory without templates', () => [fs.mkdtempSync(path.join(dir, 'empty-'))], /no \*\.json, \*\.yaml/],
    ['no argument', () => [], /missing required argument/],
    ['a bad --format', () => [write('f.yaml', YAML_ELIGIBLE), '--format', 'xml'], /--format must be text or json/],
  ])('bad input, exit 2 with a clear message: %s', (_name, args, message) => {
    const { code, stderr, stdout } = cli('check', ...args());
    expect(code).toBe(2);
    expect(stderr).toMatch(message);
    expect(stdout).toBe('');
  });
});

describe('hipaa-rtc check: a bad file is bad input for that file, with file and line', () => {
  test.each([
    ['JSON that is not a template', 'x.json', '{"hello": 1}', /x\.json: bad input: not a CloudFormation template/],
    ['broken JSON', 'broken.json', '{"Resources": \n', /broken\.json:1: bad input: not valid JSON: Unexpected end/],
    ['broken YAML', 'broken.yaml', 'Resources:\n  A: [unclosed\n', /broken\.yaml:\d: bad input: /],
    ['a resource without a type', 'notype.yaml', 'Resources:\n  A:\n    Properties: {}\n', /A has no "Type"/],
    [
      'an unknown YAML tag (not a resource type named after a file)',
      'rain.yaml',
      'Resources:\n  Vpc:\n    Type: !Rain::Module ./vpc.yml\n',
      /rain\.yaml:3: bad input: unknown YAML tag: !Rain::Module/,
    ],
    [
      'a duplicate key in JSON (the last one would win)',
      'dup.json',
      '{"Resources": {\n "A": {"Type": "AWS::GameLift::Fleet"},\n "A": {"Type": "AWS::S3::Bucket"}}}',
      /dup\.json:3: bad input: duplicate key/,
    ],
    [
      'a duplicate key in YAML',
      'dup.yaml',
      'Resources:\n  A:\n    Type: AWS::GameLift::Fleet\n  A:\n    Type: AWS::S3::Bucket\n',
      /dup\.yaml:4: bad input: duplicate key/,
    ],
  ])('%s: exit 2', (_name, file, text, message) => {
    const { code, stdout } = cli('check', write(`badfiles/${file}`, text));
    expect(code).toBe(2);
    expect(stdout).toMatch(message);
  });

  test('one bad file among many: every other file is judged and reported, the run exits with the worst status', () => {
    const good = write('many/good.yaml', 'Resources:\n  B:\n    Type: AWS::S3::Bucket\n');
    const notEligible = write('many/runner.yaml', 'Resources:\n  R:\n    Type: AWS::AppRunner::Service\n');
    const bad = write('many/broken.json', '{"Resources": {');
    const { code, stdout } = cli('check', good, notEligible, bad, '--format', 'json');
    expect(code).toBe(2);
    const report = JSON.parse(stdout);
    expect(report.results.map((r: { status: string }) => r.status)).toEqual(['ok', 'not-eligible', 'bad-input']);
    expect(report.results[2].error.message).toMatch(/not valid JSON/);
    expect(report).toMatchObject({ notEligible: 1, badFiles: 1, exitCode: 2 });
    expect(cli('check', good, notEligible).code).toBe(1);
    const text = cli('check', good, notEligible, bad).stdout;
    expect(text).toMatch(/^ {2}NOT R +AWS::AppRunner::Service/m);
    expect(text).toMatch(/broken\.json:1: bad input: not valid JSON/);
  });
});

describe('hipaa-rtc check: transforms, nested stacks and advice (fixtures in test/cli/corpus)', () => {
  const corpus = (file: string) => path.join(__dirname, 'corpus', file);

  test('Fn::ForEach (AWS::LanguageExtensions) is expanded and each generated resource judged', () => {
    const { code, stdout } = cli('check', corpus('foreach/tables.yaml'), '--verbose');
    expect(code).toBe(0);
    for (const name of ['TablePatients', 'TableVisits', 'TableNotes'])
      expect(stdout).toMatch(new RegExp(`^ {2}ok  ${name} +AWS::DynamoDB::Table`, 'm'));
    expect(stdout).toMatch(/from: +Fn::ForEach::Tables/);
    const engines = cli('check', corpus('foreach/engines.json'));
    expect(engines.code).toBe(1);
    expect(engines.stdout).toMatch(/^ {2}ok {2}postgresDb +AWS::RDS::DBInstance/m);
    expect(engines.stdout).toMatch(
      /^ {2}NOT customoracleeeDb +AWS::RDS::DBInstance +Engine custom-oracle-ee: RDS Custom/m,
    );
    const missing = cli('check', corpus('foreach/missing-transform.yaml'));
    expect(missing.code).toBe(2);
    expect(missing.stdout).toMatch(/Fn::ForEach needs "Transform: AWS::LanguageExtensions"/);
  });

  test('SAM: judged by what the transform generates; a ScheduleV2 event is refused, naming where it comes from', () => {
    const { code, stdout } = cli('check', corpus('sam/schedule-v2.yaml'), '--verbose');
    expect(code).toBe(1);
    expect(stdout).toMatch(/^ {2}ok {2}Nightly +AWS::Lambda::Function/m);
    expect(stdout).toMatch(/^ {2}NOT NightlyEvery +AWS::Scheduler::Schedule +not on the HIPAA list/m);
    expect(stdout).toMatch(/from: +SAM AWS::Serverless::Function Nightly, event Every \(ScheduleV2\)/);
    const unknown = cli('check', corpus('sam/unknown-event.yaml'));
    expect(unknown.code).toBe(1);
    expect(unknown.stdout).toMatch(/^ {2}NOT Skill: event Alexa of type AlexaSkill is not one the CLI understands/m);
  });

  test('nested stacks: a local template is judged; one at a URL fails unless --allow-unjudged-nested', () => {
    const local = cli('check', corpus('nested/parent-bad-child.yaml'));
    expect(local.code).toBe(1);
    expect(local.stdout).toMatch(/^ {2}NOT Data\/Db +AWS::RDS::DBInstance +Engine custom-sqlserver-ee/m);
    const remote = cli('check', corpus('nested/parent-remote.json'));
    expect(remote.code).toBe(1);
    expect(remote.stdout).toMatch(/^ {2}NOT nested stack Remote cannot be judged \(fails closed\)/m);
    const allowed = cli('check', corpus('nested/parent-remote.json'), '--allow-unjudged-nested');
    expect(allowed.code).toBe(0);
    expect(allowed.stdout).toMatch(/^ {2}note nested stack Remote not judged \(allowed by --allow-unjudged-nested\)/m);
  });

  test('advice fits the user: the register for CDK output, remove or replace for a template', () => {
    const cdk = cli('check', corpus('cdk/App.template.json')).stdout;
    expect(cdk).toMatch(/^CDK app: remove or replace each NOT resource/m);
    expect(cdk).toContain('exception register');
    expect(cdk).not.toMatch(/^Template:/m);
    const template = cli('check', corpus('yaml/apprunner.yaml')).stdout;
    expect(template).toMatch(/^Template: remove each NOT resource or replace it/m);
    expect(template).not.toContain('exception register');
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
    expect(stdout).toMatch(/^ {2}NOT Config +AWS::CloudFormation::HookTypeConfig +hook management/m);
    expect(stdout).toMatch(/^ {2}NOT Other +AWS::CloudFormation::LambdaHook +hook management/m);
    expect(stdout).toMatch(/^ {2}NOT Activation +AWS::CloudFormation::TypeActivation +hook management/m);
    expect(stdout).toMatch(/^ {2}ok {2}Bucket +AWS::S3::Bucket$/m);
    expect(stdout).toMatch(/3 not eligible/);
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
    expect(stdout).toMatch(/^ {2}ok {2}Here +Custom::Thing$/m);
    expect(stdout).toMatch(/^ {2}NOT There +Custom::Thing +custom resource on a ServiceToken that is not eligible$/m);
    const verbose = cli('check', write('tokens/t2.template.json', template), '--verbose').stdout;
    expect(verbose).toMatch(/reason: .*names account 222222222222/);
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
    expect(stderr).toContain('expected the form AWS::Service::Resource or Custom::Name');
  });

  test('Custom::Name: explained by its ServiceToken rules, exit 1 (allowed only with an eligible token)', () => {
    const { code, stdout } = cli('explain', 'Custom::Thing');
    expect(code).toBe(1);
    expect(stdout).toContain('Custom::Thing: DEPENDS ON ITS PROPERTIES');
    expect(stdout).toMatch(/judged by its ServiceToken/);
    expect(stdout).toMatch(/eligible: a Lambda function or SNS topic in this account/);
  });

  test('a type judged by property lists the eligible and refused values', () => {
    const { code, stdout } = cli('explain', 'AWS::RDS::DBInstance');
    expect(code).toBe(1);
    expect(stdout).toContain('AWS::RDS::DBInstance: DEPENDS ON ITS PROPERTIES');
    expect(stdout).toMatch(/eligible: mysql, mariadb, postgres/);
    expect(stdout).toMatch(/refused: +custom-oracle-ee/);
    expect(stdout).toMatch(/decided: +2026-12-04: the list names/);
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
