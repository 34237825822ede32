/**
 * What the rotation function does, decided from what Secrets Manager holds: a pure function of the request, a
 * snapshot of the secret's versions, the policy and the clock. The handler (lambda/relay/rotate-turn-secret.ts)
 * only reads the snapshot, calls {@link planRotation} and performs the writes it returns, in order.
 *
 * Native rotation (one call per step, all for the version `token` that RotateSecret created as AWSPENDING):
 * - createSecret: stage a new secret as AWSPENDING, only when AWSCURRENT is idle. Anything else is refused: a
 *   rotation started inside an overlap window would end it early.
 * - setSecret: nothing to push; relays pull the document (and signaling reads it on its own).
 * - testSecret: the AWSPENDING document is valid and is exactly the staging of AWSCURRENT. Secrets Manager also runs
 *   testSecret alone, as a configuration test, when rotation is configured with RotateImmediately=false (what every
 *   deployment of the stack does): it "creates an AWSPENDING version of the secret and then removes it" (RotateSecret
 *   API reference). That version holds no staged document (no value, or a copy of AWSCURRENT), so there is nothing
 *   to test and the step succeeds without writing; finishSecret still refuses to make such a version current.
 * - finishSecret: make the staged document AWSCURRENT, then remove AWSPENDING from the token's version (AWSPENDING
 *   left on a version that later stops being AWSCURRENT would make every later RotateSecret fail as "still in
 *   progress"). Relays read only AWSCURRENT, so `pendingSince` must be when AWSCURRENT first carries `pending`: if the
 *   staged stamp is older than PENDING_STAMP_SLACK_SECONDS (Secrets Manager re-attempted a failed rotation later),
 *   finishSecret writes the document re-stamped with its own `now` as a new AWSCURRENT version, under a token derived
 *   from the rotation's, instead of moving the label.
 * The schedule's advance: promote after relayPickupSeconds, drop the previous secret after its window, each as a new
 * AWSCURRENT version whose token is derived from the step and the version it replaces, so racing invocations
 * cannot both write (the loser gets an idempotent no-op or ResourceExistsException). With replica regions, promotion
 * also waits for every replica to carry the pending secret, stamped as `replicatedAt` (rotation-replicas.ts explains
 * the rule and why it is sound).
 *
 * Every step is idempotent: Secrets Manager retries steps, and EventBridge may deliver a schedule event twice.
 */
import { createHash } from 'node:crypto';
import {
  isAlreadyLiveIn,
  isIdle,
  isStagingOf,
  parseTurnSecretDocument,
  serializeTurnSecretDocument,
  type DocumentClock,
} from './rotation-document';
import type { RotationRequest } from './rotation-event';
import {
  isStampedFor,
  refuseBrokenReplicas,
  REPLICATION_OVERDUE_SECONDS,
  replicasCarryPending,
  replicatedToken,
  type ReplicaSnapshot,
} from './rotation-replicas';
import { ADVANCE_INTERVAL_MINUTES } from './rotation-schedule';
import {
  nextRotationStep,
  PENDING_STAMP_SLACK_SECONDS,
  pendingPromoteAt,
  previousDropAt,
  SecretRotationError,
  type RotationPolicy,
  type TurnSecretState,
} from './secret-rotation';

export const AWSCURRENT = 'AWSCURRENT';
export const AWSPENDING = 'AWSPENDING';

/** What the handler read: DescribeSecret's VersionIdsToStages and the SecretStrings of the versions it was told to read. */
export interface SecretSnapshot {
  readonly stagesByVersion: Readonly<Record<string, readonly string[]>>;
  /** SecretString per version read; a version with no entry has no value (e.g. RotateSecret's empty AWSPENDING). */
  readonly values: Readonly<Record<string, string>>;
  /** The replicas, read for advance ticks when the context names replica regions. */
  readonly replicas?: ReplicaSnapshot;
}

export type SecretWrite =
  | {
      readonly kind: 'put';
      readonly token: string;
      readonly secretString: string;
      readonly stage: typeof AWSCURRENT | typeof AWSPENDING;
      /**
       * A ResourceExistsException on this token means another invocation already wrote this step: not an error, and
       * the rest of the plan (made from a snapshot that is now stale) is left to that invocation.
       */
      readonly tokenConflictMeansAdvanced: boolean;
    }
  | { readonly kind: 'move-current'; readonly toVersionId: string; readonly fromVersionId: string }
  | { readonly kind: 'remove-pending'; readonly fromVersionId: string };

