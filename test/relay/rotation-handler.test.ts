/**
 * The real rotation handler (lambda/relay/rotation-handler.ts, what the Lambda entry wires) driven against the
 * in-memory Secrets Manager: full rotations over simulated time, Secrets Manager's configuration test on deploy
 * (RotateImmediately=false), a finish that comes late, retries of every step, a rotation requested inside an overlap
 * window, racing schedule invocations, malformed documents, and secrets never reaching a log or an error.
 */
import {
  createRotationHandler,
  ROTATION_FAILURE_RUNBOOK,
  type RotationHandler,
} from '../../lambda/relay/rotation-handler';
import { parseTurnSecretDocument } from '../../lib/relay/rotation-document';
import { startCapturingOutput } from '../helpers/capture-output';
import { ADVANCE_EVENT } from '../../lib/relay/rotation-event';
import { powertoolsRotationLog, type RotationLog, type RotationLogFields } from '../../lib/relay/rotation-log';
import { generateTurnSecret } from '../../lib/relay/rotation-new-secret';
import { RotationRefusedError } from '../../lib/relay/rotation-plan';
import { ADVANCE_INTERVAL_MINUTES } from '../../lib/relay/rotation-schedule';
import {
  PENDING_STAMP_SLACK_SECONDS,
  relayAcceptedSecrets,
  SecretRotationError,
  type RotationPolicy,
  type TurnSecretState,
} from '../../lib/relay/secret-rotation';
import { FakeSecretsManager, type ConfigurationTestVersion } from './rotation-fake-secrets-manager';

const ARN = 'arn:aws:secretsmanager:us-east-1:111111111111:secret:hipaa-rtc-turn-AbCdEf';
/** The app's skew (300 s) and the example TTL; a short pickup keeps the simulation small. */
const POLICY: RotationPolicy = { maxCredentialTtlSeconds: 3600, clockSkewSeconds: 300, relayPickupSeconds: 600 };
const T0 = 1_800_000_000;
/** When a secret staged at T0 is due for promotion: relay pickup plus the stamp slack. */
const PROMOTE_AT = T0 + POLICY.relayPickupSeconds + PENDING_STAMP_SLACK_SECONDS;
/** Signaling caches the document this long (lib/signaling/turn-secret.ts). */
const SIGNALING_CACHE_SECONDS = 60;
const STEPS = ['createSecret', 'setSecret', 'testSecret', 'finishSecret'] as const;

/** These worlds have no replica regions (test/relay/rotation-replicas.test.ts has them): no client is ever asked for. */
const noReplicaRegions = (region: string): never => {
  throw new Error(`no replica regions in this test, yet a client for ${region} was asked for`);
};

interface LogLine {
  level: string;
  event: string;
  fields: RotationLogFields;
}

/** A secret, a clock and the real handler over them. */
class World {
  readonly initialSecret = generateTurnSecret(64); // what CloudFormation generates: 64 letters and digits
  readonly sm = new FakeSecretsManager(ARN, JSON.stringify({ current: this.initialSecret }));
  readonly lines: LogLine[] = [];
  readonly drawn: string[] = [];
  nowSeconds = T0;
  readonly handler: RotationHandler;

  constructor(log?: RotationLog) {
    const capture =
      (level: string) =>
      (event: string, fields: RotationLogFields = {}) =>
        void this.lines.push({ level, event, fields });
    this.handler = this.handlerAt(
      () => this.nowSeconds,
      log ?? { info: capture('info'), warn: capture('warn'), error: capture('error') },
    );
  }

  /** Another invocation of the same function (its own clock), e.g. a second schedule delivery. */
  handlerAt(
    nowSeconds: () => number,
    log: RotationLog = { info: () => {}, warn: () => {}, error: () => {} },
  ): RotationHandler {
    return createRotationHandler({
      settings: () => ({ secretArn: ARN, policy: POLICY }),
      client: () => this.sm,
      regionClient: noReplicaRegions,
      log,
      nowMs: () => nowSeconds() * 1000,
      newSecret: () => {
        const secret = generateTurnSecret();
        this.drawn.push(secret);
        return secret;
      },
    });
  }

