#!/usr/bin/env node
// The only place that reads context or the clock: everything below receives typed values.
import { App } from 'aws-cdk-lib';
import { ConfigError, DEFAULT_CONFIG_NAME, loadConfig } from '../config';
import { ExceptionRegisterError } from '../lib/compliance/apply-exceptions';
import { writeEvidence } from '../lib/compliance/write-evidence';
import { composeHipaaRtc } from '../lib/hipaa-rtc-app';

function main(): void {
  // aws-cdk-lib's built-in CloudFormation schema validator (cfn-lint-style, not a compliance gate) costs ~2.8 s of
  // an 8 s synth. It runs over this same app in the test suite (test/compliance/schema-validation.test.ts) instead.
  const app = new App({ builtinCloudFormationValidation: false });
  const configName = String(app.node.tryGetContext('config') ?? DEFAULT_CONFIG_NAME);
  const today = new Date();
  const built = composeHipaaRtc(app, loadConfig(configName), { today });
  try {
    app.synth();
  } finally {
    // Written even when a gate fails synth, so the reviewer sees what failed next to the templates.
    writeEvidence(app.outdir, built, today);
  }
}

try {
  main();
} catch (error) {
  // Known, user-fixable failures get their message alone; anything else keeps its stack for debugging.
  if (error instanceof ConfigError || error instanceof ExceptionRegisterError) {
    console.error(`\n${error.message}\n`);
    process.exit(1);
  }
  throw error;
}
