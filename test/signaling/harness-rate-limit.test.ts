/**
 * Integration: per-connection rate limits through real `ws` clients, the production routes and the DynamoDB counter
 * on dynalite. The limiter's clock is the test's, so "the next window" is a step, not a sleep. Loopback only.
 */
import type { RateLimits } from '../../lib/signaling/rate-limit';
import { startSignalingHarness, type SignalingHarness } from '../../src/dev/harness';
import { connect, type TestClient } from './ws-client';

jest.setTimeout(20_000);

const LIMITS: RateLimits = {
  join: { requests: 2, perSeconds: 60 },
  signal: { requests: 10, perSeconds: 10 },
  iceServers: { requests: 3, perSeconds: 60 },
};
// 2030-01-01T00:00:05Z: five seconds into a window of every length used here.
let now = Date.UTC(2030, 0, 1) + 5_000;
const nextMinute = () => (now = (Math.floor(now / 60_000) + 1) * 60_000 + 5_000);

let harness: SignalingHarness;
const open: TestClient[] = [];
let roomSequence = 0;
let room = '';

beforeAll(async () => {
  harness = await startSignalingHarness({ maxRoomSize: 2, rateLimits: LIMITS, rateLimitClock: () => now });
});
beforeEach(() => {
  room = `room-ratelimit-${++roomSequence}`;
  nextMinute();
});
afterEach(async () => {
  await Promise.all(open.splice(0).map((client) => client.close()));
});
afterAll(async () => {
  await harness?.stop();
});

async function client(sub: string): Promise<TestClient> {
  const c = await connect(harness.url, { token: await harness.issuer.issueToken({ sub, rooms: [room] }) });
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
