/**
 * What the production logger really writes. The harness runs with the same Powertools logger the Lambdas use, and this
 * test captures its output (process.stdout/stderr) through a whole session of real ws clients: a refused token, join,
 * an SDP offer and an ICE candidate with a recognisable address, TURN credentials, malformed and unknown frames,
 * leave and disconnect. Nothing secret or identifying may appear, and every line must be made of allow-listed keys.
 */
import { powertoolsLog } from '../../lib/signaling/log';
import { startSignalingHarness, type SignalingHarness } from '../../tools/dev/harness';
import { connect, refusedStatus, type TestClient } from './ws-client';

jest.setTimeout(20_000);

const SUB_A = '0f8fad5b-d9cb-469f-a165-70867728950a';
const SUB_B = '0f8fad5b-d9cb-469f-a165-70867728950b';
const ROOM = 'room-logs-0001';
const SDP_SENTINEL = 'SDP-SENTINEL-a=fingerprint:sha-256 AB:CD';
const CANDIDATE_IP = '198.51.100.77';
const CANDIDATE = `candidate:1 1 udp 2122260223 ${CANDIDATE_IP} 54400 typ host`;

/** Keys Powertools adds to every line, and the signaling allow-list (lib/signaling/log.ts). */
const POWERTOOLS_KEYS = ['level', 'message', 'timestamp', 'service', 'sampling_rate', 'xray_trace_id'];
const ALLOWED_KEYS = new Set([
  ...POWERTOOLS_KEYS,
  'route',
  'connectionId',
  'roomId',
  'outcome',
  'code',
  'reason',
  'peers',
  'roomCount',
  'durationMs',
  'ttlSeconds',
  'errorName',
]);

let harness: SignalingHarness;
/** Every line the production logger wrote (checked for its keys). */
let captured = '';
/** Everything written to stdout and stderr while the session ran, logger or not (checked for secrets). */
let everything = '';
const spies: jest.SpyInstance[] = [];

beforeAll(async () => {
  // Capture before the logger exists: Powertools binds its console to the process streams when it is created.
  for (const stream of [process.stdout, process.stderr]) {
    const original = stream.write.bind(stream);
    spies.push(
      jest.spyOn(stream, 'write').mockImplementation(((chunk: unknown, ...rest: unknown[]) => {
        const text = typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString('utf8');
        everything += text;
        if (text.includes('"service":"hipaa-rtc-signaling"')) {
          captured += text;
          return true;
        }
        return (original as (...args: unknown[]) => boolean)(chunk, ...rest);
      }) as typeof stream.write),
    );
  }
  process.env.POWERTOOLS_LOG_LEVEL = 'INFO';
  harness = await startSignalingHarness({ maxRoomSize: 2, log: powertoolsLog() });
});

afterAll(async () => {
  await harness?.stop();
  for (const spy of spies) spy.mockRestore();
});

