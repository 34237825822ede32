import {
  minimumRotationIntervalSeconds,
  nextRotationStep,
  PENDING_STAMP_SLACK_SECONDS,
  pendingPromoteAt,
  previousDropAt,
  relayAcceptedSecrets,
  SecretRotationError,
  validateState,
  type RotationPolicy,
  type TurnSecretState,
} from '../../lib/relay/secret-rotation';
import { parseTurnSecret } from '../../lib/signaling/turn-secret';

const POLICY: RotationPolicy = { maxCredentialTtlSeconds: 3600, clockSkewSeconds: 60, relayPickupSeconds: 600 };
const A = 'secret-A-0123456789abcdef0123456789abcdef';
const B = 'secret-B-0123456789abcdef0123456789abcdef';
const T0 = 1_800_000_000;

/** Runs the machine from {current: A} to the end of one rotation, one call per simulated minute. */
function simulate(): { at: number; state: TurnSecretState; action: string }[] {
  let state: TurnSecretState = { current: A };
  const trace = [];
  for (let now = T0; now < T0 + 3 * 3600; now += 60) {
    const step = nextRotationStep(state, POLICY, now, { rotate: now === T0, newSecret: B });
    if (step.action !== 'wait') {
      state = step.next;
      trace.push({ at: now, state, action: step.action });
    }
  }
  return trace;
}

describe('one full rotation', () => {
  const trace = simulate();

  test('goes stage -> promote -> drop-previous, each at the earliest safe moment (one call a minute)', () => {
    // Promotion is due at pickup + the 30 s stamp slack (630 s), so the first call after it is at 660 s.
    expect(PENDING_STAMP_SLACK_SECONDS).toBe(30);
    expect(trace.map((t) => [t.action, t.at - T0])).toEqual([
      ['stage', 0],
      ['promote', 660],
      ['drop-previous', 660 + 3600 + 60],
    ]);
    expect(trace[2].state).toEqual({ current: B });
  });

  test('signaling never signs with a secret relays do not accept', () => {
    let state: TurnSecretState = { current: A };
    for (let now = T0; now < T0 + 3 * 3600; now += 60) {
      const step = nextRotationStep(state, POLICY, now, { rotate: now === T0, newSecret: B });
      if (step.action !== 'wait') state = step.next;
      // What signaling reads is `current`; every relay that reloaded within the pickup time accepts it.
      expect(relayAcceptedSecrets(state, POLICY, now)).toContain(state.current);
    }
  });

  test('a credential signed with A just before promotion stays acceptable for its whole TTL', () => {
    const promoted = trace[1];
    const signedAt = promoted.at - 1;
    for (let now = promoted.at; now < signedAt + POLICY.maxCredentialTtlSeconds; now += 30) {
      expect(relayAcceptedSecrets(promoted.state, POLICY, now)).toContain(A);
    }
  });

  test('relays stop accepting the previous secret on their own after its window, even if the drop is late', () => {
    const promoted = trace[1].state;
    const dropAt = previousDropAt(promoted.promotedAt as number, POLICY);
    expect(relayAcceptedSecrets(promoted, POLICY, dropAt - 1)).toEqual([B, A]);
    expect(relayAcceptedSecrets(promoted, POLICY, dropAt)).toEqual([B]);
  });

  test('relays accept the pending secret before anyone signs with it', () => {
    expect(relayAcceptedSecrets(trace[0].state, POLICY, T0 + 1)).toEqual([A, B]);
  });

  test('every document the machine writes is one signaling can read, with `current` being what it signs with', () => {
    for (const { state } of trace) expect(parseTurnSecret(JSON.stringify(state)).current).toBe(state.current);
  });
});

