/** Handler unit tests: the route functions with injected fakes, including the never-log-the-payload guarantee. */
import { DEFAULT_RATE_LIMITS, RateLimiter, type RateLimits } from '../../lib/signaling/rate-limit';
import { RoomService } from '../../lib/signaling/rooms';
import {
  authorizerRoute,
  connectRoute,
  disconnectRoute,
  messageRoute,
  type RouteDeps,
  type WebSocketEvent,
} from '../../lib/signaling/routes';
import { readAuthSettings, readRoomSettings } from '../../lib/signaling/settings';
import { StaticPseudonymKeyProvider, turnPseudonym } from '../../lib/signaling/turn-pseudonym';
import { StaticTurnSecretProvider, type TurnSecretProvider } from '../../lib/signaling/turn-secret';
import { turnPassword } from '../../lib/signaling/turn-credentials';
import { CapturingLog, MemoryConnectionStore, MemoryRateCounter, RecordingMessenger } from './fakes';

const SUB = '0f8fad5b-d9cb-469f-a165-70867728950e';
const ROOM = 'room-0123456789';
const SECRET = 'relay-shared-secret-0123456789-abcdef';
const NOW = 1_800_000_000_000;
const SENTINEL = 'SENTINEL-198.51.100.77-SDP';
const PSEUDONYM_KEY = 'pseudonym-key-0123456789-abcdefghijklmnop';

function setup(overrides: { secrets?: TurnSecretProvider; rateLimits?: RateLimits; clock?: () => number } = {}) {
  const store = new MemoryConnectionStore();
  const counter = new MemoryRateCounter();
  const limiter = new RateLimiter(counter, overrides.rateLimits ?? DEFAULT_RATE_LIMITS, overrides.clock ?? (() => NOW));
  const messenger = new RecordingMessenger();
  const log = new CapturingLog();
  const rooms = new RoomService(store, messenger, { maxRoomSize: 2, connectionTtlSeconds: 7200 }, () => NOW);
  const turn = {
    secrets: overrides.secrets ?? new StaticTurnSecretProvider(SECRET),
    pseudonymKey: new StaticPseudonymKeyProvider(PSEUDONYM_KEY),
    urls: ['turn:relay.test:3478?transport=udp'],
    ttlSeconds: 900,
  };
  const deps: RouteDeps = { rooms: () => rooms, turn: () => turn, limiter: () => limiter, log, nowMs: () => NOW };
  return { store, messenger, log, deps, counter };
}

// The token outlives the server's TTL cap (900 s) here; 'after the token expires' covers the other way round.
const authorizer = { sub: SUB, rooms: ROOM, exp: 1_800_003_000, principalId: SUB };
const event = (
  connectionId: string,
  routeKey: string,
  body?: string,
  extra: Partial<WebSocketEvent> = {},
): WebSocketEvent => ({
  requestContext: { connectionId, requestId: `gw-${routeKey}`, routeKey, authorizer },
  body,
  ...extra,
});
const reply = (response: { body?: string }) => JSON.parse(response.body ?? 'null');

describe('connect and disconnect', () => {
  test('$connect registers the connection and echoes the signaling subprotocol only when offered', async () => {
    const { deps, store } = setup();
    const plain = await connectRoute(deps, event('A', '$connect'));
    expect(plain).toEqual({ statusCode: 200 });
    expect(store.connections.get('A')?.sub).toBe(SUB);
    const offered = await connectRoute(
      deps,
      event('B', '$connect', undefined, {
        headers: { 'Sec-WebSocket-Protocol': 'hipaa-rtc.signaling.v1, bearer.secret-token' },
      }),
    );
    expect(offered.headers).toEqual({ 'Sec-WebSocket-Protocol': 'hipaa-rtc.signaling.v1' });
  });

  test('$connect without an authorizer identity is refused', async () => {
    const { deps, store } = setup();
    const response = await connectRoute(deps, {
      requestContext: { connectionId: 'A', requestId: 'r', routeKey: '$connect' },
    });
    expect(response.statusCode).toBe(401);
    expect(store.connections.size).toBe(0);
  });

  test('$disconnect is idempotent', async () => {
    const { deps } = setup();
    await connectRoute(deps, event('A', '$connect'));
    expect(await disconnectRoute(deps, event('A', '$disconnect'))).toEqual({ statusCode: 200 });
    expect(await disconnectRoute(deps, event('A', '$disconnect'))).toEqual({ statusCode: 200 });
  });
});

