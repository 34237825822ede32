/**
 * The real rotation handler with replica regions, against the in-memory Secrets Manager whose replicas lag by a set
 * time (and keep reporting InSync while they lag, which is all the API documents InSync to mean). Checked minute by
 * minute: every credential signaling can have signed (from the primary, cached up to 60 s) and still inside its TTL
 * is accepted by every relay in every region, each running a document from its own region's replica up to
 * relayPickupSeconds old. The same world with the replica gate off shows the check catches the failure it guards.
 */
import { createRotationHandler, ROTATION_FAILURE_RUNBOOK } from '../../lambda/relay/rotation-handler';
import { parseTurnSecretDocument } from '../../lib/relay/rotation-document';
import { ADVANCE_EVENT } from '../../lib/relay/rotation-event';
import type { RotationLogFields } from '../../lib/relay/rotation-log';
import { generateTurnSecret } from '../../lib/relay/rotation-new-secret';
import { ADVANCE_INTERVAL_MINUTES } from '../../lib/relay/rotation-schedule';
import { relayAcceptedSecrets, SecretRotationError, type RotationPolicy } from '../../lib/relay/secret-rotation';
import { FakeSecretsManager } from './rotation-fake-secrets-manager';

const ARN = 'arn:aws:secretsmanager:us-east-1:111111111111:secret:hipaa-rtc-turn-AbCdEf';
const POLICY: RotationPolicy = { maxCredentialTtlSeconds: 3600, clockSkewSeconds: 300, relayPickupSeconds: 600 };
const T0 = 1_800_000_000;
const SIGNALING_CACHE_SECONDS = 60;
/** How far each replica lags the primary: one region quick, one far beyond relayPickupSeconds. */
const LAG_MINUTES = { 'us-west-2': 1, 'eu-central-1': 40 } as const;
const REGIONS = Object.keys(LAG_MINUTES);
const HOME = 'us-east-1';

interface LogLine {
  level: string;
  event: string;
  fields: RotationLogFields;
}

class ReplicatedWorld {
  readonly sm = new FakeSecretsManager(ARN, JSON.stringify({ current: generateTurnSecret(64) }));
  readonly lines: LogLine[] = [];
  nowSeconds = T0;
  /** The primary's AWSCURRENT over time, for replicating with lag. */
  private readonly primaryHistory: { at: number; value: string }[] = [];

  constructor(readonly gateRegions: readonly string[] = REGIONS) {
    for (const region of REGIONS) this.sm.addReplica(region);
    this.record();
  }

  readonly handler = createRotationHandler({
    settings: () => ({ secretArn: ARN, policy: POLICY, replicaRegions: this.gateRegions }),
    client: () => this.sm,
    regionClient: (region) => this.sm.replicaClient(region),
    log: {
      info: (event, fields = {}) => void this.lines.push({ level: 'info', event, fields }),
      warn: (event, fields = {}) => void this.lines.push({ level: 'warn', event, fields }),
      error: (event, fields = {}) => void this.lines.push({ level: 'error', event, fields }),
    },
    nowMs: () => this.nowSeconds * 1000,
    newSecret: () => generateTurnSecret(),
  });

  /** Notes the primary's AWSCURRENT now, then lets each replica catch up to what the primary held LAG ago. */
  replicateWithLag(): void {
    this.record();
    for (const [region, lag] of Object.entries(LAG_MINUTES)) {
      const seen = [...this.primaryHistory].reverse().find((h) => h.at <= this.nowSeconds - lag * 60);
      if (seen !== undefined && seen.value !== this.sm.replicaValue(region)) this.sm.replicate(region, seen.value);
    }
  }

  /** What relays in `region` (or the home region) read now. */
  document(region: string) {
    const value = region === HOME ? this.sm.valueAt('AWSCURRENT') : this.sm.replicaValue(region);
    return parseTurnSecretDocument(value, region, { nowSeconds: this.nowSeconds, clockSkewSeconds: 300 });
  }

  private record(): void {
    const value = this.sm.valueAt('AWSCURRENT') as string;
    if (this.primaryHistory.at(-1)?.value !== value) this.primaryHistory.push({ at: this.nowSeconds, value });
  }
}

/** Minute by minute from T0 with a rotation at T0; returns violations and the advance writes (offsets from T0). */
async function run(world: ReplicatedWorld, minutes: number) {
  const regions = [HOME, ...REGIONS];
  const history = new Map(regions.map((r) => [r, [{ at: -Infinity, doc: world.document(r) }]]));
  const docAt = (region: string, t: number) => [...history.get(region)!].reverse().find((h) => h.at <= t)!.doc;
  const lastSigned = new Map<string, number>();
  const violations = new Set<string>();
  const written: [string, number][] = [];
  for (let minute = 0; minute <= minutes; minute += 1) {
    world.nowSeconds = T0 + minute * 60;
    const now = world.nowSeconds;
    if (minute === 0) await world.sm.rotateSecret({ invoke: (event) => world.handler(event) });
    world.replicateWithLag();
    if (minute % ADVANCE_INTERVAL_MINUTES === 0) {
      const result = await world.handler({ ...ADVANCE_EVENT });
      if (result.writes > 0) written.push([result.outcome, now - T0]);
    }
    world.replicateWithLag();
    for (const region of regions) history.get(region)!.push({ at: now, doc: world.document(region) });
    // Signaling signs from the primary, with a cache up to a minute old.
    lastSigned.set(docAt(HOME, now).current, now);
    lastSigned.set(docAt(HOME, now - SIGNALING_CACHE_SECONDS).current, now);
    for (const region of regions) {
      for (let lag = 0; lag <= POLICY.relayPickupSeconds; lag += 60) {
        const accepted = relayAcceptedSecrets(docAt(region, now - lag), POLICY, now);
        for (const [secret, signedAt] of lastSigned) {
          if (signedAt + POLICY.maxCredentialTtlSeconds > now && !accepted.includes(secret)) {
            violations.add(`${region} relay ${lag} s behind its replica refuses a live credential at t+${now - T0}s`);
          }
        }
      }
    }
  }
  return { violations: [...violations], written };
}

