/**
 * The TURN shared secret's two-secret overlap, as a pure state machine over the secret document signaling and the
 * relays share (lib/signaling/turn-secret.ts): a Secrets Manager secret whose SecretString is JSON
 * `{"current", "previous"?, "pending"?, "pendingSince"?, "replicatedAt"?, "promotedAt"?}` (times in unix seconds). Signaling reads
 * only `current` (its schema ignores the other keys); relays accept every secret returned by relayAcceptedSecrets.
 *
 * One rotation, each step a new version of the secret written by a scheduled rotation function:
 *   1. stage:   {current: A}                 -> {current: A, pending: B}. Relays start accepting B at their next
 *               reload; nobody signs with B yet.
 *   2. promote: only after relayPickupSeconds (plus PENDING_STAMP_SLACK_SECONDS, below) -> {current: B, previous: A,
 *               promotedAt}. Signaling now signs with B, which every relay already accepts. With replica regions,
 *               also only relayPickupSeconds after `replicatedAt`, when every replica was first seen holding B
 *               (rotation-plan.ts stamps it: {current: A, pending: B, pendingSince, replicatedAt}).
 *   3. drop:    only after promotedAt + longest credential TTL + clock skew -> {current: B}. No credential signed
 *               with A can still be valid.
 * Relays also stop accepting `previous` by themselves once its window has passed, in case step 3 is late.
 * Expiry only gates new allocations (coturn keeps refreshing live ones), so dropping a secret never cuts a call.
 */

export interface TurnSecretState {
  readonly current: string;
  readonly previous?: string;
  readonly pending?: string;
  /**
   * When relays could first see `pending`, unix seconds: the moment the document carrying it became AWSCURRENT, or
   * up to PENDING_STAMP_SLACK_SECONDS before it (rotation-plan.ts re-stamps a document that became current later).
   */
  readonly pendingSince?: number;
  /**
   * When every replica region's copy of the secret was first seen holding `pending`, unix seconds (only with
   * `pending`, never before `pendingSince`). Written by the schedule when the secret has replica regions
   * (rotation-plan.ts); promotion waits relayPickupSeconds after it too, so relays reading a replica get the full
   * pickup time from when their replica carried `pending`. Relays and signaling ignore it.
   */
  readonly replicatedAt?: number;
  /** When `current` was promoted, unix seconds (present while `previous` is). */
  readonly promotedAt?: number;
}

export interface RotationPolicy {
  /** The longest TTL signaling issues (its maxTtlSeconds). */
  readonly maxCredentialTtlSeconds: number;
  /** Allowed clock difference between signaling and relays. */
  readonly clockSkewSeconds: number;
  /** How long every relay needs to pick up a new secret (secret-sync.ts: two sync periods at least). */
  readonly relayPickupSeconds: number;
}

export type RotationStep =
  | { readonly action: 'stage'; readonly next: TurnSecretState }
  | { readonly action: 'promote'; readonly next: TurnSecretState }
  | { readonly action: 'drop-previous'; readonly next: TurnSecretState }
  | { readonly action: 'wait'; readonly untilSeconds: number; readonly reason: string };

export class SecretRotationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SecretRotationError';
  }
}

const MIN_SECRET_LENGTH = 32;

/**
 * How much earlier than the moment AWSCURRENT first carries `pending` its `pendingSince` may lie. createSecret stamps
 * the document when it stores it as AWSPENDING, but relays read AWSCURRENT only, so they see `pending` when
 * finishSecret makes that document current: normally a few seconds later (three Lambda invocations). When more than
 * this has passed (a failed step that Secrets Manager re-attempted later), finishSecret writes a re-stamped document
 * instead (rotation-plan.ts). Promotion waits this much on top of relayPickupSeconds, so every relay has had the full
 * pickup time either way.
 */
export const PENDING_STAMP_SLACK_SECONDS = 30;

function validatePolicy(policy: RotationPolicy): void {
  for (const [field, value] of Object.entries(policy)) {
    if (!Number.isInteger(value) || value < 0) throw new SecretRotationError(`${field} must be a non-negative integer`);
  }
  if (policy.maxCredentialTtlSeconds <= 0) throw new SecretRotationError('maxCredentialTtlSeconds must be positive');
}

