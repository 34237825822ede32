#!/usr/bin/env node
// The only place that reads context or the clock: everything below receives typed values.
import { App } from 'aws-cdk-lib';
import { ConfigError, DEFAULT_CONFIG_NAME, loadConfig } from '../config';
import { ExceptionRegisterError } from '../lib/compliance/apply-exceptions';
import { writeExceptionReport } from '../lib/compliance/exception-report';
import { composeHipaaRtc } from '../lib/hipaa-rtc-app';

function main(): void {
  const app = new App();
  const configName = String(app.node.tryGetContext('config') ?? DEFAULT_CONFIG_NAME);
  const today = new Date();
  const { exceptions } = composeHipaaRtc(app, loadConfig(configName), { today });
  writeExceptionReport(app.outdir, exceptions, today);
  app.synth();
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
