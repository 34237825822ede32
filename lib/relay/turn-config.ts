/**
 * Renders coturn's turnserver.conf from typed options. Pure: the same options always give the same text, so the
 * file a relay runs can be reviewed (masked) and tested without a server.
 *
 * Only options coturn PINNED_COTURN_VERSION accepts are emitted: coturn only warns on unknown or deprecated lines
 * and keeps running without them, so an emitted line it does not understand is a silently missing control.
 * test/relay/coturn.test.ts starts the real server on this output and fails on any warning or error at start-up.
 *
 * TLS 1.2+ needs no line: TLS 1.0/1.1 are off by default since coturn 4.7 and `no-tlsv1`/`no-tlsv1_1` are rejected
 * by 4.18 as bad format. DTLS listeners start only with `--dtls` since 4.17, so none is emitted (and `no-dtls` is
 * rejected). The CLI is off by default since 4.10 (`no-cli` is deprecated).
 */
import { TURN_TTL_SECONDS } from '../signaling/bounds';
import { parseIp } from './ip-address';
import type { DeniedPeerRange } from './denied-peer-ranges';
import { PINNED_COTURN_VERSION } from './coturn-version';

export { COTURN_VERSION_FLOOR, PINNED_COTURN_VERSION } from './coturn-version';

/** A value filled in on the relay at boot (e.g. `@PRIVATE_IP@`) by the bootstrap script. */
export interface Placeholder {
  readonly placeholder: string;
}

/** A literal value (tests, or a reviewer's masked view) or a boot-time placeholder. */
export type ConfigValue = string | Placeholder;

export interface TurnQuotas {
  /** Concurrent allocations per username (per credential with REST usernames). */
  readonly userQuota: number;
  /** Concurrent allocations on the whole relay. */
  readonly totalQuota: number;
  /** Bytes per second one session may relay. */
  readonly maxBps: number;
  /** Bytes per second the whole relay may relay. */
  readonly bpsCapacity: number;
}

/** Secrets written into the file: coturn reads them once, at start (labs, benchmarks, the minimal config). */
export interface StaticTurnSecrets {
  readonly current: ConfigValue;
  /** During a rotation the second accepted secret. */
  readonly previous?: ConfigValue;
}

/**
 * Secrets in the `turn_secret` table of `userDbFile`: coturn looks them up on every authentication, so a relay picks
 * up a rotated secret without a restart (lib/relay/secret-sync.ts keeps the table in step with Secrets Manager).
 * Production uses this; the file then holds no secret at all.
 */
export interface UserDbTurnSecrets {
  readonly fromUserDb: true;
}

export type TurnSecretSource = StaticTurnSecrets | UserDbTurnSecrets;

export function secretsFromUserDb(source: TurnSecretSource): source is UserDbTurnSecrets {
  return 'fromUserDb' in source;
}

export interface TurnConfigOptions {
  /** The REST-API realm; not PHI, not a hostname that identifies a practice. */
  readonly realm: string;
  /** Addresses coturn listens on (the instance's private address on EC2, never 0.0.0.0). */
  readonly listeningIps: readonly ConfigValue[];
  /** Addresses relayed traffic leaves from. */
  readonly relayIps: readonly ConfigValue[];
  /** `external-ip`: the public address clients are told to use, optionally mapped to a private one. */
  readonly externalIp?: { readonly public: ConfigValue; readonly private?: ConfigValue };
  readonly listeningPort: number;
  readonly tlsListeningPort: number;
  /** Relay port range (one port per allocation); must match the security group's UDP range. */
  readonly minPort: number;
  readonly maxPort: number;
  /** Certificate and key for coturn's TLS listener (the load balancer's TLS target). */
  readonly tls: { readonly certFile: string; readonly keyFile: string };
  readonly quotas: TurnQuotas;
  /** Nonce lifetime in seconds (`stale-nonce`). */
  readonly staleNonceSeconds: number;
  /** Upper bound on allocation lifetime in seconds (`max-allocate-lifetime`): the credential TTL's range. */
  readonly maxAllocateLifetimeSeconds: number;
  /** Where coturn finds the REST secrets it accepts (see TurnSecretSource). */
  readonly secrets: TurnSecretSource;
  readonly deniedPeerRanges: readonly DeniedPeerRange[];
  /** Log file (shipped to an encrypted log group); session lines only, never payloads. */
  readonly logFile: string;
  readonly pidFile: string;
  /** coturn's SQLite database: with `secrets.fromUserDb` it holds the accepted secrets; coturn opens it in any case. */
  readonly userDbFile: string;
}

export interface RenderOptions {
  /** Replace literal secret values with a marker, for reviewers (`hipaa-rtc turn-config`). Placeholders stay. */
  readonly maskSecrets?: boolean;
}

export class TurnConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TurnConfigError';
  }
}

