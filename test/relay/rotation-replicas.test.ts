/**
 * The promotion gate for replica regions (lib/relay/rotation-replicas.ts), through the pure plan: no replicas leaves
 * every decision as it was; a replica without the pending secret holds promotion whatever its status says; the first
 * tick at which every replica carries it stamps replicatedAt; promotion waits relayPickupSeconds after that stamp;
 * a missing or Failed replica is an error at every tick.
 */
import type { RotationRequest } from '../../lib/relay/rotation-event';
import { advanceToken, planRotation, type PlanContext, type SecretSnapshot } from '../../lib/relay/rotation-plan';
import {
  isStampedFor,
  REPLICATION_OVERDUE_SECONDS,
  replicaArn,
  replicatedToken,
  type ReplicaSnapshot,
  type ReplicaStatus,
} from '../../lib/relay/rotation-replicas';
import { SecretRotationError, type RotationPolicy, type TurnSecretState } from '../../lib/relay/secret-rotation';

const ARN = 'arn:aws:secretsmanager:us-east-1:111111111111:secret:turn-AbCdEf';
const POLICY: RotationPolicy = { maxCredentialTtlSeconds: 3600, clockSkewSeconds: 300, relayPickupSeconds: 1800 };
const A = 'A'.repeat(40);
const B = 'B'.repeat(48);
const T0 = 1_800_000_000;
const CUR = 'current-version-0000000000000000000';
const ADVANCE: RotationRequest = { kind: 'advance', secretId: ARN };
const REGIONS = ['us-west-2', 'eu-central-1'];

const IDLE: TurnSecretState = { current: A };
const STAGED: TurnSecretState = { current: A, pending: B, pendingSince: T0 };
/** Without replicas: pendingSince + relayPickupSeconds + the 30 s stamp slack. */
const PROMOTE_AT = T0 + 1800 + 30;

const inSync = (region: string): ReplicaStatus => ({ region, status: 'InSync' });

/** A snapshot of AWSCURRENT `state` (version `versionId`) and replicas holding `replicaDocs` per region. */
function snap(
  state: TurnSecretState,
  replicaDocs: Record<string, TurnSecretState>,
  statuses: ReplicaStatus[] = Object.keys(replicaDocs).map(inSync),
  versionId = CUR,
): SecretSnapshot {
  const replicas: ReplicaSnapshot = {
    statuses,
    currentValues: Object.fromEntries(Object.entries(replicaDocs).map(([r, doc]) => [r, JSON.stringify(doc)])),
  };
  return { stagesByVersion: { [versionId]: ['AWSCURRENT'] }, values: { [versionId]: JSON.stringify(state) }, replicas };
}

function context(nowSeconds: number, replicaRegions: readonly string[] = REGIONS): PlanContext {
  return { policy: POLICY, nowSeconds, newSecret: () => 'N'.repeat(48), replicaRegions };
}

const plan = (snapshot: SecretSnapshot, now: number, regions?: readonly string[]) =>
  planRotation(ADVANCE, snapshot, context(now, regions));

