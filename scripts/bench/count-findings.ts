/**
 * Prints the number of cdk-nag findings (HIPAA Security + AwsSolutions) before hardening (the naive baseline app)
 * and after (the real app with and without its exception register).
 * Run: npx tsx scripts/bench/count-findings.ts
 */
import { App } from 'aws-cdk-lib';
import cdkJson from '../../cdk.json';
import { loadConfig } from '../../config';
import { compliancePacks } from '../../lib/compliance/nag-packs';
import { composeHipaaRtc } from '../../lib/hipaa-rtc-app';
import { buildNaiveApp } from './naive-baseline-app';

function countFindings(build: (app: App) => void): { total: number; byRule: Record<string, number> } {
  const app = new App({ context: { ...cdkJson.context }, builtinCloudFormationValidation: false });
  build(app);
  app.synth();
  const byRule: Record<string, number> = {};
  for (const violation of compliancePacks(app).flatMap((pack) => pack.validateScope(app).violations)) {
    byRule[violation.ruleName] = (byRule[violation.ruleName] ?? 0) + violation.violatingResources.length;
  }
  return { total: Object.values(byRule).reduce((a, b) => a + b, 0), byRule };
}

const config = loadConfig('example');
const today = new Date();
const results = {
  naive: countFindings(buildNaiveApp),
  hardenedWithoutExceptions: countFindings((app) =>
    composeHipaaRtc(app, config, { today, exceptions: [], registerPacks: false }),
  ),
  hardenedWithExceptions: countFindings((app) => composeHipaaRtc(app, config, { today, registerPacks: false })),
};
console.log(JSON.stringify(results, null, 2));