export const MASKED_SECRET = '<masked>';
const PLACEHOLDER = /^@[A-Z][A-Z0-9_]*@$/;
/** A config value must stay on its line: a newline in any value would let it inject options. */
const SAFE_VALUE = /^[\x21-\x7e]+$/;
const REALM = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/;
const MIN_SECRET_LENGTH = 32;
// Must be in the deny list whatever else changes: instance metadata (v4 and v6) and the private ranges.
const REQUIRED_DENIED = ['169.254.169.254', 'fd00:ec2::254', '10.0.0.1', '172.16.0.1', '192.168.0.1', '127.0.0.1'];

function fail(field: string, problem: string): never {
  throw new TurnConfigError(`turn config ${field}: ${problem}`);
}

function isPlaceholder(value: ConfigValue): value is Placeholder {
  return typeof value !== 'string';
}

function checkIntRange(field: string, value: number, min: number, max: number): void {
  if (!Number.isInteger(value) || value < min || value > max) fail(field, `must be an integer in ${min}..${max}`);
}

function checkPlaceholder(field: string, value: Placeholder): void {
  if (!PLACEHOLDER.test(value.placeholder))
    fail(field, `placeholder must look like @NAME@ (got "${value.placeholder}")`);
}

function checkIp(field: string, value: ConfigValue): void {
  if (isPlaceholder(value)) return checkPlaceholder(field, value);
  let parsed;
  try {
    parsed = parseIp(value);
  } catch {
    fail(field, `"${value}" is not an IP address`);
  }
  // 0.0.0.0 / :: would listen or relay on every interface, including ones the deny list assumes are unreachable.
  if (parsed.value === 0n) fail(field, `must be a specific address, not "${value}"`);
}

function checkPath(field: string, value: string): void {
  if (!value.startsWith('/') || !SAFE_VALUE.test(value)) fail(field, 'must be an absolute path without spaces');
}

function checkSecret(field: string, value: ConfigValue): void {
  if (isPlaceholder(value)) return checkPlaceholder(field, value);
  if (!SAFE_VALUE.test(value)) fail(field, 'must be printable ASCII without spaces or newlines');
  if (value.length < MIN_SECRET_LENGTH) fail(field, `must be at least ${MIN_SECRET_LENGTH} characters`);
}

function validate(o: TurnConfigOptions): void {
  if (!REALM.test(o.realm)) fail('realm', 'must be a lowercase DNS-style name');
  if (o.listeningIps.length === 0) fail('listeningIps', 'must name at least one address');
  if (o.relayIps.length === 0) fail('relayIps', 'must name at least one address');
  o.listeningIps.forEach((ip, i) => checkIp(`listeningIps[${i}]`, ip));
  o.relayIps.forEach((ip, i) => checkIp(`relayIps[${i}]`, ip));
  if (o.externalIp) {
    checkIp('externalIp.public', o.externalIp.public);
    if (o.externalIp.private !== undefined) checkIp('externalIp.private', o.externalIp.private);
  }
  checkIntRange('listeningPort', o.listeningPort, 1, 65535);
  checkIntRange('tlsListeningPort', o.tlsListeningPort, 1, 65535);
  if (o.listeningPort === o.tlsListeningPort) fail('tlsListeningPort', 'must differ from listeningPort');
  checkIntRange('minPort', o.minPort, 1024, 65535);
  checkIntRange('maxPort', o.maxPort, 1024, 65535);
  if (o.minPort > o.maxPort) fail('maxPort', `must be >= minPort (${o.minPort})`);
  for (const [field, port] of [
    ['listeningPort', o.listeningPort],
    ['tlsListeningPort', o.tlsListeningPort],
  ] as const) {
    if (port >= o.minPort && port <= o.maxPort) fail(field, `must lie outside the relay port range`);
  }
  checkPath('tls.certFile', o.tls.certFile);
  checkPath('tls.keyFile', o.tls.keyFile);
  // 0 means "unlimited" to coturn, so every quota must be positive.
  checkIntRange('quotas.userQuota', o.quotas.userQuota, 1, 10_000);
  checkIntRange('quotas.totalQuota', o.quotas.totalQuota, 1, 1_000_000);
  checkIntRange('quotas.maxBps', o.quotas.maxBps, 1, 2 ** 31 - 1);
  checkIntRange('quotas.bpsCapacity', o.quotas.bpsCapacity, 1, 2 ** 31 - 1);
  if (o.quotas.userQuota > o.quotas.totalQuota) fail('quotas.userQuota', 'must not exceed quotas.totalQuota');
  if (o.quotas.maxBps > o.quotas.bpsCapacity) fail('quotas.maxBps', 'must not exceed quotas.bpsCapacity');
  checkIntRange('staleNonceSeconds', o.staleNonceSeconds, 60, 3600);
  // One grant lasts at most one credential lifetime (fleet-turn-settings.ts, maxAllocateLifetimeFor).
  checkIntRange('maxAllocateLifetimeSeconds', o.maxAllocateLifetimeSeconds, TURN_TTL_SECONDS.min, TURN_TTL_SECONDS.max);
  if (secretsFromUserDb(o.secrets)) {
    if (o.secrets.fromUserDb !== true) fail('secrets.fromUserDb', 'must be true');
  } else {
    checkSecret('secrets.current', o.secrets.current);
    if (o.secrets.previous !== undefined) {
      checkSecret('secrets.previous', o.secrets.previous);
      if (JSON.stringify(o.secrets.previous) === JSON.stringify(o.secrets.current)) {
        fail('secrets.previous', 'must differ from secrets.current');
      }
    }
  }
  for (const address of REQUIRED_DENIED) {
    const { family, value } = parseIp(address);
    const covered = o.deniedPeerRanges.some(
      (d) => d.range.family === family && value >= d.range.first && value <= d.range.last,
    );
    if (!covered) fail('deniedPeerRanges', `must cover ${address}`);
  }
  for (const d of o.deniedPeerRanges) {
    if (!/^[0-9a-f.:]+(-[0-9a-f.:]+)?$/.test(d.coturnValue)) fail('deniedPeerRanges', `bad value "${d.coturnValue}"`);
  }
  checkPath('logFile', o.logFile);
  checkPath('pidFile', o.pidFile);
  checkPath('userDbFile', o.userDbFile);
}

