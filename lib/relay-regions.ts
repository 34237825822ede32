import type { App } from 'aws-cdk-lib';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type { HipaaRtcConfig, RelayRegionConfig } from '../config/schema';
import { eligibilityGuardRules } from './compliance/guard/account-guard-rules';
import { regionalStackId, STACK_IDS } from './stack-ids';
import { GuardrailsStack } from './stacks/guardrails-stack';
import { RelayStack, type RelaySettings } from './stacks/relay-stack';

/** One relay Region's stacks; the home Region's are the Audit-backed Guardrails stack and the Relay stack. */
export interface RelayRegionStacks {
  readonly region: string;
  readonly home: boolean;
  readonly guardrails: GuardrailsStack;
  readonly relay: RelayStack;
}

/** The zone that holds the relay name, where each relay Region adds its latency record (config relay.hostedZone). */
export function relayZone(config: HipaaRtcConfig): { hostedZoneId: string; zoneName: string } | undefined {
  const zone = config.relay.hostedZone;
  return zone ? { hostedZoneId: zone.id, zoneName: zone.name } : undefined;
}

/** The Relay stack's settings for one relay Region: the shared relay settings and that Region's fleet. */
export function relaySettings(config: HipaaRtcConfig, entry: RelayRegionConfig): RelaySettings {
  return {
    deploymentName: config.deploymentName,
    realm: config.relay.domainName,
    domainName: config.relay.domainName,
    vpcCidr: config.network.vpcCidr,
    instanceType: config.relay.instanceType,
    minCapacity: entry.minCapacity,
    maxCapacity: entry.maxCapacity,
    targetBytesOutPerSecond: entry.targetBytesOutPerSecond,
    relayPortRange: config.relay.relayPortRange,
    quotas: config.relay.quotas,
    logRetention: config.relay.logRetentionDays as logs.RetentionDays,
    rotation: {
      maxCredentialTtlSeconds: config.signaling.turnTtlSeconds,
      clockSkewSeconds: 300,
      relayPickupSeconds: config.relay.relayPickupSeconds,
    },
    rotationIntervalDays: config.relay.rotation.intervalDays,
  };
}

/**
 * A further relay Region: its own Guardrails stack first (the Guard Hook is regional, so without it nothing gates
 * deployments there; it also holds the Region's key, access-log bucket and alarm topic), then its own Relay stack
 * with its own relay key, the replica of the home TURN secret, its latency record, and EBS encryption by default, which
 * is a per-Region account setting (RelayStackProps.ebsEncryptionByDefault says why it is there, not beside the hook).
 */
export function composeRelayRegion(app: App, config: HipaaRtcConfig, entry: RelayRegionConfig): RelayRegionStacks {
  const region = entry.region;
  const env = { region, ...(config.account ? { account: config.account } : {}) };
  const guardrailsName = `${config.deploymentName}-guardrails-${region}`;
  const guardrails = new GuardrailsStack(app, regionalStackId(STACK_IDS.guardrails, region), {
    env,
    stackName: guardrailsName,
    description: `hipaa-rtc guardrails in ${region}: Guard Hook refusing non-HIPAA-eligible resource types, and the Region's key, access logs and alarm topic`,
    deploymentName: config.deploymentName,
    eligibilityGuardRules: eligibilityGuardRules(guardrailsName),
    baseline: {
      kind: 'regional',
      alarmEmail: config.audit.alarmEmail,
      retentionDays: config.audit.retentionDays,
      transitionToArchiveAfterDays: config.audit.transitionToArchiveAfterDays,
    },
    rulesRetentionDays: config.audit.retentionDays,
    rulesObjectLockMode: config.audit.objectLockMode,
    logRetention: config.audit.cloudWatchLogsRetentionDays as logs.RetentionDays,
  });
  const baseline = guardrails.regionalBaseline!;
  const relay = new RelayStack(app, regionalStackId(STACK_IDS.relay, region), {
    env,
    stackName: `${config.deploymentName}-relay-${region}`,
    description: `hipaa-rtc relay fleet in ${region}: coturn on Graviton behind an NLB, flow logs, EBS encryption by default`,
    settings: relaySettings(config, entry),
    logKey: baseline.key,
    keyAdministrator: baseline.keyAdministrator,
    coturnImageDigest: config.relay.coturnImageDigest,
    alarmTopic: baseline.alarmTopic,
    turnSecretSource: { kind: 'replica' },
    relayZone: relayZone(config),
    ebsEncryptionByDefault: { logRetention: config.audit.cloudWatchLogsRetentionDays as logs.RetentionDays },
  });
  // The hook must be in place before anything it gates is deployed in the Region.
  relay.addStackDependency(guardrails, "the Region's Guard Hook gates the relay stack");
  return { region, home: false, guardrails, relay };
}
