/** The pure rate-limit rules: windows, bounds, the RATE_LIMITS format, and the limiter over an in-memory counter. */
import {
  counterExpiresAt,
  DEFAULT_RATE_LIMITS,
  formatRateLimits,
  parseRateLimits,
  rateLimitProblems,
  RateLimiter,
  rateWindow,
  retryAfterSeconds,
  type RateCounter,
  type RateLimits,
} from '../../lib/signaling/rate-limit';
import { rateCounterItemKey } from '../../lib/signaling/rate-counter';
import { MemoryRateCounter } from './fakes';

// 2030-01-01T00:00:00Z: a multiple of every window length used below.
const T0 = Date.UTC(2030, 0, 1);

const LIMITS: RateLimits = {
  join: { requests: 2, perSeconds: 60 },
  signal: { requests: 10, perSeconds: 10 },
  iceServers: { requests: 3, perSeconds: 60 },
};

describe('windows', () => {
  test('are aligned to the epoch, so every instance computes the same window', () => {
    expect(rateWindow(T0, 60)).toEqual({ index: T0 / 60_000, endsAtMs: T0 + 60_000 });
    expect(rateWindow(T0 + 59_999, 60).index).toBe(T0 / 60_000);
    expect(rateWindow(T0 + 60_000, 60).index).toBe(T0 / 60_000 + 1);
  });

  test('retry-after counts whole seconds to the window end, never less than 1', () => {
    const window = rateWindow(T0 + 15_500, 60);
    expect(retryAfterSeconds(T0 + 15_500, window)).toBe(45);
    expect(retryAfterSeconds(T0 + 59_999, window)).toBe(1);
  });

  test('counter items may be swept one window after theirs ends', () => {
    expect(counterExpiresAt(rateWindow(T0 + 1000, 60), 60)).toBe(T0 / 1000 + 120);
  });

  test('counter items are keyed by connection (L#, apart from C# records), action and window', () => {
    expect(rateCounterItemKey({ connectionId: 'abc=', action: 'ice-servers', window: 7 })).toEqual({
      pk: 'L#abc=',
      sk: 'ice-servers#7',
    });
  });
});

describe('bounds', () => {
  test('the defaults are valid', () => {
    expect(rateLimitProblems(DEFAULT_RATE_LIMITS)).toEqual([]);
  });

  test.each<[string, RateLimits, RegExp]>([
    ['zero requests', { ...LIMITS, join: { requests: 0, perSeconds: 60 } }, /rateLimits\.join\.requests is 0/],
    ['a fraction', { ...LIMITS, iceServers: { requests: 1.5, perSeconds: 60 } }, /iceServers\.requests/],
    ['too many requests', { ...LIMITS, iceServers: { requests: 5000, perSeconds: 60 } }, /from 1 to 1000/],
    ['a window over an hour', { ...LIMITS, join: { requests: 2, perSeconds: 7200 } }, /join\.perSeconds is 7200/],
    ['a zero window', { ...LIMITS, signal: { requests: 50, perSeconds: 0 } }, /signal\.perSeconds/],
    ['too few signals for call setup', { ...LIMITS, signal: { requests: 5, perSeconds: 10 } }, /at least 10/],
  ])('refuses %s, naming the setting', (_name, limits, message) => {
    expect(rateLimitProblems(limits).join('\n')).toMatch(message);
  });

  test('a missing action is named', () => {
    const partial: Partial<Record<keyof RateLimits, unknown>> = { ...LIMITS };
    delete partial.iceServers;
    expect(rateLimitProblems(partial as unknown as RateLimits)).toEqual([
      'rateLimits.iceServers is missing; set { requests, perSeconds }',
    ]);
  });
});

