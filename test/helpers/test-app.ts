import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import cdkJson from '../../cdk.json';
import { validateConfig, type HipaaRtcConfig } from '../../config';
import { example } from '../../config/example';
import { composeHipaaRtc, type ComposeOptions, type HipaaRtcApp } from '../../lib/hipaa-rtc-app';

/** A fixed day for tests that must not depend on the clock (exception expiry logic has its own tests). */
export const FIXED_TODAY = new Date('2026-11-22T12:00:00Z');

/**
 * An App with exactly the context `cdk synth` uses (cdk.json's feature flags), so templates under test are the
 * templates that deploy. The built-in CloudFormation validator is off here for speed; the synth test keeps it on.
 */
export function newTestApp(extraContext: Record<string, unknown> = {}): App {
  // No Lambda bundling (CDK's own switch) unless a test asks for it: eight esbuild runs per app would dominate the
  // suite. It changes only asset hashes and paths, which snapshots mask; `cdk synth` tests bundle for real.
  return new App({
    context: { ...cdkJson.context, 'aws:cdk:bundling-stacks': [], ...extraContext },
    builtinCloudFormationValidation: false,
  });
}

export function exampleConfig(overrides: Partial<HipaaRtcConfig> = {}): HipaaRtcConfig {
  return { ...validateConfig('example', example), ...overrides };
}

export interface BuiltApp extends HipaaRtcApp {
  readonly app: App;
}

/** Builds the whole app from the example config; packs are not registered unless asked (unit tests read templates). */
export function buildExampleApp(options: Partial<ComposeOptions> = {}): BuiltApp {
  const app = newTestApp();
  const built = composeHipaaRtc(app, exampleConfig(), { today: FIXED_TODAY, registerPacks: false, ...options });
  return { app, ...built };
}

/** Templates of the example app, built once per test file. */
export function exampleTemplates(): { audit: Template; data: Template; built: BuiltApp } {
  const built = buildExampleApp();
  return { audit: Template.fromStack(built.audit), data: Template.fromStack(built.data), built };
}
