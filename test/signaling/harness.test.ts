/**
 * Integration: real `ws` clients against the local harness (the production route code, the real authorizer with
 * JWKS over HTTP, and the DynamoDB store on DynamoDB Local). Loopback only; every wait has a timeout.
 */
import { createHmac } from 'node:crypto';
import { decodeJwt } from 'jose';
import { startSignalingHarness, type SignalingHarness } from '../../tools/dev/harness';
import { MAX_FRAME_BYTES } from '../../lib/signaling/messages';
import { turnPseudonym } from '../../lib/signaling/turn-pseudonym';
import { connect, refusedStatus, type TestClient } from './ws-client';

jest.setTimeout(20_000);

// Fresh rooms per test, so a disconnect still settling from the previous test cannot change the room's count.
let ROOM_A = '';
let ROOM_B = '';
let roomSequence = 0;
beforeEach(() => {
  roomSequence += 1;
  ROOM_A = `room-aaaaaaaa-${roomSequence}`;
  ROOM_B = `room-bbbbbbbb-${roomSequence}`;
});
const SUB = (n: number) => `0f8fad5b-d9cb-469f-a165-70867728950${n}`;

let harness: SignalingHarness;
const open: TestClient[] = [];

beforeAll(async () => {
  harness = await startSignalingHarness({ maxRoomSize: 2, turn: { ttlSeconds: 600 } });
});

afterEach(async () => {
  await Promise.all(open.splice(0).map((client) => client.close()));
});

afterAll(async () => {
  await harness?.stop();
});

async function client(sub: string, rooms: string[] = [ROOM_A]): Promise<TestClient> {
  const token = await harness.issuer.issueToken({ sub, rooms });
  const c = await connect(harness.url, { token });
  open.push(c);
  return c;
}

async function joined(c: TestClient, roomId = ROOM_A): Promise<any> {
  const reply = await c.request({ action: 'join', roomId });
  expect(reply).toMatchObject({ type: 'joined', roomId });
  return reply;
}

describe('connect', () => {
  test('binds to 127.0.0.1 only', () => {
    expect(new URL(harness.url).hostname).toBe('127.0.0.1');
  });

  test('a missing token is refused with 401', async () => {
    expect(await refusedStatus(harness.url)).toBe(401);
  });

  test('a token parameter given twice is refused with 401, even when the last one is valid', async () => {
    const valid = await harness.issuer.issueToken({ sub: SUB(1), rooms: [ROOM_A] });
    expect(await refusedStatus(`${harness.url}/?token=bad&token=${valid}`)).toBe(401);
    expect(await refusedStatus(`${harness.url}/?token=${valid}&token=${valid}`)).toBe(401);
    // The same token once connects.
    (await client(SUB(1))).close();
  });

  test('expired, wrong-audience, wrong-issuer and forged tokens are refused with 401', async () => {
    const expired = await harness.issuer.issueToken({ sub: SUB(1), rooms: [ROOM_A], expiresIn: -120 });
    const wrongAudience = await harness.issuer.issueToken({ sub: SUB(1), rooms: [ROOM_A], audience: 'someone-else' });
    const wrongIssuer = await harness.issuer.issueToken({
      sub: SUB(1),
      rooms: [ROOM_A],
      issuer: 'https://evil.example',
    });
    const good = await harness.issuer.issueToken({ sub: SUB(1), rooms: [ROOM_A] });
    const [header, payload] = good.split('.');
    const forgedPayload = Buffer.from(
      JSON.stringify({ ...JSON.parse(Buffer.from(payload, 'base64url').toString()), rooms: [ROOM_A, ROOM_B] }),
    ).toString('base64url');
    const forged = `${header}.${forgedPayload}.${good.split('.')[2]}`;
    const unsigned = `${Buffer.from(JSON.stringify({ alg: 'none' })).toString('base64url')}.${payload}.`;
    for (const token of [expired, wrongAudience, wrongIssuer, forged, unsigned, 'not-a-jwt']) {
      expect(await refusedStatus(harness.url, { token })).toBe(401);
    }
  });

  test('a subject that is an e-mail address or a phone number is refused with 401', async () => {
    for (const sub of ['jane.doe@example.com', '+1 (555) 010-9999', 'Jane Doe']) {
      const token = await harness.issuer.issueToken({ sub, rooms: [ROOM_A] });
      expect(await refusedStatus(harness.url, { token })).toBe(401);
    }
  });

  test('with the default token source (query), a token only in Sec-WebSocket-Protocol is refused with 401', async () => {
    const token = await harness.issuer.issueToken({ sub: SUB(1), rooms: [ROOM_A] });
    expect(await refusedStatus(harness.url, { protocols: ['hipaa-rtc.signaling.v1', `bearer.${token}`] })).toBe(401);
  });
});

