/**
 * Integration: per-connection and per-user rate limits through real `ws` clients, the production routes and the
 * DynamoDB counter on dynalite. The limiter's clock is the test's, so "the next window" is a step, not a sleep.
 * Loopback only.
 *
 * Two harnesses: the per-connection tests run with per-user budgets too large to interfere (a burst on one connection
 * also counts against its user, and under concurrency the two counts may see the requests in different orders, so
 * "exactly 3 of 20" only holds when the user's budget is out of the way); the per-user tests run with small ones.
 */
import type { RateLimits } from '../../lib/signaling/rate-limit';
import { startSignalingHarness, type SignalingHarness } from '../../tools/dev/harness';
import { connect, type TestClient } from './ws-client';

jest.setTimeout(20_000);

const LIMITS: RateLimits = {
  join: { requests: 2, perSeconds: 60 },
  signal: { requests: 10, perSeconds: 10 },
  iceServers: { requests: 3, perSeconds: 60 },
  perUser: { join: { requests: 100, perSeconds: 60 }, iceServers: { requests: 100, perSeconds: 60 } },
};
/** Per user: 5 ice-servers and 3 joins a minute, across all of a user's connections (each still 3 and 2 on its own). */
const USER_LIMITS: RateLimits = {
  ...LIMITS,
  perUser: { join: { requests: 3, perSeconds: 60 }, iceServers: { requests: 5, perSeconds: 60 } },
};
// 2030-01-01T00:00:05Z: five seconds into a window of every length used here.
let now = Date.UTC(2030, 0, 1) + 5_000;
const nextMinute = () => (now = (Math.floor(now / 60_000) + 1) * 60_000 + 5_000);

let harness: SignalingHarness;
let userHarness: SignalingHarness;
const open: TestClient[] = [];
let roomSequence = 0;
let room = '';

beforeAll(async () => {
  [harness, userHarness] = await Promise.all([
    startSignalingHarness({ maxRoomSize: 2, rateLimits: LIMITS, rateLimitClock: () => now }),
    startSignalingHarness({ maxRoomSize: 2, rateLimits: USER_LIMITS, rateLimitClock: () => now }),
  ]);
});
beforeEach(() => {
  room = `room-ratelimit-${++roomSequence}`;
  nextMinute();
});
afterEach(async () => {
  await Promise.all(open.splice(0).map((client) => client.close()));
});
afterAll(async () => {
  await Promise.all([harness?.stop(), userHarness?.stop()]);
});

async function client(sub: string, on: SignalingHarness = harness): Promise<TestClient> {
  const c = await connect(on.url, { token: await on.issuer.issueToken({ sub, rooms: [room] }) });
  open.push(c);
  return c;
}
const SUB = (n: number) => `0f8fad5b-d9cb-469f-a165-70867728951${n}`;

test('ice-servers: the budget holds, the refusal says when to retry, and the next window resets it', async () => {
  const alice = await client(SUB(1));
  for (let i = 0; i < 3; i++) expect((await alice.request({ action: 'ice-servers' })).type).toBe('ice-servers');
  alice.send({ action: 'ice-servers', requestId: 'over-budget' });
  const refused = await alice.next((m) => m.requestId === 'over-budget');
  expect(refused).toEqual({
    type: 'error',
    code: 'rate-limited',
    message: 'Too many ice-servers requests on this connection (at most 3 per 60 s); retry in 55 s.',
    requestId: 'over-budget',
    retryAfterSeconds: 55,
  });
  expect(JSON.stringify(refused)).not.toMatch(/username|credential/);
  // Per connection: the same user's second connection has its own budget.
  const aliceAgain = await client(SUB(1));
  expect((await aliceAgain.request({ action: 'ice-servers' })).type).toBe('ice-servers');
  nextMinute();
  expect((await alice.request({ action: 'ice-servers' })).type).toBe('ice-servers');
});

test('concurrent requests on one connection are counted exactly (a conditional write, not read-then-write)', async () => {
  const alice = await client(SUB(1));
  const answers = await Promise.all(Array.from({ length: 20 }, () => alice.request({ action: 'ice-servers' })));
  expect(answers.filter((a) => a.type === 'ice-servers')).toHaveLength(3);
  expect(answers.filter((a) => a.code === 'rate-limited')).toHaveLength(17);
});

test('signal: a flood stops at the budget and the peer receives nothing more until the window resets', async () => {
  const alice = await client(SUB(1));
  const bob = await client(SUB(2));
  const a = await alice.request({ action: 'join', roomId: room });
  const b = await bob.request({ action: 'join', roomId: room });
  expect(b.peers).toEqual([a.connectionId]);
  const send = (n: number) =>
    alice.request({ action: 'signal', to: b.connectionId, kind: 'candidate', payload: `candidate:${n}` });
  const answers = [];
  for (let n = 0; n < 12; n++) answers.push(await send(n));
  expect(answers.map((x) => x.type)).toEqual([...Array(10).fill('signal-sent'), 'error', 'error']);
  expect(answers[10]).toMatchObject({ code: 'rate-limited', retryAfterSeconds: 5 });
  for (let n = 0; n < 10; n++)
    expect(await bob.next((m) => m.type === 'signal')).toMatchObject({ payload: `candidate:${n}` });
  expect(await bob.silence((m) => m.type === 'signal', 300)).toBe(true);
  now += 5_000; // the 10-second signal window ends
  expect(await send(99)).toMatchObject({ type: 'signal-sent' });
  expect(await bob.next((m) => m.type === 'signal')).toMatchObject({ payload: 'candidate:99' });
});

