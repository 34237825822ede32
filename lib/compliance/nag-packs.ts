import { Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks, HIPAASecurityChecks, type NagPack } from 'cdk-nag';
import type { IConstruct } from 'constructs';

/** The cdk-nag packs every hipaa-rtc app runs, verbose so each finding explains why it matters. */
export function compliancePacks(app: IConstruct): NagPack[] {
  return [new HIPAASecurityChecks(app, { verbose: true }), new AwsSolutionsChecks(app, { verbose: true })];
}

/** Registers the packs as validation plugins (cdk-nag v3 API): any unacknowledged ERROR fails `cdk synth`. */
export function registerCompliancePacks(app: IConstruct): NagPack[] {
  const packs = compliancePacks(app);
  Validations.of(app).addPlugins(...packs);
  return packs;
}
