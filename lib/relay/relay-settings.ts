/**
 * The Relay stack's settings and their check. Pure (no construct is built here), so every refusal is testable without
 * synthesizing a stack: the stack calls `validateRelaySettings` before it creates anything.
 */
import type * as logs from 'aws-cdk-lib/aws-logs';
import { isGravitonInstanceType } from './graviton';
import { parseCidr } from './ip-address';
import { rotationIntervalProblems } from './rotation-schedule';
import type { RotationPolicy } from './secret-rotation';
import type { TurnQuotas } from './turn-config';

/** Relay settings (from config, through bin/). */
export interface RelaySettings {
  /** Names log groups under the project prefix. */
  readonly deploymentName: string;
  /** TURN realm (not PHI). */
  readonly realm: string;
  /** Name clients use for turns: (the ACM certificate's domain). */
  readonly domainName: string;
  /** The relay VPC's CIDR; denied as a TURN peer. */
  readonly vpcCidr: string;
  /** A Graviton (arm64) type, e.g. `c7gn.large`. */
  readonly instanceType: string;
  readonly minCapacity: number;
  readonly maxCapacity: number;
  /** Scale out when average NetworkOut per instance passes this. */
  readonly targetBytesOutPerSecond: number;
  /** UDP relay range, opened to anyone in the security group and rendered into turnserver.conf. */
  readonly relayPortRange: { readonly min: number; readonly max: number };
  readonly quotas: TurnQuotas;
  readonly logRetention: logs.RetentionDays;
  /** The longest TTL signaling issues, the skew and the relay pickup time (secret-rotation.ts). */
  readonly rotation: RotationPolicy;
  /**
   * Days between TURN secret rotations; must leave room for a whole overlap (rotation-schedule.ts).
   * @default 30
   */
  readonly rotationIntervalDays?: number;
}

export const DEFAULT_ROTATION_INTERVAL_DAYS = 30;

/** An image reference by digest: relays never run a tag, which could be moved to other code. */
export const IMAGE_DIGEST = /^sha256:[0-9a-f]{64}$/;

/** The rotation interval the schedule uses: the setting, or the default. */
export function rotationIntervalDays(s: RelaySettings): number {
  return s.rotationIntervalDays ?? DEFAULT_ROTATION_INTERVAL_DAYS;
}

/** Everything wrong with `s` and the coturn image digest, or an empty list. */
export function relaySettingsProblems(s: RelaySettings, coturnImageDigest: string): string[] {
  const problems: string[] = [];
  if (!isGravitonInstanceType(s.instanceType)) problems.push(`instanceType ${s.instanceType} is not Graviton`);
  if (!Number.isInteger(s.minCapacity) || s.minCapacity < 1) problems.push('minCapacity must be an integer >= 1');
  if (!Number.isInteger(s.maxCapacity) || s.maxCapacity < s.minCapacity)
    problems.push('maxCapacity must be >= minCapacity');
  if (!(s.targetBytesOutPerSecond > 0)) problems.push('targetBytesOutPerSecond must be positive');
  if (!IMAGE_DIGEST.test(coturnImageDigest)) problems.push('coturnImageDigest must be sha256:<64 hex>');
  problems.push(...rotationIntervalProblems(rotationIntervalDays(s), s.rotation));
  try {
    if (parseCidr(s.vpcCidr).family !== 4) problems.push('vpcCidr must be IPv4');
  } catch (error) {
    problems.push(`vpcCidr: ${(error as Error).message}`);
  }
  return problems;
}

/** Throws one error listing every problem, so a bad config is fixed in one pass. */
export function validateRelaySettings(s: RelaySettings, coturnImageDigest: string): void {
  const problems = relaySettingsProblems(s, coturnImageDigest);
  if (problems.length > 0) throw new Error(`RelayStack settings are invalid:\n  - ${problems.join('\n  - ')}`);
}
