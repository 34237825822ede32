/**
 * The production turnserver.conf with only what differs on a test host substituted: addresses (loopback instead of
 * the instance's), ports (random free ones) and host paths (a per-run directory, since the test server must not write
 * /etc or /var/log of the shared root). Options, deny list and quotas are untouched; secrets come from the database
 * as in production, written by the relay's own apply script (see overlapDocument).
 */
import { productionTurnOptions, type RelayTurnSettings } from '../../../lib/relay/production-turn-options';
import { DEFAULT_RELAY_TURN_SETTINGS } from '../../../lib/relay/production-turn-options';
import { renderTurnConfig, type TurnConfigOptions } from '../../../lib/relay/turn-config';
import type { PortPlan, RunDir } from '../../../tools/lab/coturn/coturn-process';
import { TEST_VPC_CIDR } from './ssrf-matrix';

export const TEST_REALM = 'turn.hipaa-rtc.test';
// Alphanumeric, as the stack and the rotation function generate them (the relay's secret sync refuses others).
export const SECRET_CURRENT = 'testOnlyCurrentSecret0123456789abcdef';
export const SECRET_PREVIOUS = 'testOnlyPreviousSecretFedcba9876543210';
/** The overlap window the tests' relays use: longest credential TTL (1 h) plus clock skew (5 min). */
export const TEST_OVERLAP_WINDOW_SECONDS = 3600 + 300;

export interface LoopbackConfig {
  readonly options: TurnConfigOptions;
  readonly text: string;
  readonly logFileInRoot: string;
  /** coturn's database on the host: the production config reads its secrets from here (applySecretDocument). */
  readonly userDbHost: string;
}

export function loopbackConfig(
  dir: RunDir,
  ports: PortPlan,
  tls: { certFile: string; keyFile: string },
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
    tls,
    logFile: logFileInRoot,
    pidFile: `${dir.inRoot}/turnserver.pid`,
    userDbFile: `${dir.inRoot}/turndb`,
  };
  return { options, text: renderTurnConfig(options), logFileInRoot, userDbHost: `${dir.host}/turndb` };
}

/** A secret document in the overlap after a promotion: relays accept SECRET_CURRENT and SECRET_PREVIOUS. */
export function overlapDocument(nowSeconds = Math.floor(Date.now() / 1000)): object {
  return { current: SECRET_CURRENT, previous: SECRET_PREVIOUS, promotedAt: nowSeconds };
}
