/**
 * The whole call lab, built from the synthesized templates (docs/lab.md):
 * - a client namespace (Chromium, signaling harness, pages) and, per relay region, a load-balancer stand-in and a
 *   relay namespace (deployed-path/topology.ts); one region unless `relayRegions` names several;
 * - each relay namespace enforces its Relay template's relay security groups, each stand-in its load balancer's
 *   security groups and exactly its listeners (deployed-path/nft-rules.ts), health-checks the target groups and
 *   forwards only to healthy ones, and terminates its TLS listeners (lab-relay-region.ts);
 * - Chromium gets the Signaling template's TURN URLs verbatim, the relay name mapped to a stand-in's front address:
 *   region 0's for `browser`, and for `launchBrowserForNewCall()` the region that Route 53 latency routing would
 *   answer with (deployed-path/latency-records.ts, latency-routing.ts), from each region's record, the declared
 *   latencies and the stand-ins' own health checks.
 * `stop()` removes everything, also after a partial start.
 */
import { randomBytes } from 'node:crypto';
import type { Browser } from 'playwright-core';
import { launchChromiumInNetns } from './browser';
import { startCallStack, type CallStack } from './call-stack';
import type { TargetHealth } from './deployed-path/load-balancer-child';
import { readLatencyRecords, type LatencyRecord, type RelayRegionTemplate } from './deployed-path/latency-records';
import { latencyAnswer, type LatencyAnswer } from './deployed-path/latency-routing';
import type { CfnTemplate } from './deployed-path/relay-template';
import { synthesizeDeployedTemplates, type DeployedTemplates } from './deployed-path/synth-templates';
import { createLabTopology, type LabTopology } from './deployed-path/topology';
import { parseTurnUrl, turnUrlsOf, type TurnUrlPath } from './deployed-path/turn-urls';
import { startLabRelayRegion, type LabRelayRegion } from './lab-relay-region';
import { createTestCa, type TestCa } from './test-ca';

export interface CallLab {
  readonly topology: LabTopology;
  readonly ca: TestCa;
  readonly stack: CallStack;
  /** A browser whose relay name resolves to region 0's stand-in. */
  readonly browser: Browser;
  /** The TURN URLs from the Signaling template, as handed to the browser. */
  readonly turnUrls: readonly TurnUrlPath[];
  readonly relayName: string;
  /** Region 0's relay address: what its coturn advertises as its relayed address. */
  readonly relayIp: string;
  /** Every relay region, region 0 first. */
  readonly regions: readonly LabRelayRegion[];
  /** Region 0: health of each target group as the stand-in last checked it. */
  health(): readonly TargetHealth[];
  /** Region 0: rebuilds the relay's and the stand-in's rules (and health checks) from another Relay template. */
  useRelayTemplate(template: CfnTemplate): Promise<void>;
  /**
   * Region 0: what was dropped, hop by hop, since the rules were last built: one line per hop that counted packets,
   * plus target groups that failed their health check.
   */
  pathDrops(): string[];
  /** Region 0: template rules the lab could not stand in for (they admit nothing in the lab). */
  notes(): string[];
  /** Each region's latency record under the relay name, read from its current template (relayRegions only). */
  latencyRecords(): LatencyRecord[];
  /** What Route 53 latency routing answers now for the relay name (relayRegions only). */
  route(): LatencyAnswer;
  /**
   * A fresh Chromium for a new call, its relay name mapped to the region `route()` answers with (a new browser,
   * so no resolver cache carries over). The caller closes it; `stop()` closes any left open.
   */
  launchBrowserForNewCall(): Promise<{ browser: Browser; region: LabRelayRegion; answer: LatencyAnswer }>;
  stop(): Promise<void>;
}

