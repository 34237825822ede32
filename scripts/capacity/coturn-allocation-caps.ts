/**
 * Measures the three counted caps the capacity model assumes, on the real coturn (the sid root's 4.18, the pinned
 * version): how many allocations a relay admits under a small relay port range, under total-quota, and under
 * bps-capacity / max-bps, and what it answers the first allocation over. Each scenario runs its own server on
 * loopback with a stock REST-auth config plus only the lines under test, sized so the expected cap is 3 (4 when
 * bps-capacity leaves half a max-bps over, which coturn grants as one more, throttled, allocation).
 *
 *   npx tsx scripts/capacity/coturn-allocation-caps.ts      (root; needs scripts/coturn/make-sid-root.sh once)
 *
 * test/capacity/capacity-model.test.ts runs it and compares the counts with allocationCaps() of the model.
 */
import { mintTurnCredential } from '../../lib/signaling/turn-credentials';
import {
  CoturnProcess,
  freePorts,
  makeRunDir,
  removeRunDir,
  requireCoturnRoot,
  type PortPlan,
  type RunDir,
} from '../../tools/lab/coturn/coturn-process';
import { minimalTurnConfig } from '../../tools/lab/coturn/minimal-config';
import { TurnClient } from '../../tools/lab/coturn/turn-client';
import type { CoturnLimits } from '../../tools/capacity/capacity-model';

const SECRET = 'capacity-probe-only-secret-0123456789abcdef';
const REALM = 'turn.capacity.test';
const ADDRESS = '127.0.0.1';
/** Allocations tried per scenario: more than any scenario is sized to admit. */
const ATTEMPTS = 5;

export interface CapScenario {
  readonly name: 'relay-ports' | 'total-quota' | 'bps-capacity' | 'bps-capacity-remainder';
  /** The limits as the model sees them (ports and quotas rendered into the config). */
  readonly limits: CoturnLimits;
}

export interface CapMeasurement {
  readonly name: CapScenario['name'];
  readonly limits: CoturnLimits;
  /** Allocations admitted before the first refusal (or all attempts). */
  readonly admitted: number;
  readonly attempts: number;
  /** What coturn answered the first refused allocation. */
  readonly refusal?: { readonly code: number | string; readonly reason: string };
}

/** Generous limits everywhere except the one under test, so only that one can refuse. */
const GENEROUS_QUOTAS = { userQuota: 100, totalQuota: 100, maxBps: 1_000_000, bpsCapacity: 100_000_000 };

/** Each scenario on its own ports: the plan's 32-port relay range unless the range is what is measured. */
const SCENARIOS: readonly ((ports: PortPlan) => CapScenario)[] = [
  (ports) => ({
    name: 'relay-ports',
    limits: { relayPortRange: { min: ports.minPort, max: ports.minPort + 2 }, quotas: GENEROUS_QUOTAS },
  }),
  (ports) => ({
    name: 'total-quota',
    limits: {
      relayPortRange: { min: ports.minPort, max: ports.maxPort },
      quotas: { ...GENEROUS_QUOTAS, totalQuota: 3 },
    },
  }),
  (ports) => ({
    name: 'bps-capacity',
    limits: {
      relayPortRange: { min: ports.minPort, max: ports.maxPort },
      quotas: { ...GENEROUS_QUOTAS, bpsCapacity: 3_000_000 },
    },
  }),
  // Half a max-bps left over: coturn admits one more allocation with the remainder as its bandwidth.
  (ports) => ({
    name: 'bps-capacity-remainder',
    limits: {
      relayPortRange: { min: ports.minPort, max: ports.maxPort },
      quotas: { ...GENEROUS_QUOTAS, bpsCapacity: 3_500_000 },
    },
  }),
];

function config(dir: RunDir, ports: PortPlan, limits: CoturnLimits): string {
  const q = limits.quotas;
  return minimalTurnConfig({
    dir,
    address: ADDRESS,
    listeningPort: ports.listeningPort,
    relayPorts: limits.relayPortRange,
    realm: REALM,
    secret: SECRET,
    extraLines: [
      `user-quota=${q.userQuota}`,
      `total-quota=${q.totalQuota}`,
      `max-bps=${q.maxBps}`,
      `bps-capacity=${q.bpsCapacity}`,
    ],
  });
}

async function measure(scenario: CapScenario, ports: PortPlan): Promise<CapMeasurement> {
  const dir = makeRunDir();
  const server = await CoturnProcess.start({
    dir,
    config: config(dir, ports, scenario.limits),
    listeningPort: ports.listeningPort,
    logFileInRoot: `${dir.inRoot}/turnserver.log`,
  });
  const clients: TurnClient[] = [];
  try {
    for (let i = 0; i < ATTEMPTS; i += 1) {
      // A credential per allocation, as separate browsers would have: user-quota is not what is measured here.
      const user = mintTurnCredential({
        secret: SECRET,
        opaqueId: `capacity-${scenario.name}-${i}`,
        ttlSeconds: 600,
        maxTtlSeconds: 3600,
        nowMs: Date.now(),
      });
      const client = new TurnClient({ host: ADDRESS, port: ports.listeningPort }, user.username, user.credential);
      clients.push(client);
      const result = await client.allocate();
      if (!result.ok) {
        const refusal = { code: result.code, reason: result.reason };
        return { name: scenario.name, limits: scenario.limits, admitted: i, attempts: ATTEMPTS, refusal };
      }
    }
    return { name: scenario.name, limits: scenario.limits, admitted: ATTEMPTS, attempts: ATTEMPTS };
  } finally {
    await Promise.all(clients.map((c) => c.close().catch(() => undefined)));
    await server.stop();
    removeRunDir(dir);
  }
}

/** Runs the three scenarios side by side (each on its own free ports) and returns what coturn admitted. */
export async function measureAllocationCaps(): Promise<{ version: string; results: CapMeasurement[] }> {
  const version = requireCoturnRoot();
  const plans: PortPlan[] = [];
  for (let i = 0; i < SCENARIOS.length; i += 1) plans.push(await freePorts());
  const results = await Promise.all(SCENARIOS.map((scenario, i) => measure(scenario(plans[i]), plans[i])));
  return { version, results };
}

if (require.main === module) {
  measureAllocationCaps()
    .then((measured) => console.log(JSON.stringify(measured, null, 2)))
    .catch((error: unknown) => {
      console.error(error);
      process.exit(1);
    });
}