  step(step: string, token: string) {
    return this.handler({ Step: step, SecretId: ARN, ClientRequestToken: token });
  }

  /** RotateSecret (RotateImmediately): Secrets Manager's four calls to the function. */
  rotate(token?: string): Promise<string> {
    return this.sm.rotateSecret({ invoke: (event) => this.handler(event), ...(token ? { token } : {}) });
  }

  /** RotateSecret with RotateImmediately=false, as the stack's RotationSchedule does on every deploy. */
  configure(shape: ConfigurationTestVersion, invoke = (event: object) => this.handler(event)): Promise<string> {
    return this.sm.rotateSecret({ invoke, rotateImmediately: false, configurationTestVersion: shape });
  }

  advance() {
    return this.handler({ ...ADVANCE_EVENT });
  }

  /** What signaling and relays read: the AWSCURRENT document. */
  document(): TurnSecretState {
    const clock = { nowSeconds: this.nowSeconds, clockSkewSeconds: POLICY.clockSkewSeconds };
    return parseTurnSecretDocument(this.sm.valueAt('AWSCURRENT'), 'AWSCURRENT', clock);
  }
}

/**
 * Runs the world minute by minute from T0 (`beforeTick` first, for Secrets Manager's calls; then the schedule every
 * 5 minutes) and checks at every minute what the rotation promises end to end: signaling may sign with a cached
 * document up to 60 s old, a relay may run a document up to relayPickupSeconds old, and every credential still inside
 * its TTL must be accepted by every such relay. Returns the violations and the advance writes (offsets from T0).
 */
async function runMinuteByMinute(
  world: World,
  minutes: number,
  beforeTick: (minute: number) => Promise<void> = async () => {},
): Promise<{ violations: string[]; written: [string, number][]; checks: number }> {
  const history: { at: number; doc: TurnSecretState }[] = [{ at: -Infinity, doc: world.document() }];
  const docAt = (t: number) => [...history].reverse().find((h) => h.at <= t)!.doc;
  const lastSigned = new Map<string, number>();
  const violations: string[] = [];
  const written: [string, number][] = [];
  let checks = 0;
  for (let minute = 0; minute <= minutes; minute += 1) {
    world.nowSeconds = T0 + minute * 60;
    const now = world.nowSeconds;
    await beforeTick(minute);
    if (minute % ADVANCE_INTERVAL_MINUTES === 0) {
      const result = await world.advance();
      if (result.writes > 0) written.push([result.outcome, now - T0]);
    }
    history.push({ at: now, doc: world.document() });
    const doc = world.document();

    // What the brief asks: the secret signaling signs with is one relays accept.
    expect(relayAcceptedSecrets(doc, POLICY, now)).toContain(doc.current);

    lastSigned.set(doc.current, now);
    lastSigned.set(docAt(now - SIGNALING_CACHE_SECONDS).current, now);
    for (let lag = 0; lag <= POLICY.relayPickupSeconds; lag += 60) {
      const accepted = relayAcceptedSecrets(docAt(now - lag), POLICY, now);
      for (const [secret, signedAt] of lastSigned) {
        const valid = signedAt + POLICY.maxCredentialTtlSeconds > now;
        if (valid && !accepted.includes(secret)) violations.push(`t+${now - T0}s relay lag ${lag}s`);
      }
    }
    checks += 1;
  }
  return { violations, written, checks };
}