describe('a connection whose token expires', () => {
  let clockHarness: SignalingHarness;
  let skewMs = 0;
  beforeAll(async () => {
    // Only the routes' clock moves; the authorizer checks the token at $connect against the real one.
    clockHarness = await startSignalingHarness({ maxRoomSize: 2, routeClock: () => Date.now() + skewMs });
  });
  afterAll(async () => {
    await clockHarness?.stop();
  });

  test('keeps its call but can no longer join or get TURN credentials (exp carried from the authorizer)', async () => {
    const token = await clockHarness.issuer.issueToken({ sub: SUB(7), rooms: [ROOM_A], expiresIn: 120 });
    const c = await connect(clockHarness.url, { token });
    open.push(c);
    // 100 s of authority left (120 s + 30 s tolerance - 50 s): the credential stops there, not at the 600 s cap.
    skewMs = 50_000;
    const ice = await c.request({ action: 'ice-servers' });
    expect(ice).toMatchObject({ type: 'ice-servers' });
    // Ends with the token's authority (exp + 30 s, give or take the second the request straddles), however long the
    // steps above took on a loaded machine; and well inside the server's 600 s cap.
    const exp = decodeJwt(token).exp as number;
    expect(ice.expiresAt).toBeGreaterThanOrEqual(exp + 29);
    expect(ice.expiresAt).toBeLessThanOrEqual(exp + 30);
    expect(ice.ttlSeconds).toBeLessThanOrEqual(100);
    // Past exp and the tolerance.
    skewMs = 151_000;
    expect(await c.request({ action: 'join', roomId: ROOM_A })).toMatchObject({ type: 'error', code: 'token-expired' });
    expect(await c.request({ action: 'ice-servers' })).toMatchObject({ type: 'error', code: 'token-expired' });
    // Leave is still answered (here: not in a room), so the connection itself was not cut off.
    expect(await c.request({ action: 'leave' })).toMatchObject({ type: 'error', code: 'not-in-room' });
  });
});

describe('connect with tokenSource protocol-header (tokens kept out of URLs)', () => {
  let headerHarness: SignalingHarness;
  beforeAll(async () => {
    headerHarness = await startSignalingHarness({ maxRoomSize: 2, tokenSource: 'protocol-header' });
  });
  afterAll(async () => {
    await headerHarness?.stop();
  });

  test('the token rides in Sec-WebSocket-Protocol; the server echoes only the signaling subprotocol', async () => {
    const token = await headerHarness.issuer.issueToken({ sub: SUB(1), rooms: [ROOM_A] });
    const c = await connect(headerHarness.url, { protocols: ['hipaa-rtc.signaling.v1', `bearer.${token}`] });
    open.push(c);
    expect(c.ws.protocol).toBe('hipaa-rtc.signaling.v1');
    const reply = await c.request({ action: 'join', roomId: ROOM_A });
    expect(reply).toMatchObject({ type: 'joined', roomId: ROOM_A });
  });

  test('a valid token in the URL is refused with 401, with or without the subprotocol header', async () => {
    const token = await headerHarness.issuer.issueToken({ sub: SUB(2), rooms: [ROOM_A] });
    expect(await refusedStatus(headerHarness.url, { token })).toBe(401);
    expect(await refusedStatus(headerHarness.url, { token, protocols: ['hipaa-rtc.signaling.v1'] })).toBe(401);
  });

  test('a forged token in the header is refused with 401', async () => {
    const token = await headerHarness.issuer.issueToken({ sub: SUB(3), rooms: [ROOM_A] });
    const [header, payload] = token.split('.');
    const forged = `${header}.${payload}.${'A'.repeat(86)}`;
    expect(await refusedStatus(headerHarness.url, { protocols: ['hipaa-rtc.signaling.v1', `bearer.${forged}`] })).toBe(
      401,
    );
  });
});

