import { Tags, type App } from 'aws-cdk-lib';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type { HipaaRtcConfig } from '../config/schema';
import { applyExceptions, type AppliedException } from './compliance/apply-exceptions';
import type { ComplianceException } from './compliance/exception';
import { exceptionRegister } from './compliance/exception-register';
import { registerCompliancePacks } from './compliance/nag-packs';
import { AuditStack } from './stacks/audit-stack';
import { DataStack } from './stacks/data-stack';

/** Stack construct IDs. They name the templates in cdk.out and anchor exception paths: never rename them. */
export const STACK_IDS = { audit: 'HipaaRtcAudit', data: 'HipaaRtcData' } as const;

export interface ComposeOptions {
  /** The day exceptions are judged against (expiry); bin passes the real date, tests a fixed one. */
  readonly today: Date;
  /**
   * The exception register.
   * @default exceptionRegister({ deploymentName })
   */
  readonly exceptions?: readonly ComplianceException[];
  /**
   * Register the compliance packs as validation plugins so findings fail synth.
   * @default true
   */
  readonly registerPacks?: boolean;
}

export interface HipaaRtcApp {
  readonly audit: AuditStack;
  readonly data: DataStack;
  readonly exceptions: readonly AppliedException[];
}

/** Builds every stack of a deployment from a validated config, then wires the compliance gate. */
export function composeHipaaRtc(app: App, config: HipaaRtcConfig, options: ComposeOptions): HipaaRtcApp {
  // Region-only environment unless an account is configured: synth then needs no credentials and no lookups.
  const env = { region: config.region, ...(config.account ? { account: config.account } : {}) };
  const stackName = (suffix: string) => `${config.deploymentName}-${suffix}`;

  const audit = new AuditStack(app, STACK_IDS.audit, {
    env,
    stackName: stackName('audit'),
    description: 'hipaa-rtc audit plane: audit key, CloudTrail, evidence buckets, security alarms, account settings',
    deploymentName: config.deploymentName,
    retentionDays: config.audit.retentionDays,
    objectLockMode: config.audit.objectLockMode,
    transitionToArchiveAfterDays: config.audit.transitionToArchiveAfterDays,
    cloudWatchLogsRetentionDays: config.audit.cloudWatchLogsRetentionDays as logs.RetentionDays,
    alarmEmail: config.audit.alarmEmail,
  });
  const data = new DataStack(app, STACK_IDS.data, {
    env,
    stackName: stackName('data'),
    description: 'hipaa-rtc data plane: data key, PHI buckets and tables',
    deploymentName: config.deploymentName,
    keyAdministrator: audit.keyAdministrator,
    accessLogBucket: audit.accessLogBucket,
  });

  for (const [key, value] of Object.entries(config.tags)) Tags.of(app).add(key, value);
  Tags.of(app).add('hipaa-rtc:deployment-name', config.deploymentName);

  if (options.registerPacks ?? true) registerCompliancePacks(app);
  const exceptions = applyExceptions(
    app,
    options.exceptions ?? exceptionRegister({ deploymentName: config.deploymentName }),
    options.today,
  );
  return { audit, data, exceptions };
}
