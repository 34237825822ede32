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
  perUser: { join: { requests: 4, perSeconds: 60 }, iceServers: { requests: 5, perSeconds: 60 } },
};
const withPerUser = (perUser: Partial<RateLimits['perUser']>): RateLimits => ({
  ...LIMITS,
  perUser: { ...LIMITS.perUser, ...perUser },
});

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

  test('counter items are keyed by scope and subject under L# (apart from C# records), action and window', () => {
    expect(
      rateCounterItemKey({ subject: { scope: 'connection', id: 'abc=' }, action: 'ice-servers', window: 7 }),
    ).toEqual({ pk: 'L#C#abc=', sk: 'ice-servers#7' });
    expect(
      rateCounterItemKey({
        subject: { scope: 'user', id: '0f8fad5b-d9cb-469f-a165-70867728950e' },
        action: 'join',
        window: 7,
      }),
    ).toEqual({ pk: 'L#U#0f8fad5b-d9cb-469f-a165-70867728950e', sk: 'join#7' });
  });

  test('a connection id and a sub can never produce the same counter key, even when crafted to', () => {
    // Ids that embed the other scope's tag, or look like a whole key: the scope tag right after L# still differs.
    const ids = ['abc=', 'U#abc=', 'C#abc=', 'L#U#abc=', 'U#', 'C#', 'x', 'C', 'U', '#', ''];
    const pks = (scope: 'connection' | 'user') =>
      ids.map((id) => rateCounterItemKey({ subject: { scope, id }, action: 'join', window: 1 }).pk);
    const connection = pks('connection');
    const user = pks('user');
    for (const pk of connection) expect(pk.startsWith('L#C#')).toBe(true);
    for (const pk of user) expect(pk.startsWith('L#U#')).toBe(true);
    expect(connection.filter((pk) => user.includes(pk))).toEqual([]);
    // And both stay under the one prefix the ice-servers policy names.
    for (const pk of [...connection, ...user]) expect(pk.startsWith('L#')).toBe(true);
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

  test.each<[string, RateLimits, RegExp]>([
    [
      'a zero per-user join budget',
      withPerUser({ join: { requests: 0, perSeconds: 60 } }),
      /rateLimits\.perUser\.join\.requests is 0; use an integer from 1 to 1000/,
    ],
    [
      'a per-user window over an hour',
      withPerUser({ iceServers: { requests: 10, perSeconds: 7200 } }),
      /rateLimits\.perUser\.iceServers\.perSeconds is 7200; use an integer from 1 to 3600/,
    ],
    [
      'too many per-user requests',
      withPerUser({ iceServers: { requests: 1001, perSeconds: 60 } }),
      /rateLimits\.perUser\.iceServers\.requests is 1001/,
    ],
  ])('refuses %s, naming the per-user setting', (_name, limits, message) => {
    expect(rateLimitProblems(limits).join('\n')).toMatch(message);
  });

  test('a per-user rate below the per-connection rate is refused, saying why and what to change', () => {
    // 2 per 60 s per user against 3 per 60 s per connection: the user's budget would refuse one connection first.
    expect(rateLimitProblems(withPerUser({ iceServers: { requests: 2, perSeconds: 60 } }))).toEqual([
      'rateLimits.perUser.iceServers is 2 per 60 s, below the per-connection rateLimits.iceServers ' +
        "(3 per 60 s: a lower rate or fewer requests per window), so a single connection would be refused by its user's " +
        'budget before its own and the per-connection budget would mean nothing; raise perUser.iceServers to at ' +
        'least as many requests at at least the same rate (for example 3 per 60 s) or lower rateLimits.iceServers',
    ]);
    // The same rate in a shorter window is refused too: 1 per 30 s would refuse a connection's second join, which its
    // own 2 per 60 s admits.
    expect(rateLimitProblems(withPerUser({ join: { requests: 1, perSeconds: 30 } }))).toEqual([
      expect.stringMatching(
        /^rateLimits\.perUser\.join is 1 per 30 s, below the per-connection rateLimits\.join \(2 per 60 s/,
      ),
    ]);
    // Rates are compared as well as counts: 4 per 130 s is below 2 per 60 s, 4 per 120 s is not.
    expect(rateLimitProblems(withPerUser({ join: { requests: 4, perSeconds: 130 } }))).toEqual([
      expect.stringMatching(/^rateLimits\.perUser\.join is 4 per 130 s, below .*\(2 per 60 s/),
    ]);
    expect(rateLimitProblems(withPerUser({ join: { requests: 4, perSeconds: 120 } }))).toEqual([]);
    // Equal is allowed (the per-user budget then only bites with a second connection).
    expect(rateLimitProblems(withPerUser({ join: LIMITS.join, iceServers: LIMITS.iceServers }))).toEqual([]);
    // Both at once are both named.
    expect(
      rateLimitProblems(
        withPerUser({ join: { requests: 1, perSeconds: 60 }, iceServers: { requests: 1, perSeconds: 60 } }),
      ),
    ).toEqual([
      expect.stringMatching(/^rateLimits\.perUser\.join is 1 per 60 s/),
      expect.stringMatching(/^rateLimits\.perUser\.iceServers is 1 per 60 s/),
    ]);
  });

  test('a missing action is named', () => {
    const partial: Partial<Record<keyof RateLimits, unknown>> = { ...LIMITS };
    delete partial.iceServers;
    expect(rateLimitProblems(partial as unknown as RateLimits)).toEqual([
      'rateLimits.iceServers is missing; set { requests, perSeconds }',
    ]);
  });

  test('missing per-user budgets are named', () => {
    const noPerUser: Partial<Record<keyof RateLimits, unknown>> = { ...LIMITS };
    delete noPerUser.perUser;
    expect(rateLimitProblems(noPerUser as unknown as RateLimits)).toEqual([
      'rateLimits.perUser is missing; set { join, iceServers }, each { requests, perSeconds }',
    ]);
    const noJoin = { ...LIMITS, perUser: { iceServers: LIMITS.perUser.iceServers } };
    expect(rateLimitProblems(noJoin as unknown as RateLimits)).toEqual([
      'rateLimits.perUser.join is missing; set { requests, perSeconds }',
    ]);
  });
});

describe('RATE_LIMITS', () => {
  const TEXT = 'join=2/60,signal=10/10,ice-servers=3/60,user:join=4/60,user:ice-servers=5/60';

  test('round-trips through the environment format, per-user budgets with a user: prefix', () => {
    expect(formatRateLimits(DEFAULT_RATE_LIMITS)).toBe(
      'join=10/60,signal=100/10,ice-servers=10/60,user:join=30/60,user:ice-servers=30/60',
    );
    expect(parseRateLimits(formatRateLimits(DEFAULT_RATE_LIMITS))).toEqual(DEFAULT_RATE_LIMITS);
    expect(formatRateLimits(LIMITS)).toBe(TEXT);
    expect(parseRateLimits(formatRateLimits(LIMITS))).toEqual(LIMITS);
    const odd = withPerUser({ join: { requests: 1000, perSeconds: 3600 }, iceServers: { requests: 7, perSeconds: 1 } });
    expect(parseRateLimits(formatRateLimits(odd))).toEqual(odd);
    // Order and spacing do not matter.
    expect(
      parseRateLimits(' user:ice-servers=5/60 , ice-servers=3/60, join=2/60,user:join=4/60 ,signal=10/10 '),
    ).toEqual(LIMITS);
  });

  test.each([
    [
      '',
      /join is missing; signal is missing; ice-servers is missing; user:join is missing; user:ice-servers is missing/,
    ],
    ['join=2/60,signal=10/10,user:join=4/60,user:ice-servers=5/60', /ice-servers is missing/],
    [
      'join=2/60,signal=10/10,ice-servers=3/60',
      /: user:join is missing; user:ice-servers is missing$/, // a variable from before the per-user budgets
    ],
    [`${TEXT},leave=1/1`, /"leave" is not a limited action/],
    [
      `${TEXT},user:signal=100/10`,
      /"user:signal" is not an action with a per-user budget \(user:join, user:ice-servers\)/,
    ],
    [`${TEXT},user:leave=1/1`, /"user:leave" is not an action with a per-user budget/],
    [`join=3/60,${TEXT}`, /join is listed twice/],
    [`${TEXT},user:join=6/60`, /user:join is listed twice/],
    [
      TEXT.replace('join=2/60', 'join=2'),
      /"join=2" is not <action>=<requests>\/<seconds> or user:<action>=<requests>\/<seconds>/,
    ],
    [TEXT.replace('user:join', 'User:join'), /"User:join=4\/60" is not/],
    [TEXT.replace('user:join', 'user: join'), /"user: join=4\/60" is not/],
    [TEXT.replace('signal=10/10', 'signal=1/10'), /at least 10/],
    [TEXT.replace('user:join=4/60', 'user:join=0/60'), /rateLimits\.perUser\.join\.requests is 0/],
    [
      TEXT.replace('user:ice-servers=5/60', 'user:ice-servers=2/60'),
      /perUser\.iceServers is 2 per 60 s, below the per-connection/,
    ],
  ])('refuses %p', (text, message) => {
    expect(() => parseRateLimits(text)).toThrow(/^RATE_LIMITS is invalid/);
    expect(() => parseRateLimits(text)).toThrow(message);
  });

  test('names every syntax problem at once', () => {
    expect(() => parseRateLimits('join=2/60,join=2/60,user:signal=1/1,ice-servers=x')).toThrow(
      'RATE_LIMITS is invalid: join is listed twice; "user:signal" is not an action with a per-user budget ' +
        '(user:join, user:ice-servers); "ice-servers=x" is not <action>=<requests>/<seconds> or ' +
        'user:<action>=<requests>/<seconds>; signal is missing; ice-servers is missing; user:join is missing; ' +
        'user:ice-servers is missing',
    );
  });
});

describe('RateLimiter', () => {
  function setup(counter: RateCounter = new MemoryRateCounter(), limits: RateLimits = LIMITS) {
    let now = T0 + 5_000;
    const limiter = new RateLimiter(counter, limits, () => now);
    return { limiter, advance: (ms: number) => (now += ms) };
  }
  const ALICE = 'sub-alice-0f8fad5b';
  const BOB = 'sub-bob-7c9e6679';
  const on = (connectionId: string, sub = ALICE) => ({ connectionId, sub });

  test('admits the budget, refuses the rest of the window with the time to wait, and resets in the next window', async () => {
    const { limiter, advance } = setup();
    for (let i = 0; i < 3; i++) expect(await limiter.admit(on('A'), 'ice-servers')).toEqual({ admitted: true });
    expect(await limiter.admit(on('A'), 'ice-servers')).toEqual({
      admitted: false,
      scope: 'connection',
      retryAfterSeconds: 55,
      limit: LIMITS.iceServers,
    });
    advance(54_000);
    expect(await limiter.admit(on('A'), 'ice-servers')).toMatchObject({ admitted: false, retryAfterSeconds: 1 });
    advance(1_000);
    expect(await limiter.admit(on('A'), 'ice-servers')).toEqual({ admitted: true });
  });

  test('connection budgets are per connection and per action', async () => {
    const { limiter } = setup();
    for (let i = 0; i < 3; i++) await limiter.admit(on('A'), 'ice-servers');
    expect(await limiter.admit(on('A'), 'ice-servers')).toMatchObject({ admitted: false, scope: 'connection' });
    expect((await limiter.admit(on('B', BOB), 'ice-servers')).admitted).toBe(true);
    expect((await limiter.admit(on('A'), 'join')).admitted).toBe(true);
    expect((await limiter.admit(on('A'), 'signal')).admitted).toBe(true);
  });

  test("two connections of one user share the user's budget, each still under its own", async () => {
    const { limiter } = setup();
    // ice-servers: 3 per connection, 5 per user. A takes 3, B takes 2: the user's 5 are used up.
    for (let i = 0; i < 3; i++) expect((await limiter.admit(on('A'), 'ice-servers')).admitted).toBe(true);
    for (let i = 0; i < 2; i++) expect((await limiter.admit(on('B'), 'ice-servers')).admitted).toBe(true);
    // B has used 2 of its own 3, so it is the user's budget that refuses, with the user's limit.
    expect(await limiter.admit(on('B'), 'ice-servers')).toEqual({
      admitted: false,
      scope: 'user',
      retryAfterSeconds: 55,
      limit: LIMITS.perUser.iceServers,
    });
    // A third, fresh connection of the same user is refused too: opening connections does not buy budget.
    expect(await limiter.admit(on('C'), 'ice-servers')).toMatchObject({ admitted: false, scope: 'user' });
    // join has its own per-user count.
    for (let i = 0; i < 2; i++) expect((await limiter.admit(on('A'), 'join')).admitted).toBe(true);
    for (let i = 0; i < 2; i++) expect((await limiter.admit(on('B'), 'join')).admitted).toBe(true);
    expect(await limiter.admit(on('C'), 'join')).toMatchObject({
      admitted: false,
      scope: 'user',
      limit: LIMITS.perUser.join,
    });
  });

  test('two users do not share a budget', async () => {
    const { limiter } = setup();
    for (const id of ['A', 'B']) for (let i = 0; i < 3; i++) await limiter.admit(on(id), 'ice-servers');
    expect(await limiter.admit(on('C'), 'ice-servers')).toMatchObject({ admitted: false, scope: 'user' });
    for (let i = 0; i < 3; i++) expect((await limiter.admit(on('D', BOB), 'ice-servers')).admitted).toBe(true);
    expect(await limiter.admit(on('D', BOB), 'ice-servers')).toMatchObject({ admitted: false, scope: 'connection' });
    expect((await limiter.admit(on('E', BOB), 'ice-servers')).admitted).toBe(true);
  });

  test('the user budget resets with its own window', async () => {
    const { limiter, advance } = setup();
    for (const id of ['A', 'B']) for (let i = 0; i < 3; i++) await limiter.admit(on(id), 'ice-servers');
    expect((await limiter.admit(on('C'), 'ice-servers')).admitted).toBe(false);
    advance(55_000);
    expect((await limiter.admit(on('C'), 'ice-servers')).admitted).toBe(true);
  });

  test('when both budgets refuse, the answer is the later reset (and the user on a tie)', async () => {
    // Connection: 2 per 60 s; user: 10 per 300 s (a higher rate, a longer window).
    const limits = withPerUser({ join: { requests: 10, perSeconds: 300 } });
    const { limiter } = setup(new MemoryRateCounter(), limits);
    // T0+5 s: fill the user's budget from five connections, two each (each connection is now at its own limit too).
    for (const id of ['A', 'B', 'C', 'D', 'E']) for (let i = 0; i < 2; i++) await limiter.admit(on(id), 'join');
    // A is over both: its connection window ends in 55 s, the user's in 295 s. The later one is what it must wait.
    expect(await limiter.admit(on('A'), 'join')).toEqual({
      admitted: false,
      scope: 'user',
      retryAfterSeconds: 295,
      limit: limits.perUser.join,
    });
    // Equal windows: both refuse at the same moment; the user's budget is named (a new connection would not help).
    const tie = setup(new MemoryRateCounter(), withPerUser({ join: { requests: 2, perSeconds: 60 } })).limiter;
    for (let i = 0; i < 2; i++) await tie.admit(on('A'), 'join');
    expect(await tie.admit(on('A'), 'join')).toMatchObject({ admitted: false, scope: 'user', retryAfterSeconds: 55 });
    // When only the connection refuses, the connection is named even though the user's window is longer.
    const fresh = setup(new MemoryRateCounter(), limits).limiter;
    for (let i = 0; i < 2; i++) await fresh.admit(on('A'), 'join');
    expect(await fresh.admit(on('A'), 'join')).toMatchObject({
      admitted: false,
      scope: 'connection',
      retryAfterSeconds: 55,
    });
  });

  test('signal has no user count: only the connection is counted', async () => {
    const counter = new MemoryRateCounter();
    const { limiter } = setup(counter);
    // Two connections of one user each get the full signal budget.
    for (const id of ['A', 'B']) {
      for (let i = 0; i < 10; i++) expect((await limiter.admit(on(id), 'signal')).admitted).toBe(true);
      expect(await limiter.admit(on(id), 'signal')).toMatchObject({ admitted: false, scope: 'connection' });
    }
    expect([...counter.hits.keys()].every((key) => key.startsWith('L#C#'))).toBe(true);
    expect(counter.hits.size).toBe(2);
  });

  test('hammering does not extend the wait: the next window starts a fresh count', async () => {
    const { limiter, advance } = setup();
    const admitted = [];
    for (let i = 0; i < 50; i++) admitted.push((await limiter.admit(on('A'), 'join')).admitted);
    expect(admitted.filter(Boolean)).toHaveLength(2);
    advance(60_000);
    expect((await limiter.admit(on('A'), 'join')).admitted).toBe(true);
    expect((await limiter.admit(on('A'), 'join')).admitted).toBe(true);
    expect((await limiter.admit(on('A'), 'join')).admitted).toBe(false);
  });

  test('a counter failure propagates, so the route fails closed', async () => {
    const broken: RateCounter = { hit: () => Promise.reject(new Error('table unavailable')) };
    await expect(setup(broken).limiter.admit(on('A'), 'ice-servers')).rejects.toThrow('table unavailable');
  });

  test('a failing user count fails closed even when the connection count admits', async () => {
    const memory = new MemoryRateCounter();
    const userFails: RateCounter = {
      hit: (key, limit) =>
        key.subject.scope === 'user' ? Promise.reject(new Error('user count unavailable')) : memory.hit(key, limit),
    };
    const { limiter } = setup(userFails);
    await expect(limiter.admit(on('A'), 'ice-servers')).rejects.toThrow('user count unavailable');
    await expect(limiter.admit(on('A'), 'join')).rejects.toThrow('user count unavailable');
    // The connection was counted (the two counts run together), and signal, with no user count, still works.
    expect(memory.hits.get('L#C#A|ice-servers#' + Math.floor((T0 + 5_000) / 60_000))).toBe(1);
    expect((await limiter.admit(on('A'), 'signal')).admitted).toBe(true);
  });

  test('a caller without a sub is refused by an error, not counted in a shared bucket', async () => {
    const counter = new MemoryRateCounter();
    await expect(setup(counter).limiter.admit(on('A', ''), 'join')).rejects.toThrow(/sub/);
    expect(counter.hits.size).toBe(0);
  });

  test('the two counts are sent together, not one after the other', async () => {
    const started: string[] = [];
    const release: (() => void)[] = [];
    const held: RateCounter = {
      hit: (key) => {
        started.push(key.subject.scope);
        return new Promise((resolve) => release.push(() => resolve(true)));
      },
    };
    const verdict = setup(held).limiter.admit(on('A'), 'ice-servers');
    await Promise.resolve();
    // Both counts are in flight before either has answered.
    expect(started).toEqual(['connection', 'user']);
    for (const r of release) r();
    expect(await verdict).toEqual({ admitted: true });
  });

  test('the counter is asked with the subject, the window index, the budget and an expiry after the window', async () => {
    const calls: unknown[] = [];
    const spy: RateCounter = {
      hit: async (...args) => {
        calls.push(args);
        return true;
      },
    };
    await setup(spy).limiter.admit(on('A'), 'signal');
    expect(calls).toEqual([
      [
        { subject: { scope: 'connection', id: 'A' }, action: 'signal', window: (T0 + 5_000 - 5_000) / 10_000 },
        10,
        T0 / 1000 + 20,
      ],
    ]);
    calls.length = 0;
    await setup(spy).limiter.admit(on('A'), 'ice-servers');
    const window = Math.floor((T0 + 5_000) / 60_000);
    expect(calls).toEqual([
      [{ subject: { scope: 'connection', id: 'A' }, action: 'ice-servers', window }, 3, T0 / 1000 + 120],
      [{ subject: { scope: 'user', id: ALICE }, action: 'ice-servers', window }, 5, T0 / 1000 + 120],
    ]);
  });
});