describe('a full rotation', () => {
  test('four native steps, then the schedule every 5 minutes until idle; signaling never signs with a secret a relay refuses', async () => {
    const world = new World();
    const A = world.initialSecret;
    const { violations, written, checks } = await runMinuteByMinute(world, 3 * 60, async (minute) => {
      if (minute !== 0) return;
      await world.rotate();
      expect(world.drawn[0]).toMatch(/^[A-Za-z0-9]{48}$/);
      expect(world.document()).toEqual({ current: A, pending: world.drawn[0], pendingSince: T0 });
      // finishSecret removed AWSPENDING, so the next RotateSecret is not blocked.
      expect(world.sm.holderOf('AWSPENDING')).toBeUndefined();
    });
    const B = world.drawn[0]!;
    expect(violations).toEqual([]);
    expect(checks).toBe(181);

    // Promote at the first tick after pickup + stamp slack (630 s); drop at the first tick after promotion + TTL +
    // skew.
    expect(written).toEqual([
      ['promote', 900],
      ['drop-previous', 900 + 3600 + 300],
    ]);
    expect(world.document()).toEqual({ current: B });
    const labels = Object.values(Object.fromEntries([...world.sm.versions].map(([id, v]) => [id, [...v.stages]])));
    expect(labels.flat().sort()).toEqual(['AWSCURRENT', 'AWSPREVIOUS']);

    // The next rotation starts from the idle document.
    world.nowSeconds += 30 * 86_400;
    await world.rotate();
    expect(world.document()).toEqual({ current: B, pending: world.drawn[1], pendingSince: world.nowSeconds });
  });

  test('each native step is logged with its outcome; setSecret says why it pushes nothing', async () => {
    const world = new World();
    const token = await world.rotate();
    expect(world.lines.map((l) => [l.level, l.fields.step, l.fields.outcome, l.fields.versionId])).toEqual([
      ['info', 'createSecret', 'staged', token],
      ['info', 'setSecret', 'nothing-to-push', token],
      ['info', 'testSecret', 'tested', token],
      ['info', 'finishSecret', 'finished', token],
    ]);
    expect(world.lines[1]!.fields.note).toMatch(/pull/);
  });
});

describe("Secrets Manager's configuration test (every deploy: RotateSecret with RotateImmediately=false)", () => {
  const SHAPES: ConfigurationTestVersion[] = ['empty', 'copy-of-current', 'unlabelled'];
  /** Worlds in each state a deploy can meet: idle, mid-pickup, and with the previous secret inside its window. */
  const worlds: [string, () => Promise<World>][] = [
    ['idle', async () => new World()],
    [
      'a pending secret being picked up',
      async () => {
        const world = new World();
        await world.rotate();
        world.nowSeconds = T0 + 120;
        return world;
      },
    ],
    [
      'the previous secret inside its window',
      async () => {
        const world = new World();
        await world.rotate();
        world.nowSeconds = PROMOTE_AT;
        await world.advance();
        world.nowSeconds += 600;
        return world;
      },
    ],
  ];

  test.each(worlds)('%s: testSecret passes on every version shape and changes nothing', async (_name, make) => {
    for (const shape of SHAPES) {
      const world = await make();
      const before = { version: world.sm.holderOf('AWSCURRENT'), value: world.sm.valueAt('AWSCURRENT') };
      const writes = world.sm.writeCount();
      const lines = world.lines.length;
      await expect(world.configure(shape)).resolves.toEqual(expect.any(String));
      expect(world.sm.writeCount()).toBe(writes);
      expect({ version: world.sm.holderOf('AWSCURRENT'), value: world.sm.valueAt('AWSCURRENT') }).toEqual(before);
      expect(world.sm.holderOf('AWSPENDING')).toBeUndefined();
      expect(world.lines.slice(lines)).toEqual([
        {
          level: 'info',
          event: 'turn-secret-rotation',
          fields: expect.objectContaining({ step: 'testSecret', outcome: 'configuration-test', writes: 0 }),
        },
      ]);
    }
  });

  test('the rotation and the schedule carry on after it: the next RotateSecret is not blocked', async () => {
    const world = new World();
    await world.configure('copy-of-current');
    await world.rotate();
    await world.configure('empty');
    world.nowSeconds = PROMOTE_AT;
    await expect(world.advance()).resolves.toMatchObject({ outcome: 'promote' });
    expect(world.document()).toMatchObject({ current: world.drawn[0], previous: world.initialSecret });
  });

  test('a schedule tick landing during the test leaves its version alone and the test still passes', async () => {
    const world = new World();
    await world.rotate();
    world.nowSeconds = PROMOTE_AT;
    const outcomes: string[] = [];
    await world.configure('copy-of-current', async (event) => {
      outcomes.push((await world.advance()).outcome); // promotes: AWSCURRENT is no longer what was copied
      const result = await world.handler(event);
      outcomes.push(result.outcome);
      return result;
    });
    expect(outcomes).toEqual(['promote', 'already-finished']);
    expect(world.document()).toMatchObject({ current: world.drawn[0], previous: world.initialSecret });
    expect(world.sm.holderOf('AWSPENDING')).toBeUndefined();
  });

  test("finishSecret on the test's version never makes it current", async () => {
    const world = new World();
    const token = world.sm.startRotation(); // an empty AWSPENDING version, as the test creates
    await expect(world.step('testSecret', token)).resolves.toMatchObject({ outcome: 'configuration-test' });
    await expect(world.step('finishSecret', token)).rejects.toThrow(/has no SecretString/);
    expect(world.document()).toEqual({ current: world.initialSecret });
    expect(world.sm.holderOf('AWSCURRENT')).not.toBe(token);
  });
});

