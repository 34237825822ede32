/** The `relay.rotation` config block and how it reaches the Relay stack. */
import { Template } from 'aws-cdk-lib/assertions';
import { ConfigError, validateConfig } from '../../config';
import { example } from '../../config/example';
import { composeHipaaRtc } from '../../lib/hipaa-rtc-app';
import { FIXED_TODAY, newTestApp } from '../helpers/test-app';

const withRotation = (rotation: unknown) => ({ ...example, relay: { ...example.relay, rotation } });
const problems = (input: unknown): readonly string[] => {
  try {
    validateConfig('test', input);
  } catch (error) {
    return (error as ConfigError).problems;
  }
  return [];
};

test('the example rotates every 30 days', () => {
  expect(validateConfig('example', example).relay.rotation).toEqual({ intervalDays: 30 });
});

test.each<[string, unknown, RegExp]>([
  ['a missing block', undefined, /^relay\.rotation: /],
  ['one day', { intervalDays: 1 }, /^relay\.rotation\.intervalDays: must be at least 2 days/],
  [
    'more than Secrets Manager allows',
    { intervalDays: 1001 },
    /^relay\.rotation\.intervalDays: must be at most 1000 days/,
  ],
  ['a fraction', { intervalDays: 7.5 }, /^relay\.rotation\.intervalDays: /],
  ['an unknown key', { intervalDays: 30, rotateNow: true }, /^relay\.rotation\.rotateNow: is not a known setting/],
])('refuses %s, naming the field', (_name, rotation, message) => {
  expect(problems(withRotation(rotation))).toEqual([expect.stringMatching(message)]);
});

test('the configured interval becomes the rotation schedule', () => {
  const app = newTestApp();
  const config = validateConfig('test', withRotation({ intervalDays: 90 }));
  const built = composeHipaaRtc(app, config, { today: FIXED_TODAY, registerPacks: false });
  Template.fromStack(built.relay).hasResourceProperties('AWS::SecretsManager::RotationSchedule', {
    RotationRules: { ScheduleExpression: 'rate(90 days)' },
  });
});

test('an interval the overlap does not fit in stops synth with the bound', () => {
  // 2 days is the schema minimum; with a one-day relay pickup the overlap needs 3.
  const config = validateConfig('test', {
    ...example,
    relay: { ...example.relay, rotation: { intervalDays: 2 }, relayPickupSeconds: 86_400 },
  });
  expect(() => composeHipaaRtc(newTestApp(), config, { today: FIXED_TODAY, registerPacks: false })).toThrow(
    /RelayStack settings are invalid:[\s\S]*rotation\.intervalDays is 2.*use at least 3 days/,
  );
});
