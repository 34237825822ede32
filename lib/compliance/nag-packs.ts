import { Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks, HIPAASecurityChecks, type NagPack } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { HipaaEligibilityChecks } from './packs/hipaa-eligibility-checks';
import { HipaaRtcChecks } from './packs/hipaa-rtc-checks';
import { HipaaRtcPathsChecks } from './packs/hipaa-rtc-paths-checks';
import { RecordingPlugin } from './recording-plugin';

export interface CompliancePackOptions {
  /**
   * Construct paths the typed exception register excepts from the eligibility rule.
   * @default - none
   */
  readonly exceptedEligibilityPaths?: readonly string[];
}

/**
 * The packs every hipaa-rtc app runs: cdk-nag's HIPAA Security and AwsSolutions (verbose, so each finding explains
 * why it matters), the project's rules for what those miss, and the HIPAA-eligibility pack.
 */
export function compliancePacks(app: IConstruct, options: CompliancePackOptions = {}): NagPack[] {
  return [
    new HIPAASecurityChecks(app, { verbose: true }),
    new AwsSolutionsChecks(app, { verbose: true }),
    new HipaaRtcChecks(app, { verbose: true }),
    new HipaaEligibilityChecks(app, { exceptedPaths: options.exceptedEligibilityPaths }),
  ];
}

/**
 * Registers the packs as validation plugins (cdk-nag v3 API), and the paths pack, which judges all templates of the
 * assembly together and so is a plain validation plugin rather than a per-resource cdk-nag pack: any unacknowledged
 * finding fails `cdk synth`. Each is wrapped so the compliance report can summarise what the gating run found.
 */
export function registerCompliancePacks(app: IConstruct, options: CompliancePackOptions = {}): RecordingPlugin[] {
  const plugins = [...compliancePacks(app, options), new HipaaRtcPathsChecks()].map(
    (pack) => new RecordingPlugin(pack),
  );
  Validations.of(app).addPlugins(...plugins);
  return plugins;
}