describe('rooms and relay', () => {
  test('join, then offer/answer/candidate relay between two peers, then leave', async () => {
    const alice = await client(SUB(1));
    const bob = await client(SUB(2));
    const aliceJoin = await joined(alice);
    expect(aliceJoin.peers).toEqual([]);
    const bobJoin = await joined(bob);
    expect(bobJoin.peers).toEqual([aliceJoin.connectionId]);
    const peerJoined = await alice.next((m) => m.type === 'peer-joined');
    expect(peerJoined.connectionId).toBe(bobJoin.connectionId);

    const offer = { type: 'offer', sdp: 'v=0\r\no=- 1 2 IN IP4 192.0.2.10\r\n' };
    expect(
      await alice.request({ action: 'signal', to: bobJoin.connectionId, kind: 'offer', payload: offer }),
    ).toMatchObject({
      type: 'signal-sent',
    });
    expect(await bob.next((m) => m.type === 'signal')).toEqual({
      type: 'signal',
      from: aliceJoin.connectionId,
      kind: 'offer',
      payload: offer,
    });

    await bob.request({ action: 'signal', to: aliceJoin.connectionId, kind: 'answer', payload: 'v=0\r\n' });
    expect(await alice.next((m) => m.type === 'signal')).toMatchObject({
      from: bobJoin.connectionId,
      kind: 'answer',
      payload: 'v=0\r\n',
    });

    const candidate = {
      candidate: 'candidate:1 1 udp 2122260223 192.0.2.10 54400 typ host',
      sdpMid: '0',
      sdpMLineIndex: 0,
    };
    await bob.request({ action: 'signal', to: aliceJoin.connectionId, kind: 'candidate', payload: candidate });
    expect(await alice.next((m) => m.type === 'signal')).toMatchObject({ kind: 'candidate', payload: candidate });

    expect(await bob.request({ action: 'leave' })).toMatchObject({ type: 'left', roomId: ROOM_A });
    expect(await alice.next((m) => m.type === 'peer-left')).toMatchObject({ connectionId: bobJoin.connectionId });
    expect(await harness.store.listMembers(ROOM_A)).toEqual([aliceJoin.connectionId]);
    // After leaving, the former peer can no longer be signaled.
    expect(
      await alice.request({ action: 'signal', to: bobJoin.connectionId, kind: 'offer', payload: 'x' }),
    ).toMatchObject({
      type: 'error',
      code: 'peer-not-in-room',
    });
  });

  test('disconnect removes the connection and its membership and tells the room', async () => {
    const alice = await client(SUB(1));
    const bob = await client(SUB(2));
    const a = await joined(alice);
    const b = await joined(bob);
    await bob.close();
    expect(await alice.next((m) => m.type === 'peer-left')).toMatchObject({ connectionId: b.connectionId });
    expect(await harness.store.getConnection(b.connectionId)).toBeUndefined();
    expect(await harness.store.listMembers(ROOM_A)).toEqual([a.connectionId]);
  });

  test('a peer whose $disconnect never ran is cleaned up when delivery finds it gone (410)', async () => {
    const alice = await client(SUB(1));
    const bob = await client(SUB(2));
    const a = await joined(alice);
    const b = await joined(bob);
    harness.dropWithoutDisconnect(b.connectionId);
    await bob.closed();
    expect(await harness.store.listMembers(ROOM_A)).toContain(b.connectionId);
    expect(await alice.request({ action: 'signal', to: b.connectionId, kind: 'offer', payload: 'x' })).toMatchObject({
      type: 'error',
      code: 'peer-gone',
    });
    expect(await harness.store.getConnection(b.connectionId)).toBeUndefined();
    expect(await harness.store.listMembers(ROOM_A)).toEqual([a.connectionId]);
    // The seat came back: a new peer fits in the two-person room.
    const carol = await client(SUB(3));
    await joined(carol);
  });

  test('signaling a peer in another room is refused and nothing is delivered', async () => {
    const alice = await client(SUB(1), [ROOM_A, ROOM_B]);
    const mallory = await client(SUB(4), [ROOM_B]);
    await joined(alice, ROOM_A);
    const m = await joined(mallory, ROOM_B);
    const a = await alice.request({ action: 'ice-servers' }); // any round trip, to learn nothing new
    expect(a.type).toBe('ice-servers');
    const aliceId = (await harness.store.listMembers(ROOM_A))[0];
    expect(await mallory.request({ action: 'signal', to: aliceId, kind: 'offer', payload: 'x' })).toMatchObject({
      type: 'error',
      code: 'peer-not-in-room',
    });
    expect(await alice.silence((msg) => msg.type === 'signal', 300)).toBe(true);
    expect(m.peers).toEqual([]);
  });

  test('signaling before joining is refused', async () => {
    const alice = await client(SUB(1));
    expect(
      await alice.request({ action: 'signal', to: 'AAAAAAAAAAAAAAAA', kind: 'offer', payload: 'x' }),
    ).toMatchObject({
      type: 'error',
      code: 'not-in-room',
    });
  });

  test('a re-join of the room one is in answers already-in-room, also when the room is full, and takes no seat', async () => {
    const alice = await client(SUB(1));
    const bob = await client(SUB(2));
    const a = await joined(alice);
    await joined(bob);
    expect(await bob.request({ action: 'join', roomId: ROOM_A })).toMatchObject({
      type: 'error',
      code: 'already-in-room',
      message: 'You are already in this room.',
    });
    expect((await harness.store.listMembers(ROOM_A)).length).toBe(2);
    expect(await harness.store.listMembers(ROOM_A)).toContain(a.connectionId);
  });

  test('a full room refuses the next peer', async () => {
    const peers = await Promise.all([client(SUB(1)), client(SUB(2)), client(SUB(3))]);
    await joined(peers[0]);
    await joined(peers[1]);
    expect(await peers[2].request({ action: 'join', roomId: ROOM_A })).toMatchObject({
      type: 'error',
      code: 'room-full',
    });
    expect(await harness.store.listMembers(ROOM_A)).toHaveLength(2);
  });

  test('concurrent joins never exceed the cap', async () => {
    const peers = await Promise.all([1, 2, 3, 4, 5].map((n) => client(SUB(n))));
    const replies = await Promise.all(peers.map((p) => p.request({ action: 'join', roomId: ROOM_A })));
    expect(replies.filter((r) => r.type === 'joined')).toHaveLength(harness.maxRoomSize);
    expect(replies.filter((r) => r.code === 'room-full')).toHaveLength(5 - harness.maxRoomSize);
  });

  test('a room the token does not grant is refused', async () => {
    const alice = await client(SUB(1), [ROOM_A]);
    expect(await alice.request({ action: 'join', roomId: ROOM_B })).toMatchObject({
      type: 'error',
      code: 'room-not-authorized',
    });
  });
});