test('a whole session logs identifiers and outcomes only: no token, SDP, candidate address, subject or TURN secret', async () => {
  const tokenA = await harness.issuer.issueToken({ sub: SUB_A, rooms: [ROOM] });
  const tokenB = await harness.issuer.issueToken({ sub: SUB_B, rooms: [ROOM] });
  const forged = `${tokenA.slice(0, tokenA.lastIndexOf('.'))}.${'A'.repeat(86)}`;
  expect(await refusedStatus(harness.url, { token: forged })).toBe(401);

  const clients: TestClient[] = [];
  try {
    const a = await connect(harness.url, { token: tokenA });
    clients.push(a);
    const b = await connect(harness.url, { token: tokenB });
    clients.push(b);
    expect(await a.request({ action: 'join', roomId: ROOM })).toMatchObject({ type: 'joined' });
    const joinedB = await b.request({ action: 'join', roomId: ROOM });
    const aId = joinedB.peers[0] as string;
    const offer = { type: 'offer', sdp: `v=0\r\n${SDP_SENTINEL}\r\na=${CANDIDATE}\r\n` };
    const bId = (await a.next((m: { type: string }) => m.type === 'peer-joined')).connectionId as string;
    expect(await a.request({ action: 'signal', to: bId, kind: 'offer', payload: offer })).toMatchObject({
      type: 'signal-sent',
    });
    expect(
      await b.request({ action: 'signal', to: aId, kind: 'candidate', payload: { candidate: CANDIDATE } }),
    ).toMatchObject({ type: 'signal-sent' });
    const ice = await a.request({ action: 'ice-servers' });
    expect(ice).toMatchObject({ type: 'ice-servers' });
    const { username, credential } = ice.iceServers[0] as { username: string; credential: string };
    a.sendRaw(`{"action":"signal","payload":"${SDP_SENTINEL}"`); // malformed JSON carrying the sentinel
    expect(await a.next((m: { type: string; code?: string }) => m.code === 'bad-json')).toMatchObject({
      type: 'error',
    });
    expect(await a.request({ action: 'dance', payload: SDP_SENTINEL })).toMatchObject({ type: 'error' });
    expect(await a.request({ action: 'leave' })).toMatchObject({ type: 'left' });

    // Give the last log lines (disconnect cleanup) a moment; bounded at 5 s for a loaded CI machine.
    for (const client of clients.splice(0)) await client.close();
    for (let i = 0; i < 250 && !captured.includes('"message":"disconnected"'); i++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }

    const lines = captured.split('\n').filter((line) => line.trim().length > 0);
    // The session was logged (so absence below means something): refusal, joins, signals, credentials, cleanup.
    expect(lines.length).toBeGreaterThanOrEqual(10);
    for (const event of ['connect-denied', 'connected', 'handled', 'disconnected']) {
      expect(lines.some((line) => line.includes(`"message":"${event}"`))).toBe(true);
    }
    // Whole tokens and each of their claims and signature segments (a logged payload alone would leak the claims).
    const segments = [tokenA, tokenB, forged].flatMap((jwt) =>
      jwt
        .split('.')
        .slice(1)
        .map((part) => part.slice(0, 24)),
    );
    const secrets = [tokenA, tokenB, ...segments, SDP_SENTINEL, CANDIDATE_IP, SUB_A, SUB_B, credential, username];
    for (const secret of secrets) {
      expect({ secret, written: everything.includes(secret) }).toEqual({ secret, written: false });
    }
    for (const line of lines) {
      const keys = Object.keys(JSON.parse(line) as Record<string, unknown>);
      expect(keys.filter((key) => !ALLOWED_KEYS.has(key))).toEqual([]);
    }
  } finally {
    for (const client of clients) await client.close();
  }
});

/** Subjects that pass the opaque-id check yet carry a name, a date of birth, a phone number or an SSN (issue 15). */
const PHI_SUBJECTS = [
  'jane-doe-19800101',
  'JohnSmith19800101',
  '15551234567abcde',
  'tel_15551234567x',
  'SSN-123-45-6789x',
];

test('PHI-shaped subjects never reach a TURN username or any line written, through connect, join and ice-servers', async () => {
  const start = everything.length;
  const usernames: string[] = [];
  for (const [i, sub] of PHI_SUBJECTS.entries()) {
    const room = `room-phi-${i}-000000`;
    const token = await harness.issuer.issueToken({ sub, rooms: [room] });
    const client = await connect(harness.url, { token });
    try {
      expect(await client.request({ action: 'join', roomId: room })).toMatchObject({ type: 'joined' });
      const ice = await client.request({ action: 'ice-servers' });
      expect(ice).toMatchObject({ type: 'ice-servers' });
      usernames.push(ice.iceServers[0].username as string);
    } finally {
      await client.close();
    }
  }
  for (let i = 0; i < 250 && (everything.slice(start).match(/"message":"disconnected"/g) ?? []).length < 5; i++) {
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  const written = everything.slice(start);
  // The session was logged, so the absence below means something.
  expect(written.match(/"message":"handled"/g)?.length ?? 0).toBeGreaterThanOrEqual(10);
  for (const [i, username] of usernames.entries()) {
    expect(username).toMatch(/^\d{10}:[A-Za-z0-9_-]{32}$/);
    // Distinct subjects, distinct pseudonyms.
    expect(usernames.indexOf(username.split(':')[1], i + 1)).toBe(-1);
  }
  for (const sub of PHI_SUBJECTS) {
    expect({ sub, inUsernames: usernames.some((u) => u.includes(sub)) }).toEqual({ sub, inUsernames: false });
    expect({ sub, written: written.includes(sub) }).toEqual({ sub, written: false });
  }
});
