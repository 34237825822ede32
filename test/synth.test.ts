import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { sharedAssembly } from './helpers/shared-assembly';

/**
 * The real `cdk synth` through the pinned CLI, exactly as the README tells a newcomer: offline, no credentials,
 * every gate on (cdk-nag packs and the built-in CloudFormation validator).
 */
const root = path.resolve(__dirname, '..');
const cdk = path.join(root, 'node_modules', '.bin', 'cdk');

/** Output directories to remove after the tests (each holds the bundled functions, about 25 MB). */
const created: string[] = [];
afterAll(() => {
  for (const dir of created) fs.rmSync(dir, { recursive: true, force: true });
});

/**
 * `cdk synth` into `<fresh temporary directory>/<subdir>/cdk.out`, or into `into` (an existing assembly).
 */
function synth(
  args: string[],
  { subdir = '.', into }: { subdir?: string; into?: string } = {},
): { status: number | null; output: string; outdir: string } {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'hipaa-rtc-synth-'));
  created.push(scratch);
  const outdir = into ?? path.join(scratch, subdir, 'cdk.out');
  const env: NodeJS.ProcessEnv = { ...process.env, CDK_HOME: path.join(scratch, '.cdk-home') };
  // No AWS credentials may leak into the run: synth must not need them.
  for (const name of Object.keys(env)) if (name.startsWith('AWS_')) delete env[name];
  const result = spawnSync(cdk, ['synth', '-q', '-o', outdir, ...args], {
    cwd: root,
    env,
    encoding: 'utf8',
    timeout: 120_000,
  });
  return { status: result.status, output: `${result.stdout}\n${result.stderr}`, outdir };
}

/** Every template of an assembly: file name -> exact bytes. */
function templates(outdir: string): Map<string, Buffer> {
  return new Map(
    fs
      .readdirSync(outdir)
      .filter((file) => file.endsWith('.template.json'))
      .sort()
      .map((file) => [file, fs.readFileSync(path.join(outdir, file))]),
  );
}

// The example config's assembly as `cdk synth` writes it, shared with the other test files that read it.
let shipped: { status: number | null; output: string; outdir: string };
beforeAll(() => {
  const assembly = sharedAssembly();
  shipped = { status: assembly.status, output: assembly.output, outdir: assembly.dir };
});

test('cdk synth succeeds offline and writes every template and the evidence files', () => {
  const { status, output, outdir } = shipped;
  expect({ status, output }).toMatchObject({ status: 0 });
  for (const file of [
    'HipaaRtcAudit.template.json',
    'HipaaRtcData.template.json',
    'HipaaRtcDetect.template.json',
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

/** Every Lambda function in the synthesized templates with the directory its code was staged in. */
function stagedFunctions(outdir: string): Array<{ id: string; service?: string; assetDir: string }> {
  return fs
    .readdirSync(outdir)
    .filter((file) => file.endsWith('.template.json'))
    .flatMap((file) => {
      const template = JSON.parse(fs.readFileSync(path.join(outdir, file), 'utf8'));
      return Object.entries(template.Resources as Record<string, { Type: string; Properties: Record<string, any> }>)
        .filter(([, resource]) => resource.Type === 'AWS::Lambda::Function')
        .map(([id, resource]) => ({
          id: `${file}/${id}`,
          service: resource.Properties.Environment?.Variables?.POWERTOOLS_SERVICE_NAME,
          assetDir: path.join(outdir, `asset.${String(resource.Properties.Code.S3Key).replace(/\.zip$/, '')}`),
        }));
    });
}

test('every project function ships minified, with a source map of the project sources', () => {
  // The project's own functions carry nodeFunctionStandard's service name; aws-cdk-lib's providers bundle their own.
  const ours = stagedFunctions(shipped.outdir).filter((fn) => fn.service !== undefined);
  expect(ours.length).toBeGreaterThanOrEqual(10);
  for (const fn of ours) {
    const code = fs.readFileSync(path.join(fn.assetDir, 'index.js'), 'utf8');
    const lines = code.split('\n').length;
    // esbuild's minified output is a handful of very long lines; an unminified bundle averages well under 100.
    expect({ fn: fn.id, averageLineLength: code.length / lines > 1000 }).toEqual({
      fn: fn.id,
      averageLineLength: true,
    });
    expect(code).toContain('\n//# sourceMappingURL=index.js.map');
    const map = JSON.parse(fs.readFileSync(path.join(fn.assetDir, 'index.js.map'), 'utf8')) as { sources: string[] };
    expect({ fn: fn.id, ownSources: map.sources.some((source) => /\/(lib|lambda)\//.test(source)) }).toEqual({
      fn: fn.id,
      ownSources: true,
    });
  }
});

test('synth into output directories at different depths writes byte-identical templates and bundles', () => {
  const deeper = synth([], { subdir: path.join('several', 'levels', 'further', 'down') });
  expect({ status: deeper.status, output: deeper.output }).toMatchObject({ status: 0 });
  const expected = templates(shipped.outdir);
  const actual = templates(deeper.outdir);
  expect([...actual.keys()]).toEqual([...expected.keys()]);
  expect(expected.size).toBeGreaterThanOrEqual(5);
  for (const [file, bytes] of expected)
    expect({ file, same: actual.get(file)!.equals(bytes) }).toEqual({ file, same: true });
  // Same asset hashes means same asset directories; and the bundles in them are the same bytes.
  for (const fn of stagedFunctions(shipped.outdir)) {
    const twin = path.join(deeper.outdir, path.basename(fn.assetDir));
    for (const file of fs.readdirSync(fn.assetDir)) {
      const same = fs.readFileSync(path.join(twin, file)).equals(fs.readFileSync(path.join(fn.assetDir, file)));
      expect({ fn: fn.id, file, same }).toEqual({ fn: fn.id, file, same: true });
    }
  }
});

test('a warm synth into the previous assembly reuses every bundle without running esbuild', () => {
  // Into a copy: the shared assembly stays as `cdk synth` first wrote it.
  const previous = fs.mkdtempSync(path.join(os.tmpdir(), 'hipaa-rtc-warm-'));
  created.push(previous);
  fs.cpSync(shipped.outdir, previous, { recursive: true });
  const before = templates(previous);
  const warm = synth([], { into: previous });
  expect({ status: warm.status, output: warm.output }).toMatchObject({ status: 0 });
  // The bundler announces every esbuild build; aws-cdk-lib announces every asset it bundles.
  expect(warm.output).not.toMatch(/esbuild: bundled|Bundling asset/);
  expect(templates(previous)).toEqual(before);
});