describe('malformed frames', () => {
  test('bad JSON, unknown action, missing fields and oversized payloads get error codes; the connection survives', async () => {
    const alice = await client(SUB(1));
    alice.sendRaw('{not json');
    expect(await alice.next((m) => m.type === 'error')).toMatchObject({ code: 'bad-json' });
    expect(await alice.request({ action: 'dance' })).toMatchObject({ type: 'error', code: 'unknown-action' });
    expect(await alice.request({ action: 'join' })).toMatchObject({ type: 'error', code: 'invalid-message' });
    expect(await alice.request({ action: 'signal', to: 'x', kind: 'offer' })).toMatchObject({
      code: 'invalid-message',
    });
    const big = 'é'.repeat(MAX_FRAME_BYTES / 2 + 10); // under the limit in characters, over it in bytes
    // Oversized frames are refused before parsing, so the error carries the gateway's request id.
    alice.send({ action: 'signal', to: 'AAAA', kind: 'offer', payload: big });
    const oversized = await alice.next((m) => m.code === 'payload-too-large');
    expect(oversized).toMatchObject({ type: 'error', code: 'payload-too-large' });
    expect(JSON.stringify(oversized)).not.toContain('é');
    // Still usable afterwards.
    await joined(alice);
  });

  test('a payload 5,000 levels deep is refused up front with the limit named: no internal error, no delivery, no budget', async () => {
    const alice = await client(SUB(1));
    const bob = await client(SUB(2));
    await joined(alice);
    const bobJoin = await joined(bob);
    const deep = `{"a":${'['.repeat(4999)}1${']'.repeat(4999)}}`;
    alice.sendRaw(
      `{"action":"signal","to":"${bobJoin.connectionId}","kind":"candidate","payload":${deep},"requestId":"deep-1"}`,
    );
    expect(await alice.next((m) => m.requestId === 'deep-1')).toEqual({
      type: 'error',
      code: 'invalid-message',
      message: 'Invalid signal message: payload: nests deeper than 8 levels',
      requestId: 'deep-1',
    });
    // Bob received nothing, and a retry with a sane payload goes through at once.
    expect(
      await alice.request({ action: 'signal', to: bobJoin.connectionId, kind: 'candidate', payload: 'c' }),
    ).toMatchObject({
      type: 'signal-sent',
    });
    const received = await bob.next((m) => m.type === 'signal');
    expect(received).toMatchObject({ payload: 'c' });
  });

  test('a message over the gateway limit closes the socket with 1009, like API Gateway', async () => {
    const alice = await client(SUB(1));
    alice.sendRaw('x'.repeat(129 * 1024));
    expect(await alice.closed()).toBe(1009);
  });
});

