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