export type RotationOutcome =
  | 'staged'
  | 'already-staged'
  | 'already-current'
  | 'nothing-to-push'
  | 'tested'
  | 'configuration-test'
  | 'finished'
  | 'finished-restamped'
  | 'already-finished'
  | 'promote'
  | 'drop-previous'
  | 'waiting'
  | 'waiting-for-replicas'
  | 'replicated'
  | 'idle'
  | 'rotation-in-progress';

export interface RotationPlan {
  readonly outcome: RotationOutcome;
  readonly writes: readonly SecretWrite[];
  /** When the next advance step is due (unix seconds), for `waiting`. */
  readonly untilSeconds?: number;
  /** Why nothing was written, in words that hold no secret. */
  readonly note?: string;
}

export interface PlanContext {
  readonly policy: RotationPolicy;
  readonly nowSeconds: number;
  /** Called only when a secret is staged. */
  readonly newSecret: () => string;
  /** The regions whose replica relays read (home region excluded); absent or empty: a single-region secret. */
  readonly replicaRegions?: readonly string[];
}

/** A request refused on purpose (not a fault): the message says what is in progress and what to do. */
export class RotationRefusedError extends SecretRotationError {
  constructor(message: string) {
    super(message);
    this.name = 'RotationRefusedError';
  }
}

/** Which versions' values the handler must read for this request (AWSCURRENT first). */
export function versionsToRead(
  request: RotationRequest,
  stagesByVersion: Readonly<Record<string, readonly string[]>>,
): string[] {
  const wanted = [versionWith(stagesByVersion, AWSCURRENT), versionWith(stagesByVersion, AWSPENDING, false)];
  if (request.kind === 'rotation-step') wanted.push(request.token);
  return [...new Set(wanted.filter((id): id is string => id !== undefined))];
}

export function planRotation(request: RotationRequest, snapshot: SecretSnapshot, context: PlanContext): RotationPlan {
  if (request.kind === 'advance') return planAdvance(request.secretId, snapshot, context);
  switch (request.step) {
    case 'createSecret':
      return planCreate(request.secretId, request.token, snapshot, context);
    case 'setSecret':
      return planSet(request.token, snapshot);
    case 'testSecret':
      return planTest(request.token, snapshot, context);
    case 'finishSecret':
      return planFinish(request.secretId, request.token, snapshot, context);
  }
}

/** The deterministic version ID of an advance step: the same step from the same version always gets the same ID. */
export function advanceToken(action: 'promote' | 'drop-previous', sourceVersionId: string): string {
  return derivedToken(action, sourceVersionId);
}

/** The deterministic version ID of the re-stamped document finishSecret writes for the rotation's version `token`. */
export function restampToken(token: string): string {
  return derivedToken('restamp', token);
}

/** `<action>-<40 hex>`: at most 54 characters, inside the 32-64 Secrets Manager accepts for a version ID. */
function derivedToken(action: string, sourceVersionId: string): string {
  return `${action}-${createHash('sha256').update(`${action}\n${sourceVersionId}`).digest('hex').slice(0, 40)}`;
}

const clockOf = (context: PlanContext): DocumentClock => ({
  nowSeconds: context.nowSeconds,
  clockSkewSeconds: context.policy.clockSkewSeconds,
});

function planCreate(secretId: string, token: string, snapshot: SecretSnapshot, context: PlanContext): RotationPlan {
  const stages = tokenStages(snapshot, token);
  if (stages.includes(AWSCURRENT)) return { outcome: 'already-current', writes: [] };
  requirePending(stages, token);
  // A retry after the value was stored: nothing to do (testSecret validates what was stored).
  if (snapshot.values[token] !== undefined) return { outcome: 'already-staged', writes: [] };
  const { versionId: currentId, state: current } = currentDocument(snapshot, context);
  if (!isIdle(current)) throw new RotationRefusedError(refusal(secretId, token, current, context));
  const step = nextRotationStep(current, context.policy, context.nowSeconds, {
    rotate: true,
    newSecret: context.newSecret(),
  });
  if (step.action !== 'stage') throw new SecretRotationError(`staging from ${currentId} gave ${step.action}`);
  return {
    outcome: 'staged',
    writes: [
      {
        kind: 'put',
        token,
        secretString: serializeTurnSecretDocument(step.next, clockOf(context)),
        stage: AWSPENDING,
        tokenConflictMeansAdvanced: false,
      },
    ],
  };
}

