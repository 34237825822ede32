/**
 * The early build bin/hipaa-rtc.ts starts before the app loads: it builds every entry without a current record in
 * the output directory, in a worker thread, and the functions then take their bundles from it.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import cdkJson from '../../cdk.json';
import { BUNDLE_CACHE_FILE } from '../../lib/bundling/bundle-cache';
import { LambdaBundler, PROJECT_ROOT, discoverEntries } from '../../lib/bundling/lambda-bundler';
import { StandardNodejsFunction } from '../../lib/constructs/node-function-standard';

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'hipaa-rtc-early-'));
afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));
const outdir = path.join(scratch, 'cdk.out');

/** An app with bundling on and the join function; returns the function's staged asset directory. */
function synthJoin(): string {
  const app = new App({ outdir, context: { ...cdkJson.context }, builtinCloudFormationValidation: false });
  const stack = new Stack(app, 'Bundled', { env: { region: 'us-east-1' } });
  const fn = new StandardNodejsFunction(stack, 'Join', {
    entry: path.join(PROJECT_ROOT, 'lambda', 'signaling', 'join.ts'),
    serviceName: 'test',
    environment: {},
  });
  const template = app.synth().getStackArtifact(stack.artifactId).template;
  const key: string =
    template.Resources[stack.getLogicalId(fn.node.defaultChild as lambda.CfnFunction)].Properties.Code.S3Key;
  return path.join(outdir, `asset.${key.replace(/\.zip$/, '')}`);
}

test('functions take their bundles from the early build: one build of every entry, recorded in the assembly', () => {
  const bundler = LambdaBundler.of();
  bundler.startEarlyBuild(outdir);
  const assetDir = synthJoin();
  const entries = discoverEntries(PROJECT_ROOT, path.join(PROJECT_ROOT, 'lambda'));
  expect(bundler.builds.map((build) => [...build].sort())).toEqual([entries]);
  expect(fs.readdirSync(assetDir).sort()).toEqual(['index.js', 'index.js.map']);
  const record = JSON.parse(fs.readFileSync(path.join(outdir, BUNDLE_CACHE_FILE), 'utf8'));
  expect(Object.keys(record.bundles).sort()).toEqual(entries);
  expect(record.bundles['lambda/signaling/join.ts']).toHaveProperty(['lambda/signaling/join.ts']);
});

test('with a current record in the output directory, no early build starts and no esbuild runs', () => {
  const bundler = LambdaBundler.of();
  const before = bundler.builds.length;
  bundler.startEarlyBuild(outdir);
  synthJoin();
  expect(bundler.builds).toHaveLength(before);
});
