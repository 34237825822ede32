/**
 * The production turnserver.conf with only what differs on a test host substituted: addresses (loopback instead of
 * the instance's), ports (random free ones), secrets (test values) and host paths (a per-run directory, since the
 * test server must not write /etc or /var/log of the shared root). Options, deny list and quotas are untouched.
 */
import { productionTurnOptions, type RelayTurnSettings } from '../../../lib/relay/production-turn-options';
import { DEFAULT_RELAY_TURN_SETTINGS } from '../../../lib/relay/production-turn-options';
import { renderTurnConfig, type TurnConfigOptions } from '../../../lib/relay/turn-config';
import type { PortPlan, RunDir } from '../../../src/lab/coturn/coturn-process';
import { TEST_VPC_CIDR } from './ssrf-matrix';

export const TEST_REALM = 'turn.hipaa-rtc.test';
export const SECRET_CURRENT = 'test-only-current-secret-0123456789abcdef';
export const SECRET_PREVIOUS = 'test-only-previous-secret-fedcba9876543210';

export interface LoopbackConfig {
  readonly options: TurnConfigOptions;
  readonly text: string;
  readonly logFileInRoot: string;
}

export function loopbackConfig(
  dir: RunDir,
  ports: PortPlan,
  tls: { certFile: string; keyFile: string },
  secrets: { current: string; previous?: string } = { current: SECRET_CURRENT, previous: SECRET_PREVIOUS },
): LoopbackConfig {
  const settings: RelayTurnSettings = {
    ...DEFAULT_RELAY_TURN_SETTINGS,
    realm: TEST_REALM,
    vpcCidr: TEST_VPC_CIDR,
    listeningPort: ports.listeningPort,
    tlsListeningPort: ports.tlsListeningPort,
    relayPortRange: { min: ports.minPort, max: ports.maxPort },
  };
  const production = productionTurnOptions(settings);
  const logFileInRoot = `${dir.inRoot}/turnserver.log`;
  const options: TurnConfigOptions = {
    ...production,
    // An IPv6 relay address too, so IPv6 allocations exist and the IPv4-in-IPv6 peer forms are really exercised.
    listeningIps: ['127.0.0.1'],
    relayIps: ['127.0.0.1', '::1'],
    externalIp: undefined,
    secrets,
    tls,
    logFile: logFileInRoot,
    pidFile: `${dir.inRoot}/turnserver.pid`,
    userDbFile: `${dir.inRoot}/turndb`,
  };
  return { options, text: renderTurnConfig(options), logFileInRoot };
}
