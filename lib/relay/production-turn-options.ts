/**
 * The options every production relay renders its turnserver.conf from. Addresses and secrets are not known at synth
 * time: addresses are placeholders the boot script fills in from IMDSv2, and the secrets live in coturn's database,
 * synced from Secrets Manager on the instance, so no secret is ever in a template, in user data or in this file.
 */
import { deniedPeerRanges } from './denied-peer-ranges';
import type { RelayTurnSettings } from './fleet-turn-settings';
import { renderTurnConfig, type TurnConfigOptions } from './turn-config';

// The settings and their one default set live in fleet-turn-settings.ts; re-exported for existing importers.
export { DEFAULT_RELAY_TURN_SETTINGS, type RelayTurnSettings } from './fleet-turn-settings';

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

/**
 * The exact file a relay runs, for reviewers (`hipaa-rtc turn-config`): boot-time values stay as placeholders and
 * any literal secret would be masked.
 */
export function reviewTurnConfig(settings: RelayTurnSettings): string {
  return renderTurnConfig(productionTurnOptions(settings), { maskSecrets: true });
}
