/**
 * The TURN settings every relay renders its turnserver.conf from: the one default set, and the deployment's values
 * laid over it. One function for the Relay stack (boot script) and `hipaa-rtc turn-config` (review), so reviewers
 * read exactly the file relays run; the lab, the benchmarks and capacity planning start from the same defaults.
 */
import { TURN_TTL_SECONDS } from '../signaling/bounds';
import type { RotationPolicy } from './secret-rotation';
import type { TurnQuotas } from './turn-config';

/** TURN ports clients use; coturn's own TLS listener is the NLB's TLS target. */
export const RELAY_PORTS = { turn: 3478, coturnTls: 5349, nlbTls: 443 } as const;

export interface RelayTurnSettings {
  readonly realm: string;
  /** The relay VPC's CIDR, denied as a peer like the special-purpose ranges. */
  readonly vpcCidr: string;
  readonly listeningPort: number;
  readonly tlsListeningPort: number;
  readonly relayPortRange: { readonly min: number; readonly max: number };
  readonly quotas: TurnQuotas;
  readonly staleNonceSeconds: number;
  /** Derived from the credential TTL (maxAllocateLifetimeFor), never set on its own. */
  readonly maxAllocateLifetimeSeconds: number;
}

/**
 * coturn's `max-allocate-lifetime`: the longest lifetime one Allocate or Refresh may grant. It is the longest TURN
 * credential signaling mints (`signaling.turnTtlSeconds`, which is also the rotation's `maxCredentialTtlSeconds`), so
 * one authenticated request never keeps relay ports held longer than a whole credential lifetime, and it moves with
 * the TTL instead of drifting from it. Clients ask for less (RFC 8656 suggests 600 s) and refresh.
 */
export function maxAllocateLifetimeFor(maxCredentialTtlSeconds: number): number {
  return maxCredentialTtlSeconds;
}

/**
 * The one default set. A deployment takes the ports, the nonce lifetime and nothing else from here; its port range,
 * quotas and credential TTL come from its config (fleetTurnSettings). Relays outside a deployment (the lab, the
 * benchmarks, tests) and capacity planning use the set as it stands.
 */
export const DEFAULT_RELAY_TURN_SETTINGS: Omit<RelayTurnSettings, 'realm' | 'vpcCidr'> = {
  listeningPort: RELAY_PORTS.turn,
  tlsListeningPort: RELAY_PORTS.coturnTls,
  relayPortRange: { min: 49152, max: 65535 },
  // coturn reserves max-bps from bps-capacity for every allocation, used or idle, so together they cap allocations
  // (bps-capacity / max-bps), not bandwidth: 2e9 / 5e5 = 4000 = total-quota, so neither cuts in before the other.
  // 500,000 bytes/s (4 Mbit/s) per session is about 2.5 times a 720p stream; network and CPU limits per instance type
  // are in docs/capacity.md.
  quotas: { userQuota: 10, totalQuota: 4000, maxBps: 500_000, bpsCapacity: 2_000_000_000 },
  staleNonceSeconds: 600,
  maxAllocateLifetimeSeconds: maxAllocateLifetimeFor(TURN_TTL_SECONDS.default),
};

/** What a deployment decides (the Relay stack passes its RelaySettings, which carry all of it). */
export interface FleetTurnInput {
  readonly realm: string;
  readonly vpcCidr: string;
  readonly relayPortRange: { readonly min: number; readonly max: number };
  readonly quotas: TurnQuotas;
  /** The longest credential signaling mints; coturn's allocation cap follows it. */
  readonly rotation: Pick<RotationPolicy, 'maxCredentialTtlSeconds'>;
}

export function fleetTurnSettings(s: FleetTurnInput): RelayTurnSettings {
  return {
    ...DEFAULT_RELAY_TURN_SETTINGS,
    realm: s.realm,
    vpcCidr: s.vpcCidr,
    relayPortRange: s.relayPortRange,
    quotas: s.quotas,
    maxAllocateLifetimeSeconds: maxAllocateLifetimeFor(s.rotation.maxCredentialTtlSeconds),
  };
}