function planSet(token: string, snapshot: SecretSnapshot): RotationPlan {
  const stages = tokenStages(snapshot, token);
  if (stages.includes(AWSCURRENT)) return { outcome: 'already-current', writes: [] };
  requirePending(stages, token);
  if (snapshot.values[token] === undefined) {
    throw new SecretRotationError(`AWSPENDING version ${token} has no value: createSecret has not stored it`);
  }
  return { outcome: 'nothing-to-push', writes: [], note: 'relays and signaling pull the document themselves' };
}

function planTest(token: string, snapshot: SecretSnapshot, context: PlanContext): RotationPlan {
  if (snapshot.stagesByVersion[token]?.includes(AWSCURRENT)) return { outcome: 'already-current', writes: [] };
  const configurationTest = configurationTestShape(token, snapshot);
  if (configurationTest !== undefined) {
    return { outcome: 'configuration-test', writes: [], note: `nothing staged to test: ${configurationTest}` };
  }
  requirePending(tokenStages(snapshot, token), token);
  const staged = parseTurnSecretDocument(snapshot.values[token], `AWSPENDING version ${token}`, clockOf(context));
  const { versionId: currentId, state: current } = currentDocument(snapshot, context);
  if (staged.pending === undefined) {
    throw new SecretRotationError(`AWSPENDING version ${token} carries no pending secret`);
  }
  if (isStagingOf(staged, current)) return { outcome: 'tested', writes: [] };
  // Secrets Manager re-attempts a whole rotation after a failed finishSecret: if that finish had already written the
  // re-stamped AWSCURRENT, the staged secret is live and there is nothing left to test.
  if (isAlreadyLiveIn(staged, current)) return { outcome: 'already-finished', writes: [] };
  throw new SecretRotationError(
    `AWSPENDING version ${token} is not the staging of AWSCURRENT version ${currentId}: AWSCURRENT changed ` +
      'after createSecret; finishing would overwrite that change',
  );
}

/**
 * The shapes the version of Secrets Manager's configuration test can take, in words, or undefined for anything else.
 * The API reference only says the test "creates an AWSPENDING version of the secret and then removes it", so every
 * shape that holds nothing to stage passes: no value (RotateSecret's usual empty version; also a version whose label
 * is already gone, which DescribeSecret no longer lists), or a byte-for-byte copy of AWSCURRENT. A real rotation
 * never looks like this: createSecret always stores a staged document, which adds a pending secret to AWSCURRENT.
 */
function configurationTestShape(token: string, snapshot: SecretSnapshot): string | undefined {
  const value = snapshot.values[token];
  if (value === undefined) return 'the version has no value';
  const currentId = versionWith(snapshot.stagesByVersion, AWSCURRENT) as string;
  if (value === snapshot.values[currentId]) return 'the version is a copy of AWSCURRENT';
  return undefined;
}

function planFinish(secretId: string, token: string, snapshot: SecretSnapshot, context: PlanContext): RotationPlan {
  const stages = snapshot.stagesByVersion[token] ?? [];
  const { versionId: currentId, state: current } = currentDocument(snapshot, context);
  const hasPending = stages.includes(AWSPENDING);
  if (token === currentId) {
    // Retry after the move: only the AWSPENDING removal may be left.
    return hasPending
      ? { outcome: 'finished', writes: [{ kind: 'remove-pending', fromVersionId: token }] }
      : { outcome: 'already-finished', writes: [] };
  }
  // Fails closed on a version with no value (e.g. the configuration test's): it is never made current.
  const staged = parseTurnSecretDocument(snapshot.values[token], `version ${token}`, clockOf(context));
  if (hasPending && isStagingOf(staged, current)) {
    const stagedFor = context.nowSeconds - (staged.pendingSince as number);
    if (stagedFor <= PENDING_STAMP_SLACK_SECONDS) {
      return {
        outcome: 'finished',
        writes: [
          { kind: 'move-current', toVersionId: token, fromVersionId: currentId },
          { kind: 'remove-pending', fromVersionId: token },
        ],
      };
    }
    // Relays have not seen `pending` yet: give them the whole pickup time from now, not from createSecret.
    const restamped = { current: staged.current, pending: staged.pending, pendingSince: context.nowSeconds };
    return {
      outcome: 'finished-restamped',
      writes: [
        {
          kind: 'put',
          token: restampToken(token),
          secretString: serializeTurnSecretDocument(restamped, clockOf(context)),
          stage: AWSCURRENT,
          tokenConflictMeansAdvanced: true,
        },
        { kind: 'remove-pending', fromVersionId: token },
      ],
      note: `staged ${stagedFor} s before finishSecret: pendingSince re-stamped to now`,
    };
  }
  if (isAlreadyLiveIn(staged, current)) {
    // Finished earlier and possibly advanced since (a late retry): moving AWSCURRENT back would undo the advance.
    return {
      outcome: 'already-finished',
      writes: hasPending ? [{ kind: 'remove-pending', fromVersionId: token }] : [],
    };
  }
  throw new SecretRotationError(
    `refusing to finish: AWSCURRENT version ${currentId} changed after version ${token} was staged, and finishing ` +
      `would overwrite it. Inspect both versions; to abandon this rotation run: ${removePendingCommand(secretId, token)}`,
  );
}

