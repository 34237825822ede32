/**
 * A real WebRTC call through the real coturn, end to end, on this machine only, along the deployed path: two
 * Chromium pages, authorized by the signaling harness (real handlers, DynamoDB Local, local issuer), get the Signaling
 * template's TURN URLs verbatim from `ice-servers`, resolve the relay name to the load-balancer stand-in, and connect
 * with iceTransportPolicy "relay" through its listeners, both security groups as the Relay template writes them, and
 * coturn running the production-rendered config (tools/lab/lab.ts, docs/lab.md). Everything runs in private network
 * namespaces with no route out.
 */
import type { Browser, Page } from 'playwright-core';
import type { CallStack } from '../../tools/lab/call-stack';
import { startCallLab, type CallLab } from '../../tools/lab/lab';
import { openPeer, opaqueId, peerStatus, relayMediaFlowing, waitForStatus } from '../../tools/lab/peer-page';

jest.setTimeout(120_000);

let lab: CallLab;
let stack: CallStack;
let browser: Browser;
const pages: Page[] = [];

beforeAll(async () => {
  lab = await startCallLab();
  ({ stack, browser } = lab);
});

afterEach(async () => {
  await Promise.allSettled(pages.splice(0).map((page) => page.close()));
});

afterAll(async () => {
  await lab?.stop();
});

async function peer(
  label: string,
  roomId: string,
  extra: {
    transport?: 'udp' | 'tcp' | 'tls';
    rooms?: string[];
    tokenSource?: 'query' | 'protocol-header';
    sub?: string;
  } = {},
) {
  const header = extra.tokenSource === 'protocol-header';
  const token = await stack.token({
    sub: extra.sub ?? opaqueId(),
    rooms: extra.rooms ?? [roomId],
    expiresIn: 300,
    ...(header ? { tokenSource: 'protocol-header' as const } : {}),
  });
  const page = await openPeer(browser, stack.pageUrl, {
    signalingUrl: header ? stack.headerSignalingUrl : stack.signalingUrl,
    token,
    roomId,
    label,
    transport: extra.transport,
    tokenSource: extra.tokenSource,
  });
  pages.push(page);
  return page;
}

test('the relay under test is coturn at or above the production floor', () => {
  const [major, minor, patch] = stack.coturnVersion.split('.').map(Number);
  expect(major * 10_000 + minor * 100 + patch).toBeGreaterThanOrEqual(4 * 10_000 + 13 * 100 + 1);
});

describe.each([
  ['udp', 'udp'],
  ['tcp', 'tcp'],
  ['tls', 'tls'],
] as const)('a call over TURN/%s', (transport, relayProtocol) => {
  test('selected pair is relay/relay through our coturn, DTLS connected, video frames and data arrive', async () => {
    const roomId = opaqueId();
    const a = await peer('A', roomId, { transport });
    await waitForStatus(a, (s) => s.status?.signaling === 'joined');
    const b = await peer('B', roomId, { transport });
    for (const page of [a, b]) {
      const { status } = await waitForStatus(page, relayMediaFlowing, 30_000).catch((error: Error) => {
        throw new Error(`${error.message}\ndropped on the path: ${lab.pathDrops().join('; ') || 'nothing'}`);
      });
      // The URL of this transport, verbatim from the Signaling template (the relay name, not an address).
      expect(status!.turnUrls).toEqual(lab.turnUrls.filter((u) => u.transport === transport).map((u) => u.url));
      expect(status!.selectedPair).toMatchObject({
        localType: 'relay',
        remoteType: 'relay',
        localAddress: lab.relayIp,
        remoteAddress: lab.relayIp,
        localRelayProtocol: relayProtocol,
      });
      expect(status!.localCandidateTypes.every((type) => type === 'relay')).toBe(true);
      // No TURN error at all: no 4xx answered by the relay, and no 701 (the client namespace has one interface, so
      // Chromium has no second address to fail from).
      expect(status!.candidateErrors).toEqual([]);
    }
  });
});