test('join: a join/leave loop is cut off, so peers stop receiving peer-joined', async () => {
  const alice = await client(SUB(1));
  const bob = await client(SUB(2));
  await bob.request({ action: 'join', roomId: room });
  for (let i = 0; i < 2; i++) {
    expect(await alice.request({ action: 'join', roomId: room })).toMatchObject({ type: 'joined' });
    expect(await alice.request({ action: 'leave' })).toMatchObject({ type: 'left' });
  }
  expect(await alice.request({ action: 'join', roomId: room })).toMatchObject({ type: 'error', code: 'rate-limited' });
  for (let i = 0; i < 2; i++) await bob.next((m) => m.type === 'peer-joined');
  expect(await bob.silence((m) => m.type === 'peer-joined', 300)).toBe(true);
  expect(await harness.store.listMembers(room)).toHaveLength(1);
  nextMinute();
  expect(await alice.request({ action: 'join', roomId: room })).toMatchObject({ type: 'joined' });
});

describe("per user: one user's connections share the join and ice-servers budgets", () => {
  const ACCOUNT_REFUSAL = {
    type: 'error',
    code: 'rate-limited',
    message:
      'Too many ice-servers requests for your account, across all its connections (at most 5 per 60 s); retry in 55 s.',
    retryAfterSeconds: 55,
  };

  test('ice-servers: several connections exhaust the user budget while each is under its own; another user is unaffected', async () => {
    const alice = await Promise.all([1, 2, 3].map(() => client(SUB(1), userHarness)));
    const bob = await client(SUB(2), userHarness);
    // 2 + 2 + 1 = the user's 5; no connection has reached its own 3.
    const minted = [];
    for (const [connection, times] of [
      [alice[0], 2],
      [alice[1], 2],
      [alice[2], 1],
    ] as const) {
      for (let i = 0; i < times; i++) minted.push(await connection.request({ action: 'ice-servers' }));
    }
    expect(minted.map((m) => m.type)).toEqual(Array(5).fill('ice-servers'));
    // Every connection, including the one that has used a single request, is now refused by the account budget.
    for (const [n, connection] of alice.entries()) {
      connection.send({ action: 'ice-servers', requestId: `over-account-${n}` });
      const refused = await connection.next((m) => m.requestId === `over-account-${n}`);
      expect(refused).toEqual({ ...ACCOUNT_REFUSAL, requestId: `over-account-${n}` });
      expect(JSON.stringify(refused)).not.toMatch(/username|credential|iceServers/);
      expect(JSON.stringify(refused)).not.toContain(SUB(1));
    }
    // A fresh connection does not buy a fresh budget.
    const another = await client(SUB(1), userHarness);
    expect(await another.request({ action: 'ice-servers' })).toMatchObject({
      code: 'rate-limited',
      message: ACCOUNT_REFUSAL.message,
    });
    // Nothing was minted for the refused requests: no credential arrived on any of the user's connections.
    for (const connection of [...alice, another]) {
      expect(await connection.silence((m) => m.type === 'ice-servers', 200)).toBe(true);
    }
    // Bob's budget is his own: his connection gets its full 3, then its own connection budget refuses.
    for (let i = 0; i < 3; i++) expect((await bob.request({ action: 'ice-servers' })).type).toBe('ice-servers');
    expect(await bob.request({ action: 'ice-servers' })).toMatchObject({
      code: 'rate-limited',
      message: expect.stringMatching(/^Too many ice-servers requests on this connection \(at most 3 per 60 s\)/),
    });
    // The next window restores the user's budget.
    nextMinute();
    expect((await alice[2].request({ action: 'ice-servers' })).type).toBe('ice-servers');
  });

  test('join: a join/leave loop spread over connections is cut off at the user budget, so peers stop hearing it', async () => {
    const bob = await client(SUB(2), userHarness);
    await bob.request({ action: 'join', roomId: room });
    const [first, second] = await Promise.all([client(SUB(1), userHarness), client(SUB(1), userHarness)]);
    // 2 joins on the first connection (its own limit), then 1 on the second: the user's 3.
    for (const connection of [first, first, second]) {
      expect(await connection.request({ action: 'join', roomId: room })).toMatchObject({ type: 'joined' });
      expect(await connection.request({ action: 'leave' })).toMatchObject({ type: 'left' });
    }
    // The second connection has used 1 of its own 2, but the account has none left: no seat, no announcement.
    expect(await second.request({ action: 'join', roomId: room })).toMatchObject({
      type: 'error',
      code: 'rate-limited',
      message: expect.stringMatching(/^Too many join requests for your account, across all its connections/),
    });
    for (let i = 0; i < 3; i++) await bob.next((m) => m.type === 'peer-joined');
    expect(await bob.silence((m) => m.type === 'peer-joined', 300)).toBe(true);
    expect(await userHarness.store.listMembers(room)).toHaveLength(1);
  });
});