describe('message routes', () => {
  test('join then ice-servers: credentials signed with the current secret, TTL capped, client fields ignored', async () => {
    const { deps } = setup();
    await connectRoute(deps, event('A', '$connect'));
    expect(
      reply(await messageRoute(deps, event('A', 'join', JSON.stringify({ action: 'join', roomId: ROOM })), ['join'])),
    ).toMatchObject({ type: 'joined', connectionId: 'A', peers: [] });
    const answer = reply(
      await messageRoute(deps, event('A', 'ice-servers', '{"action":"ice-servers","ttlSeconds":315360000}'), [
        'ice-servers',
      ]),
    );
    expect(answer).toMatchObject({
      type: 'ice-servers',
      ttlSeconds: 900,
      expiresAt: 1_800_000_900,
      requestId: 'gw-ice-servers',
    });
    const [server] = answer.iceServers;
    // The subject's keyed pseudonym, never the subject.
    expect(server.username).toBe(`1800000900:${turnPseudonym(PSEUDONYM_KEY, SUB)}`);
    expect(server.username).not.toContain(SUB);
    expect(server.credential).toBe(turnPassword(SECRET, server.username));
  });

  test('$default answers every frame with an error and touches nothing', async () => {
    const { deps, store } = setup();
    await connectRoute(deps, event('A', '$connect'));
    for (const body of ['{"action":"dance"}', 'not json', '{"action":"join","roomId":"room-0123456789"}']) {
      expect(reply(await messageRoute(deps, event('A', '$default', body), []))).toMatchObject({ type: 'error' });
    }
    expect(store.connections.get('A')?.roomId).toBeUndefined();
  });

  test('base64-encoded bodies are decoded', async () => {
    const { deps } = setup();
    await connectRoute(deps, event('A', '$connect'));
    const body = Buffer.from(JSON.stringify({ action: 'join', roomId: ROOM })).toString('base64');
    expect(reply(await messageRoute(deps, event('A', 'join', body, { isBase64Encoded: true }), ['join'])).type).toBe(
      'joined',
    );
  });

  test('an unexpected failure becomes an internal error frame, not a crash', async () => {
    const { deps } = setup({ secrets: { currentSecret: () => Promise.reject(new Error(`boom ${SECRET}`)) } });
    await connectRoute(deps, event('A', '$connect'));
    const broken: RouteDeps = {
      ...deps,
      rooms: () => {
        throw new Error('store down');
      },
    };
    expect(
      reply(await messageRoute(broken, event('A', 'join', '{"action":"join","roomId":"room-0123456789"}'), ['join'])),
    ).toMatchObject({ type: 'error', code: 'internal' });
    expect(
      reply(await messageRoute(deps, event('A', 'ice-servers', '{"action":"ice-servers"}'), ['ice-servers'])),
    ).toMatchObject({ type: 'error', code: 'turn-unavailable' });
  });

  test('a message without an identity is refused', async () => {
    const { deps } = setup();
    const anonymous: WebSocketEvent = {
      requestContext: { connectionId: 'A', requestId: 'r', routeKey: 'join' },
      body: '{"action":"join","roomId":"room-0123456789"}',
    };
    expect(reply(await messageRoute(deps, anonymous, ['join']))).toMatchObject({ code: 'unauthenticated' });
  });
});

