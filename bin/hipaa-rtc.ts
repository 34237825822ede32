#!/usr/bin/env node
// The CDK app entry (cdk.json "app"). Everything it does lives in lib/synth-main.ts so that test fixtures can run the
// same entry with one change.
import { LambdaBundler } from '../lib/bundling/lambda-bundler';

// Bundling starts first, in a worker thread, and runs while the app below loads and composes (lib/bundling/).
// The CLI names the output directory in CDK_OUTDIR; without it the App writes to a temporary one and bundles there.
if (process.env.CDK_OUTDIR) LambdaBundler.of().startEarlyBuild(process.env.CDK_OUTDIR);

// Loaded after the early build has started, so that loading overlaps it.
// eslint-disable-next-line @typescript-eslint/no-require-imports
(require('../lib/synth-main') as typeof import('../lib/synth-main')).synthMain();