function planAdvance(secretId: string, snapshot: SecretSnapshot, context: PlanContext): RotationPlan {
  const { versionId: currentId, state: current } = currentDocument(snapshot, context);
  const regions = context.replicaRegions ?? [];
  const replicas: ReplicaSnapshot = snapshot.replicas ?? { statuses: [], currentValues: {} };
  if (regions.length > 0) refuseBrokenReplicas(secretId, regions, replicas);
  const writes: SecretWrite[] = [];
  const pendingId = versionWith(snapshot.stagesByVersion, AWSPENDING, false);
  const pendingValue = pendingId === undefined ? undefined : snapshot.values[pendingId];
  // A copy of AWSCURRENT is the configuration test's version (Secrets Manager removes it itself): like an empty one,
  // it changes nothing in the document, and touching its label could race Secrets Manager's own removal.
  if (
    pendingId !== undefined &&
    pendingId !== currentId &&
    pendingValue !== undefined &&
    pendingValue !== snapshot.values[currentId]
  ) {
    const staged = parseTurnSecretDocument(pendingValue, `AWSPENDING version ${pendingId}`, clockOf(context));
    if (isStagingOf(staged, current)) {
      return { outcome: 'rotation-in-progress', writes: [], note: `native rotation of ${pendingId} not finished` };
    }
    if (!isAlreadyLiveIn(staged, current)) {
      throw new SecretRotationError(
        `AWSPENDING version ${pendingId} was staged from a different AWSCURRENT and can never finish; it blocks ` +
          `every later rotation. Inspect it, then remove it: ${removePendingCommand(secretId, pendingId)}`,
      );
    }
    // Left behind by a finish that stopped between its two writes: its secret is live, so the label is stale.
    writes.push({ kind: 'remove-pending', fromVersionId: pendingId });
  }
  if (current.pending !== undefined && regions.length > 0) {
    const verdict = replicasCarryPending(regions, replicas, current.pending, clockOf(context));
    // Checked at every tick until promotion, the promoting one included.
    if (verdict.kind === 'lagging') {
      const stagedFor = context.nowSeconds - (current.pendingSince as number);
      if (stagedFor > REPLICATION_OVERDUE_SECONDS) {
        throw new SecretRotationError(
          `the pending secret staged ${stagedFor} s ago has not reached every replica (${verdict.note}); nothing is ` +
            'promoted, so signaling keeps signing with the current secret. Check the replication status of those ' +
            'regions (aws secretsmanager describe-secret) and docs/relay.md, "Relay regions: the replicated secret"',
        );
      }
      return { outcome: 'waiting-for-replicas', writes, note: verdict.note };
    }
    if (!isStampedFor(regions, currentId, current.replicatedAt)) {
      const stamped = { ...current, replicatedAt: context.nowSeconds };
      writes.push({
        kind: 'put',
        token: replicatedToken(regions, currentId),
        secretString: serializeTurnSecretDocument(stamped, clockOf(context)),
        stage: AWSCURRENT,
        tokenConflictMeansAdvanced: true,
      });
      return {
        outcome: 'replicated',
        writes,
        untilSeconds: pendingPromoteAt(current.pendingSince as number, context.policy, context.nowSeconds),
        note: `every replica (${regions.join(', ')}) carries the pending secret: relays there get the pickup time from now`,
      };
    }
  }
  // An AWSPENDING version without a value is a rotation createSecret refused or has not reached: it changes nothing
  // in the document, so the overlap goes on (and Secrets Manager's retry of it succeeds once the document is idle).
  const step = nextRotationStep(current, context.policy, context.nowSeconds, { rotate: false });
  if (step.action === 'wait') {
    const idle = isIdle(current);
    return {
      outcome: idle ? 'idle' : 'waiting',
      writes,
      ...(idle ? {} : { untilSeconds: step.untilSeconds }),
      note: step.reason,
    };
  }
  if (step.action === 'stage') throw new SecretRotationError('advance must never stage a secret');
  writes.push({
    kind: 'put',
    token: advanceToken(step.action, currentId),
    secretString: serializeTurnSecretDocument(step.next, clockOf(context)),
    stage: AWSCURRENT,
    tokenConflictMeansAdvanced: true,
  });
  return { outcome: step.action, writes };
}

