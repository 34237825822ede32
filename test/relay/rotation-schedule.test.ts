import { ADVANCE_INTERVAL_MINUTES, rotationIntervalProblems } from '../../lib/relay/rotation-schedule';
import { minimumRotationIntervalSeconds, type RotationPolicy } from '../../lib/relay/secret-rotation';

const EXAMPLE: RotationPolicy = { maxCredentialTtlSeconds: 3600, clockSkewSeconds: 300, relayPickupSeconds: 1800 };
const SLOWEST: RotationPolicy = { maxCredentialTtlSeconds: 7200, clockSkewSeconds: 300, relayPickupSeconds: 86_400 };

test('the example policy rotates safely every 2 days or more, never daily', () => {
  expect(rotationIntervalProblems(30, EXAMPLE)).toEqual([]);
  expect(rotationIntervalProblems(2, EXAMPLE)).toEqual([]);
  expect(rotationIntervalProblems(1, EXAMPLE)).toEqual([expect.stringMatching(/come 0 s apart.*use at least 2 days/)]);
});

test('the boundary: the closest two rotations must be further apart than one overlap', () => {
  // Overlap = 86,400 + 30 (stamp slack) + 7,200 + 300 + 2 advance periods = 94,530 s; 2 days can be 86,400 s
  // apart, 3 days 172,800 s.
  expect(minimumRotationIntervalSeconds(SLOWEST) + 2 * ADVANCE_INTERVAL_MINUTES * 60).toBe(94_530);
  expect(rotationIntervalProblems(2, SLOWEST)).toEqual([
    expect.stringMatching(/overlap lasts up to 94530 s .*use at least 3 days, or shorten relayPickupSeconds/),
  ]);
  expect(rotationIntervalProblems(3, SLOWEST)).toEqual([]);
});

test.each([0, -3, 2.5, 1001])('refuses %p days', (days) => {
  expect(rotationIntervalProblems(days, EXAMPLE)).toEqual([
    expect.stringMatching(/whole number of days from 1 to 1000/),
  ]);
});