describe('PHI-free relay usernames', () => {
  /** Subjects that pass the opaque-id check yet carry a name, a date of birth, a phone number or an SSN. */
  const PHI_SUBJECTS = [
    'jane-doe-19800101',
    'JohnSmith19800101',
    '15551234567abcde',
    'tel_15551234567x',
    'SSN-123-45-6789x',
  ];

  /** The `ice-servers` answer signaling gives `sub`, fetched from inside a page (signaling lives in the lab). */
  async function iceServersFor(
    page: Page,
    sub: string,
  ): Promise<{ urls: string[]; username: string; credential: string }> {
    const token = await stack.token({ sub, rooms: [opaqueId()], expiresIn: 300 });
    const url = `${stack.signalingUrl}?token=${encodeURIComponent(token)}`;
    return page.evaluate(`new Promise((resolve, reject) => {
      const ws = new WebSocket(${JSON.stringify(url)});
      setTimeout(() => reject(new Error('no ice-servers answer')), 10000);
      ws.onopen = () => ws.send(JSON.stringify({ action: 'ice-servers' }));
      ws.onmessage = (event) => { resolve(JSON.parse(event.data).iceServers[0]); ws.close(); };
    })`);
  }

  test('PHI-shaped subjects call through the relay, and none reaches the relay log, only pseudonyms', async () => {
    const before = (await stack.relayLog()).length;
    // A call between two of the subjects: their pseudonymous credentials carry media.
    const roomId = opaqueId();
    const a = await peer('A', roomId, { transport: 'udp', sub: PHI_SUBJECTS[0] });
    await waitForStatus(a, (s) => s.status?.signaling === 'joined');
    const last = await peer('B', roomId, { transport: 'udp', sub: PHI_SUBJECTS[1] });
    for (const page of [a, last]) await waitForStatus(page, relayMediaFlowing, 30_000);
    // coturn logs usernames when it refuses them: present each subject's username with a wrong password, so the
    // relay log holds every one of the five usernames (and the absence of the subjects below means something).
    const servers: { urls: string[]; username: string; credential: string }[] = [];
    for (const sub of PHI_SUBJECTS) {
      const server = await iceServersFor(last, sub);
      expect(server.username).toMatch(/^\d{10}:[A-Za-z0-9_-]{32}$/);
      servers.push({
        urls: server.urls.filter((u) => u.includes('transport=udp')),
        username: server.username,
        credential: 'wrong',
      });
    }
    // One refused call per username (Chromium tries a repeated URL only once): each allocation is answered 401.
    for (const server of servers) {
      const roomId = opaqueId();
      const make = async (label: string) => {
        const token = await stack.token({ sub: opaqueId(), rooms: [roomId], expiresIn: 300 });
        const page = await openPeer(browser, stack.pageUrl, {
          signalingUrl: stack.signalingUrl,
          token,
          roomId,
          label,
          iceServers: [server],
        });
        pages.push(page);
        return page;
      };
      const a = await make('A');
      await waitForStatus(a, (s) => s.status?.signaling === 'joined');
      const b = await make('B');
      await waitForStatus(b, (s) => (s.status?.candidateErrors ?? []).some((e) => e.errorCode === 401), 20_000);
    }
    const deadline = Date.now() + 10_000;
    let log = '';
    while (Date.now() < deadline) {
      log = (await stack.relayLog()).slice(before);
      if (servers.every((server) => log.includes(server.username))) break;
      await last.waitForTimeout(250);
    }
    for (const server of servers)
      expect({ username: server.username, logged: log.includes(server.username) }).toEqual({
        username: server.username,
        logged: true,
      });
    for (const sub of PHI_SUBJECTS) {
      expect({ sub, inRelayLog: log.includes(sub) }).toEqual({ sub, inRelayLog: false });
    }
  });
});