function versionWith(
  stagesByVersion: Readonly<Record<string, readonly string[]>>,
  stage: string,
  required = true,
): string | undefined {
  const holders = Object.entries(stagesByVersion)
    .filter(([, stages]) => stages.includes(stage))
    .map(([id]) => id);
  if (holders.length > 1) throw new SecretRotationError(`${stage} is attached to ${holders.length} versions`);
  if (required && holders.length === 0) throw new SecretRotationError(`no version carries ${stage}`);
  return holders[0];
}

function currentDocument(
  snapshot: SecretSnapshot,
  context: PlanContext,
): { versionId: string; state: TurnSecretState } {
  const versionId = versionWith(snapshot.stagesByVersion, AWSCURRENT) as string;
  const where = `AWSCURRENT version ${versionId}`;
  return { versionId, state: parseTurnSecretDocument(snapshot.values[versionId], where, clockOf(context)) };
}

function tokenStages(snapshot: SecretSnapshot, token: string): readonly string[] {
  const stages = snapshot.stagesByVersion[token];
  if (stages === undefined) {
    throw new SecretRotationError(
      `version ${token} does not exist or has no staging label: rotation steps run only for the version RotateSecret created`,
    );
  }
  return stages;
}

function requirePending(stages: readonly string[], token: string): void {
  if (!stages.includes(AWSPENDING)) {
    throw new SecretRotationError(
      `version ${token} is not AWSPENDING (it carries ${stages.join(', ') || 'no label'}): this rotation was ` +
        'abandoned or already finished',
    );
  }
}

function removePendingCommand(secretId: string, versionId: string): string {
  return `aws secretsmanager update-secret-version-stage --secret-id ${secretId} --version-stage AWSPENDING --remove-from-version-id ${versionId}`;
}

const iso = (seconds: number) => new Date(seconds * 1000).toISOString();

/** Why a rotation cannot start now, and when it can: only times and version IDs, never a secret. */
function refusal(secretId: string, token: string, current: TurnSecretState, context: PlanContext): string {
  const { policy } = context;
  const advanceSlack = 2 * ADVANCE_INTERVAL_MINUTES * 60;
  let inProgress: string;
  let idleAt: number;
  if (current.pending !== undefined) {
    const promoteAt = pendingPromoteAt(current.pendingSince as number, policy, current.replicatedAt);
    idleAt = promoteAt + policy.maxCredentialTtlSeconds + policy.clockSkewSeconds;
    inProgress =
      `a pending secret staged at ${iso(current.pendingSince as number)} is still being picked up by relays ` +
      `(promoted at the earliest ${iso(promoteAt)})`;
  } else {
    idleAt = previousDropAt(current.promotedAt as number, policy);
    inProgress = `the previous secret stays accepted until ${iso(idleAt)} (promoted ${iso(current.promotedAt as number)})`;
  }
  return (
    `TURN secret rotation refused: the last rotation is still in its overlap window: ${inProgress}. Starting ` +
    `another now would cut that overlap short, so nothing was changed. The schedule finishes the overlap by about ` +
    `${iso(idleAt + advanceSlack)}; rotate after that. Secrets Manager keeps this request's empty AWSPENDING ` +
    `version ${token}: its retry succeeds after that time, or remove it with: ${removePendingCommand(secretId, token)}`
  );
}
