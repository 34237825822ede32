/** The benchmark's open-loop arrival plan: reproducible, within the ramp, and at the stated mean rate. */
import { pacedPlan, seededRandom } from '../../tools/dev/paced-schedule';

const OPTIONS = { clients: 100, signalsPerClient: 20, ratePerSecond: 5, rampSeconds: 2, seed: 7 };

test('the same seed gives the same plan; another seed another', () => {
  expect(pacedPlan(OPTIONS)).toEqual(pacedPlan(OPTIONS));
  expect(pacedPlan({ ...OPTIONS, seed: 8 }).callStartsMs).not.toEqual(pacedPlan(OPTIONS).callStartsMs);
});

test('one start per call, within the ramp; one gap per signal per client', () => {
  const plan = pacedPlan(OPTIONS);
  expect(plan.callStartsMs).toHaveLength(50);
  for (const start of plan.callStartsMs) {
    expect(start).toBeGreaterThanOrEqual(0);
    expect(start).toBeLessThan(2000);
  }
  expect(plan.signalGapsMs).toHaveLength(100);
  for (const gaps of plan.signalGapsMs) expect(gaps).toHaveLength(20);
});

test('gaps are exponential with the stated mean (Poisson arrivals at the stated rate)', () => {
  const gaps = pacedPlan({ ...OPTIONS, signalsPerClient: 200 }).signalGapsMs.flat();
  const mean = gaps.reduce((a, b) => a + b, 0) / gaps.length;
  // 20,000 samples: the standard error of the mean is 200 ms / sqrt(20,000), about 1.4 ms.
  expect(mean).toBeGreaterThan(195);
  expect(mean).toBeLessThan(205);
  // An exponential's median is ln 2 times its mean.
  const median = [...gaps].sort((a, b) => a - b)[gaps.length / 2];
  expect(median / mean).toBeGreaterThan(0.66);
  expect(median / mean).toBeLessThan(0.73);
  expect(Math.min(...gaps)).toBeGreaterThanOrEqual(0);
});

test('the random source is uniform in [0, 1)', () => {
  const random = seededRandom(1);
  const samples = Array.from({ length: 10_000 }, random);
  expect(Math.min(...samples)).toBeGreaterThanOrEqual(0);
  expect(Math.max(...samples)).toBeLessThan(1);
  const below = samples.filter((x) => x < 0.5).length;
  expect(below).toBeGreaterThan(4800);
  expect(below).toBeLessThan(5200);
});

test.each([
  [{ clients: 3 }, /even number/],
  [{ ratePerSecond: 0 }, /positive number of signals per second/],
  [{ rampSeconds: -1 }, /zero or more seconds/],
  [{ signalsPerClient: 1.5 }, /whole number/],
])('refuses %p with what to change', (override, message) => {
  expect(() => pacedPlan({ ...OPTIONS, ...override })).toThrow(message);
});
