/**
 * The options every production relay renders its turnserver.conf from. Addresses and secrets are not known at synth
 * time: addresses are placeholders the boot script fills in from IMDSv2, and the secrets live in coturn's database,
 * synced from Secrets Manager on the instance, so no secret is ever in a template, in user data or in this file.
 */
import { deniedPeerRanges } from './denied-peer-ranges';
import { renderTurnConfig, type TurnConfigOptions, type TurnQuotas } from './turn-config';

/** Placeholders the boot script substitutes with the instance's addresses (from IMDSv2). */
export const BOOT_PLACEHOLDERS = {
  privateIp: '@PRIVATE_IP@',
  publicIp: '@PUBLIC_IP@',
} as const;

/** Fixed paths on the relay host. */
export const RELAY_PATHS = {
  config: '/etc/coturn/turnserver.conf',
  certFile: '/etc/coturn/tls/cert.pem',
  keyFile: '/etc/coturn/tls/key.pem',
  logFile: '/var/log/coturn/turnserver.log',
  pidFile: '/run/coturn/turnserver.pid',
  userDbFile: '/var/lib/coturn/turndb',
} as const;

export interface RelayTurnSettings {
  readonly realm: string;
  /** The relay VPC's CIDR, denied as a peer like the special-purpose ranges. */
  readonly vpcCidr: string;
  readonly listeningPort: number;
  readonly tlsListeningPort: number;
  readonly relayPortRange: { readonly min: number; readonly max: number };
  readonly quotas: TurnQuotas;
  readonly staleNonceSeconds: number;
  readonly maxAllocateLifetimeSeconds: number;
}

export function productionTurnOptions(settings: RelayTurnSettings): TurnConfigOptions {
  const privateIp = { placeholder: BOOT_PLACEHOLDERS.privateIp };
  return {
    realm: settings.realm,
    listeningIps: [privateIp],
    relayIps: [privateIp],
    externalIp: { public: { placeholder: BOOT_PLACEHOLDERS.publicIp }, private: privateIp },
    listeningPort: settings.listeningPort,
    tlsListeningPort: settings.tlsListeningPort,
    minPort: settings.relayPortRange.min,
    maxPort: settings.relayPortRange.max,
    tls: { certFile: RELAY_PATHS.certFile, keyFile: RELAY_PATHS.keyFile },
    quotas: settings.quotas,
    staleNonceSeconds: settings.staleNonceSeconds,
    maxAllocateLifetimeSeconds: settings.maxAllocateLifetimeSeconds,
    // The file holds no secret: coturn reads the accepted ones from its database, which the relay's secret sync
    // keeps in step with Secrets Manager (lib/relay/secret-sync.ts).
    secrets: { fromUserDb: true },
    deniedPeerRanges: deniedPeerRanges(settings.vpcCidr),
    logFile: RELAY_PATHS.logFile,
    pidFile: RELAY_PATHS.pidFile,
    userDbFile: RELAY_PATHS.userDbFile,
  };
}

/** Sensible defaults for a relay; configs override them. */
export const DEFAULT_RELAY_TURN_SETTINGS: Omit<RelayTurnSettings, 'realm' | 'vpcCidr'> = {
  listeningPort: 3478,
  tlsListeningPort: 5349,
  relayPortRange: { min: 49152, max: 65535 },
  // coturn reserves max-bps from bps-capacity for every allocation, used or idle, so together they cap allocations
  // (bps-capacity / max-bps), not bandwidth: 2e9 / 5e5 = 4000 = total-quota, so neither cuts in before the other.
  // 500,000 bytes/s (4 Mbit/s) per session is about 2.5 times a 720p stream; network and CPU limits per instance type
  // are in docs/capacity.md.
  quotas: { userQuota: 10, totalQuota: 4000, maxBps: 500_000, bpsCapacity: 2_000_000_000 },
  staleNonceSeconds: 600,
  maxAllocateLifetimeSeconds: 3600,
};

/**
 * The exact file a relay runs, for reviewers (`hipaa-rtc turn-config`): boot-time values stay as placeholders and
 * any literal secret would be masked.
 */
export function reviewTurnConfig(settings: RelayTurnSettings): string {
  return renderTurnConfig(productionTurnOptions(settings), { maskSecrets: true });
}
