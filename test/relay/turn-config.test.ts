import { deniedPeerRanges } from '../../lib/relay/denied-peer-ranges';
import {
  productionTurnOptions,
  DEFAULT_RELAY_TURN_SETTINGS,
  reviewTurnConfig,
} from '../../lib/relay/production-turn-options';
import {
  COTURN_VERSION_FLOOR,
  MASKED_SECRET,
  PINNED_COTURN_VERSION,
  renderTurnConfig,
  TurnConfigError,
  type TurnConfigOptions,
} from '../../lib/relay/turn-config';
import { compareVersions, meetsCoturnFloor } from '../../lib/relay/coturn-version';

const SECRET_A = 'secret-a-0123456789abcdef0123456789abcdef';
const SECRET_B = 'secret-b-0123456789abcdef0123456789abcdef';

const production = productionTurnOptions({
  ...DEFAULT_RELAY_TURN_SETTINGS,
  realm: 'turn.example.org',
  vpcCidr: '10.40.0.0/16',
});

const literal: TurnConfigOptions = { ...production, secrets: { current: SECRET_A, previous: SECRET_B } };

/** The config as a multimap key -> values (flags map to ['']). */
function parse(text: string): Map<string, string[]> {
  const map = new Map<string, string[]>();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const [key, ...rest] = line.split('=');
    map.set(key, [...(map.get(key) ?? []), rest.join('=')]);
  }
  return map;
}

describe('version pin', () => {
  test('the pinned version meets the 4.13.1 floor', () => {
    expect(COTURN_VERSION_FLOOR).toBe('4.13.1');
    expect(meetsCoturnFloor(PINNED_COTURN_VERSION)).toBe(true);
    expect(meetsCoturnFloor('4.6.1')).toBe(false);
    expect(meetsCoturnFloor('4.13.0')).toBe(false);
    expect(compareVersions('4.9.0', '4.13.1')).toBe(-1);
  });
});

describe('rendered production config', () => {
  const conf = parse(renderTurnConfig(production));

  test('has the hardening options', () => {
    for (const flag of [
      'use-auth-secret',
      'fingerprint',
      'no-multicast-peers',
      'no-tcp-relay',
      'unauthorized-ratelimit',
    ]) {
      expect(conf.get(flag)).toEqual(['']);
    }
    expect(conf.get('stale-nonce')).toEqual(['600']);
    expect(conf.get('max-allocate-lifetime')).toEqual(['3600']);
    expect(conf.get('log-min-level')).toEqual(['info']);
    expect(conf.get('realm')).toEqual(['turn.example.org']);
  });

  test('quotas and bandwidth caps are all set and positive (0 means unlimited to coturn)', () => {
    for (const key of ['user-quota', 'total-quota', 'max-bps', 'bps-capacity']) {
      expect(Number(conf.get(key)?.[0])).toBeGreaterThan(0);
    }
  });

  test('addresses are boot-time placeholders, and the file holds no secret: coturn reads them from its userdb', () => {
    expect(conf.get('listening-ip')).toEqual(['@PRIVATE_IP@']);
    expect(conf.get('relay-ip')).toEqual(['@PRIVATE_IP@']);
    expect(conf.get('external-ip')).toEqual(['@PUBLIC_IP@/@PRIVATE_IP@']);
    expect(conf.get('static-auth-secret')).toBeUndefined();
    expect(conf.get('use-auth-secret')).toEqual(['']);
    expect(conf.get('userdb')).toEqual(['/var/lib/coturn/turndb']);
  });

  test('has a denied-peer-ip line per range, in a-b form, including the VPC', () => {
    const lines = conf.get('denied-peer-ip') ?? [];
    expect(lines).toEqual(deniedPeerRanges('10.40.0.0/16').map((d) => d.coturnValue));
    expect(lines).toContain('10.40.0.0-10.40.255.255');
    expect(lines.filter((l) => l.includes('/'))).toEqual([]);
  });

  test.each([
    'no-dtls', // rejected by 4.18 ("Bad configuration format")
    'no-tlsv1', // rejected by 4.18; TLS 1.0/1.1 are off by default since 4.7
    'no-tlsv1_1',
    'no-cli', // deprecated ("ERROR no-cli option is deprecated")
    'no-stun-backward-compatibility', // rejected by 4.18
    'no-rfc5780', // deprecated; the default
    'no-software-attribute', // deprecated; the default
    'allow-loopback-peers',
    'allowed-peer-ip',
    'lt-cred-mech',
    'no-auth',
    'verbose',
    'Verbose',
    'log-binding',
    'cli-password',
    'web-admin',
    'prometheus-username-labels',
    'user',
    'dh566',
    'dh1066',
  ])('does not contain %s', (key) => {
    expect(conf.has(key)).toBe(false);
  });
});