export interface CallLabOptions {
  /** The Signaling template (and, without relayRegions, the one Relay template). Default: the example config's. */
  readonly templates?: DeployedTemplates;
  /** Relay regions, nearest-first not required; each region's own Relay template. Default: templates.relay only. */
  readonly relayRegions?: readonly RelayRegionTemplate[];
  /**
   * Latency from the client to each region, in ms, as Route 53 would measure it for the client's resolver. Declared,
   * not measured: this machine's kernel has no sch_netem to make link latencies differ (docs/lab.md).
   */
  readonly latencyMs?: Readonly<Record<string, number>>;
}

export async function startCallLab(options: CallLabOptions = {}): Promise<CallLab> {
  const templates = options.templates ?? synthesizeDeployedTemplates();
  const rawUrls = turnUrlsOf(templates.signaling);
  const turnUrls = rawUrls.map(parseTurnUrl);
  const names = [...new Set(turnUrls.map((u) => u.host))];
  if (names.length !== 1)
    throw new Error(`the lab stands in for one relay name; the TURN URLs name ${names.join(', ')}`);
  const relayName = names[0];
  const routed = options.relayRegions !== undefined;
  const relayRegions = options.relayRegions ?? [{ region: 'home', template: templates.relay }];
  const latencyMs = options.latencyMs ?? {};
  if (routed) {
    // Fail closed before anything starts: every record readable, every region with a latency.
    latencyAnswer(
      readLatencyRecords(relayRegions, relayName),
      latencyMs,
      Object.fromEntries(relayRegions.map((r) => [r.region, true])),
    );
  }

  const topology = createLabTopology(relayRegions.length);
  const steps: Array<() => Promise<void> | void> = [() => topology.destroy()];
  const stop = async () => {
    for (const step of steps.splice(0).reverse()) await Promise.resolve(step()).catch(() => undefined);
  };
  try {
    const ca = createTestCa(relayName);
    steps.push(() => ca.remove());
    // One TURN secret for every region, as the relay regions share it.
    const secret = `e2e-only-${randomBytes(24).toString('hex')}`;
    const regions: LabRelayRegion[] = [];
    for (const [i, { region, template }] of relayRegions.entries()) {
      const started = await startLabRelayRegion({
        name: region,
        topology,
        netns: topology.regions[i],
        template,
        turnUrls,
        ca,
        secret,
      });
      regions.push(started);
      steps.push(() => started.stop());
    }
    const home = regions[0];

    const stack = await startCallStack(
      topology.client,
      { HRTC_TURN_URLS: rawUrls.join(','), HRTC_TURN_SECRET: secret },
      { child: home.relay, relayIp: home.relayIp },
    );
    steps.push(() => stack.stop());
    const launch = async (frontIp: string) => {
      const browser = await launchChromiumInNetns(topology.client, ca.home, { map: { [relayName]: frontIp } });
      steps.push(() => browser.close());
      return browser;
    };
    const browser = await launch(home.frontIp);

    const latencyRecords = () => {
      if (!routed) throw new Error('the lab was started without relayRegions: no latency records to route by');
      return readLatencyRecords(
        regions.map((r) => ({ region: r.name, template: r.template() })),
        relayName,
      );
    };
    const route = () =>
      latencyAnswer(
        latencyRecords(),
        latencyMs,
        Object.fromEntries(regions.map((r) => [r.name, r.loadBalancerHealthy()])),
      );

    return {
      topology,
      ca,
      stack,
      browser,
      turnUrls,
      relayName,
      relayIp: home.relayIp,
      regions,
      health: () => home.health(),
      useRelayTemplate: (template) => home.useRelayTemplate(template),
      pathDrops: () => home.pathDrops(),
      notes: () => home.notes(),
      latencyRecords,
      route,
      launchBrowserForNewCall: async () => {
        const answer = route();
        if (answer.kind === 'none') throw new Error(`the relay name ${relayName} does not resolve: ${answer.why}`);
        const region = regions.find((r) => r.name === answer.record.region)!;
        return { browser: await launch(region.frontIp), region, answer };
      },
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