describe('rate limits', () => {
  const TIGHT: RateLimits = {
    join: { requests: 2, perSeconds: 60 },
    signal: { requests: 10, perSeconds: 10 },
    iceServers: { requests: 2, perSeconds: 60 },
    perUser: { join: { requests: 10, perSeconds: 60 }, iceServers: { requests: 3, perSeconds: 60 } },
  };
  const ICE = '{"action":"ice-servers","requestId":"ice-1"}';

  test('ice-servers over budget is refused with rate-limited, the requestId and the wait, and the secret is not read', async () => {
    let secretReads = 0;
    let now = NOW;
    const { deps } = setup({
      rateLimits: TIGHT,
      clock: () => now,
      secrets: { currentSecret: async () => (secretReads++, SECRET) },
    });
    await connectRoute(deps, event('A', '$connect'));
    for (let i = 0; i < 2; i++) {
      expect(reply(await messageRoute(deps, event('A', 'ice-servers', ICE), ['ice-servers'])).type).toBe('ice-servers');
    }
    const refused = reply(await messageRoute(deps, event('A', 'ice-servers', ICE), ['ice-servers']));
    const windowEnd = (Math.floor(NOW / 60_000) + 1) * 60_000;
    expect(refused).toEqual({
      type: 'error',
      code: 'rate-limited',
      message: `Too many ice-servers requests on this connection (at most 2 per 60 s); retry in ${Math.ceil((windowEnd - NOW) / 1000)} s.`,
      requestId: 'ice-1',
      retryAfterSeconds: Math.ceil((windowEnd - NOW) / 1000),
    });
    expect(secretReads).toBe(2);
    now = windowEnd;
    expect(reply(await messageRoute(deps, event('A', 'ice-servers', ICE), ['ice-servers'])).type).toBe('ice-servers');
  });

  test("ice-servers over the user's budget says so (not the connection), names no sub, and reads no secret", async () => {
    let secretReads = 0;
    const { deps, log } = setup({ rateLimits: TIGHT, secrets: { currentSecret: async () => (secretReads++, SECRET) } });
    // A and B are two connections of the same user: 2 per connection, 3 per user.
    for (const id of ['A', 'B']) await connectRoute(deps, event(id, '$connect'));
    const ice = (id: string) => messageRoute(deps, event(id, 'ice-servers', ICE), ['ice-servers']);
    for (let i = 0; i < 2; i++) expect(reply(await ice('A')).type).toBe('ice-servers');
    expect(reply(await ice('B')).type).toBe('ice-servers');
    const refused = reply(await ice('B'));
    const windowEnd = (Math.floor(NOW / 60_000) + 1) * 60_000;
    const wait = Math.ceil((windowEnd - NOW) / 1000);
    expect(refused).toEqual({
      type: 'error',
      code: 'rate-limited',
      message: `Too many ice-servers requests for your account, across all its connections (at most 3 per 60 s); retry in ${wait} s.`,
      requestId: 'ice-1',
      retryAfterSeconds: wait,
    });
    expect(secretReads).toBe(3);
    expect(JSON.stringify(refused)).not.toContain(SUB);
    expect(log.text()).not.toContain(SUB);
  });

  test("a join over the user's budget takes no seat and announces nothing, though the connection is under its own", async () => {
    const limits: RateLimits = { ...TIGHT, perUser: { ...TIGHT.perUser, join: { requests: 2, perSeconds: 60 } } };
    const { deps, store, messenger, counter } = setup({ rateLimits: limits });
    const other = { ...authorizer, sub: '7c9e6679-7425-40de-944b-e07fc1f90ae7', principalId: 'other' };
    const otherEvent = (id: string, routeKey: string, body?: string): WebSocketEvent => ({
      requestContext: { connectionId: id, requestId: `gw-${routeKey}`, routeKey, authorizer: other },
      body,
    });
    const joinFrame = JSON.stringify({ action: 'join', roomId: ROOM });
    // Another user's connection P waits in the room; its join counts against its own user only.
    await connectRoute(deps, otherEvent('P', '$connect'));
    expect(reply(await messageRoute(deps, otherEvent('P', 'join', joinFrame), ['join'])).type).toBe('joined');
    for (const id of ['A', 'B']) await connectRoute(deps, event(id, '$connect'));
    const join = (id: string) => messageRoute(deps, event(id, 'join', joinFrame), ['join']);
    const leave = (id: string) => messageRoute(deps, event(id, 'leave', '{"action":"leave"}'), ['leave']);
    expect(reply(await join('A')).type).toBe('joined');
    await leave('A');
    expect(reply(await join('A')).type).toBe('joined');
    await leave('A');
    // B has not joined at all in this window, but its user has used both joins.
    expect(reply(await join('B'))).toMatchObject({
      type: 'error',
      code: 'rate-limited',
      message: expect.stringMatching(
        /^Too many join requests for your account, across all its connections \(at most 2 per 60 s\)/,
      ),
    });
    expect(store.connections.get('B')?.roomId).toBeUndefined();
    expect(await store.listMembers(ROOM)).toEqual(['P']);
    expect(store.seatsTaken(ROOM)).toBe(1);
    expect(messenger.to('P').filter((m) => m.type === 'peer-joined')).toHaveLength(2);
    // The other user's count is its own.
    const window = Math.floor(NOW / 60_000);
    expect(counter.hits.get(`L#U#${SUB}|join#${window}`)).toBe(3);
    expect(counter.hits.get(`L#U#${other.sub}|join#${window}`)).toBe(1);
  });

  test('a join over budget changes no room state and announces nothing', async () => {
    const { deps, store, messenger } = setup({ rateLimits: TIGHT });
    await connectRoute(deps, event('A', '$connect'));
    await connectRoute(deps, event('B', '$connect'));
    await messageRoute(deps, event('B', 'join', JSON.stringify({ action: 'join', roomId: ROOM })), ['join']);
    const join = () =>
      messageRoute(deps, event('A', 'join', JSON.stringify({ action: 'join', roomId: ROOM })), ['join']);
    const leave = () => messageRoute(deps, event('A', 'leave', '{"action":"leave"}'), ['leave']);
    expect(reply(await join()).type).toBe('joined');
    await leave();
    expect(reply(await join()).type).toBe('joined');
    await leave();
    expect(reply(await join())).toMatchObject({ type: 'error', code: 'rate-limited' });
    expect(store.connections.get('A')?.roomId).toBeUndefined();
    expect(await store.listMembers(ROOM)).toEqual(['B']);
    expect(store.seatsTaken(ROOM)).toBe(1);
    expect(messenger.to('B').filter((m) => m.type === 'peer-joined')).toHaveLength(2);
  });

  test('a signal over budget is not delivered', async () => {
    const { deps, messenger } = setup({ rateLimits: TIGHT });
    for (const id of ['A', 'B']) {
      await connectRoute(deps, event(id, '$connect'));
      await messageRoute(deps, event(id, 'join', JSON.stringify({ action: 'join', roomId: ROOM })), ['join']);
    }
    const frame = JSON.stringify({ action: 'signal', to: 'B', kind: 'candidate', payload: 'candidate:1' });
    const answers = [];
    for (let i = 0; i < 12; i++) answers.push(reply(await messageRoute(deps, event('A', 'signal', frame), ['signal'])));
    expect(answers.map((a) => a.type)).toEqual([...Array(10).fill('signal-sent'), 'error', 'error']);
    expect(answers[11]).toMatchObject({ code: 'rate-limited', retryAfterSeconds: expect.any(Number) });
    expect(messenger.to('B').filter((m) => m.type === 'signal')).toHaveLength(10);
  });

  test('malformed, unknown and $default frames are answered without being counted', async () => {
    const { deps, counter } = setup({ rateLimits: TIGHT });
    await connectRoute(deps, event('A', '$connect'));
    await messageRoute(deps, event('A', 'ice-servers', '{"action":"ice-servers","ttlSeconds":-1}'), ['ice-servers']);
    await messageRoute(deps, event('A', 'join', '{"action":"join"}'), ['join']);
    await messageRoute(deps, event('A', '$default', '{"action":"ice-servers"}'), []);
    expect(counter.hits.size).toBe(0);
  });

  test('the limiter failing, or missing, fails closed: no credential, no delivery, an internal error', async () => {
    const { deps, messenger } = setup();
    for (const id of ['A', 'B']) {
      await connectRoute(deps, event(id, '$connect'));
      await messageRoute(deps, event(id, 'join', JSON.stringify({ action: 'join', roomId: ROOM })), ['join']);
    }
    const failing = new RateLimiter({ hit: () => Promise.reject(new Error('table unavailable')) }, DEFAULT_RATE_LIMITS);
    const broken: RouteDeps = { ...deps, limiter: () => failing };
    const unwired: RouteDeps = {
      ...deps,
      limiter: () => {
        throw new Error('not wired');
      },
    };
    const signal = JSON.stringify({ action: 'signal', to: 'B', kind: 'offer', payload: 'v=0' });
    for (const d of [broken, unwired]) {
      expect(reply(await messageRoute(d, event('A', 'ice-servers', ICE), ['ice-servers']))).toMatchObject({
        code: 'internal',
      });
      expect(reply(await messageRoute(d, event('A', 'signal', signal), ['signal']))).toMatchObject({
        code: 'internal',
      });
    }
    expect(messenger.to('B').filter((m) => m.type === 'signal')).toEqual([]);
  });
});