describe('a rotation with a replica 40 minutes behind (relayPickupSeconds is 10)', () => {
  test('promotion waits for the slow replica plus the pickup time; no relay in any region refuses a credential', async () => {
    const world = new ReplicatedWorld();
    const { violations, written } = await run(world, 4 * 60);
    expect(violations).toEqual([]);
    // eu-central-1 carries the pending secret from t+40 min: the t+40 tick stamps, the first tick 10 min later
    // promotes, and the drop follows promotion + TTL + skew.
    expect(written).toEqual([
      ['replicated', 40 * 60],
      ['promote', 50 * 60],
      ['drop-previous', 50 * 60 + 3600 + 300],
    ]);
    const waits = world.lines.filter((l) => l.fields.outcome === 'waiting-for-replicas');
    expect(waits.length).toBeGreaterThan(0);
    // From t+5 min only the slow region holds promotion back (the first tick, at t+0, still waited for both).
    expect(waits.at(-1)!.fields.note).toBe(
      'waiting for replication of the pending secret to eu-central-1 (InSync, AWSCURRENT without the pending secret yet)',
    );
    for (const region of [HOME, ...REGIONS]) expect(world.document(region)).toEqual(world.document(HOME));
  });

  test('without the gate (no REPLICA_REGIONS) the same world breaks: the check can fail', async () => {
    const { violations, written } = await run(new ReplicatedWorld([]), 2 * 60);
    expect(written[0]).toEqual(['promote', 15 * 60]);
    expect(violations.length).toBeGreaterThan(0);
    expect(violations.every((v) => v.startsWith('eu-central-1 '))).toBe(true);
  });

  test('replicas are read on advance ticks only, by their own ARN in their region, and no log holds a secret', async () => {
    const world = new ReplicatedWorld();
    await world.sm.rotateSecret({ invoke: (event) => world.handler(event) });
    const afterSteps = world.sm.calls.length;
    expect(world.sm.calls.some(([name]) => name.includes(':'))).toBe(false);
    await world.handler({ ...ADVANCE_EVENT });
    const replicaCalls = world.sm.calls.slice(afterSteps).filter(([name]) => name.includes(':'));
    expect(replicaCalls).toEqual([
      [
        'us-west-2:GetSecretValueCommand',
        { SecretId: ARN.replace(':us-east-1:', ':us-west-2:'), VersionStage: 'AWSCURRENT' },
      ],
      [
        'eu-central-1:GetSecretValueCommand',
        { SecretId: ARN.replace(':us-east-1:', ':eu-central-1:'), VersionStage: 'AWSCURRENT' },
      ],
    ]);
    const secrets = [world.document(HOME).current, world.document(HOME).pending as string];
    for (const line of world.lines) for (const s of secrets) expect(JSON.stringify(line)).not.toContain(s);
  });
});

describe('a Failed replica', () => {
  test('every advance fails (the error alarm fires) and nothing is written until replication is repaired', async () => {
    const world = new ReplicatedWorld();
    await world.sm.rotateSecret({ invoke: (event) => world.handler(event) });
    world.sm.setReplicaStatus('eu-central-1', 'Failed', 'Access to KMS is not allowed');
    const writes = world.sm.writeCount();
    for (const minutes of [5, 30, 120]) {
      world.nowSeconds = T0 + minutes * 60;
      world.sm.replicate('us-west-2');
      const failure = await world.handler({ ...ADVANCE_EVENT }).catch((error: Error) => error);
      expect(failure).toBeInstanceOf(SecretRotationError);
      expect((failure as Error).message).toMatch(/replication to eu-central-1 failed.*Access to KMS is not allowed/);
    }
    expect(world.sm.writeCount()).toBe(writes);
    expect(world.lines.at(-1)).toMatchObject({
      level: 'error',
      event: 'turn-secret-rotation-failed',
      fields: { step: 'advance', note: ROTATION_FAILURE_RUNBOOK },
    });
    expect(world.document(HOME).previous).toBeUndefined(); // not promoted

    // Repaired: the replica catches up, the next tick stamps, promotion follows the pickup time after it.
    world.sm.setReplicaStatus('eu-central-1', 'InSync');
    world.sm.replicate('eu-central-1');
    await expect(world.handler({ ...ADVANCE_EVENT })).resolves.toMatchObject({ outcome: 'replicated', writes: 1 });
    // The stamped version itself need not reach the replicas: the version they hold already carries the pending
    // secret, and that is all their relays need.
    world.nowSeconds += POLICY.relayPickupSeconds - 1;
    await expect(world.handler({ ...ADVANCE_EVENT })).resolves.toMatchObject({ outcome: 'waiting', writes: 0 });
    world.nowSeconds += 1;
    await expect(world.handler({ ...ADVANCE_EVENT })).resolves.toMatchObject({ outcome: 'promote', writes: 1 });
  });
});
