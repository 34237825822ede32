import { readRotationSettings, rotationEnvironment } from '../../lib/relay/rotation-settings';

const ARN = 'arn:aws:secretsmanager:us-east-1:111111111111:secret:turn-AbCdEf';
const ENV = {
  TURN_SECRET_ARN: ARN,
  MAX_CREDENTIAL_TTL_SECONDS: '3600',
  CLOCK_SKEW_SECONDS: '300',
  RELAY_PICKUP_SECONDS: '1800',
};

test('reads the secret and the policy', () => {
  expect(readRotationSettings(ENV)).toEqual({
    secretArn: ARN,
    policy: { maxCredentialTtlSeconds: 3600, clockSkewSeconds: 300, relayPickupSeconds: 1800 },
    replicaRegions: [],
  });
});

test('is the inverse of the environment the stack renders', () => {
  expect(rotationEnvironment(readRotationSettings(ENV))).toEqual(ENV);
});

test('every problem is named with its variable', () => {
  expect(() =>
    readRotationSettings({ TURN_SECRET_ARN: 'turn', MAX_CREDENTIAL_TTL_SECONDS: '0', CLOCK_SKEW_SECONDS: '-1' }),
  ).toThrow(
    /misconfigured.*TURN_SECRET_ARN must be.*MAX_CREDENTIAL_TTL_SECONDS must be.*>= 1.*CLOCK_SKEW_SECONDS must be.*RELAY_PICKUP_SECONDS must be/,
  );
});

test('GovCloud and China partitions are ARNs too', () => {
  for (const partition of ['aws-us-gov', 'aws-cn']) {
    const arn = ARN.replace('arn:aws:', `arn:${partition}:`);
    expect(readRotationSettings({ ...ENV, TURN_SECRET_ARN: arn }).secretArn).toBe(arn);
  }
});

describe('replica regions', () => {
  test('absent or empty: none, and the environment is exactly the single-region one (no REPLICA_REGIONS)', () => {
    expect(readRotationSettings(ENV).replicaRegions).toEqual([]);
    expect(readRotationSettings({ ...ENV, REPLICA_REGIONS: '' }).replicaRegions).toEqual([]);
    const policy = readRotationSettings(ENV).policy;
    expect(rotationEnvironment({ secretArn: ARN, policy })).toEqual(ENV);
    expect(rotationEnvironment({ secretArn: ARN, policy, replicaRegions: [] })).toEqual(ENV);
  });

  test('a comma-separated list, round-tripped in order', () => {
    const env = { ...ENV, REPLICA_REGIONS: 'us-west-2,eu-central-1,us-gov-west-1' };
    const settings = readRotationSettings(env);
    expect(settings.replicaRegions).toEqual(['us-west-2', 'eu-central-1', 'us-gov-west-1']);
    expect(rotationEnvironment(settings)).toEqual(env);
  });

  test.each([
    ['a blank from a stray comma', 'us-west-2,', /REPLICA_REGIONS holds '', not a region code/],
    ['spaces', 'us-west-2, eu-west-1', /REPLICA_REGIONS holds ' eu-west-1', not a region code/],
    ['an availability zone', 'us-west-2a', /REPLICA_REGIONS holds 'us-west-2a'/],
    ['a region twice', 'us-west-2,us-west-2', /REPLICA_REGIONS names a region twice/],
    ['the home region', 'us-east-1', /REPLICA_REGIONS names us-east-1, the secret's own region/],
  ])('fails closed on %s, naming the variable', (_name, value, message) => {
    expect(() => readRotationSettings({ ...ENV, REPLICA_REGIONS: value })).toThrow(message);
    expect(() => readRotationSettings({ ...ENV, REPLICA_REGIONS: value })).toThrow(/misconfigured/);
  });

  test('the stack side refuses what the function would refuse, so a bad list fails the synth', () => {
    const policy = readRotationSettings(ENV).policy;
    expect(() => rotationEnvironment({ secretArn: ARN, policy, replicaRegions: ['us-west-2', 'US-WEST-2'] })).toThrow(
      /replicaRegions holds 'US-WEST-2', not a region code/,
    );
    expect(() => rotationEnvironment({ secretArn: ARN, policy, replicaRegions: ['us-west-2', 'us-west-2'] })).toThrow(
      /replicaRegions names a region twice/,
    );
  });
});
