/**
 * The in-process bundler on the real Lambda entries: one esbuild build for all of them, each function's bundle
 * byte for byte what a build of its entry alone produces, and no further build for later apps in the process.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as esbuild from 'esbuild';
import cdkJson from '../../cdk.json';
import { LambdaBundler, PROJECT_ROOT, discoverEntries } from '../../lib/bundling/lambda-bundler';
import { STAGING_DIR_NAME, STANDARD_BUILD_OPTIONS, bundleName } from '../../lib/bundling/esbuild-standard';
import { StandardNodejsFunction } from '../../lib/constructs/node-function-standard';

const JOIN = 'lambda/signaling/join.ts';
const ROTATE = 'lambda/relay/rotate-turn-secret.ts';
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'hipaa-rtc-bundler-'));
afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

/** An app with bundling on (as `cdk synth` runs it) and two project functions; returns each function's asset dir. */
function synthTwoFunctions(outdir: string): Record<string, string> {
  const app = new App({ outdir, context: { ...cdkJson.context }, builtinCloudFormationValidation: false });
  const stack = new Stack(app, 'Bundled', { env: { region: 'us-east-1' } });
  const functions = [JOIN, ROTATE].map(
    (entry) =>
      new StandardNodejsFunction(stack, bundleName(entry), {
        entry: path.join(PROJECT_ROOT, entry),
        serviceName: 'test',
        environment: {},
      }),
  );
  const assembly = app.synth();
  const resources = assembly.getStackArtifact(stack.artifactId).template.Resources;
  return Object.fromEntries(
    functions.map((fn) => {
      const key: string =
        resources[stack.getLogicalId(fn.node.defaultChild as lambda.CfnFunction)].Properties.Code.S3Key;
      return [path.relative(PROJECT_ROOT, fn.entry), path.join(outdir, `asset.${key.replace(/\.zip$/, '')}`)];
    }),
  );
}

let first: Record<string, string>;
beforeAll(() => {
  first = synthTwoFunctions(path.join(scratch, 'first'));
});

test('the first function bundled builds every Lambda entry of the project in one esbuild build', () => {
  const entries = discoverEntries(PROJECT_ROOT, path.join(PROJECT_ROOT, 'lambda'));
  expect(entries).toEqual(expect.arrayContaining([JOIN, ROTATE]));
  expect(LambdaBundler.of().builds).toHaveLength(1);
  expect([...LambdaBundler.of().builds[0]!].sort()).toEqual(entries);
});

test.each([JOIN, ROTATE])('%s: its bundle is byte for byte the bundle of its entry built alone', (entry) => {
  // Built alone at the bundler's depth below the project root (source map paths are relative to the output).
  const alone = fs.mkdtempSync(path.join(PROJECT_ROOT, STAGING_DIR_NAME, 'alone-'));
  try {
    esbuild.buildSync({
      ...STANDARD_BUILD_OPTIONS,
      external: [],
      absWorkingDir: PROJECT_ROOT,
      entryPoints: [path.join(PROJECT_ROOT, entry)],
      outfile: path.join(alone, 'build-0', bundleName(entry), 'index.js'),
    });
    for (const file of ['index.js', 'index.js.map']) {
      const expected = fs.readFileSync(path.join(alone, 'build-0', bundleName(entry), file));
      expect({ file, same: fs.readFileSync(path.join(first[entry]!, file)).equals(expected) }).toEqual({
        file,
        same: true,
      });
    }
    expect(fs.readdirSync(first[entry]!).sort()).toEqual(['index.js', 'index.js.map']);
  } finally {
    fs.rmSync(alone, { recursive: true, force: true });
  }
});

test('later apps in the process, into the same or another output directory, reuse the build and its hashes', () => {
  const again = synthTwoFunctions(path.join(scratch, 'first'));
  const elsewhere = synthTwoFunctions(path.join(scratch, 'a', 'much', 'deeper', 'directory'));
  expect(LambdaBundler.of().builds).toHaveLength(1);
  for (const entry of [JOIN, ROTATE]) {
    expect(path.basename(again[entry]!)).toBe(path.basename(first[entry]!));
    expect(path.basename(elsewhere[entry]!)).toBe(path.basename(first[entry]!));
    expect(fs.readFileSync(path.join(elsewhere[entry]!, 'index.js.map'))).toEqual(
      fs.readFileSync(path.join(first[entry]!, 'index.js.map')),
    );
  }
});
