/**
 * The TURN secret document as Secrets Manager stores it (the SecretString of each version). Parsing is strict and
 * fails closed: anything the rotation machine would not have written is refused rather than guessed at. Serializing
 * is canonical (fixed key order), because PutSecretValue's idempotency compares SecretStrings byte for byte: the
 * same state must always produce the same string.
 *
 * No error message here ever contains a secret or any part of the document: messages name the field and the rule.
 *
 * Both directions take the reader's clock: a timestamp later than now + clock skew is refused. A `promotedAt` far in
 * the future would keep `previous` accepted until then, and a future `pendingSince` or `replicatedAt` would hold the
 * pending secret back and block every rotation; none can come from the machine, whose stamps are its own `now`.
 */
import { SecretRotationError, validateState, type TurnSecretState } from './secret-rotation';

/** What a relay accepts (the boot script checks the same pattern): letters and digits, at least 32 of them. */
const RELAY_SECRET_PATTERN = /^[A-Za-z0-9]{32,}$/;
const SECRET_KEYS = ['current', 'previous', 'pending'] as const;
const TIME_KEYS = ['pendingSince', 'replicatedAt', 'promotedAt'] as const;
/** Canonical order for serialization. */
const KEY_ORDER = ['current', 'previous', 'pending', 'pendingSince', 'replicatedAt', 'promotedAt'] as const;

/** The reader's clock, unix seconds: timestamps up to `nowSeconds + clockSkewSeconds` are accepted. */
export interface DocumentClock {
  readonly nowSeconds: number;
  readonly clockSkewSeconds: number;
}

const FUTURE_CONSEQUENCE: Record<(typeof TIME_KEYS)[number], string> = {
  pendingSince: 'hold the pending secret back from promotion, and refuse every rotation, until then',
  replicatedAt: 'hold the pending secret back from promotion, and refuse every rotation, until then',
  promotedAt: 'keep the previous secret accepted until then',
};

/**
 * Parses and validates a stored document. `where` names the version in error messages (e.g. "AWSCURRENT version
 * 1a2b..."), so an operator knows which one to inspect.
 */
export function parseTurnSecretDocument(
  secretString: string | undefined,
  where: string,
  clock: DocumentClock,
): TurnSecretState {
  if (secretString === undefined) throw new SecretRotationError(`${where} has no SecretString`);
  let json: unknown;
  try {
    json = JSON.parse(secretString);
  } catch {
    // The parser's own message quotes the input, which holds secrets: never pass it on.
    throw new SecretRotationError(`${where} is not JSON; expected {"current": "<secret>", ...}`);
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new SecretRotationError(`${where} is not a JSON object`);
  }
  const record = json as Record<string, unknown>;
  const unknown = Object.keys(record).filter((key) => !(KEY_ORDER as readonly string[]).includes(key));
  if (unknown.length > 0) {
    // Key names are chosen by whoever wrote the document, so only their count is reported.
    throw new SecretRotationError(
      `${where} has ${unknown.length} unknown key(s); only ${KEY_ORDER.join(', ')} are allowed (a hand edit?)`,
    );
  }
  for (const key of SECRET_KEYS) {
    const value = record[key];
    if (value === undefined) continue;
    if (typeof value !== 'string' || !RELAY_SECRET_PATTERN.test(value)) {
      throw new SecretRotationError(`${where}: ${key} must be at least 32 letters and digits (what relays accept)`);
    }
  }
  if (record.current === undefined) throw new SecretRotationError(`${where} has no current secret`);
  for (const key of TIME_KEYS) {
    const value = record[key];
    if (value !== undefined && !(typeof value === 'number' && Number.isSafeInteger(value) && value >= 0)) {
      throw new SecretRotationError(`${where}: ${key} must be a whole number of unix seconds`);
    }
    if (typeof value === 'number' && value > clock.nowSeconds + clock.clockSkewSeconds) {
      // Only the distance is reported: an ISO date of an absurd value would not even format.
      throw new SecretRotationError(
        `${where}: ${key} is ${value - clock.nowSeconds} s in the future, beyond the ${clock.clockSkewSeconds} s ` +
          `clock skew allowed; it would ${FUTURE_CONSEQUENCE[key]}. The machine never writes that (a hand edit or a ` +
          `wrong clock): put a corrected document as the new AWSCURRENT version, with the same secrets and ${key} ` +
          'set to the current time',
      );
    }
  }
  const state = record as unknown as TurnSecretState;
  try {
    validateState(state);
  } catch (error) {
    throw new SecretRotationError(`${where}: ${(error as Error).message}`);
  }
  return state;
}

/** The canonical SecretString for a state; validates first, so the machine can never write what it would refuse. */
export function serializeTurnSecretDocument(state: TurnSecretState, clock: DocumentClock): string {
  const text = JSON.stringify(
    Object.fromEntries(KEY_ORDER.filter((key) => state[key] !== undefined).map((key) => [key, state[key]])),
  );
  parseTurnSecretDocument(text, 'the document about to be written', clock);
  return text;
}

/** True when the document carries no rotation in progress: one secret, nothing pending, no previous. */
export function isIdle(state: TurnSecretState): boolean {
  return state.pending === undefined && state.previous === undefined;
}

/** True when `candidate` is what staging `base` produces: same current, plus a pending secret; `base` idle. */
export function isStagingOf(candidate: TurnSecretState, base: TurnSecretState): boolean {
  return (
    isIdle(base) &&
    candidate.current === base.current &&
    candidate.pending !== undefined &&
    candidate.previous === undefined
  );
}

/**
 * True when the secret `candidate` staged is already in use in `base` (promoted to current, kept as previous, or
 * identical pending): the rotation that wrote `candidate` has been finished, and possibly advanced further.
 */
export function isAlreadyLiveIn(candidate: TurnSecretState, base: TurnSecretState): boolean {
  return (
    candidate.pending !== undefined &&
    [base.current, base.previous, base.pending].some((secret) => secret === candidate.pending)
  );
}
