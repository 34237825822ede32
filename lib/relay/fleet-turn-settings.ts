/**
 * The TURN settings every relay of the fleet renders its turnserver.conf from, derived from the deployment's relay
 * settings. One function for the Relay stack (boot script) and `hipaa-rtc turn-config` (review), so reviewers read
 * exactly the file relays run.
 */
import type { RelayTurnSettings } from './production-turn-options';
import type { TurnQuotas } from './turn-config';

/** TURN ports clients use; coturn's own TLS listener is the NLB's TLS target. */
export const RELAY_PORTS = { turn: 3478, coturnTls: 5349, nlbTls: 443 } as const;

export interface FleetTurnInput {
  readonly realm: string;
  readonly vpcCidr: string;
  readonly relayPortRange: { readonly min: number; readonly max: number };
  readonly quotas: TurnQuotas;
}

export function fleetTurnSettings(s: FleetTurnInput): RelayTurnSettings {
  return {
    realm: s.realm,
    vpcCidr: s.vpcCidr,
    listeningPort: RELAY_PORTS.turn,
    tlsListeningPort: RELAY_PORTS.coturnTls,
    relayPortRange: s.relayPortRange,
    quotas: s.quotas,
    staleNonceSeconds: 600,
    maxAllocateLifetimeSeconds: 3600,
  };
}
