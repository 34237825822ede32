/** The Relay stack's settings check, without building a stack (lib/relay/relay-settings.ts). */
import { GRAVITON_INSTANCE_TYPE, isGravitonInstanceType } from '../../lib/relay/graviton';
import {
  DEFAULT_ROTATION_INTERVAL_DAYS,
  relaySettingsProblems,
  rotationIntervalDays,
  validateRelaySettings,
  type RelaySettings,
} from '../../lib/relay/relay-settings';
import { RELAY_TEST_SETTINGS } from './helpers/relay-settings';

const DIGEST = `sha256:${'b'.repeat(64)}`;
const VALID: RelaySettings = RELAY_TEST_SETTINGS;
const problems = (change: Partial<RelaySettings>, digest = DIGEST) =>
  relaySettingsProblems({ ...VALID, ...change }, digest);

describe('Graviton instance types', () => {
  test.each(['c7gn.large', 'c7g.medium', 'm7g.xlarge', 't4g.micro', 'r8gd.2xlarge', 'c6gn.16xlarge'])(
    '%s is Graviton',
    (type) => {
      expect(isGravitonInstanceType(type)).toBe(true);
      expect(problems({ instanceType: type })).toEqual([]);
    },
  );

  test.each(['c7i.large', 'm5.large', 'c7gn', 'C7GN.large', 'c7gn.large ', 'graviton.large', ''])(
    '"%s" is refused',
    (type) => {
      expect(isGravitonInstanceType(type)).toBe(false);
      expect(problems({ instanceType: type })).toEqual([`instanceType ${type} is not Graviton`]);
    },
  );

  test('the pattern is stateless (no global flag), so repeated tests agree', () => {
    expect(GRAVITON_INSTANCE_TYPE.flags).toBe('');
    expect([1, 2, 3].map(() => isGravitonInstanceType('c7gn.large'))).toEqual([true, true, true]);
  });
});

describe('relaySettingsProblems', () => {
  test('the example settings have none', () => {
    expect(problems({})).toEqual([]);
    expect(() => validateRelaySettings(VALID, DIGEST)).not.toThrow();
  });

  test.each<[string, Partial<RelaySettings>, string]>([
    ['no relay', { minCapacity: 0 }, 'minCapacity must be an integer >= 1'],
    ['a fractional minimum', { minCapacity: 1.5 }, 'minCapacity must be an integer >= 1'],
    ['max below min', { maxCapacity: 1 }, 'maxCapacity must be >= minCapacity'],
    ['a fractional maximum', { maxCapacity: 6.5 }, 'maxCapacity must be >= minCapacity'],
    ['a zero scaling target', { targetBytesOutPerSecond: 0 }, 'targetBytesOutPerSecond must be positive'],
    ['a NaN scaling target', { targetBytesOutPerSecond: Number.NaN }, 'targetBytesOutPerSecond must be positive'],
    ['an IPv6 VPC', { vpcCidr: '2001:db8::/32' }, 'vpcCidr must be IPv4'],
    ['a non-canonical VPC CIDR', { vpcCidr: '10.40.0.1/16' }, 'vpcCidr: "10.40.0.1/16" has host bits set'],
    ['not a CIDR', { vpcCidr: 'nope' }, 'vpcCidr: "nope" is not a CIDR block'],
    ['a rotation interval the overlap does not fit', { rotationIntervalDays: 1 }, 'rotation.intervalDays is 1'],
  ])('refuses %s', (_name, change, message) => {
    const found = problems(change);
    expect(found).toHaveLength(1);
    expect(found[0]).toContain(message);
  });

  test.each(['latest', `sha256:${'B'.repeat(64)}`, `sha256:${'b'.repeat(63)}`, `${DIGEST}\n`, `repo@${DIGEST}`])(
    'refuses the image reference %j (relays run a digest, never a tag)',
    (digest) => {
      expect(problems({}, digest)).toEqual(['coturnImageDigest must be sha256:<64 hex>']);
    },
  );

  test('one error lists every problem, so a bad config is fixed in one pass', () => {
    expect(() => validateRelaySettings({ ...VALID, instanceType: 'c7i.large', maxCapacity: 1 }, 'latest')).toThrow(
      'RelayStack settings are invalid:\n' +
        '  - instanceType c7i.large is not Graviton\n' +
        '  - maxCapacity must be >= minCapacity\n' +
        '  - coturnImageDigest must be sha256:<64 hex>',
    );
  });
});

test('the rotation interval is the setting, else the default', () => {
  expect(rotationIntervalDays(VALID)).toBe(DEFAULT_ROTATION_INTERVAL_DAYS);
  expect(DEFAULT_ROTATION_INTERVAL_DAYS).toBe(30);
  expect(rotationIntervalDays({ ...VALID, rotationIntervalDays: 90 })).toBe(90);
});