function text(value: ConfigValue): string {
  return isPlaceholder(value) ? value.placeholder : value;
}

function secretText(value: ConfigValue, mask: boolean): string {
  return isPlaceholder(value) ? value.placeholder : mask ? MASKED_SECRET : value;
}

export function renderTurnConfig(options: TurnConfigOptions, render: RenderOptions = {}): string {
  validate(options);
  const mask = render.maskSecrets === true;
  const o = options;
  const external = o.externalIp
    ? [`external-ip=${text(o.externalIp.public)}${o.externalIp.private ? `/${text(o.externalIp.private)}` : ''}`]
    : [];
  const authentication = secretsFromUserDb(o.secrets)
    ? [
        '# Authentication: TURN REST credentials; the accepted secrets are the turn_secret rows of the userdb below,',
        '# read on every authentication and kept in step with Secrets Manager on the relay (no restart on rotation)',
        'use-auth-secret',
      ]
    : [
        '# Authentication: TURN REST credentials; every listed secret is accepted (two overlap during rotation)',
        'use-auth-secret',
        ...[o.secrets.current, ...(o.secrets.previous ? [o.secrets.previous] : [])].map(
          (s) => `static-auth-secret=${secretText(s, mask)}`,
        ),
      ];
  const lines = [
    `# turnserver.conf for coturn ${PINNED_COTURN_VERSION}, rendered by hipaa-rtc (lib/relay/turn-config.ts).`,
    '# Generated: edit the options, not this file.',
    '',
    '# Addresses and ports',
    ...o.listeningIps.map((ip) => `listening-ip=${text(ip)}`),
    ...o.relayIps.map((ip) => `relay-ip=${text(ip)}`),
    ...external,
    `listening-port=${o.listeningPort}`,
    `tls-listening-port=${o.tlsListeningPort}`,
    `min-port=${o.minPort}`,
    `max-port=${o.maxPort}`,
    '',
    ...authentication,
    `realm=${o.realm}`,
    'fingerprint',
    `stale-nonce=${o.staleNonceSeconds}`,
    // Caps 401 responses per source, so the relay cannot be used to reflect traffic (coturn >= 4.14).
    'unauthorized-ratelimit',
    '',
    '# Relay policy: UDP relay only, no multicast or special-purpose peers',
    'no-tcp-relay',
    'no-multicast-peers',
    `max-allocate-lifetime=${o.maxAllocateLifetimeSeconds}`,
    `user-quota=${o.quotas.userQuota}`,
    `total-quota=${o.quotas.totalQuota}`,
    `max-bps=${o.quotas.maxBps}`,
    `bps-capacity=${o.quotas.bpsCapacity}`,
    '',
    '# TLS listener (TLS 1.2+ is the built-in minimum)',
    `cert=${o.tls.certFile}`,
    `pkey=${o.tls.keyFile}`,
    '',
    '# Logging: session events at info, never payloads, to one file only',
    `log-file=${o.logFile}`,
    'simple-log',
    'no-stdout-log',
    'log-min-level=info',
    `pidfile=${o.pidFile}`,
    `userdb=${o.userDbFile}`,
    '',
    '# Peers that must never be reached (IANA special-purpose ranges and the VPC)',
    ...o.deniedPeerRanges.map((d) => `denied-peer-ip=${d.coturnValue}`),
  ];
  return `${lines.join('\n')}\n`;
}
