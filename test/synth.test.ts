import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/**
 * The real `cdk synth` through the pinned CLI, exactly as the README tells a newcomer: offline, no credentials,
 * every gate on (cdk-nag packs and the built-in CloudFormation validator).
 */
const root = path.resolve(__dirname, '..');
const cdk = path.join(root, 'node_modules', '.bin', 'cdk');

function synth(args: string[]): { status: number | null; output: string; outdir: string } {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'hipaa-rtc-synth-'));
  const env: NodeJS.ProcessEnv = { ...process.env, CDK_HOME: path.join(outdir, '.cdk-home') };
  // No AWS credentials may leak into the run: synth must not need them.
  for (const name of Object.keys(env)) if (name.startsWith('AWS_')) delete env[name];
  const result = spawnSync(cdk, ['synth', '-q', '-o', path.join(outdir, 'cdk.out'), ...args], {
    cwd: root,
    env,
    encoding: 'utf8',
    timeout: 120_000,
  });
  return { status: result.status, output: `${result.stdout}\n${result.stderr}`, outdir: path.join(outdir, 'cdk.out') };
}

test('cdk synth succeeds offline and writes every template and the evidence files', () => {
  const { status, output, outdir } = synth([]);
  expect({ status, output }).toMatchObject({ status: 0 });
  for (const file of [
    'HipaaRtcAudit.template.json',
    'HipaaRtcData.template.json',
    'HipaaRtcGuardrails.template.json',
    'compliance-exceptions.md',
    'compliance-exceptions.json',
    'compliance-report.md',
    'compliance-report.json',
    'hipaa-eligibility-scp.json',
  ]) {
    expect(fs.existsSync(path.join(outdir, file))).toBe(true);
  }
  const report = JSON.parse(fs.readFileSync(path.join(outdir, 'validation-report.json'), 'utf8'));
  const violations: Array<{ severity: string; ruleName: string }> = report.pluginReports.flatMap(
    (r: { violations: unknown[] }) => r.violations,
  );
  // No finding of any pack; the only permitted entry is the list-freshness warning (the list is dated 2026-05-22).
  expect(violations.filter((v) => v.ruleName !== 'Annotation::hipaa-rtc:eligibility-list-stale')).toEqual([]);
  expect(violations.every((v) => v.severity === 'warning')).toBe(true);
});

test('cdk synth fails closed on an unknown config, saying which configs exist', () => {
  const { status, output } = synth(['-c', 'config=does-not-exist']);
  expect(status).not.toBe(0);
  expect(output).toContain('Unknown config "does-not-exist"; pass -c config=<name> with one of: example');
});
