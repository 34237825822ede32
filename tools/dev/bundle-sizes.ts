/**
 * Synthesizes the Signaling stack with real local esbuild bundling (NodejsFunction, no Docker) into a temporary
 * directory and prints each function's bundle and source-map size. No AWS account or network is needed.
 *
 *   npx tsx tools/dev/bundle-sizes.ts
 */
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { App, Stack, type CfnResource } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { SignalingStack } from '../../lib/stacks/signaling-stack';

const outdir = mkdtempSync(path.join(tmpdir(), 'signaling-bundles-'));
try {
  const cdkJson = JSON.parse(readFileSync(path.join(__dirname, '..', '..', 'cdk.json'), 'utf8')) as { context: object };
  const app = new App({ outdir, context: cdkJson.context, builtinCloudFormationValidation: false });
  const env = { account: '111111111111', region: 'us-east-1' };
  const deps = new Stack(app, 'Deps', { env });
  const tableKey = new kms.Key(deps, 'TableKey', { enableKeyRotation: true });
  const logKey = new kms.Key(deps, 'LogKey', { enableKeyRotation: true });
  const turnSecret = new secretsmanager.Secret(deps, 'TurnSecret', { encryptionKey: tableKey });
  const keyAdministrator = new iam.Role(deps, 'KeyAdministrator', { assumedBy: new iam.AccountRootPrincipal() });
  const started = performance.now();
  const stack = new SignalingStack(app, 'Signaling', {
    env,
    settings: {
      deploymentName: 'example',
      relayHostnames: ['relay-1.example.org'],
      throttle: { rateLimit: 50, burstLimit: 100 },
      logRetention: logs.RetentionDays.TWO_YEARS,
    },
    tableKey,
    logKey,
    turnSecret,
    keyAdministrator,
  });
  const bundledMs = performance.now() - started;
  app.synth();
  const template = JSON.parse(readFileSync(path.join(outdir, 'Signaling.template.json'), 'utf8')) as {
    Resources: Record<string, { Type: string; Properties: { Code?: { S3Key?: string } } }>;
  };
  process.stdout.write(`constructed + bundled in ${bundledMs.toFixed(0)} ms\n`);
  const logicalIds = new Map(
    Object.entries(stack.functions).map(([name, fn]) => [
      stack.resolve((fn.function.node.defaultChild as CfnResource).logicalId),
      name,
    ]),
  );
  for (const [logicalId, resource] of Object.entries(template.Resources)) {
    const key = resource.Properties.Code?.S3Key;
    if (resource.Type !== 'AWS::Lambda::Function' || typeof key !== 'string') continue;
    const dir = path.join(outdir, `asset.${key.replace(/\.zip$/, '')}`);
    const size = (file: string) => (statSync(path.join(dir, file), { throwIfNoEntry: false })?.size ?? 0) / 1024;
    process.stdout.write(
      `${String(logicalIds.get(logicalId) ?? logicalId).padEnd(12)} index.js ${size('index.js').toFixed(1).padStart(7)} KiB  index.js.map ${size('index.js.map').toFixed(1).padStart(7)} KiB\n`,
    );
  }
} finally {
  rmSync(outdir, { recursive: true, force: true });
}