describe('refusals', () => {
  test('no new rotation while a previous secret is inside its window', () => {
    const state: TurnSecretState = { current: B, previous: A, promotedAt: T0 };
    expect(nextRotationStep(state, POLICY, T0 + 60, { rotate: true, newSecret: A.replace('A', 'C') })).toMatchObject({
      action: 'wait',
      reason: 'previous still inside its TTL',
    });
  });

  test('no step without a rotation request', () => {
    expect(nextRotationStep({ current: A }, POLICY, T0, { rotate: false })).toMatchObject({ action: 'wait' });
  });

  test.each<[string, TurnSecretState, RegExp]>([
    ['a short secret', { current: 'short' }, />= 32/],
    ['a reused secret', { current: A, previous: A, promotedAt: T0 }, /must differ/],
    [
      'pending and previous together',
      { current: A, previous: B, promotedAt: T0, pending: `${B}x`, pendingSince: T0 },
      /overlap window/,
    ],
    ['pending without a time', { current: A, pending: B }, /pendingSince/],
    ['previous without a time', { current: A, previous: B }, /promotedAt/],
  ])('rejects %s', (_name, state, message) => {
    expect(() => validateState(state)).toThrow(SecretRotationError);
    expect(() => validateState(state)).toThrow(message);
  });

  test('a reused new secret is refused at staging', () => {
    expect(() => nextRotationStep({ current: A }, POLICY, T0, { rotate: true, newSecret: A })).toThrow(/must differ/);
  });

  test('a bad policy is rejected', () => {
    expect(() => minimumRotationIntervalSeconds({ ...POLICY, maxCredentialTtlSeconds: 0 })).toThrow(/positive/);
    expect(() => minimumRotationIntervalSeconds({ ...POLICY, clockSkewSeconds: -1 })).toThrow(/clockSkewSeconds/);
  });

  test('the minimum rotation interval covers pickup, the stamp slack, TTL and skew', () => {
    expect(minimumRotationIntervalSeconds(POLICY)).toBe(600 + 30 + 3600 + 60);
  });

  test('a pending secret is promoted no earlier than relayPickupSeconds after its stamp, plus the stamp slack', () => {
    expect(pendingPromoteAt(T0, POLICY)).toBe(T0 + 630);
    const staged: TurnSecretState = { current: A, pending: B, pendingSince: T0 };
    expect(nextRotationStep(staged, POLICY, T0 + 629, { rotate: false })).toMatchObject({
      action: 'wait',
      untilSeconds: T0 + 630,
    });
    expect(nextRotationStep(staged, POLICY, T0 + 630, { rotate: false })).toMatchObject({ action: 'promote' });
  });

  test('with replicas, also no earlier than relayPickupSeconds after replicatedAt (no slack: it is observed)', () => {
    const replicatedAt = T0 + 1000;
    expect(pendingPromoteAt(T0, POLICY, replicatedAt)).toBe(T0 + 1600);
    // A stamp inside the slack does not shorten the wait below pendingSince's.
    expect(pendingPromoteAt(T0, POLICY, T0 + 10)).toBe(T0 + 630);
    const replicated: TurnSecretState = { current: A, pending: B, pendingSince: T0, replicatedAt };
    expect(nextRotationStep(replicated, POLICY, T0 + 1599, { rotate: false })).toMatchObject({
      action: 'wait',
      untilSeconds: T0 + 1600,
    });
    // Promotion drops the stamp along with pendingSince.
    expect(nextRotationStep(replicated, POLICY, T0 + 1600, { rotate: false })).toEqual({
      action: 'promote',
      next: { current: B, previous: A, promotedAt: T0 + 1600 },
    });
  });

  test('replicatedAt only with pending, and never before pendingSince', () => {
    expect(() => validateState({ current: A, replicatedAt: T0 })).toThrow(/replicatedAt without pending/);
    expect(() => validateState({ current: A, pending: B, pendingSince: T0, replicatedAt: T0 - 1 })).toThrow(
      /replicatedAt before pendingSince/,
    );
  });

  test('signaling reads a replicated document (its schema ignores the keys it does not use)', () => {
    const replicated = { current: A, pending: B, pendingSince: T0, replicatedAt: T0 + 60 };
    expect(parseTurnSecret(JSON.stringify(replicated))).toEqual({ current: A });
  });
});
