import { App } from 'aws-cdk-lib';
import { ConfigError, DEFAULT_CONFIG_NAME, loadConfig } from '../config';
import { ExceptionRegisterError } from './compliance/apply-exceptions';
import type { ComplianceException } from './compliance/exception';
import { writeEvidence } from './compliance/write-evidence';
import { composeHipaaRtc, type ComposedStacks } from './hipaa-rtc-app';

export interface SynthMainOptions {
  /** Replaces the exception register (test fixtures only). */
  readonly exceptions?: (deploymentName: string) => readonly ComplianceException[];
  /** Adds constructs after the app is composed (test fixtures only). */
  readonly extend?: (stacks: ComposedStacks) => void;
}

/**
 * What `cdk synth` runs (bin/hipaa-rtc.ts): the only place that reads context or the clock. Known, user-fixable
 * failures print their message alone and exit 1; anything else keeps its stack for debugging.
 */
export function synthMain(options: SynthMainOptions = {}): void {
  try {
    // aws-cdk-lib's built-in CloudFormation schema validator (cfn-lint-style, not a compliance gate) costs ~2.8 s
    // of an 8 s synth. It runs over this same app in the tests (test/compliance/schema-validation.test.ts) instead.
    const app = new App({ builtinCloudFormationValidation: false });
    const configName = String(app.node.tryGetContext('config') ?? DEFAULT_CONFIG_NAME);
    const config = loadConfig(configName);
    const today = new Date();
    const built = composeHipaaRtc(app, config, {
      today,
      exceptions: options.exceptions?.(config.deploymentName),
      beforeGate: options.extend,
    });
    try {
      app.synth();
    } finally {
      // Written even when a gate fails synth, so the reviewer sees what failed next to the templates.
      writeEvidence(app.outdir, built, today);
    }
  } catch (error) {
    if (error instanceof ConfigError || error instanceof ExceptionRegisterError) {
      console.error(`\n${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
}
