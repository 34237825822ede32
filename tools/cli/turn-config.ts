/**
 * `hipaa-rtc turn-config [-c config=<name>]`: prints the exact turnserver.conf every relay of a deployment runs.
 * Boot-time values (the instance's addresses, the secrets from Secrets Manager) stay as placeholders, so the output
 * can go into a review or a ticket; no secret exists at synth time to leak.
 */
import { ConfigError, DEFAULT_CONFIG_NAME, loadConfig } from '../../config';
import { fleetTurnSettings } from '../../lib/relay/fleet-turn-settings';
import { reviewTurnConfig } from '../../lib/relay/production-turn-options';
import { BadInputError } from './template-files';

/** Reads `config=<name>` from `-c` values, as `cdk synth -c config=<name>` does. */
export function configNameFrom(contexts: readonly string[]): string {
  let name = DEFAULT_CONFIG_NAME;
  for (const context of contexts) {
    const match = /^([^=]+)=(.*)$/.exec(context);
    if (!match) throw new BadInputError(`-c expects key=value, got "${context}"`);
    if (match[1] !== 'config') throw new BadInputError(`unknown context key "${match[1]}"; only config=<name> is read`);
    name = match[2];
  }
  return name;
}

export function turnConfigFor(configName: string): string {
  try {
    const config = loadConfig(configName);
    return reviewTurnConfig(
      fleetTurnSettings({
        realm: config.relay.domainName,
        vpcCidr: config.network.vpcCidr,
        relayPortRange: config.relay.relayPortRange,
        quotas: config.relay.quotas,
        // As the app wires the Relay stack: the rotation's longest credential is signaling's TTL.
        rotation: { maxCredentialTtlSeconds: config.signaling.turnTtlSeconds },
      }),
    );
  } catch (error) {
    if (error instanceof ConfigError) throw new BadInputError(error.message);
    throw error;
  }
}