describe('after the token expires', () => {
  const EXP_MS = authorizer.exp * 1000;
  const at = (deps: RouteDeps, ms: number): RouteDeps => ({ ...deps, nowMs: () => ms });
  const JOIN = JSON.stringify({ action: 'join', roomId: ROOM });

  test('join is refused as token-expired, takes no seat and spends no budget', async () => {
    const { deps, store, counter } = setup();
    await connectRoute(deps, event('A', '$connect'));
    const answer = reply(await messageRoute(at(deps, EXP_MS + 31_000), event('A', 'join', JOIN), ['join']));
    expect(answer).toMatchObject({ type: 'error', code: 'token-expired', requestId: 'gw-join' });
    expect(answer.message).toMatch(/can no longer join rooms; reconnect with a fresh token/);
    expect(store.seatsTaken(ROOM)).toBe(0);
    expect(store.connections.get('A')?.roomId).toBeUndefined();
    expect(counter.hits.size).toBe(0);
  });

  test("within the authorizer's clock tolerance (30 s) the token still counts", async () => {
    const { deps } = setup();
    await connectRoute(deps, event('A', '$connect'));
    const answer = reply(await messageRoute(at(deps, EXP_MS + 30_000), event('A', 'join', JOIN), ['join']));
    expect(answer).toMatchObject({ type: 'joined', roomId: ROOM });
  });

  test('ice-servers is refused as token-expired without reading the secret', async () => {
    let reads = 0;
    const secrets: TurnSecretProvider = {
      currentSecret: async () => {
        reads += 1;
        return SECRET;
      },
    };
    const { deps, counter } = setup({ secrets });
    await connectRoute(deps, event('A', '$connect'));
    const body = JSON.stringify({ action: 'ice-servers' });
    const answer = reply(
      await messageRoute(at(deps, EXP_MS + 31_000), event('A', 'ice-servers', body), ['ice-servers']),
    );
    expect(answer).toMatchObject({ type: 'error', code: 'token-expired' });
    expect(answer.message).toMatch(/TURN credentials never outlive it; reconnect with a fresh token/);
    expect(reads).toBe(0);
    expect(counter.hits.size).toBe(0); // no budget spent either
    // The same request before expiry mints credentials, so the refusal above is the expiry and nothing else.
    expect(reply(await messageRoute(deps, event('A', 'ice-servers', body), ['ice-servers']))).toMatchObject({
      type: 'ice-servers',
    });
    expect(reads).toBe(1);
  });

  test('a TURN credential never outlives the token: capped at exp plus the tolerance, refused below a minute', async () => {
    const { deps } = setup();
    await connectRoute(deps, event('A', '$connect'));
    const body = JSON.stringify({ action: 'ice-servers' });
    const ask = async (ms: number) =>
      reply(await messageRoute(at(deps, ms), event('A', 'ice-servers', body), ['ice-servers']));
    // 100 s of authority left (exp - 70 s, plus 30 s tolerance): a 100 s credential, not the server's 900 s.
    expect(await ask(EXP_MS - 70_000)).toMatchObject({
      type: 'ice-servers',
      ttlSeconds: 100,
      expiresAt: authorizer.exp + 30,
    });
    // Exactly the shortest credential (60 s) still fits; one second less does not.
    expect(await ask(EXP_MS - 30_000)).toMatchObject({
      type: 'ice-servers',
      ttlSeconds: 60,
      expiresAt: authorizer.exp + 30,
    });
    expect(await ask(EXP_MS - 29_000)).toMatchObject({ type: 'error', code: 'token-expired' });
  });

  test('a context without a usable exp counts as expired: no join, no credentials, but the call goes on', async () => {
    const { deps } = setup();
    const legacy = { sub: SUB, rooms: ROOM, principalId: SUB };
    const eventWithout = (routeKey: string, body: string): WebSocketEvent => ({
      requestContext: { connectionId: 'L', requestId: `gw-${routeKey}`, routeKey, authorizer: legacy },
      body,
    });
    await connectRoute(deps, eventWithout('$connect', ''));
    expect(reply(await messageRoute(deps, eventWithout('join', JOIN), ['join']))).toMatchObject({
      code: 'token-expired',
    });
    expect(
      reply(await messageRoute(deps, eventWithout('ice-servers', '{"action":"ice-servers"}'), ['ice-servers'])),
    ).toMatchObject({
      code: 'token-expired',
    });
    expect(reply(await messageRoute(deps, eventWithout('leave', '{"action":"leave"}'), ['leave']))).toMatchObject({
      code: 'not-in-room',
    });
  });

  test('a call under way goes on: signal and leave still work after expiry', async () => {
    const { deps, messenger } = setup();
    await connectRoute(deps, event('A', '$connect'));
    await connectRoute(deps, event('B', '$connect'));
    expect(reply(await messageRoute(deps, event('A', 'join', JOIN), ['join']))).toMatchObject({ type: 'joined' });
    expect(reply(await messageRoute(deps, event('B', 'join', JOIN), ['join']))).toMatchObject({ type: 'joined' });
    const later = at(deps, EXP_MS + 3_600_000);
    const offer = JSON.stringify({ action: 'signal', to: 'B', kind: 'offer', payload: { sdp: 'v=0' } });
    expect(reply(await messageRoute(later, event('A', 'signal', offer), ['signal']))).toMatchObject({
      type: 'signal-sent',
    });
    expect(messenger.sent.some((m) => m.to === 'B' && (m.message as { kind?: string }).kind === 'offer')).toBe(true);
    expect(reply(await messageRoute(later, event('A', 'leave', '{"action":"leave"}'), ['leave']))).toMatchObject({
      type: 'left',
      roomId: ROOM,
    });
  });
});