/** Rejects states no step of the machine produces: they mean a hand edit or a bug, and guessing would be unsafe. */
export function validateState(state: TurnSecretState): void {
  // Documents come from JSON: a missing `current` must not pass as a document with fewer secrets.
  if (typeof state.current !== 'string') throw new SecretRotationError('current must be a secret string');
  const secrets = [state.current, state.previous, state.pending].filter((s): s is string => s !== undefined);
  for (const s of secrets) {
    if (s.length < MIN_SECRET_LENGTH)
      throw new SecretRotationError(`every secret must be >= ${MIN_SECRET_LENGTH} chars`);
  }
  if (new Set(secrets).size !== secrets.length) throw new SecretRotationError('secrets in the document must differ');
  if (state.pending !== undefined && state.previous !== undefined) {
    throw new SecretRotationError('pending and previous at once: a rotation started inside an overlap window');
  }
  if ((state.pending === undefined) !== (state.pendingSince === undefined)) {
    throw new SecretRotationError('pending and pendingSince must be set together');
  }
  if (state.replicatedAt !== undefined && state.pending === undefined) {
    throw new SecretRotationError('replicatedAt without pending: only a pending secret is replicated and waited for');
  }
  if (state.replicatedAt !== undefined && state.replicatedAt < (state.pendingSince as number)) {
    throw new SecretRotationError('replicatedAt before pendingSince: replicas cannot hold pending before it existed');
  }
  if ((state.previous === undefined) !== (state.promotedAt === undefined)) {
    throw new SecretRotationError('previous and promotedAt must be set together');
  }
}

/** When the previous secret stops being accepted: promotion + longest TTL + skew (unix seconds). */
export function previousDropAt(promotedAt: number, policy: RotationPolicy): number {
  validatePolicy(policy);
  return promotedAt + policy.maxCredentialTtlSeconds + policy.clockSkewSeconds;
}

/**
 * The earliest promotion of a secret pending since `pendingSince` (and, with replica regions, replicated to every
 * replica at `replicatedAt`): every relay, in the home region and in each replica region, has had relayPickupSeconds.
 */
export function pendingPromoteAt(pendingSince: number, policy: RotationPolicy, replicatedAt?: number): number {
  validatePolicy(policy);
  return Math.max(pendingSince + PENDING_STAMP_SLACK_SECONDS, replicatedAt ?? 0) + policy.relayPickupSeconds;
}

/** The secrets a relay accepts at `nowSeconds`, current first (the rows secret-sync.ts writes into coturn's database). */
export function relayAcceptedSecrets(state: TurnSecretState, policy: RotationPolicy, nowSeconds: number): string[] {
  validateState(state);
  const accepted = [state.current];
  if (state.pending !== undefined) accepted.push(state.pending);
  if (state.previous !== undefined && nowSeconds < previousDropAt(state.promotedAt as number, policy)) {
    accepted.push(state.previous);
  }
  return accepted;
}

/**
 * What the rotation function does now. `newSecret` is only used when a rotation is due to start (`rotate` true, the
 * schedule's decision); every other step follows from the document and the clock.
 */
export function nextRotationStep(
  state: TurnSecretState,
  policy: RotationPolicy,
  nowSeconds: number,
  request: { readonly rotate: boolean; readonly newSecret?: string },
): RotationStep {
  validateState(state);
  validatePolicy(policy);
  if (state.pending !== undefined) {
    const promoteAt = pendingPromoteAt(state.pendingSince as number, policy, state.replicatedAt);
    if (nowSeconds < promoteAt) return { action: 'wait', untilSeconds: promoteAt, reason: 'relays picking up pending' };
    return { action: 'promote', next: { current: state.pending, previous: state.current, promotedAt: nowSeconds } };
  }
  if (state.previous !== undefined) {
    const dropAt = previousDropAt(state.promotedAt as number, policy);
    if (nowSeconds < dropAt) return { action: 'wait', untilSeconds: dropAt, reason: 'previous still inside its TTL' };
    return { action: 'drop-previous', next: { current: state.current } };
  }
  if (!request.rotate) return { action: 'wait', untilSeconds: nowSeconds, reason: 'no rotation requested' };
  if (request.newSecret === undefined) throw new SecretRotationError('a rotation needs a new secret');
  const next = { current: state.current, pending: request.newSecret, pendingSince: nowSeconds };
  validateState(next);
  return { action: 'stage', next };
}

/** The shortest safe schedule between rotations: staging, promotion and the full overlap must fit inside it. */
export function minimumRotationIntervalSeconds(policy: RotationPolicy): number {
  validatePolicy(policy);
  return (
    policy.relayPickupSeconds + PENDING_STAMP_SLACK_SECONDS + policy.maxCredentialTtlSeconds + policy.clockSkewSeconds
  );
}
