import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/**
 * The gate through the real `cdk synth` (pinned CLI) on the real app entry, each fixture changing one thing:
 * a non-eligible resource, an expired exception, and a non-eligible resource with a typed register entry.
 */
const ROOT = path.resolve(__dirname, '..');
const CDK = path.join(ROOT, 'node_modules', '.bin', 'cdk');

function synthFixture(fixture: string) {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'hipaa-rtc-gate-'));
  const env: NodeJS.ProcessEnv = { ...process.env, CDK_HOME: path.join(outdir, '.cdk-home') };
  for (const name of Object.keys(env)) if (name.startsWith('AWS_')) delete env[name];
  const result = spawnSync(
    CDK,
    [
      'synth',
      '-q',
      '--app',
      `node -r ./bin/register-typescript.js test/fixtures/${fixture}`,
      '-o',
      path.join(outdir, 'cdk.out'),
    ],
    { cwd: ROOT, env, encoding: 'utf8', timeout: 120_000 },
  );
  return { status: result.status, output: `${result.stdout}\n${result.stderr}`, cdkOut: path.join(outdir, 'cdk.out') };
}

test('a non-eligible resource fails synth with path, type, service, list date, source and what to do', () => {
  const { status, output, cdkOut } = synthFixture('app-with-app-runner.ts');
  expect(status).not.toBe(0);
  expect(output).toContain(
    'FATAL HipaaRtcData/PatientPortal is AWS::AppRunner::Service (AWS App Runner), which is not HIPAA eligible [not-eligible]',
  );
  expect(output).toContain(
    'Per the HIPAA-eligible services list dated 2026-05-22 (https://aws.amazon.com/compliance/hipaa-eligible-services-reference/)',
  );
  expect(output).toContain('Remove the resource. If it never stores, processes or transmits PHI, record a reviewed');
  // The evidence is still written, and says what failed.
  const report = JSON.parse(fs.readFileSync(path.join(cdkOut, 'compliance-report.json'), 'utf8'));
  expect(report.nag.unacknowledged).toEqual([
    expect.objectContaining({
      ruleId: 'HipaaEligibility-HipaaEligibleResourceType',
      path: 'HipaaRtcData/PatientPortal',
    }),
  ]);
});

test('an expired exception fails synth, naming the entry and what to do', () => {
  const { status, output } = synthFixture('app-with-expired-exception.ts');
  expect(status).not.toBe(0);
  expect(output).toMatch(/expired on 2026-01-31/);
  expect(output).toContain('HIPAA.Security-S3BucketReplicationEnabled');
});

test('a typed, unexpired register entry lets exactly that non-eligible resource through, on the record', () => {
  const { status, output, cdkOut } = synthFixture('app-with-excepted-app-runner.ts');
  expect({ status, output }).toMatchObject({ status: 0 });
  const exceptions = fs.readFileSync(path.join(cdkOut, 'compliance-exceptions.md'), 'utf8');
  expect(exceptions).toContain('HipaaRtcData/StatusPage');
  const template = JSON.parse(fs.readFileSync(path.join(cdkOut, 'HipaaRtcData.template.json'), 'utf8'));
  expect(template.Resources.StatusPage.Metadata['hipaa-rtc:compliance-exceptions']).toEqual([
    expect.objectContaining({
      ruleId: 'HipaaEligibility-HipaaEligibleResourceType',
      owner: 'platform team (test fixture)',
    }),
  ]);
});
