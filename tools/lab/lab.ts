/**
 * The whole call lab, built from the synthesized templates (docs/lab.md):
 * - three namespaces (deployed-path/topology.ts): the client (Chromium, signaling harness, pages), a load-balancer
 *   stand-in and the relay (coturn with the production config);
 * - the relay namespace enforces the Relay template's relay security groups, the stand-in its load balancer's
 *   security groups and exactly its listeners (deployed-path/nft-rules.ts), health-checks the target groups and
 *   forwards only to healthy ones, and terminates its TLS listeners (deployed-path/load-balancer-child.ts);
 * - Chromium gets the Signaling template's TURN URLs verbatim, the relay name mapped to the stand-in's front address.
 * `stop()` removes everything, also after a partial start.
 */
import { randomBytes } from 'node:crypto';
import type { Browser } from 'playwright-core';
import { launchChromiumInNetns } from './browser';
import { startCallStack, type CallStack } from './call-stack';
import type { TargetHealth } from './deployed-path/load-balancer-child';
import { loadBalancerRuleset, relayRuleset, type Ruleset } from './deployed-path/nft-rules';
import { readRelayPath, type CfnTemplate } from './deployed-path/relay-template';
import { standInPlan } from './deployed-path/stand-in-plan';
import { synthesizeDeployedTemplates, type DeployedTemplates } from './deployed-path/synth-templates';
import { createLabTopology, type LabTopology } from './deployed-path/topology';
import { parseTurnUrl, turnUrlsOf, type TurnUrlPath } from './deployed-path/turn-urls';
import { startLabChild, type LabChild } from './lab-child';
import { createTestCa, type TestCa } from './test-ca';

export interface CallLab {
  readonly topology: LabTopology;
  readonly ca: TestCa;
  readonly stack: CallStack;
  readonly browser: Browser;
  /** The TURN URLs from the Signaling template, as handed to the browser. */
  readonly turnUrls: readonly TurnUrlPath[];
  /** The relay's address: what coturn advertises as its relayed address. */
  readonly relayIp: string;
  /** Health of each target group as the stand-in last checked it. */
  health(): readonly TargetHealth[];
  /** Rebuilds the relay's and the stand-in's rules (and health checks) from another Relay template. */
  useRelayTemplate(template: CfnTemplate): Promise<void>;
  /**
   * What was dropped, hop by hop, since the rules were last built: one line per hop that counted packets, plus
   * target groups that failed their health check.
   */
  pathDrops(): string[];
  /** Template rules the lab could not stand in for (they admit nothing in the lab). */
  notes(): string[];
  stop(): Promise<void>;
}

const HEALTH_WINDOW_MS = 6_000;

export async function startCallLab(options: { templates?: DeployedTemplates } = {}): Promise<CallLab> {
  const templates = options.templates ?? synthesizeDeployedTemplates();
  const rawUrls = turnUrlsOf(templates.signaling);
  const turnUrls = rawUrls.map(parseTurnUrl);
  const names = [...new Set(turnUrls.map((u) => u.host))];
  if (names.length !== 1)
    throw new Error(`the lab stands in for one relay name; the TURN URLs name ${names.join(', ')}`);
  const relayName = names[0];

  const topology = createLabTopology();
  const a = topology.addresses;
  const steps: Array<() => Promise<void> | void> = [() => topology.destroy()];
  const stop = async () => {
    for (const step of steps.splice(0).reverse()) await Promise.resolve(step()).catch(() => undefined);
  };
  try {
    const ca = createTestCa(relayName);
    steps.push(() => ca.remove());
    const secret = `e2e-only-${randomBytes(24).toString('hex')}`;

    let relayRules: Ruleset;
    let lbRules: Ruleset;
    let health: TargetHealth[] = [];
    let healthCheckDrops: string[] = [];
    const dropped = (netns: string, rules: Ruleset) => {
      const counts = topology.counters(netns, rules.table);
      return rules.hops
        .filter((h) => (counts[h.counter] ?? 0) > 0)
        .map((h) => `${h.message} (${counts[h.counter]} packets)`);
    };
    let standIn: LabChild<{ health: TargetHealth[] }> | undefined;
    const applyRelayTemplate = async (template: CfnTemplate) => {
      const model = readRelayPath(template);
      await standIn?.stop();
      relayRules = relayRuleset(model, a);
      topology.applyRuleset(topology.relay, relayRules.text);
      // Health checks run with the stand-in's rules in place but no listener forwarding yet, as for new targets.
      const healthCheckRules = loadBalancerRuleset(model, turnUrls, a, new Set());
      topology.applyRuleset(topology.loadBalancer, healthCheckRules.text);
      standIn = await startLabChild(topology.loadBalancer, 'tools/lab/deployed-path/load-balancer-child.ts', {
        HRTC_LB_PLAN: JSON.stringify({
          ...standInPlan(model, a),
          certFile: ca.certFile,
          keyFile: ca.keyFile,
          healthWindowMs: HEALTH_WINDOW_MS,
        }),
      });
      health = standIn.ready.health;
      // Kept before the stand-in's rules are rebuilt (which resets its counters), so a failed check says where.
      healthCheckDrops = [
        ...dropped(topology.loadBalancer, healthCheckRules),
        ...dropped(topology.relay, relayRules),
      ].map((drop) => `during health checks: ${drop}`);
      const healthy = new Set(health.filter((h) => h.healthy).map((h) => h.targetGroup));
      lbRules = loadBalancerRuleset(model, turnUrls, a, healthy);
      topology.applyRuleset(topology.loadBalancer, lbRules.text);
    };

    const relay = await startLabChild<{ coturnVersion: string }>(topology.relay, 'tools/lab/relay-child.ts', {
      HRTC_RELAY_IP: a.relayIp,
      HRTC_TURN_SECRET: secret,
      HRTC_TLS_CERT: ca.certFile,
      HRTC_TLS_KEY: ca.keyFile,
    });
    steps.push(() => relay.stop());
    // The relay's rules go in after coturn answers its own probe, before anything else can reach it.
    await applyRelayTemplate(templates.relay);
    steps.push(() => standIn?.stop());

    const stack = await startCallStack(
      topology.client,
      { HRTC_TURN_URLS: rawUrls.join(','), HRTC_TURN_SECRET: secret },
      { child: relay, relayIp: a.relayIp },
    );
    steps.push(() => stack.stop());
    const browser = await launchChromiumInNetns(topology.client, ca.home, { map: { [relayName]: a.frontIp } });
    steps.push(() => browser.close());

    return {
      topology,
      ca,
      stack,
      browser,
      turnUrls,
      relayIp: a.relayIp,
      health: () => health,
      useRelayTemplate: applyRelayTemplate,
      pathDrops: () => [
        ...health.filter((h) => !h.healthy).map((h) => `target group ${h.targetGroup} is unhealthy: ${h.detail}`),
        ...healthCheckDrops,
        ...dropped(topology.loadBalancer, lbRules),
        ...dropped(topology.relay, relayRules),
      ],
      notes: () => [...relayRules.notes, ...lbRules.notes],
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