describe('a broken environment is logged so an operator can fix it', () => {
  test('the authorizer logs which variable is wrong (and still answers only 401)', async () => {
    const log = new CapturingLog();
    const verify = () => {
      readAuthSettings({
        ISSUER: 'https://idp.test',
        AUDIENCE: 'a',
        JWKS_URL: 'https://idp.test/jwks',
        TOKEN_SOURCE: 'header',
      });
      throw new Error('unreachable');
    };
    const authEvent = {
      methodArn: 'arn:aws:execute-api:us-east-1:111111111111:abc/prod/$connect',
      queryStringParameters: { token: SENTINEL },
    };
    await expect(authorizerRoute({ verify, tokenSource: () => 'query', log }, authEvent)).rejects.toThrow(
      /^Unauthorized$/,
    );
    expect(log.lines).toEqual([
      {
        level: 'error',
        event: 'authorizer-failed',
        fields: {
          route: '$connect',
          errorName: 'SettingsError',
          reason:
            'Signaling authorizer settings are invalid: TOKEN_SOURCE must be one of query, protocol-header. The ' +
            "Signaling stack sets these variables: redeploy it (cdk deploy) rather than editing the function's environment by hand",
        },
      },
    ]);
    expect(log.text()).not.toContain('SENTINEL');
  });

  test('a message route logs the settings problem, answers internal, and keeps other error messages out', async () => {
    const { deps, log } = setup();
    const broken: RouteDeps = {
      ...deps,
      rooms: () => {
        readRoomSettings({ TABLE_NAME: 'signaling', CALLBACK_URL: 'not a url' });
        throw new Error('unreachable');
      },
    };
    const answer = reply(
      await messageRoute(broken, event('A', 'join', JSON.stringify({ action: 'join', roomId: ROOM })), ['join']),
    );
    expect(answer).toMatchObject({ type: 'error', code: 'internal' });
    expect(log.lines.find((line) => line.event === 'route-failed')?.fields).toMatchObject({
      errorName: 'SettingsError',
      reason: expect.stringContaining('CALLBACK_URL must be a URL'),
    });
    // Any other error: its class name only, never its message (messages can quote input).
    const { deps: other, log: otherLog } = setup();
    const failing: RouteDeps = {
      ...other,
      rooms: () => {
        throw new TypeError(`bad ${SENTINEL}`);
      },
    };
    await messageRoute(failing, event('A', 'join', JSON.stringify({ action: 'join', roomId: ROOM })), ['join']);
    expect(otherLog.lines.find((line) => line.event === 'route-failed')?.fields).toEqual({
      route: 'join',
      connectionId: 'A',
      errorName: 'TypeError',
    });
    expect(otherLog.text()).not.toContain('SENTINEL');
  });
});