describe('a finishSecret that comes late (Secrets Manager re-attempts a failed rotation)', () => {
  /** createSecret and setSecret at T0, testSecret failing (a lost read); Secrets Manager re-attempts at `retryAt`. */
  async function lateRotation(world: World, retryMinute: number, minutes: number) {
    let token = '';
    const run = await runMinuteByMinute(world, minutes, async (minute) => {
      if (minute === 0) {
        token = world.sm.startRotation();
        await world.step('createSecret', token);
        await world.step('setSecret', token);
        world.sm.injectFault('GetSecretValueCommand', { when: (input) => input.VersionId === token });
        await expect(world.step('testSecret', token)).rejects.toThrow(/injected fault/);
      }
      if (minute === retryMinute) {
        for (const step of STEPS) await world.step(step, token); // "retries the entire rotation process"
      }
    });
    return { ...run, token };
  }

  test('relays get the whole pickup time from when AWSCURRENT first carries the pending secret', async () => {
    const world = new World();
    const { violations, written, token } = await lateRotation(world, 120, 120 + 3 * 60);
    expect(violations).toEqual([]);
    // Finished at t+7200 s with pendingSince re-stamped; promoted at the first tick after 7200 + 630 s.
    expect(written).toEqual([
      ['promote', 7200 + 900],
      ['drop-previous', 7200 + 900 + 3600 + 300],
    ]);
    const finish = world.lines.find((l) => l.fields.step === 'finishSecret')!;
    expect(finish.fields).toMatchObject({ outcome: 'finished-restamped', writes: 2, versionId: token });
    expect(finish.fields.note).toMatch(/staged 7200 s before finishSecret/);
    expect(world.document()).toEqual({ current: world.drawn[0] });
    expect(world.sm.holderOf('AWSPENDING')).toBeUndefined();
  });

  test('a finish inside the stamp slack moves AWSCURRENT to the staged version, as usual', async () => {
    const world = new World();
    const token = world.sm.startRotation();
    for (const step of STEPS.slice(0, 3)) await world.step(step, token);
    world.nowSeconds = T0 + PENDING_STAMP_SLACK_SECONDS;
    await expect(world.step('finishSecret', token)).resolves.toEqual({ outcome: 'finished', writes: 2 });
    expect(world.sm.holderOf('AWSCURRENT')).toBe(token);
    expect(world.document().pendingSince).toBe(T0);
  });

  async function stagedAndTested(world: World): Promise<string> {
    const token = world.sm.startRotation();
    for (const step of STEPS.slice(0, 3)) await world.step(step, token);
    world.nowSeconds = T0 + 3600;
    return token;
  }

  test('its write lost in transit: the retry finds it and only removes the label', async () => {
    const world = new World();
    const token = await stagedAndTested(world);
    world.sm.injectFault('PutSecretValueCommand', { after: true });
    await expect(world.step('finishSecret', token)).rejects.toThrow(/injected fault/);
    const versions = world.sm.versions.size;
    world.nowSeconds += 60;
    await expect(world.step('finishSecret', token)).resolves.toEqual({ outcome: 'already-finished', writes: 1 });
    expect(world.sm.versions.size).toBe(versions);
    expect(world.document().pendingSince).toBe(T0 + 3600);
    expect(world.sm.holderOf('AWSPENDING')).toBeUndefined();
  });

  test('interrupted before removing the label: the whole re-attempted rotation completes without writing twice', async () => {
    const world = new World();
    const token = await stagedAndTested(world);
    world.sm.injectFault('UpdateSecretVersionStageCommand', { when: (input) => input.VersionStage === 'AWSPENDING' });
    await expect(world.step('finishSecret', token)).rejects.toThrow(/injected fault/);
    expect(world.sm.holderOf('AWSPENDING')).toBe(token);
    expect(() => world.sm.startRotation()).toThrow(/previous rotation isn't complete/);
    const versions = world.sm.versions.size;
    world.nowSeconds += 600;
    const outcomes: string[] = [];
    for (const step of STEPS) outcomes.push((await world.step(step, token)).outcome);
    expect(outcomes).toEqual(['already-staged', 'nothing-to-push', 'already-finished', 'already-finished']);
    expect(world.sm.versions.size).toBe(versions);
    expect(world.document().pendingSince).toBe(T0 + 3600);
    expect(world.sm.holderOf('AWSPENDING')).toBeUndefined();
  });

  test('two late finishes racing with different clocks write one version; the other stands down', async () => {
    const world = new World();
    const token = await stagedAndTested(world);
    const versions = world.sm.versions.size;
    const event = { Step: 'finishSecret', SecretId: ARN, ClientRequestToken: token };
    const results = await Promise.all([world.handler(event), world.handlerAt(() => world.nowSeconds + 3)(event)]);
    expect(results.map((r) => r.outcome)).toEqual(['finished-restamped', 'advanced-elsewhere']);
    expect(world.sm.versions.size).toBe(versions + 1);
    expect(world.document().pendingSince).toBe(T0 + 3600);
    expect(world.sm.holderOf('AWSPENDING')).toBeUndefined();
  });
});

describe('retries (Secrets Manager retries steps; responses can be lost)', () => {
  async function started(world: World) {
    return world.sm.startRotation();
  }

  test('createSecret twice: one write, one secret drawn', async () => {
    const world = new World();
    const token = await started(world);
    await expect(world.step('createSecret', token)).resolves.toEqual({ outcome: 'staged', writes: 1 });
    const staged = world.sm.valueAt('AWSPENDING');
    await expect(world.step('createSecret', token)).resolves.toEqual({ outcome: 'already-staged', writes: 0 });
    expect(world.sm.valueAt('AWSPENDING')).toBe(staged);
    expect(world.drawn).toHaveLength(1);
  });

  test('createSecret whose response was lost: the retry finds the stored value', async () => {
    const world = new World();
    const token = await started(world);
    world.sm.injectFault('PutSecretValueCommand', { after: true });
    await expect(world.step('createSecret', token)).rejects.toThrow(/injected fault/);
    await expect(world.step('createSecret', token)).resolves.toMatchObject({ outcome: 'already-staged' });
    for (const step of STEPS.slice(1)) await world.step(step, token);
    expect(world.document().pending).toBe(world.drawn[0]);
  });

  test('setSecret and testSecret twice', async () => {
    const world = new World();
    const token = await started(world);
    await world.step('createSecret', token);
    for (const step of ['setSecret', 'testSecret', 'setSecret', 'testSecret']) {
      await expect(world.step(step, token)).resolves.toMatchObject({ writes: 0 });
    }
  });

  test('finishSecret twice: the second does nothing', async () => {
    const world = new World();
    const token = await world.rotate();
    const writes = world.sm.writeCount();
    await expect(world.step('finishSecret', token)).resolves.toEqual({ outcome: 'already-finished', writes: 0 });
    expect(world.sm.writeCount()).toBe(writes);
  });

  test('finishSecret interrupted between its two writes: the retry completes it', async () => {
    const world = new World();
    const token = world.sm.startRotation();
    for (const step of STEPS.slice(0, 3)) await world.step(step, token);
    world.sm.injectFault('UpdateSecretVersionStageCommand', { when: (input) => input.VersionStage === 'AWSPENDING' });
    await expect(world.step('finishSecret', token)).rejects.toThrow(/injected fault/);
    expect(world.sm.holderOf('AWSCURRENT')).toBe(token);
    expect(world.sm.holderOf('AWSPENDING')).toBe(token);
    await expect(world.step('finishSecret', token)).resolves.toEqual({ outcome: 'finished', writes: 1 });
    expect(world.sm.holderOf('AWSPENDING')).toBeUndefined();
  });

  test('finishSecret interrupted and never retried: the schedule clears the stale label after promoting', async () => {
    const world = new World();
    const token = world.sm.startRotation();
    for (const step of STEPS.slice(0, 3)) await world.step(step, token);
    world.sm.injectFault('UpdateSecretVersionStageCommand', { when: (input) => input.VersionStage === 'AWSPENDING' });
    await expect(world.step('finishSecret', token)).rejects.toThrow(/injected fault/);
    world.nowSeconds = PROMOTE_AT;
    await expect(world.advance()).resolves.toMatchObject({ outcome: 'promote' });
    // AWSPENDING now sits on the old AWSCURRENT: RotateSecret would be refused until it goes.
    expect(world.sm.holderOf('AWSPENDING')).toBe(token);
    world.nowSeconds += 60;
    await expect(world.advance()).resolves.toMatchObject({ outcome: 'waiting', writes: 1 });
    expect(world.sm.holderOf('AWSPENDING')).toBeUndefined();
    expect(() => world.sm.startRotation()).not.toThrow();
  });

  test('a late finishSecret retry after the schedule promoted never moves AWSCURRENT back', async () => {
    const world = new World();
    const token = await world.rotate();
    world.nowSeconds = PROMOTE_AT;
    await world.advance();
    const promoted = world.sm.holderOf('AWSCURRENT');
    await expect(world.step('finishSecret', token)).resolves.toEqual({ outcome: 'already-finished', writes: 0 });
    expect(world.sm.holderOf('AWSCURRENT')).toBe(promoted);
    expect(world.document().current).toBe(world.drawn[0]);
  });

  test('an advance whose PutSecretValue response was lost: the next tick sees the new version', async () => {
    const world = new World();
    await world.rotate();
    world.nowSeconds = PROMOTE_AT;
    world.sm.injectFault('PutSecretValueCommand', { after: true });
    await expect(world.advance()).rejects.toThrow(/injected fault/);
    expect(world.document().previous).toBe(world.initialSecret);
    world.nowSeconds += ADVANCE_INTERVAL_MINUTES * 60;
    await expect(world.advance()).resolves.toMatchObject({ outcome: 'waiting', writes: 0 });
  });
});

describe('a rotation requested inside an overlap window', () => {
  test.each([
    ['while the pending secret is being picked up', 120],
    ['while the previous secret is inside its window', 900 + 1200],
  ])('is refused %s, with when to retry; the overlap completes and the retry then succeeds', async (_name, offset) => {
    const world = new World();
    await world.rotate();
    for (let t = T0; t <= T0 + offset; t += 300) {
      world.nowSeconds = t;
      await world.advance();
    }
    world.nowSeconds = T0 + offset;
    const before = { version: world.sm.holderOf('AWSCURRENT'), value: world.sm.valueAt('AWSCURRENT') };
    const writes = world.sm.writeCount();

    const manual = world.sm.startRotation(); // aws secretsmanager rotate-secret
    const refused = world.step('createSecret', manual);
    await expect(refused).rejects.toThrow(RotationRefusedError);
    await expect(world.step('createSecret', manual)).rejects.toThrow(
      /overlap window.*nothing was changed.*rotate after that.*--remove-from-version-id/s,
    );
    expect(world.sm.writeCount()).toBe(writes);
    expect({ version: world.sm.holderOf('AWSCURRENT'), value: world.sm.valueAt('AWSCURRENT') }).toEqual(before);
    expect(world.lines.at(-1)).toMatchObject({
      level: 'warn',
      event: 'turn-secret-rotation-refused',
      fields: { step: 'createSecret', errorName: 'RotationRefusedError', refusal: expect.stringMatching(/refused/) },
    });

    // The empty AWSPENDING version does not stop the schedule.
    for (let t = T0 + offset; t <= T0 + 3 * 3600; t += 300) {
      world.nowSeconds = t;
      await world.advance();
    }
    const B = world.drawn[0];
    expect(world.document()).toEqual({ current: B });

    // Secrets Manager's retry of the refused rotation, once idle, goes through.
    for (const step of STEPS) await world.step(step, manual);
    expect(world.document()).toEqual({ current: B, pending: world.drawn[1], pendingSince: world.nowSeconds });
  });
});

describe('racing schedule invocations (EventBridge delivers at least once)', () => {
  async function atPromotion(): Promise<World> {
    const world = new World();
    await world.rotate();
    world.nowSeconds = PROMOTE_AT;
    return world;
  }
  const versionCount = (world: World) => world.sm.versions.size;
  /** True when, among the calls since `from`, every invocation read (DescribeSecret) before any wrote. */
  const interleaved = (world: World, from: number) => {
    const names = world.sm.calls.slice(from).map(([name]) => name);
    return names.lastIndexOf('DescribeSecretCommand') < names.indexOf('PutSecretValueCommand');
  };

  test('same second: both plan the same version; the second write is an idempotent no-op', async () => {
    const world = await atPromotion();
    const versions = versionCount(world);
    const from = world.sm.calls.length;
    const [a, b] = await Promise.all([world.advance(), world.handlerAt(() => world.nowSeconds)({ ...ADVANCE_EVENT })]);
    expect(interleaved(world, from)).toBe(true);
    expect([a.outcome, b.outcome]).toEqual(['promote', 'promote']);
    expect(versionCount(world)).toBe(versions + 1);
    expect(world.document()).toEqual({
      current: world.drawn[0],
      previous: world.initialSecret,
      promotedAt: PROMOTE_AT,
    });
  });

  test('different seconds: one promotes, the other learns someone else advanced; one version written', async () => {
    const world = await atPromotion();
    const versions = versionCount(world);
    const later = world.handlerAt(() => world.nowSeconds + 1);
    const from = world.sm.calls.length;
    const results = await Promise.all([world.advance(), later({ ...ADVANCE_EVENT })]);
    expect(interleaved(world, from)).toBe(true);
    expect(results.map((r) => r.outcome)).toEqual(['promote', 'advanced-elsewhere']);
    expect(versionCount(world)).toBe(versions + 1);
    expect(world.document().promotedAt).toBe(PROMOTE_AT);
  });

  test('racing drops write the same document whatever their clocks: duplicates are no-ops, one version', async () => {
    const world = await atPromotion();
    await world.advance();
    world.nowSeconds = PROMOTE_AT + 3600 + 300;
    const versions = versionCount(world);
    const later = world.handlerAt(() => world.nowSeconds + 7);
    const from = world.sm.calls.length;
    const results = await Promise.all([later({ ...ADVANCE_EVENT }), world.advance(), world.advance()]);
    expect(interleaved(world, from)).toBe(true);
    expect(results.map((r) => r.outcome)).toEqual(['drop-previous', 'drop-previous', 'drop-previous']);
    expect(versionCount(world)).toBe(versions + 1);
    expect(world.document()).toEqual({ current: world.drawn[0] });
  });

  test('an advance racing a native rotation between createSecret and finishSecret leaves it alone', async () => {
    const world = new World();
    const token = world.sm.startRotation();
    await world.step('createSecret', token);
    await expect(world.advance()).resolves.toEqual({ outcome: 'rotation-in-progress', writes: 0 });
    for (const step of STEPS.slice(1)) await world.step(step, token);
    expect(world.document().pending).toBe(world.drawn[0]);
  });
});

describe('malformed documents fail closed', () => {
  const A = 'a'.repeat(40);
  test.each<[string, string]>([
    ['not JSON', '{"current":"SENTINEL'],
    [
      'a promotedAt far in the future',
      JSON.stringify({ current: A, previous: `SENTINEL${A}`, promotedAt: 99_999_999_999 }),
    ],
    ['a short secret', JSON.stringify({ current: 'SENTINEL' })],
    ['punctuation in a secret', JSON.stringify({ current: `SENTINEL-${A}` })],
    ['an unknown key', JSON.stringify({ current: A, SENTINEL: 'SENTINEL' })],
    [
      'pending and previous at once',
      JSON.stringify({ current: A, pending: `SENTINEL${A}`, pendingSince: T0, previous: `B${A}`, promotedAt: T0 }),
    ],
  ])('%s: createSecret and the schedule write nothing and say what is wrong', async (_name, document) => {
    const sm = new FakeSecretsManager(ARN, document);
    const lines: string[] = [];
    const log: RotationLog = {
      info: (e, f) => void lines.push(e + JSON.stringify(f)),
      warn: (e, f) => void lines.push(e + JSON.stringify(f)),
      error: (e, f) => void lines.push(e + JSON.stringify(f)),
    };
    const handler = createRotationHandler({
      settings: () => ({ secretArn: ARN, policy: POLICY }),
      client: () => sm,
      regionClient: noReplicaRegions,
      log,
      nowMs: () => T0 * 1000,
      newSecret: () => generateTurnSecret(),
    });
    const token = sm.startRotation();
    const errors: Error[] = [];
    for (const event of [{ Step: 'createSecret', SecretId: ARN, ClientRequestToken: token }, { ...ADVANCE_EVENT }]) {
      await handler(event).then(
        () => errors.push(new Error('expected a failure')),
        (error: Error) => errors.push(error),
      );
    }
    for (const error of errors) {
      expect(error).toBeInstanceOf(SecretRotationError);
      expect(error.message).toMatch(/AWSCURRENT version/);
      expect(error.message).not.toContain('SENTINEL');
    }
    expect(sm.writeCount()).toBe(0);
    expect(lines.join('\n')).not.toContain('SENTINEL');
    expect(lines).toHaveLength(2);
    // Each failure line points the engineer at the runbook.
    for (const line of lines) expect(line).toContain(JSON.stringify(ROTATION_FAILURE_RUNBOOK).slice(1, -1));
  });
});

describe('secrets never reach a log or an error', () => {
  test('a whole rotation, a refusal and every failure path, logged through Powertools', async () => {
    const output = startCapturingOutput();
    const errors: string[] = [];
    let world: World;
    try {
      world = new World(powertoolsRotationLog('test-rotation'));
      await world.rotate();
      const refused = world.sm.startRotation();
      await world.step('createSecret', refused).catch((e: Error) => errors.push(e.message));
      for (let t = T0; t <= T0 + 3 * 3600; t += 300) {
        world.nowSeconds = t;
        await world.advance();
      }
      // A failure whose message quotes a secret (as a JSON parser's would) is replaced by its class name.
      const secret = world.document().current;
      const leaky = createRotationHandler({
        settings: () => ({ secretArn: ARN, policy: POLICY }),
        client: () => ({ send: async () => Promise.reject(new SyntaxError(`Unexpected token in "${secret}"`)) }),
        regionClient: noReplicaRegions,
        log: powertoolsRotationLog('test-rotation'),
        nowMs: () => T0 * 1000,
        newSecret: () => generateTurnSecret(),
      });
      await leaky({ ...ADVANCE_EVENT }).catch((e: Error) => errors.push(e.message));
      // Secrets Manager retries the refused rotation once idle; its RotationToken is sensitive too, and is only
      // passed on to PutSecretValue.
      await world.handler({
        Step: 'createSecret',
        SecretId: ARN,
        ClientRequestToken: refused,
        RotationToken: `rt-${secret}`,
      });
      expect(
        world.sm.calls.filter(
          ([name, input]) => name === 'PutSecretValueCommand' && input.RotationToken === `rt-${secret}`,
        ),
      ).toHaveLength(1);
    } finally {
      output.restore();
    }
    const secrets = [world!.initialSecret, ...world!.drawn];
    expect(secrets).toHaveLength(3);
    const text = output.text();
    expect(text).toContain('turn-secret-rotation'); // the capture works: lines were written
    expect(text).toContain('"outcome":"drop-previous"');
    expect(errors).toEqual([
      expect.stringMatching(/refused/),
      expect.stringMatching(/^TURN secret rotation advance failed with SyntaxError \(details withheld/),
    ]);
    for (const secret of secrets) {
      expect(text).not.toContain(secret);
      for (const message of errors) expect(message).not.toContain(secret);
    }
  });
});