describe('RATE_LIMITS', () => {
  test('round-trips through the environment format', () => {
    expect(formatRateLimits(DEFAULT_RATE_LIMITS)).toBe('join=10/60,signal=100/10,ice-servers=10/60');
    expect(parseRateLimits(formatRateLimits(LIMITS))).toEqual(LIMITS);
    expect(parseRateLimits(' join=2/60 , signal=10/10, ice-servers=3/60 ')).toEqual(LIMITS);
  });

  test.each([
    ['', /join is missing; signal is missing; ice-servers is missing/],
    ['join=2/60,signal=10/10', /ice-servers is missing/],
    ['join=2/60,signal=10/10,ice-servers=3/60,leave=1/1', /"leave" is not a limited action/],
    ['join=2/60,join=3/60,signal=10/10,ice-servers=3/60', /join is listed twice/],
    ['join=2,signal=10/10,ice-servers=3/60', /"join=2" is not <action>=<requests>\/<seconds>/],
    ['join=2/60,signal=1/10,ice-servers=3/60', /at least 10/],
  ])('refuses %p', (text, message) => {
    expect(() => parseRateLimits(text)).toThrow(/^RATE_LIMITS is invalid/);
    expect(() => parseRateLimits(text)).toThrow(message);
  });
});

describe('RateLimiter', () => {
  function setup(counter: RateCounter = new MemoryRateCounter()) {
    let now = T0 + 5_000;
    const limiter = new RateLimiter(counter, LIMITS, () => now);
    return { limiter, advance: (ms: number) => (now += ms) };
  }

  test('admits the budget, refuses the rest of the window with the time to wait, and resets in the next window', async () => {
    const { limiter, advance } = setup();
    for (let i = 0; i < 3; i++) expect(await limiter.admit('A', 'ice-servers')).toEqual({ admitted: true });
    expect(await limiter.admit('A', 'ice-servers')).toEqual({
      admitted: false,
      retryAfterSeconds: 55,
      limit: LIMITS.iceServers,
    });
    advance(54_000);
    expect(await limiter.admit('A', 'ice-servers')).toMatchObject({ admitted: false, retryAfterSeconds: 1 });
    advance(1_000);
    expect(await limiter.admit('A', 'ice-servers')).toEqual({ admitted: true });
  });

  test('budgets are per connection and per action', async () => {
    const { limiter } = setup();
    for (let i = 0; i < 3; i++) await limiter.admit('A', 'ice-servers');
    expect((await limiter.admit('A', 'ice-servers')).admitted).toBe(false);
    expect((await limiter.admit('B', 'ice-servers')).admitted).toBe(true);
    expect((await limiter.admit('A', 'join')).admitted).toBe(true);
    expect((await limiter.admit('A', 'signal')).admitted).toBe(true);
  });

  test('hammering does not extend the wait: the next window starts a fresh count', async () => {
    const { limiter, advance } = setup();
    const admitted = [];
    for (let i = 0; i < 50; i++) admitted.push((await limiter.admit('A', 'join')).admitted);
    expect(admitted.filter(Boolean)).toHaveLength(2);
    advance(60_000);
    expect((await limiter.admit('A', 'join')).admitted).toBe(true);
    expect((await limiter.admit('A', 'join')).admitted).toBe(true);
    expect((await limiter.admit('A', 'join')).admitted).toBe(false);
  });

  test('a counter failure propagates, so the route fails closed', async () => {
    const broken: RateCounter = { hit: () => Promise.reject(new Error('table unavailable')) };
    await expect(setup(broken).limiter.admit('A', 'ice-servers')).rejects.toThrow('table unavailable');
  });

  test('the counter is asked with the window index, the budget and an expiry after the window', async () => {
    const calls: unknown[] = [];
    const spy: RateCounter = {
      hit: async (...args) => {
        calls.push(args);
        return true;
      },
    };
    await setup(spy).limiter.admit('A', 'signal');
    expect(calls).toEqual([
      [{ connectionId: 'A', action: 'signal', window: (T0 + 5_000 - 5_000) / 10_000 }, 10, T0 / 1000 + 20],
    ]);
  });
});
