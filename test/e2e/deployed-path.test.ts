/**
 * The lab is faithful to the templates it is built from: a call fails when the Relay template would fail it in AWS,
 * and the lab says at which hop. One lab (tools/lab/lab.ts) is rebuilt from copies of the synthesized Relay template
 * with one part of the path removed (tools/lab/deployed-path/template-mutations.ts), and from the Relay template as it
 * was before issue 11 (test/e2e/fixtures). A failed call is one that gathers no relay candidate in a bound well
 * beyond what a passing call takes here (about 4 s).
 */
import type { Page } from 'playwright-core';
import { startCallLab, type CallLab } from '../../tools/lab/lab';
import { synthesizeDeployedTemplates } from '../../tools/lab/deployed-path/synth-templates';
import {
  withoutLoadBalancerEgress,
  withoutLoadBalancerIngress,
  withoutUdpListener,
} from '../../tools/lab/deployed-path/template-mutations';
import {
  openPeer,
  opaqueId,
  peerStatus,
  relayMediaFlowing,
  waitForStatus,
  type PeerStatus,
} from '../../tools/lab/peer-page';
import beforeIssue11 from './fixtures/relay-template-before-issue-11.json';

jest.setTimeout(120_000);

type Transport = 'udp' | 'tcp' | 'tls';
const FAIL_BOUND_MS = 15_000;

let lab: CallLab;
const pages: Page[] = [];

beforeAll(async () => {
  lab = await startCallLab();
});

afterEach(async () => {
  await Promise.allSettled(pages.splice(0).map((page) => page.close()));
});

afterAll(async () => {
  await lab?.stop();
});

async function peer(label: string, roomId: string, transport: Transport): Promise<Page> {
  const token = await lab.stack.token({ sub: opaqueId(), rooms: [roomId], expiresIn: 300 });
  const page = await openPeer(lab.browser, lab.stack.pageUrl, {
    signalingUrl: lab.stack.signalingUrl,
    token,
    roomId,
    label,
    transport,
  });
  pages.push(page);
  return page;
}

/** A two-peer call over one transport; resolves with both peers' last status once media flows or the bound passes. */
async function call(transport: Transport): Promise<{ flowing: boolean; statuses: Array<PeerStatus | null> }> {
  const roomId = opaqueId();
  const a = await peer('A', roomId, transport);
  await waitForStatus(a, (s) => s.status?.signaling === 'joined');
  const b = await peer('B', roomId, transport);
  const flowing = await Promise.all([a, b].map((page) => waitForStatus(page, relayMediaFlowing, FAIL_BOUND_MS)))
    .then(() => true)
    .catch(() => false);
  const statuses = await Promise.all([a, b].map(async (page) => (await peerStatus(page)).status));
  return { flowing, statuses };
}

function expectNoRelay(result: { flowing: boolean; statuses: Array<PeerStatus | null> }) {
  expect(result.flowing).toBe(false);
  for (const status of result.statuses) {
    expect(status!.localCandidateTypes).not.toContain('relay');
    expect(status!.connectionState).not.toBe('connected');
  }
}

test('the synthesized templates: every target group healthy, every rule stood in for, and all three calls pass', async () => {
  await lab.useRelayTemplate(synthesizeDeployedTemplates().relay);
  expect(lab.notes()).toEqual([]);
  expect(lab.health().map((h) => h.healthy)).toEqual(lab.health().map(() => true));
  const results = await Promise.all((['udp', 'tcp', 'tls'] as const).map(call));
  expect(results.map((r) => r.flowing)).toEqual([true, true, true]);
});

test('without the load balancer security group ingress, the TCP and TLS calls fail at the load balancer', async () => {
  await lab.useRelayTemplate(withoutLoadBalancerIngress(synthesizeDeployedTemplates().relay));
  const [tcp, tls] = await Promise.all([call('tcp'), call('tls')]);
  expectNoRelay(tcp);
  expectNoRelay(tls);
  const drops = lab.pathDrops().join('\n');
  expect(drops).toMatch(
    /load balancer security group admits no tcp\/3478 from the client \(turn:turn\.example\.org:3478\?transport=tcp\)/,
  );
  expect(drops).toMatch(
    /load balancer security group admits no tcp\/443 from the client \(turns:turn\.example\.org:443\?transport=tcp\)/,
  );
  // Nothing got past the load balancer: the relay's rules dropped nothing.
  expect(drops).not.toMatch(/relay security group/);
});

test('without the UDP listener, the UDP call fails for want of a listener while TCP and TLS still pass', async () => {
  await lab.useRelayTemplate(withoutUdpListener(synthesizeDeployedTemplates().relay));
  const [udp, tcp, tls] = await Promise.all([call('udp'), call('tcp'), call('tls')]);
  expectNoRelay(udp);
  expect([tcp.flowing, tls.flowing]).toEqual([true, true]);
  expect(lab.pathDrops().join('\n')).toMatch(
    /load balancer has no listener for udp\/3478 \(turn:turn\.example\.org:3478\?transport=udp\)/,
  );
});

test('when the load balancer security group lets nothing out, health checks fail and no listener forwards', async () => {
  await lab.useRelayTemplate(withoutLoadBalancerEgress(synthesizeDeployedTemplates().relay));
  expect(lab.health().length).toBeGreaterThan(0);
  for (const health of lab.health()) {
    expect(health).toMatchObject({ healthy: false });
    expect(health.detail).toMatch(/health check tcp\/3478 failed \(no answer in time\)/);
  }
  expectNoRelay(await call('udp'));
  const drops = lab.pathDrops().join('\n');
  expect(drops).toMatch(
    /during health checks: load balancer security group lets no tcp\/3478 out to the relays \(.*health check/,
  );
  // The relay never saw them: the load balancer's own egress dropped them.
  expect(drops).not.toMatch(/relay security group/);
  expect(drops).toMatch(
    /load balancer listener \S+ \(TCP_UDP 3478\) has no healthy target: target group \S+ failed its health check TCP\/3478/,
  );
});

test('the Relay template before issue 11 carries no call: no ingress, no UDP listener, no health check', async () => {
  await lab.useRelayTemplate(beforeIssue11);
  expect(lab.health().every((h) => !h.healthy)).toBe(true);
  const results = await Promise.all((['udp', 'tcp', 'tls'] as const).map(call));
  results.forEach(expectNoRelay);
  const drops = lab.pathDrops().join('\n');
  expect(drops).toMatch(/load balancer security group admits no udp\/3478 from the client/);
  expect(drops).toMatch(/load balancer security group admits no tcp\/3478 from the client/);
  expect(drops).toMatch(/load balancer security group admits no tcp\/443 from the client/);
  expect(drops).toMatch(/during health checks: load balancer security group lets no tcp\/3478 out to the relays/);
});