function thrown(attempt: () => unknown): Error {
  try {
    attempt();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a throw');
}

describe('no replica regions: every decision is what it was', () => {
  test.each<[string, readonly string[] | undefined]>([
    ['absent', undefined],
    ['empty', []],
  ])('%s: waits, then promotes at pendingSince + pickup + slack, reading no replica', (_name, regions) => {
    const single: PlanContext = { policy: POLICY, nowSeconds: PROMOTE_AT - 1, newSecret: () => 'N'.repeat(48) };
    const ctx = (now: number): PlanContext => ({
      ...single,
      nowSeconds: now,
      ...(regions ? { replicaRegions: regions } : {}),
    });
    const noReplicas: SecretSnapshot = {
      stagesByVersion: { [CUR]: ['AWSCURRENT'] },
      values: { [CUR]: JSON.stringify(STAGED) },
    };
    expect(planRotation(ADVANCE, noReplicas, ctx(PROMOTE_AT - 1))).toMatchObject({
      outcome: 'waiting',
      untilSeconds: PROMOTE_AT,
    });
    expect(planRotation(ADVANCE, noReplicas, ctx(PROMOTE_AT))).toMatchObject({
      outcome: 'promote',
      writes: [{ token: advanceToken('promote', CUR) }],
    });
  });
});

describe('while a pending secret is staged', () => {
  test('a replica still without it holds promotion, even after pickup and even while it reports InSync', () => {
    const result = plan(snap(STAGED, { 'us-west-2': STAGED, 'eu-central-1': IDLE }), PROMOTE_AT + 600);
    expect(result).toEqual({
      outcome: 'waiting-for-replicas',
      writes: [],
      note: 'waiting for replication of the pending secret to eu-central-1 (InSync, AWSCURRENT without the pending secret yet)',
    });
  });

  test('InProgress, or no readable replica yet, is a wait too', () => {
    const statuses = [inSync('us-west-2'), { region: 'eu-central-1', status: 'InProgress' }];
    const lagging = snap(STAGED, { 'us-west-2': STAGED }, statuses);
    expect(plan(lagging, PROMOTE_AT)).toMatchObject({
      outcome: 'waiting-for-replicas',
      writes: [],
      note: expect.stringContaining('eu-central-1 (InProgress, no readable AWSCURRENT)'),
    });
  });

  test('a replica still without it an hour after staging is an error (the alarm fires), still writing nothing', () => {
    const lagging = snap(STAGED, { 'us-west-2': STAGED, 'eu-central-1': IDLE });
    expect(plan(lagging, T0 + REPLICATION_OVERDUE_SECONDS)).toMatchObject({ outcome: 'waiting-for-replicas' });
    const error = thrown(() => plan(lagging, T0 + REPLICATION_OVERDUE_SECONDS + 1));
    expect(error).toBeInstanceOf(SecretRotationError);
    expect(error.message).toMatch(
      /staged 3601 s ago has not reached every replica \(.*eu-central-1.*\); nothing is promoted/,
    );
  });

  test('the first tick at which every replica carries it stamps replicatedAt as a new AWSCURRENT version', () => {
    const now = T0 + 900;
    expect(plan(snap(STAGED, { 'us-west-2': STAGED, 'eu-central-1': STAGED }), now)).toEqual({
      outcome: 'replicated',
      writes: [
        {
          kind: 'put',
          token: replicatedToken(REGIONS, CUR),
          secretString: JSON.stringify({ current: A, pending: B, pendingSince: T0, replicatedAt: now }),
          stage: 'AWSCURRENT',
          tokenConflictMeansAdvanced: true,
        },
      ],
      untilSeconds: now + 1800,
      note: expect.stringContaining('us-west-2, eu-central-1'),
    });
  });

  test('a stamp inside the slack still leaves pendingSince + pickup + slack as the earliest promotion', () => {
    expect(plan(snap(STAGED, { 'us-west-2': STAGED, 'eu-central-1': STAGED }), T0 + 5)).toMatchObject({
      outcome: 'replicated',
      untilSeconds: PROMOTE_AT,
    });
  });

  describe('once stamped', () => {
    const STAMP_AT = T0 + 900;
    const STAMPED: TurnSecretState = { ...STAGED, replicatedAt: STAMP_AT };
    const STAMP_ID = replicatedToken(REGIONS, CUR);
    const everywhere = { 'us-west-2': STAGED, 'eu-central-1': STAMPED };
    const stamped = (replicas: Record<string, TurnSecretState> = everywhere) =>
      snap(STAMPED, replicas, undefined, STAMP_ID);

    test('promotes only relayPickupSeconds after the stamp, not after pendingSince', () => {
      expect(plan(stamped(), PROMOTE_AT)).toMatchObject({ outcome: 'waiting', untilSeconds: STAMP_AT + 1800 });
      expect(plan(stamped(), STAMP_AT + 1799)).toMatchObject({ outcome: 'waiting', writes: [] });
      expect(plan(stamped(), STAMP_AT + 1800)).toEqual({
        outcome: 'promote',
        writes: [
          {
            kind: 'put',
            token: advanceToken('promote', STAMP_ID),
            secretString: JSON.stringify({ current: B, previous: A, promotedAt: STAMP_AT + 1800 }),
            stage: 'AWSCURRENT',
            tokenConflictMeansAdvanced: true,
          },
        ],
      });
    });

    test('never stamps twice for the same region set', () => {
      expect(plan(stamped(), STAMP_AT + 60).writes).toEqual([]);
    });

    test('the promoting tick still needs every replica carrying the pending secret', () => {
      const regressed = stamped({ 'us-west-2': STAGED, 'eu-central-1': IDLE });
      expect(plan(regressed, STAMP_AT + 1800)).toMatchObject({ outcome: 'waiting-for-replicas', writes: [] });
    });

    test('a region added since the stamp: the old stamp does not count, a new one is taken once it carries it', () => {
      const three = [...REGIONS, 'ap-southeast-2'];
      const withNew = (doc: TurnSecretState) => stamped({ ...everywhere, 'ap-southeast-2': doc });
      expect(plan(withNew(IDLE), STAMP_AT + 1800, three)).toMatchObject({ outcome: 'waiting-for-replicas' });
      const now = STAMP_AT + 2400;
      expect(plan(withNew(STAGED), now, three)).toMatchObject({
        outcome: 'replicated',
        writes: [
          {
            token: replicatedToken(three, STAMP_ID),
            secretString: JSON.stringify({ current: A, pending: B, pendingSince: T0, replicatedAt: now }),
          },
        ],
        untilSeconds: now + 1800,
      });
    });

    test('with every replica region removed, the stamp still only delays promotion', () => {
      expect(plan(stamped(), PROMOTE_AT, [])).toMatchObject({ outcome: 'waiting', untilSeconds: STAMP_AT + 1800 });
    });
  });

  test('a replica document that does not parse is an error naming the region (its relays refuse it too)', () => {
    const broken: SecretSnapshot = {
      ...snap(STAGED, { 'us-west-2': STAGED, 'eu-central-1': STAGED }),
      replicas: {
        statuses: REGIONS.map(inSync),
        currentValues: { 'us-west-2': JSON.stringify(STAGED), 'eu-central-1': '{' },
      },
    };
    const error = thrown(() => plan(broken, PROMOTE_AT));
    expect(error).toBeInstanceOf(SecretRotationError);
    expect(error.message).toMatch(/replica eu-central-1 AWSCURRENT is not JSON/);
  });
});

describe('what waiting cannot fix is an error at every tick (the rotation function alarm fires)', () => {
  const replicaDocs = { 'us-west-2': STAGED, 'eu-central-1': STAGED };
  test.each<[string, TurnSecretState, number]>([
    ['idle', IDLE, T0],
    ['staged', STAGED, PROMOTE_AT],
    ['promoted', { current: B, previous: A, promotedAt: T0 + 1900 }, T0 + 2000],
  ])(
    '%s: a Failed replica throws, naming the region, the cause and what to do; nothing is written',
    (_n, state, now) => {
      const statuses = [
        inSync('us-west-2'),
        { region: 'eu-central-1', status: 'Failed', statusMessage: 'Access to KMS is not allowed.\nRetry.' },
      ];
      const error = thrown(() => plan(snap(state, replicaDocs, statuses), now));
      expect(error).toBeInstanceOf(SecretRotationError);
      expect(error.message).toMatch(
        /replication to eu-central-1 failed \(Secrets Manager says: Access to KMS is not allowed\. Retry\.\)/,
      );
      expect(error.message).toMatch(/nothing is promoted/);
      expect(error.message).toMatch(/retry replication of arn:aws:secretsmanager:us-east-1:\S+ to eu-central-1/);
      expect(error.message).not.toMatch(/us-west-2/);
    },
  );

  test('an expected region with no replica throws, saying which stack to deploy', () => {
    const error = thrown(() => plan(snap(STAGED, { 'us-west-2': STAGED }, [inSync('us-west-2')]), PROMOTE_AT));
    expect(error.message).toMatch(/eu-central-1 has no replica of the secret.*deploy the home Relay stack/);
  });

  test('a status this code does not know is refused, not guessed at', () => {
    const statuses = [inSync('us-west-2'), { region: 'eu-central-1', status: 'Detached' }];
    expect(() => plan(snap(STAGED, replicaDocs, statuses), PROMOTE_AT)).toThrow(
      /replica eu-central-1 reports status 'Detached'/,
    );
  });

  test('a replica not expected is not checked (REPLICA_REGIONS is the contract)', () => {
    const statuses = [...REGIONS.map(inSync), { region: 'sa-east-1', status: 'Failed' }];
    expect(plan(snap(STAGED, replicaDocs, statuses), T0 + 900)).toMatchObject({ outcome: 'replicated' });
  });
});

test('dropping the previous secret does not wait for replicas (signaling stopped signing with it long ago)', () => {
  const promoted: TurnSecretState = { current: B, previous: A, promotedAt: T0 };
  const statuses = [inSync('us-west-2'), { region: 'eu-central-1', status: 'InProgress' }];
  const dropAt = T0 + 3600 + 300;
  expect(plan(snap(promoted, { 'us-west-2': promoted, 'eu-central-1': STAGED }, statuses), dropAt)).toMatchObject({
    outcome: 'drop-previous',
  });
});

describe('helpers', () => {
  test('the replica ARN is the primary one with the region replaced', () => {
    expect(replicaArn(ARN, 'eu-central-1')).toBe('arn:aws:secretsmanager:eu-central-1:111111111111:secret:turn-AbCdEf');
    expect(() => replicaArn('arn:aws:s3:::bucket', 'eu-central-1')).toThrow(/not a Secrets Manager ARN/);
  });

  test('stamp tokens: valid version IDs, deterministic per source, bound to the region set in any order', () => {
    const token = replicatedToken(REGIONS, CUR);
    expect(token).toMatch(/^replicated-[0-9a-f]{16}-[0-9a-f]{32}$/);
    expect(token.length).toBeLessThanOrEqual(64);
    expect(replicatedToken([...REGIONS].reverse(), CUR)).toBe(token);
    expect(replicatedToken(REGIONS, 'other-version-00000000000000000000')).not.toBe(token);
    expect(isStampedFor(REGIONS, token, T0)).toBe(true);
    expect(isStampedFor(['us-west-2'], token, T0)).toBe(false);
    expect(isStampedFor(REGIONS, token, undefined)).toBe(false);
    expect(isStampedFor(REGIONS, CUR, T0)).toBe(false);
  });
});