describe('logging', () => {
  test('SDP, candidates, tokens and secrets never reach the log, whatever the outcome', async () => {
    const { deps, log } = setup({ secrets: { currentSecret: () => Promise.reject(new Error(SENTINEL)) } });
    await connectRoute(deps, event('A', '$connect', undefined, { queryStringParameters: { token: SENTINEL } }));
    await connectRoute(deps, event('B', '$connect'));
    await messageRoute(deps, event('A', 'join', JSON.stringify({ action: 'join', roomId: ROOM })), ['join']);
    await messageRoute(deps, event('B', 'join', JSON.stringify({ action: 'join', roomId: ROOM })), ['join']);
    const frames = [
      { action: 'signal', to: 'B', kind: 'offer', payload: { sdp: SENTINEL } },
      { action: 'signal', to: 'B', kind: 'candidate', payload: `candidate:1 1 udp 1 ${SENTINEL} 1 typ host` },
      { action: 'signal', to: 'Z', kind: 'offer', payload: SENTINEL },
      { action: 'signal', to: SENTINEL, kind: 'offer', payload: SENTINEL },
      { action: 'ice-servers' },
    ];
    for (const frame of frames)
      await messageRoute(deps, event('A', frame.action, JSON.stringify(frame)), ['signal', 'ice-servers']);
    await messageRoute(deps, event('A', '$default', `{"broken": "${SENTINEL}"`), []);
    const broken: RouteDeps = {
      ...deps,
      rooms: () => {
        throw new Error(SENTINEL);
      },
    };
    await messageRoute(broken, event('A', 'signal', JSON.stringify(frames[0])), ['signal']);
    await disconnectRoute(broken, event('A', '$disconnect'));
    expect(log.lines.length).toBeGreaterThan(5);
    expect(log.text()).not.toContain('SENTINEL');
    expect(log.text()).not.toContain('198.51.100.77');
  });

  test('the authorizer throws exactly "Unauthorized" (a 401) and logs a reason, not the token', async () => {
    const log = new CapturingLog();
    const verify = async () => ({ ok: false as const, reason: 'token expired' });
    const authEvent = {
      methodArn: 'arn:aws:execute-api:us-east-1:111111111111:abc/prod/$connect',
      queryStringParameters: { token: SENTINEL },
    };
    await expect(authorizerRoute({ verify: () => verify, tokenSource: () => 'query', log }, authEvent)).rejects.toThrow(
      /^Unauthorized$/,
    );
    const failing = async () => {
      throw new Error(SENTINEL);
    };
    await expect(
      authorizerRoute({ verify: () => failing, tokenSource: () => 'query', log }, authEvent),
    ).rejects.toThrow(/^Unauthorized$/);
    expect(log.text()).toContain('token expired');
    expect(log.text()).not.toContain('SENTINEL');
  });
});