describe('secrets', () => {
  test('literal secrets are rendered, current first', () => {
    expect(parse(renderTurnConfig(literal)).get('static-auth-secret')).toEqual([SECRET_A, SECRET_B]);
  });

  test('masked mode hides every literal secret but keeps the lines', () => {
    const text = renderTurnConfig(literal, { maskSecrets: true });
    expect(text).not.toContain(SECRET_A);
    expect(text).not.toContain(SECRET_B);
    expect(parse(text).get('static-auth-secret')).toEqual([MASKED_SECRET, MASKED_SECRET]);
  });

  test('without a previous secret there is one line', () => {
    const text = renderTurnConfig({ ...literal, secrets: { current: SECRET_A } });
    expect(parse(text).get('static-auth-secret')).toEqual([SECRET_A]);
  });
});

describe('validation fails closed and names the field', () => {
  test.each<[string, Partial<TurnConfigOptions>, RegExp]>([
    ['realm', { realm: 'Not A Realm' }, /realm/],
    ['listening 0.0.0.0', { listeningIps: ['0.0.0.0'] }, /listeningIps\[0\]: must be a specific address/],
    ['relay ::', { relayIps: ['::'] }, /relayIps\[0\]/],
    ['no listeners', { listeningIps: [] }, /listeningIps/],
    ['bad ip', { relayIps: ['10.0.0.300'] }, /relayIps\[0\]: "10\.0\.0\.300" is not an IP address/],
    ['bad placeholder', { relayIps: [{ placeholder: 'PRIVATE_IP' }] }, /relayIps\[0\]: placeholder/],
    ['port range order', { minPort: 60000, maxPort: 50000 }, /maxPort: must be >= minPort/],
    ['listener in relay range', { listeningPort: 50000 }, /listeningPort: must lie outside/],
    ['same ports', { tlsListeningPort: 3478 }, /tlsListeningPort: must differ/],
    ['zero quota', { quotas: { ...production.quotas, userQuota: 0 } }, /quotas\.userQuota/],
    [
      'max-bps above capacity',
      { quotas: { ...production.quotas, maxBps: production.quotas.bpsCapacity + 1 } },
      /quotas\.maxBps/,
    ],
    ['stale nonce', { staleNonceSeconds: 5 }, /staleNonceSeconds/],
    ['lifetime', { maxAllocateLifetimeSeconds: 86_400 }, /maxAllocateLifetimeSeconds/],
    ['short secret', { secrets: { current: 'short' } }, /secrets\.current: must be at least 32/],
    ['newline in a secret', { secrets: { current: `${SECRET_A}\nallow-loopback-peers` } }, /secrets\.current/],
    ['same secrets', { secrets: { current: SECRET_A, previous: SECRET_A } }, /secrets\.previous: must differ/],
    ['relative path', { logFile: 'turn.log' }, /logFile/],
    ['cert path with a space', { tls: { certFile: '/etc/a b', keyFile: '/k' } }, /tls\.certFile/],
    ['no metadata in deny list', { deniedPeerRanges: [] }, /deniedPeerRanges: must cover 169\.254\.169\.254/],
    [
      'no IPv6 metadata in deny list',
      { deniedPeerRanges: deniedPeerRanges('10.40.0.0/16').filter((d) => d.cidr !== 'fc00::/7') },
      /must cover fd00:ec2::254/,
    ],
  ])('%s', (_name, change, message) => {
    expect(() => renderTurnConfig({ ...literal, ...change })).toThrow(TurnConfigError);
    expect(() => renderTurnConfig({ ...literal, ...change })).toThrow(message);
  });
});

test('rendering is deterministic', () => {
  expect(renderTurnConfig(production)).toBe(renderTurnConfig(production));
});

test('the reviewer view is the production file, placeholders kept', () => {
  const settings = { ...DEFAULT_RELAY_TURN_SETTINGS, realm: 'turn.example.org', vpcCidr: '10.40.0.0/16' };
  expect(reviewTurnConfig(settings)).toBe(renderTurnConfig(productionTurnOptions(settings)));
});