describe('ice-servers', () => {
  test('returns turn:/turns: URLs and a credential that verifies with the relay secret, capped in TTL', async () => {
    const alice = await client(SUB(1));
    const before = Math.floor(Date.now() / 1000);
    const reply = await alice.request({ action: 'ice-servers', ttlSeconds: 86_400 });
    expect(reply.type).toBe('ice-servers');
    expect(reply.ttlSeconds).toBe(600);
    const [server] = reply.iceServers;
    expect(server.urls).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^turn:.*transport=udp$/),
        expect.stringMatching(/^turn:.*transport=tcp$/),
        expect.stringMatching(/^turns:/),
      ]),
    );
    const [expiry, id] = server.username.split(':');
    // A keyed pseudonym of the subject, never the subject.
    expect(id).toBe(turnPseudonym(harness.pseudonymKey, SUB(1)));
    expect(server.username).not.toContain(SUB(1));
    expect(Number(expiry) - before).toBeLessThanOrEqual(601);
    expect(Number(expiry) - before).toBeGreaterThanOrEqual(599);
    expect(server.credential).toBe(createHmac('sha1', harness.turnSecret).update(server.username).digest('base64'));
  });

  test('client-supplied username or extra fields are refused, and a shorter TTL is honoured', async () => {
    const alice = await client(SUB(1));
    expect(await alice.request({ action: 'ice-servers', username: 'x' })).toMatchObject({ code: 'invalid-message' });
    const reply = await alice.request({ action: 'ice-servers', ttlSeconds: 120 });
    expect(reply.ttlSeconds).toBe(120);
  });
});

describe('settings outside the deployment bounds', () => {
  test.each([
    [{ maxRoomSize: 51 }, /maxRoomSize is 51; use a whole number from 2 to 50/],
    [{ maxRoomSize: 1 }, /maxRoomSize is 1; use a whole number from 2 to 50/],
    [{ turn: { ttlSeconds: 7201 } }, /turn\.ttlSeconds is 7201; use a whole number from 60 to 7200/],
  ])('%j is refused before the harness starts, as a deploy would refuse it', async (options, message) => {
    await expect(startSignalingHarness(options)).rejects.toThrow(message);
  });
});