describe('tokenSource protocol-header (the token only in Sec-WebSocket-Protocol)', () => {
  test('Chromium offers the bearer subprotocol, accepts the echo, and the call relays media', async () => {
    const roomId = opaqueId();
    const a = await peer('A', roomId, { transport: 'udp', tokenSource: 'protocol-header' });
    await waitForStatus(a, (s) => s.status?.signaling === 'joined');
    const b = await peer('B', roomId, { transport: 'udp', tokenSource: 'protocol-header' });
    for (const page of [a, b]) {
      const { status } = await waitForStatus(page, relayMediaFlowing, 30_000);
      expect(status!.selectedPair).toMatchObject({ localType: 'relay', remoteType: 'relay' });
    }
  });

  test('a valid token in the URL is refused by a protocol-header stage', async () => {
    const roomId = opaqueId();
    const token = await stack.token({
      sub: opaqueId(),
      rooms: [roomId],
      expiresIn: 300,
      tokenSource: 'protocol-header',
    });
    const page = await openPeer(browser, stack.pageUrl, {
      signalingUrl: stack.headerSignalingUrl,
      token,
      roomId,
      label: 'token-in-url',
    });
    pages.push(page);
    const { error } = await waitForStatus(page, (s) => s.error !== null, 10_000);
    expect(error).toMatch(/signaling closed before joining/);
  });
});

describe('refusals', () => {
  test('a missing token cannot connect to signaling', async () => {
    const page = await openPeer(browser, stack.pageUrl, {
      signalingUrl: stack.signalingUrl,
      roomId: opaqueId(),
      label: 'no-token',
    });
    pages.push(page);
    const { error } = await waitForStatus(page, (s) => s.error !== null, 10_000);
    expect(error).toMatch(/signaling closed before joining/);
  });

  test('an expired token cannot connect to signaling', async () => {
    const roomId = opaqueId();
    const token = await stack.token({ sub: opaqueId(), rooms: [roomId], expiresIn: -60 });
    const page = await openPeer(browser, stack.pageUrl, {
      signalingUrl: stack.signalingUrl,
      token,
      roomId,
      label: 'expired',
    });
    pages.push(page);
    const { error } = await waitForStatus(page, (s) => s.error !== null, 10_000);
    expect(error).toMatch(/signaling closed before joining/);
  });

  test('expired TURN credentials: 401 candidate errors and no relay candidate', async () => {
    const roomId = opaqueId();
    const iceServers = await stack.expiredIceServers();
    const make = async (label: string) => {
      const token = await stack.token({ sub: opaqueId(), rooms: [roomId], expiresIn: 300 });
      const page = await openPeer(browser, stack.pageUrl, {
        signalingUrl: stack.signalingUrl,
        token,
        roomId,
        label,
        iceServers,
      });
      pages.push(page);
      return page;
    };
    const a = await make('A');
    await waitForStatus(a, (s) => s.status?.signaling === 'joined');
    const b = await make('B');
    for (const page of [a, b]) {
      const { status } = await waitForStatus(page, (s) => (s.status?.candidateErrors.length ?? 0) > 0, 15_000);
      expect(status!.candidateErrors.map((e) => e.errorCode)).toContain(401);
    }
    // Give gathering the time it would need to succeed, then prove it did not.
    await b.waitForTimeout(2_000);
    for (const page of [a, b]) {
      const { status } = await peerStatus(page);
      expect(status!.localCandidateTypes).not.toContain('relay');
      expect(status!.connectionState).not.toBe('connected');
    }
  });

  test('a peer in another room never receives the offer', async () => {
    const roomId = opaqueId();
    const a = await peer('A', roomId);
    await waitForStatus(a, (s) => s.status?.signaling === 'joined');
    const outsider = await peer('C', opaqueId());
    await waitForStatus(outsider, (s) => s.status?.signaling === 'joined');
    const b = await peer('B', roomId);
    await waitForStatus(b, relayMediaFlowing, 30_000);
    const { status } = await peerStatus(outsider);
    expect(status!.signalsReceived).toBe(0);
    expect(status!.connectionState).toBe('new');
  });
});
