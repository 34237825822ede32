/**
 * The real app with its gates switched by arguments, used only by the synth benchmark to measure what each costs:
 *   node -r ./bin/register-typescript.js scripts/bench/bench-app.ts [gates-off] [schema-validator]
 * Deliberately not reachable from bin/: no user-facing switch can turn the gates off.
 */
import { App } from 'aws-cdk-lib';
import { loadConfig } from '../../config';
import { LambdaBundler } from '../../lib/bundling/lambda-bundler';
import { composeHipaaRtc } from '../../lib/hipaa-rtc-app';

// As bin/hipaa-rtc.ts does (there before the app's modules load; here after, which costs the variants a little).
if (process.env.CDK_OUTDIR) LambdaBundler.of().startEarlyBuild(process.env.CDK_OUTDIR);

const flags = new Set(process.argv.slice(2));
const app = new App({ builtinCloudFormationValidation: flags.has('schema-validator') });
composeHipaaRtc(app, loadConfig(String(app.node.tryGetContext('config') ?? 'example')), {
  today: new Date(),
  registerPacks: !flags.has('gates-off'),
});
app.synth();
