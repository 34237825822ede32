/**
 * Two relay regions in the lab (tools/lab/lab.ts with relayRegions, docs/lab.md "Relay regions"): each region's coturn
 * behind its own load-balancer stand-in, both built from that region's Relay template, and the relay name resolved per
 * new call by a stand-in for Route 53 latency routing over the regions' latency alias records. A call goes through the
 * nearest region; when that region's relay stops, its stand-in's health check fails and a new call is served by the
 * other region. Which relay carried a call is read from the relays themselves: the relayed address coturn allocated
 * (the selected pair's address) and the allocations in each coturn's own log. A failed call is one that gathers no
 * relay candidate in a bound well beyond what a passing call takes here (about 4 s).
 *
 * The templates are the real ones of config/example-two-regions.ts (us-east-1 home, us-west-2), synthesized in-process
 * with cdk.json's context: each carries its own latency alias record, written by the Relay stack.
 */
import type { Browser, Page } from 'playwright-core';
import { startCallLab, type CallLab } from '../../tools/lab/lab';
import { synthesizeDeployedTemplates } from '../../tools/lab/deployed-path/synth-templates';
import type { LabRelayRegion } from '../../tools/lab/lab-relay-region';
import {
  openPeer,
  opaqueId,
  peerStatus,
  relayMediaFlowing,
  waitForStatus,
  type PeerStatus,
} from '../../tools/lab/peer-page';

jest.setTimeout(90_000);

const FAIL_BOUND_MS = 15_000;
const HOME = 'us-east-1';
const WEST = 'us-west-2';
/** Declared, not measured (no sch_netem here): the client is nearer the second region, so "nearest" is not "first". */
const LATENCY_MS = { [HOME]: 70, [WEST]: 15 };

const synthesized = synthesizeDeployedTemplates('example-two-regions');

/** A region's synthesized Relay template; with `evaluateTargetHealth: false`, its latency record stops evaluating health. */
function regionalTemplate(region: string, evaluateTargetHealth = true) {
  const found = synthesized.relayRegions.find((r) => r.region === region);
  if (!found) throw new Error(`example-two-regions has no relay region ${region}`);
  const template = structuredClone(found.template);
  const records = Object.values(template.Resources ?? {}).filter((r) => r.Type === 'AWS::Route53::RecordSet');
  if (records.length !== 1)
    throw new Error(`the ${region} Relay template has ${records.length} latency records, not 1`);
  if (!evaluateTargetHealth) (records[0]!.Properties as any).AliasTarget.EvaluateTargetHealth = false;
  return template;
}

let lab: CallLab;
const browsers: Browser[] = [];
const pages: Page[] = [];
const region = (name: string): LabRelayRegion => lab.regions.find((r) => r.name === name)!;

beforeAll(async () => {
  lab = await startCallLab({
    templates: synthesized,
    relayRegions: [
      { region: HOME, template: regionalTemplate(HOME) },
      { region: WEST, template: regionalTemplate(WEST) },
    ],
    latencyMs: LATENCY_MS,
  });
}, 90_000);

afterEach(async () => {
  await Promise.allSettled(pages.splice(0).map((page) => page.close()));
  await Promise.allSettled(browsers.splice(0).map((browser) => browser.close()));
});

afterAll(async () => {
  await lab?.stop();
});

/**
 * A new two-peer UDP call in a fresh browser whose relay name resolves as latency routing answers now; resolves
 * with the region answered, whether media flowed, both peers' statuses and each relay's allocations during the call.
 */
