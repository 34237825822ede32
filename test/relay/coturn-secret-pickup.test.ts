/**
 * A rotation on a running relay (real coturn 4.18 from the sid root, production config): each step of the secret
 * document is written into coturn's database by the relay's own apply script, as the sync timer does, and coturn
 * picks it up without a restart while an allocation made before the rotation keeps working to the end.
 */
import { mintTurnCredential } from '../../lib/signaling/turn-credentials';
import { storedSecrets } from '../../tools/lab/coturn/secret-db';
import { TurnClient, type TurnResult } from '../../tools/lab/coturn/turn-client';
import { TEST_OVERLAP_WINDOW_SECONDS, TEST_REALM } from './helpers/loopback-config';
import { startLoopbackCoturn, type LoopbackCoturn } from './helpers/loopback-coturn';

jest.setTimeout(40_000);

const A = 'RotationSecretAaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa';
const B = 'RotationSecretBbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb';

let relay: LoopbackCoturn;
let port: number;
let n = 0;
const clients: TurnClient[] = [];

function client(secret: string, ttlSeconds = 600): TurnClient {
  n += 1;
  const user = mintTurnCredential({
    secret,
    opaqueId: `pickup_${n}`,
    ttlSeconds,
    maxTtlSeconds: 3600,
    nowMs: Date.now(),
  });
  const c = new TurnClient({ host: '127.0.0.1', port }, user.username, user.credential);
  clients.push(c);
  return c;
}

const outcome = (r: TurnResult<object>) => (r.ok ? 'ok' : r.code);
const allocates = async (secret: string) => outcome(await client(secret).allocate());
const write = (document: object) => relay.writeSecrets(document);
const now = () => Math.floor(Date.now() / 1000);

beforeAll(async () => {
  relay = await startLoopbackCoturn({ secrets: { current: A } });
  port = relay.ports.listeningPort;
}, 30_000);

afterAll(async () => {
  for (const c of clients) await c.close();
  await relay?.stop();
});

test('a full rotation on a running relay: stage, promote, drop, with one live allocation throughout', async () => {
  // Before: only A. This allocation lives through the whole rotation, like a call in progress.
  const call = client(A);
  expect(outcome(await call.allocate())).toBe('ok');
  expect(await allocates(B)).toBe(401);

  // 1. stage: relays accept B before anyone signs with it.
  write({ current: A, pending: B, pendingSince: now() });
  expect(await allocates(B)).toBe('ok');
  expect(await allocates(A)).toBe('ok');

  // 2. promote: signaling signs with B; credentials on A stay valid for their TTL.
  write({ current: B, previous: A, promotedAt: now() });
  expect(await allocates(B)).toBe('ok');
  expect(await allocates(A)).toBe('ok');

  // 3. drop: A is refused for new allocations...
  write({ current: B });
  expect(storedSecrets(relay.config.userDbHost, TEST_REALM)).toEqual([B]);
  expect(await allocates(A)).toBe(401);
  expect(await allocates(B)).toBe('ok');

  // ...while the call that authenticated with A keeps refreshing and adding peers: coturn kept its session key.
  expect(outcome(await call.refresh(600))).toBe('ok');
  expect(outcome(await call.createPermission('203.0.113.10'))).toBe('ok');

  // One process throughout: nothing was restarted.
  expect(relay.server.hasExited()).toBe(false);
});

test('a relay stops accepting the previous secret by itself once its window has passed', async () => {
  write({ current: B, previous: A, promotedAt: now() - TEST_OVERLAP_WINDOW_SECONDS - 60 });
  expect(storedSecrets(relay.config.userDbHost, TEST_REALM)).toEqual([B]);
  expect(await allocates(A)).toBe(401);
});

test('a rejected document leaves the running relay on the secrets it had', async () => {
  write({ current: B });
  expect(() => write({ current: A, previous: B })).toThrow(/previous and promotedAt must be set together/);
  expect(await allocates(B)).toBe('ok');
  expect(await allocates(A)).toBe(401);
});

test('credential expiry also gates only new allocations: a live call outlives its credential', async () => {
  write({ current: B });
  const user = mintTurnCredential({
    secret: B,
    opaqueId: 'expiry_probe',
    ttlSeconds: 2,
    maxTtlSeconds: 3600,
    nowMs: Date.now(),
  });
  const session = (): TurnClient => {
    const c = new TurnClient({ host: '127.0.0.1', port }, user.username, user.credential);
    clients.push(c);
    return c;
  };
  const call = session();
  expect(outcome(await call.allocate())).toBe('ok');
  await new Promise((resolve) => setTimeout(resolve, 3_200)); // past the username's expiry
  expect(outcome(await call.refresh(600))).toBe('ok');
  expect(outcome(await call.createPermission('203.0.113.11'))).toBe('ok');
  // The same, now expired, credential on a new session is refused.
  expect(outcome(await session().allocate())).toBe(401);
});
