/**
 * The production turnserver.conf on the real coturn (Debian sid root, see scripts/coturn/make-sid-root.sh), on
 * loopback. Only addresses, ports, secrets and host paths differ from what a relay runs (helpers/loopback-config.ts).
 * Without the root these tests fail with the command that builds it; they never skip.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { mintTurnCredential, turnPassword } from '../../lib/signaling/turn-credentials';
import { meetsCoturnFloor } from '../../lib/relay/coturn-version';
import { requireCoturnRoot, type CoturnProcess, type RunDir } from '../../tools/lab/coturn/coturn-process';
import { overlapDocument, SECRET_CURRENT, SECRET_PREVIOUS, type LoopbackConfig } from './helpers/loopback-config';
import { startLoopbackCoturn, type LoopbackCoturn } from './helpers/loopback-coturn';
import {
  DENIED_IPV4_PEERS,
  DENIED_IPV6_PEERS,
  PERMITTED_IPV4_PEERS,
  PERMITTED_IPV6_PEERS,
} from './helpers/ssrf-matrix';
import { permissionMatrix } from './helpers/permission-matrix';
import { startupLogProblems } from '../../tools/lab/coturn/startup-log';
import { TurnClient, type TurnResult } from '../../tools/lab/coturn/turn-client';

jest.setTimeout(30_000);

const UNKNOWN_SECRET = 'an-unknown-secret-never-configured-0123456789';

let relay: LoopbackCoturn | undefined;
let dir: RunDir;
let server: CoturnProcess | undefined;
let config: LoopbackConfig;
let port: number;
let tlsPort: number;
let startupLog = '';

let credentialCount = 0;

/** A fresh opaque id per credential: user-quota counts per username, so tests must not share one. */
function credential(secret: string, nowMs = Date.now(), ttlSeconds = 600): { username: string; credential: string } {
  credentialCount += 1;
  const opaqueId = `relay-test_${credentialCount}`;
  return mintTurnCredential({ secret, opaqueId, ttlSeconds, maxTtlSeconds: 3600, nowMs });
}

async function withClient<T>(
  user: { username: string; credential: string },
  run: (client: TurnClient) => Promise<T>,
): Promise<T> {
  const client = new TurnClient({ host: '127.0.0.1', port }, user.username, user.credential);
  try {
    return await run(client);
  } finally {
    await client.close();
  }
}

function code(result: TurnResult<object>): number | string {
  return result.ok ? 'ok' : result.code;
}

beforeAll(async () => {
  // As on a relay: the secrets reach coturn's database through the sync's apply script, not the config file.
  relay = await startLoopbackCoturn({ secrets: overlapDocument() });
  ({ dir, server, config } = relay);
  port = relay.ports.listeningPort;
  tlsPort = relay.ports.tlsListeningPort;
  startupLog = relay.server.log();
}, 30_000);

afterAll(async () => {
  await relay?.stop();
});

describe('start-up', () => {
  test('runs coturn at or above the version floor', () => {
    expect(meetsCoturnFloor(requireCoturnRoot())).toBe(true);
  });

  test('the production config starts with no warning, error, bad-format or deprecation line', () => {
    expect(startupLog).toMatch(/Coturn Version/);
    expect(startupLogProblems(startupLog)).toEqual([]);
  });

  test('every rendered denied-peer-ip range is loaded (none silently dropped)', () => {
    const loaded = [...startupLog.matchAll(/Black listing: (\S+)/g)].map((m) => m[1]);
    expect(loaded).toEqual(config.options.deniedPeerRanges.map((d) => d.coturnValue));
  });
});

describe('authentication with TURN REST credentials from lib/signaling/turn-credentials', () => {
  test.each([4, 6] as const)('a fresh credential on the current secret allocates (IPv%i relay)', async (family) => {
    const result = await withClient(credential(SECRET_CURRENT), (c) => c.allocate(family));
    expect(result).toMatchObject({ ok: true, relayed: { ip: family === 4 ? '127.0.0.1' : '::1' } });
  });

  test('a credential on the previous secret allocates (rotation overlap)', async () => {
    expect(code(await withClient(credential(SECRET_PREVIOUS), (c) => c.allocate()))).toBe('ok');
  });

  const current = (): { username: string; credential: string } => credential(SECRET_CURRENT);
  test.each<[string, () => { username: string; credential: string }]>([
    ['an unknown secret', () => credential(UNKNOWN_SECRET)],
    ['an expired credential', () => credential(SECRET_CURRENT, Date.now() - 3_600_000, 600)],
    [
      'a tampered expiry (password of the original username)',
      () => {
        const c = current();
        const [expiry, id] = c.username.split(':');
        return { username: `${Number(expiry) + 86_400}:${id}`, credential: c.credential };
      },
    ],
    ['a forged password', () => ({ ...current(), credential: turnPassword(SECRET_CURRENT, 'something-else') })],
    [
      'a username without a timestamp',
      () => ({ username: 'relay-test_01', credential: turnPassword(SECRET_CURRENT, 'relay-test_01') }),
    ],
    [
      'a malformed username',
      () => ({ username: 'soon:relay-test_01', credential: turnPassword(SECRET_CURRENT, 'soon:relay-test_01') }),
    ],
  ])('%s gets 401', async (_name, make) => {
    expect(code(await withClient(make(), (c) => c.allocate()))).toBe(401);
  });
});

