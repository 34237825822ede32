import { Annotations, Tags, type App, type Stack } from 'aws-cdk-lib';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type { HipaaRtcConfig } from '../config/schema';
import { applyExceptions, type AppliedException } from './compliance/apply-exceptions';
import { staleListWarning } from './compliance/eligibility-freshness';
import type { ComplianceException } from './compliance/exception';
import { exceptionRegister } from './compliance/exception-register';
import { eligibilityGuardRules } from './compliance/guard/account-guard-rules';
import { registerCompliancePacks } from './compliance/nag-packs';
import { HIPAA_ELIGIBILITY_RULE_ID } from './compliance/packs/hipaa-eligibility-checks';
import type { RecordingPlugin } from './compliance/recording-plugin';
import { AuditStack } from './stacks/audit-stack';
import { BackupCopyStack, copyVaultKeyAlias, copyVaultName } from './stacks/backup-copy-stack';
import { DataStack } from './stacks/data-stack';
import { DetectStack } from './stacks/detect-stack';
import { GuardrailsStack } from './stacks/guardrails-stack';
import { RelayStack } from './stacks/relay-stack';
import { composeRelayRegion, relaySettings, relayZone, type RelayRegionStacks } from './relay-regions';
import { STACK_IDS } from './stack-ids';
import { SignalingStack } from './stacks/signaling-stack';

export { STACK_IDS, regionalStackId } from './stack-ids';
export type { RelayRegionStacks } from './relay-regions';

export interface ComposeOptions {
  /** The day exceptions and list freshness are judged against; bin passes the real date, tests a fixed one. */
  readonly today: Date;
  /**
   * The exception register.
   * @default exceptionRegister({ deploymentName, detect })
   */
  readonly exceptions?: readonly ComplianceException[];
  /**
   * Register the compliance packs as validation plugins so findings fail synth.
   * @default true
   */
  readonly registerPacks?: boolean;
  /**
   * Called with the composed stacks before exceptions and packs are applied, so that whatever it adds is gated
   * like everything else. For test fixtures that prove the gate refuses additions.
   * @default - nothing
   */
  readonly beforeGate?: (stacks: ComposedStacks) => void;
}

export interface ComposedStacks {
  readonly audit: AuditStack;
  /** Every relay Region's stacks, the home Region first (config relay.regions). */
  readonly relayRegions: readonly RelayRegionStacks[];
  readonly data: DataStack;
  readonly detect: DetectStack;
  /** The cross-region copy vault, when `detect.backup.copyToRegion` is set. */
  readonly backupCopy?: BackupCopyStack;
  readonly guardrails: GuardrailsStack;
  readonly relay: RelayStack;
  readonly signaling: SignalingStack;
}