async function newCall() {
  const { browser, region: answered, answer } = await lab.launchBrowserForNewCall();
  browsers.push(browser);
  const roomId = opaqueId();
  const peer = async (label: string) => {
    const token = await lab.stack.token({ sub: opaqueId(), rooms: [roomId], expiresIn: 300 });
    const page = await openPeer(browser, lab.stack.pageUrl, {
      signalingUrl: lab.stack.signalingUrl,
      token,
      roomId,
      label,
      transport: 'udp',
    });
    pages.push(page);
    return page;
  };
  const a = await peer('A');
  await waitForStatus(a, (s) => s.status?.signaling === 'joined');
  const b = await peer('B');
  const flowing = await Promise.all([a, b].map((page) => waitForStatus(page, relayMediaFlowing, FAIL_BOUND_MS)))
    .then(() => true)
    .catch(() => false);
  const statuses = (await Promise.all([a, b].map(async (page) => (await peerStatus(page)).status))) as PeerStatus[];
  // While both peers are still in the call: each running relay's allocations, from its own sockets.
  const allocations = Object.fromEntries(
    lab.regions.map((r) => [r.name, r.relayRunning() ? r.relayAllocations() : []] as const),
  );
  return { answered, answer, flowing, statuses, allocations };
}

/**
 * Which relay carried a call, from the relays: both ends of each peer's selected pair are relayed addresses the
 * carrying coturn allocated, and only the carrying relay holds allocations (its relay sockets) during the call. The
 * production config logs no successful allocation at its log level, so coturn's log cannot say it.
 */
function expectCarriedBy(result: Awaited<ReturnType<typeof newCall>>, carrier: LabRelayRegion) {
  expect(result.flowing).toBe(true);
  for (const status of result.statuses) {
    expect(status.selectedPair).toMatchObject({
      localType: 'relay',
      remoteType: 'relay',
      localAddress: carrier.relayIp,
      remoteAddress: carrier.relayIp,
    });
  }
  for (const r of lab.regions) {
    if (r === carrier) expect(result.allocations[r.name].length).toBeGreaterThanOrEqual(2);
    else
      expect({ region: r.name, allocations: result.allocations[r.name] }).toEqual({ region: r.name, allocations: [] });
  }
}

test('both regions are healthy and every template rule has a stand-in; a call goes through the nearest region', async () => {
  for (const r of lab.regions) {
    expect(r.loadBalancerHealthy()).toBe(true);
    expect(r.notes()).toEqual([]);
  }
  expect(lab.latencyRecords().map((r) => [r.region, r.evaluateTargetHealth])).toEqual([
    [HOME, true],
    [WEST, true],
  ]);
  const result = await newCall();
  expect(result.answered.name).toBe(WEST);
  expectCarriedBy(result, region(WEST));
});

test("when the nearest region's relay stops, its health check fails and a new call is served by the other region", async () => {
  const west = region(WEST);
  await west.stopRelay();
  expect(west.relayAllocations()).toEqual([]);
  await west.checkHealth();
  expect(west.loadBalancerHealthy()).toBe(false);
  expect(region(HOME).loadBalancerHealthy()).toBe(true);
  for (const health of west.health()) expect(health.detail).toMatch(/health check tcp\/3478 failed/);
  const result = await newCall();
  expect(result.answer.why).toMatch(/skipped us-west-2 \(15 ms, load balancer unhealthy\)/);
  expect(result.answered.name).toBe(HOME);
  expectCarriedBy(result, region(HOME));
});

test('with EvaluateTargetHealth false in the nearest region, DNS keeps answering it and the new call fails there', async () => {
  const west = region(WEST);
  expect(west.relayRunning()).toBe(false);
  // Rebuilding the region from the changed template health-checks it again: still no relay.
  await west.useRelayTemplate(regionalTemplate(WEST, false));
  expect(west.loadBalancerHealthy()).toBe(false);
  const result = await newCall();
  expect(result.answered.name).toBe(WEST);
  expect(result.answer.why).toMatch(/us-west-2 \(15 ms, load balancer unhealthy, EvaluateTargetHealth false/);
  expect(result.flowing).toBe(false);
  for (const status of result.statuses) {
    expect(status.localCandidateTypes).not.toContain('relay');
    expect(status.connectionState).not.toBe('connected');
  }
  // The lab says why: the stand-in the name resolved to has no healthy target, and dropped the call's packets there.
  expect(west.pathDrops().join('\n')).toMatch(
    /load balancer listener \S+ \(TCP_UDP 3478\) has no healthy target: target group \S+ failed its health check TCP\/3478 \(\d+ packets\)/,
  );
});