describe('TURN over TCP and TLS (the load balancer paths)', () => {
  const tls = () => ({
    kind: 'tls' as const,
    tls: { ca: readFileSync(join(dir.host, 'cert.pem'), 'utf8'), servername: 'localhost' },
  });

  test('allocates over TCP with a minted credential, and an unknown secret gets 401', async () => {
    const good = credential(SECRET_CURRENT);
    const client = new TurnClient({ host: '127.0.0.1', port }, good.username, good.credential, { kind: 'tcp' });
    try {
      expect(await client.allocate()).toMatchObject({ ok: true });
      expect(code(await client.createPermission('169.254.169.254'))).toBe(403);
    } finally {
      await client.close();
    }
    const bad = credential(UNKNOWN_SECRET);
    const denied = new TurnClient({ host: '127.0.0.1', port }, bad.username, bad.credential, { kind: 'tcp' });
    try {
      expect(code(await denied.allocate())).toBe(401);
    } finally {
      await denied.close();
    }
  });

  test('allocates over TLS (certificate verified) and refuses the metadata peer', async () => {
    const user = credential(SECRET_CURRENT);
    const client = new TurnClient({ host: '127.0.0.1', port: tlsPort }, user.username, user.credential, tls());
    try {
      expect(await client.allocate()).toMatchObject({ ok: true });
      expect(code(await client.createPermission('169.254.169.254'))).toBe(403);
    } finally {
      await client.close();
    }
  });
});

describe('relay policy and limits', () => {
  test('a TCP relay allocation is refused (no-tcp-relay)', async () => {
    const result = await withClient(credential(SECRET_CURRENT), (c) => c.allocate(4, 'tcp'));
    expect(result.ok).toBe(false);
    expect(code(result)).toBe(442); // Unsupported Transport Protocol
  });

  test('user-quota caps concurrent allocations per credential (486 past the quota)', async () => {
    const user = credential(SECRET_CURRENT);
    const quota = config.options.quotas.userQuota;
    const clients = Array.from(
      { length: quota + 1 },
      () => new TurnClient({ host: '127.0.0.1', port }, user.username, user.credential),
    );
    try {
      const results = [];
      for (const client of clients) results.push(code(await client.allocate()));
      expect(results.slice(0, quota)).toEqual(Array(quota).fill('ok'));
      expect(results[quota]).toBe(486);
    } finally {
      await Promise.all(clients.map((c) => c.close()));
    }
  });

  test('TLS below 1.2 is refused and TLS 1.2/1.3 are accepted on the TLS listener', () => {
    const handshake = (flag: string) =>
      spawnSync('openssl', ['s_client', '-connect', `127.0.0.1:${tlsPort}`, flag, '-cipher', 'DEFAULT@SECLEVEL=0'], {
        input: '',
        encoding: 'utf8',
        timeout: 10_000,
      });
    const old = handshake('-tls1_1');
    expect(old.stdout).toMatch(/Cipher is \(NONE\)/);
    expect(old.status).not.toBe(0);
    expect(handshake('-tls1_2').stdout).toMatch(/New, TLSv1\.2, Cipher is [A-Z0-9]/);
    expect(handshake('-tls1_3').stdout).toMatch(/New, TLSv1\.3, Cipher is [A-Z0-9]/);
  });
});

describe('SSRF matrix: CreatePermission (no packet reaches the peer)', () => {
  const permissions = (family: 4 | 6, peers: readonly string[]) =>
    permissionMatrix({ host: '127.0.0.1', port }, credential(SECRET_CURRENT), family, peers);

  test('every denied IPv4 peer gets 403 on an IPv4 relay', async () => {
    const result = await permissions(4, DENIED_IPV4_PEERS);
    expect(result).toEqual(Object.fromEntries(DENIED_IPV4_PEERS.map((p) => [p, 403])));
  });

  test('every denied IPv6 form (incl. IPv4-mapped, -compatible, NAT64, 6to4) gets 403 on an IPv6 relay', async () => {
    const result = await permissions(6, DENIED_IPV6_PEERS);
    expect(result).toEqual(Object.fromEntries(DENIED_IPV6_PEERS.map((p) => [p, 403])));
  });

  test('public (documentation) peers are permitted, so the matrix can fail both ways', async () => {
    expect(await permissions(4, PERMITTED_IPV4_PEERS)).toEqual(
      Object.fromEntries(PERMITTED_IPV4_PEERS.map((p) => [p, 'ok'])),
    );
    expect(await permissions(6, PERMITTED_IPV6_PEERS)).toEqual(
      Object.fromEntries(PERMITTED_IPV6_PEERS.map((p) => [p, 'ok'])),
    );
  });
});

describe('whole run', () => {
  // Denied peers and failed logins are logged as ERROR at run time, so only configuration complaints count here:
  // a late one would mean an option the start-up check could not see.
  test('no configuration complaint appeared after start-up either', () => {
    const complaints = (server?.log() ?? '')
      .split('\n')
      .filter((line) => /Bad configuration format|Wrong address format|deprecat/i.test(line));
    expect(complaints).toEqual([]);
  });
});