export interface HipaaRtcApp {
  readonly audit: AuditStack;
  /** Every relay Region's stacks, the home Region first (config relay.regions). */
  readonly relayRegions: readonly RelayRegionStacks[];
  readonly data: DataStack;
  readonly detect: DetectStack;
  /** The cross-region copy vault, when `detect.backup.copyToRegion` is set. */
  readonly backupCopy?: BackupCopyStack;
  readonly guardrails: GuardrailsStack;
  readonly relay: RelayStack;
  readonly signaling: SignalingStack;
  readonly stacks: readonly Stack[];
  readonly exceptions: readonly AppliedException[];
  /** The registered packs (empty when `registerPacks` is false). */
  readonly packs: readonly RecordingPlugin[];
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
  const guardrails = new GuardrailsStack(app, STACK_IDS.guardrails, {
    env,
    stackName: stackName('guardrails'),
    description: 'hipaa-rtc guardrails: Guard Hook refusing non-HIPAA-eligible resource types in the account',
    deploymentName: config.deploymentName,
    eligibilityGuardRules: eligibilityGuardRules(stackName('guardrails')),
    baseline: { kind: 'home', auditKey: audit.auditKey, accessLogBucket: audit.accessLogBucket },
    rulesRetentionDays: config.audit.retentionDays,
    rulesObjectLockMode: config.audit.objectLockMode,
    logRetention: config.audit.cloudWatchLogsRetentionDays as logs.RetentionDays,
  });
  const [homeRelayRegion, ...furtherRelayRegions] = config.relay.regions;
  const relay = new RelayStack(app, STACK_IDS.relay, {
    env,
    stackName: stackName('relay'),
    description: 'hipaa-rtc relay fleet: coturn on Graviton behind an NLB, TURN secret, flow logs',
    settings: relaySettings(config, homeRelayRegion!),
    logKey: audit.auditKey,
    keyAdministrator: audit.keyAdministrator,
    coturnImageDigest: config.relay.coturnImageDigest,
    alarmTopic: audit.alarmTopic,
    turnSecretSource: { kind: 'primary', replicaRegions: furtherRelayRegions.map((entry) => entry.region) },
    relayZone: relayZone(config),
  });
  const relayRegions: RelayRegionStacks[] = [
    { region: config.region, home: true, guardrails, relay },
    ...furtherRelayRegions.map((entry) => composeRelayRegion(app, config, entry)),
  ];
  // The home secret's replicas are encrypted with each further Region's relay key, which must exist first.
  for (const further of relayRegions.filter((r) => !r.home)) {
    relay.addStackDependency(further.relay, `the TURN secret's replica in ${further.region} uses its relay key`);
  }
  const signaling = new SignalingStack(app, STACK_IDS.signaling, {
    env,
    stackName: stackName('signaling'),
    description: 'hipaa-rtc signaling: authorized WebSocket rooms that hand out short-lived TURN credentials',
    settings: {
      deploymentName: config.deploymentName,
      relayHostnames: [config.relay.domainName],
      // Clients reach turns: through the NLB's TLS listener on 443.
      turnPorts: { tls: 443 },
      throttle: config.signaling.throttle,
      logRetention: config.signaling.logRetentionDays as logs.RetentionDays,
      maxRoomSize: config.signaling.maxRoomSize,
      rateLimits: config.signaling.rateLimits,
      turnTtlSeconds: config.signaling.turnTtlSeconds,
      issuer: config.signaling.issuer,
      tokenSource: config.signaling.tokenSource,
      reservedConcurrency: config.signaling.reservedConcurrency,
    },
    tableKey: data.dataKey,
    logKey: audit.auditKey,
    turnSecret: relay.turnSecret,
    keyAdministrator: audit.keyAdministrator,
  });
  const backupConfig = config.detect.backup;
  const copyRegion = backupConfig.mode === 'create' ? backupConfig.copyToRegion : undefined;
  const backupCopy =
    backupConfig.mode === 'create' && copyRegion
      ? new BackupCopyStack(app, STACK_IDS.backupCopy, {
          env: { ...env, region: copyRegion },
          stackName: stackName('backup-copy'),
          description: `hipaa-rtc backup copies: locked vault in ${copyRegion} for cross-region copies of the PHI recovery points`,
          deploymentName: config.deploymentName,
          vaultLock: backupConfig.vaultLock,
        })
      : undefined;
  const detect = new DetectStack(app, STACK_IDS.detect, {
    env,
    stackName: stackName('detect'),
    description: 'hipaa-rtc detect and recover: AWS Config HIPAA rules, GuardDuty, Access Analyzer, AWS Backup',
    deploymentName: config.deploymentName,
    detect: config.detect,
    homeRegion: config.region,
    securityAlarms: audit.securityAlarms,
    evidenceBucket: audit.auditLogBucket,
    evidenceKey: audit.auditKey,
    keyAdministrator: audit.keyAdministrator,
    recordsTable: data.recordsTable,
    recordingsBucket: data.recordingsBucket,
    dataKey: data.dataKey,
    backupCopyTo: copyRegion
      ? {
          region: copyRegion,
          vaultName: copyVaultName(config.deploymentName),
          keyAlias: copyVaultKeyAlias(config.deploymentName),
        }
      : undefined,
  });
  // The copy vault must exist before the plan's first copy job (deploy order only; no cross-region reference).
  if (backupCopy) detect.addDependency(backupCopy, 'cross-region copy destination vault');
  const regionalStacks = relayRegions.filter((r) => !r.home).flatMap((r) => [r.guardrails, r.relay]);
  const stacks = [
    audit,
    data,
    detect,
    ...(backupCopy ? [backupCopy] : []),
    guardrails,
    relay,
    signaling,
    ...regionalStacks,
  ];

  for (const [key, value] of Object.entries(config.tags)) Tags.of(app).add(key, value);
  Tags.of(app).add('hipaa-rtc:deployment-name', config.deploymentName);

  const stale = staleListWarning(options.today);
  // Once per synth, on the first stack: the warning is about the app's data, not about any one stack.
  if (stale) Annotations.of(audit).addWarningV2('hipaa-rtc:eligibility-list-stale', stale);

  options.beforeGate?.({ audit, relayRegions, data, detect, backupCopy, guardrails, relay, signaling });

  const exceptions = applyExceptions(
    app,
    options.exceptions ??
      exceptionRegister({
        deploymentName: config.deploymentName,
        detect: config.detect,
        furtherRelayRegions: furtherRelayRegions.map((entry) => entry.region),
      }),
    options.today,
  );
  const packs =
    (options.registerPacks ?? true)
      ? registerCompliancePacks(app, {
          exceptedEligibilityPaths: exceptions.filter((e) => e.ruleId === HIPAA_ELIGIBILITY_RULE_ID).map((e) => e.path),
        })
      : [];
  return { audit, relayRegions, data, detect, backupCopy, guardrails, relay, signaling, stacks, exceptions, packs };
}
