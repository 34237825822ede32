/**
 * One relay region of the call lab: coturn in the region's relay namespace behind the relay security groups, and the
 * region's load-balancer stand-in (its security groups, listeners, health checks and TLS termination), all built from
 * that region's Relay template (deployed-path/*). The region can be rebuilt from another template, re-health-checked,
 * and have its relay stopped, as when a region's relays fail.
 */
import { DEFAULT_RELAY_TURN_SETTINGS } from '../../lib/relay/production-turn-options';
import type { TargetHealth } from './deployed-path/load-balancer-child';
import { loadBalancerRuleset, relayRuleset, type Ruleset } from './deployed-path/nft-rules';
import { readRelayPath, type CfnTemplate } from './deployed-path/relay-template';
import { standInPlan } from './deployed-path/stand-in-plan';
import type { LabTopology, RegionTopology } from './deployed-path/topology';
import type { TurnUrlPath } from './deployed-path/turn-urls';
import { startLabChild, type LabChild } from './lab-child';
import { run } from './run';
import type { TestCa } from './test-ca';

const HEALTH_WINDOW_MS = 6_000;

export interface LabRelayRegion {
  readonly name: string;
  readonly netns: RegionTopology;
  /** The relay's address: what coturn advertises as its relayed address. */
  readonly relayIp: string;
  /** The stand-in's front address: what the relay name resolves to when DNS answers with this region. */
  readonly frontIp: string;
  /** The coturn process (for its version and log). */
  readonly relay: LabChild<{ coturnVersion: string }>;
  template(): CfnTemplate;
  /** Health of each target group as the stand-in last checked it. */
  health(): readonly TargetHealth[];
  /** As an NLB's health for Route 53: every target group the listeners use has a healthy target. */
  loadBalancerHealthy(): boolean;
  /** Rebuilds the relay's and the stand-in's rules (and health checks) from another Relay template. */
  useRelayTemplate(template: CfnTemplate): Promise<void>;
  /** Runs the stand-in's health checks again (rebuilding its rules from the current template). */
  checkHealth(): Promise<void>;
  /** Stops this region's coturn, as when its relays fail. Its log, flushed by the stop, stays readable. */
  stopRelay(): Promise<void>;
  relayRunning(): boolean;
  /**
   * coturn's allocations now, as the relay namespace's kernel sees them: the UDP sockets the turnserver process holds
   * on the relay's address in its relay port range (one per allocation), as `address:port`.
   */
  relayAllocations(): string[];
  /** coturn's own log. coturn buffers its log file: only a stopped relay's log is complete. */
  relayLog(): Promise<string>;
  pathDrops(): string[];
  notes(): string[];
  /** Stops the stand-in and the relay. */
  stop(): Promise<void>;
}

export async function startLabRelayRegion(options: {
  name: string;
  topology: LabTopology;
  netns: RegionTopology;
  template: CfnTemplate;
  turnUrls: readonly TurnUrlPath[];
  ca: TestCa;
  secret: string;
}): Promise<LabRelayRegion> {
  const { topology, netns, turnUrls, ca } = options;
  const a = netns.addresses;
  let template = options.template;
  let relayRules: Ruleset;
  let lbRules: Ruleset;
  let health: TargetHealth[] = [];
  let healthCheckDrops: string[] = [];
  let standIn: LabChild<{ health: TargetHealth[] }> | undefined;
  let stoppedLog: string | undefined;
  const dropped = (ns: string, rules: Ruleset) => {
    const counts = topology.counters(ns, rules.table);
    return rules.hops
      .filter((h) => (counts[h.counter] ?? 0) > 0)
      .map((h) => `${h.message} (${counts[h.counter]} packets)`);
  };
  const apply = async (next: CfnTemplate) => {
    const model = readRelayPath(next);
    template = next;
    await standIn?.stop();
    relayRules = relayRuleset(model, a);
    topology.applyRuleset(netns.relay, relayRules.text);
    // Health checks run with the stand-in's rules in place but no listener forwarding yet, as for new targets.
    const healthCheckRules = loadBalancerRuleset(model, turnUrls, a, new Set());
    topology.applyRuleset(netns.loadBalancer, healthCheckRules.text);
    standIn = await startLabChild(netns.loadBalancer, 'tools/lab/deployed-path/load-balancer-child.ts', {
      HRTC_LB_PLAN: JSON.stringify({
        ...standInPlan(model, a),
        certFile: ca.certFile,
        keyFile: ca.keyFile,
        healthWindowMs: HEALTH_WINDOW_MS,
      }),
    });
    health = standIn.ready.health;
    // Kept before the stand-in's rules are rebuilt (which resets its counters), so a failed check says where.
    healthCheckDrops = [...dropped(netns.loadBalancer, healthCheckRules), ...dropped(netns.relay, relayRules)].map(
      (drop) => `during health checks: ${drop}`,
    );
    const healthy = new Set(health.filter((h) => h.healthy).map((h) => h.targetGroup));
    lbRules = loadBalancerRuleset(model, turnUrls, a, healthy);
    topology.applyRuleset(netns.loadBalancer, lbRules.text);
  };

  const relay = await startLabChild<{ coturnVersion: string }>(netns.relay, 'tools/lab/relay-child.ts', {
    HRTC_RELAY_IP: a.relayIp,
    HRTC_TURN_SECRET: options.secret,
    HRTC_TLS_CERT: ca.certFile,
    HRTC_TLS_KEY: ca.keyFile,
  });
  const relayLog = async () =>
    stoppedLog ?? (await relay.request<{ type: 'relay-log'; log: string }>({ type: 'relay-log' }, 'relay-log')).log;
  try {
    // The relay's rules go in after coturn answers its own probe, before anything else can reach it.
    await apply(template);
  } catch (error) {
    await standIn?.stop();
    await relay.stop();
    throw error;
  }
  return {
    name: options.name,
    netns,
    relayIp: a.relayIp,
    frontIp: a.frontIp,
    relay,
    template: () => template,
    health: () => health,
    loadBalancerHealthy: () => health.length > 0 && health.every((h) => h.healthy),
    useRelayTemplate: apply,
    checkHealth: () => apply(template),
    stopRelay: async () => {
      if (stoppedLog !== undefined) return;
      const stopped = await relay.request<{ type: 'stop-relay'; log: string }>(
        { type: 'stop-relay' },
        'stop-relay',
        20_000,
      );
      stoppedLog = stopped.log;
    },
    relayRunning: () => stoppedLog === undefined,
    relayAllocations: () => {
      const { min, max } = DEFAULT_RELAY_TURN_SETTINGS.relayPortRange;
      return run('ip', ['netns', 'exec', netns.relay, 'ss', '-Huanp'])
        .split('\n')
        .filter((line) => /^UNCONN\s/.test(line) && /\("turnserver",/.test(line))
        .map((line) => line.trim().split(/\s+/)[3])
        .filter((local) => {
          const [ip, port] = local.split(':');
          return ip === a.relayIp && Number(port) >= min && Number(port) <= max;
        });
    },
    relayLog,
    pathDrops: () => [
      ...health.filter((h) => !h.healthy).map((h) => `target group ${h.targetGroup} is unhealthy: ${h.detail}`),
      ...healthCheckDrops,
      ...dropped(netns.loadBalancer, lbRules),
      ...dropped(netns.relay, relayRules),
    ],
    notes: () => [...relayRules.notes, ...lbRules.notes],
    stop: async () => {
      await standIn?.stop().catch(() => undefined);
      await relay.stop().catch(() => undefined);
    },
  };
}
