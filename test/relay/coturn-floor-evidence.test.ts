/**
 * Why the version floor is 4.13.1, shown on the real servers: the same production config and the same SSRF matrix
 * against Debian bookworm's coturn 4.6.1 (scripts/coturn/make-bookworm-root.sh). The peers 4.6.1 lets through are
 * asserted as the expected failures, so the floor rests on evidence and this test notices if that ever changes.
 * Every peer is probed with CreatePermission only; no packet goes to any of them.
 */
import { mintTurnCredential } from '../../lib/signaling/turn-credentials';
import { meetsCoturnFloor } from '../../lib/relay/coturn-version';
import { COTURN_OLD_ROOT, requireCoturnRoot } from '../../tools/lab/coturn/coturn-process';
import { overlapDocument, SECRET_CURRENT } from './helpers/loopback-config';
import { startLoopbackCoturn, type LoopbackCoturn } from './helpers/loopback-coturn';
import { permissionMatrix } from './helpers/permission-matrix';
import { DENIED_IPV4_PEERS, DENIED_IPV6_PEERS, PERMITTED_IPV4_PEERS } from './helpers/ssrf-matrix';

jest.setTimeout(30_000);

/** The bypasses that remain on 4.6.1 even with the full production deny list: the IPv4-compatible encoding. */
const OPEN_ON_4_6_1 = ['::127.0.0.1', '::169.254.169.254', '::10.0.0.1', '::192.0.2.10'];

let relay: LoopbackCoturn | undefined;
let port: number;
let n = 0;
const user = () =>
  mintTurnCredential({
    secret: SECRET_CURRENT,
    opaqueId: `floor-evidence_${(n += 1)}`,
    ttlSeconds: 600,
    maxTtlSeconds: 3600,
    nowMs: Date.now(),
  });

beforeAll(async () => {
  const version = requireCoturnRoot(COTURN_OLD_ROOT);
  if (meetsCoturnFloor(version)) throw new Error(`${COTURN_OLD_ROOT} holds ${version}; the evidence needs 4.6.1`);
  relay = await startLoopbackCoturn({ secrets: overlapDocument(), root: COTURN_OLD_ROOT });
  port = relay.ports.listeningPort;
}, 30_000);

afterAll(async () => {
  await relay?.stop();
});

test('4.6.1 is below the floor', () => {
  expect(meetsCoturnFloor(requireCoturnRoot(COTURN_OLD_ROOT))).toBe(false);
});

test('IPv4 peers: the deny list alone holds on 4.6.1 too', async () => {
  const result = await permissionMatrix({ host: '127.0.0.1', port }, user(), 4, DENIED_IPV4_PEERS);
  expect(result).toEqual(Object.fromEntries(DENIED_IPV4_PEERS.map((p) => [p, 403])));
  const open = await permissionMatrix({ host: '127.0.0.1', port }, user(), 4, PERMITTED_IPV4_PEERS);
  expect(Object.values(open)).toEqual(PERMITTED_IPV4_PEERS.map(() => 'ok'));
});

test('IPv6 forms: 4.6.1 lets exactly the IPv4-compatible encodings through (4.18 refuses all of them)', async () => {
  const result = await permissionMatrix({ host: '127.0.0.1', port }, user(), 6, DENIED_IPV6_PEERS);
  const permitted = Object.entries(result)
    .filter(([, outcome]) => outcome === 'ok')
    .map(([peer]) => peer);
  expect(permitted.sort()).toEqual([...OPEN_ON_4_6_1].sort());
  for (const [peer, outcome] of Object.entries(result)) if (!OPEN_ON_4_6_1.includes(peer)) expect(outcome).toBe(403);
});
