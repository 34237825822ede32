import type { RotationRequest } from '../../lib/relay/rotation-event';
import {
  advanceToken,
  planRotation,
  restampToken,
  RotationRefusedError,
  versionsToRead,
  type PlanContext,
  type SecretSnapshot,
} from '../../lib/relay/rotation-plan';
import { SecretRotationError, type RotationPolicy, type TurnSecretState } from '../../lib/relay/secret-rotation';

const ARN = 'arn:aws:secretsmanager:us-east-1:111111111111:secret:turn-AbCdEf';
const POLICY: RotationPolicy = { maxCredentialTtlSeconds: 3600, clockSkewSeconds: 300, relayPickupSeconds: 1800 };
const A = 'A'.repeat(40);
const B = 'B'.repeat(48);
const C = 'C'.repeat(48);
const NEW = 'N'.repeat(48);
const T0 = 1_800_000_000;
const CUR = 'current-version-0000000000000000000';
const TOK = 'rotation-token-00000000000000000000';
const OLD = 'older-version-000000000000000000000';

const IDLE: TurnSecretState = { current: A };
const STAGED: TurnSecretState = { current: A, pending: B, pendingSince: T0 };
/** pendingSince + relayPickupSeconds + the 30 s stamp slack (PENDING_STAMP_SLACK_SECONDS). */
const PROMOTE_AT = T0 + 1800 + 30;
const PROMOTED: TurnSecretState = { current: B, previous: A, promotedAt: T0 + 1800 };
/** A moment after PROMOTED was written (documents from the future are refused). */
const AFTER_PROMOTION = T0 + 1900;

const doc = (state: TurnSecretState | string) => (typeof state === 'string' ? state : JSON.stringify(state));

/** A snapshot from [versionId, stages, document?] rows. */
function snapshot(...rows: [string, string[], (TurnSecretState | string)?][]): SecretSnapshot {
  return {
    stagesByVersion: Object.fromEntries(rows.filter(([, stages]) => stages.length > 0).map(([id, s]) => [id, s])),
    values: Object.fromEntries(
      rows.filter((row) => row[2] !== undefined).map(([id, , value]) => [id, doc(value as TurnSecretState)]),
    ),
  };
}

function context(nowSeconds = T0, newSecret = () => NEW): PlanContext {
  return { policy: POLICY, nowSeconds, newSecret };
}
const step = (name: 'createSecret' | 'setSecret' | 'testSecret' | 'finishSecret', token = TOK): RotationRequest => ({
  kind: 'rotation-step',
  step: name,
  secretId: ARN,
  token,
});
const ADVANCE: RotationRequest = { kind: 'advance', secretId: ARN };

/** Runs a plan expected to throw and returns the error. */
function refusal(request: RotationRequest, snap: SecretSnapshot, ctx = context()): Error {
  try {
    planRotation(request, snap, ctx);
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected the plan to throw');
}
const noSecretIn = (message: string) => expect(message).not.toMatch(/AAAA|BBBB|CCCC|NNNN/);

describe('createSecret', () => {
  test('stages a new secret as AWSPENDING with the token when AWSCURRENT is idle', () => {
    const plan = planRotation(
      step('createSecret'),
      snapshot([CUR, ['AWSCURRENT'], IDLE], [TOK, ['AWSPENDING']]),
      context(),
    );
    expect(plan).toEqual({
      outcome: 'staged',
      writes: [
        {
          kind: 'put',
          token: TOK,
          secretString: JSON.stringify({ current: A, pending: NEW, pendingSince: T0 }),
          stage: 'AWSPENDING',
          tokenConflictMeansAdvanced: false,
        },
      ],
    });
  });

  test('a retry after the value was stored does nothing and draws no new secret', () => {
    const newSecret = jest.fn(() => NEW);
    const snap = snapshot([CUR, ['AWSCURRENT'], IDLE], [TOK, ['AWSPENDING'], STAGED]);
    expect(planRotation(step('createSecret'), snap, context(T0, newSecret))).toEqual({
      outcome: 'already-staged',
      writes: [],
    });
    expect(newSecret).not.toHaveBeenCalled();
  });

  test('a token that is already AWSCURRENT does nothing', () => {
    const snap = snapshot([TOK, ['AWSCURRENT', 'AWSPENDING'], STAGED]);
    expect(planRotation(step('createSecret'), snap, context())).toEqual({ outcome: 'already-current', writes: [] });
  });

  test('refuses while a pending secret is being picked up, saying when it can rotate and how to clean up', () => {
    const error = refusal(
      step('createSecret'),
      snapshot([CUR, ['AWSCURRENT'], STAGED], [TOK, ['AWSPENDING']]),
      context(T0 + 60),
    );
    expect(error).toBeInstanceOf(RotationRefusedError);
    expect(error.message).toMatch(/refused: the last rotation is still in its overlap window/);
    expect(error.message).toContain(`staged at ${new Date(T0 * 1000).toISOString()}`);
    expect(error.message).toContain(`promoted at the earliest ${new Date(PROMOTE_AT * 1000).toISOString()}`);
    // Idle after pickup + stamp slack + TTL + skew, plus two advance periods of slack.
    expect(error.message).toContain(`by about ${new Date((PROMOTE_AT + 3600 + 300 + 600) * 1000).toISOString()}`);
    expect(error.message).toContain(`--remove-from-version-id ${TOK}`);
    expect(error.message).toContain(`--secret-id ${ARN}`);
    noSecretIn(error.message);
  });

  test('refuses while the previous secret is inside its window', () => {
    const error = refusal(
      step('createSecret'),
      snapshot([CUR, ['AWSCURRENT'], PROMOTED], [TOK, ['AWSPENDING']]),
      context(AFTER_PROMOTION),
    );
    expect(error).toBeInstanceOf(RotationRefusedError);
    const dropAt = T0 + 1800 + 3600 + 300;
    expect(error.message).toContain(
      `the previous secret stays accepted until ${new Date(dropAt * 1000).toISOString()}`,
    );
    noSecretIn(error.message);
  });

  test.each<[string, SecretSnapshot, RegExp]>([
    ['no version for the token', snapshot([CUR, ['AWSCURRENT'], IDLE]), /version rotation-token.* does not exist/],
    [
      'a token that is not AWSPENDING',
      snapshot([CUR, ['AWSCURRENT'], IDLE], [TOK, ['AWSPREVIOUS'], STAGED]),
      /is not AWSPENDING \(it carries AWSPREVIOUS\)/,
    ],
    [
      'a malformed AWSCURRENT',
      snapshot([CUR, ['AWSCURRENT'], '{"current":"short"}'], [TOK, ['AWSPENDING']]),
      /AWSCURRENT version current-version.*current must be at least 32/,
    ],
    ['AWSCURRENT without a value', snapshot([CUR, ['AWSCURRENT']], [TOK, ['AWSPENDING']]), /has no SecretString/],
    ['no AWSCURRENT at all', snapshot([TOK, ['AWSPENDING']]), /no version carries AWSCURRENT/],
    [
      'a promotedAt far in the future (it would keep the previous secret for ever)',
      snapshot([CUR, ['AWSCURRENT'], { current: B, previous: A, promotedAt: 99_999_999_999 }], [TOK, ['AWSPENDING']]),
      /AWSCURRENT version current-version.*: promotedAt is \d+ s in the future, beyond the 300 s clock skew/,
    ],
    [
      'a pendingSince beyond the clock skew',
      snapshot([CUR, ['AWSCURRENT'], { current: A, pending: B, pendingSince: T0 + 301 }], [TOK, ['AWSPENDING']]),
      /pendingSince is 301 s in the future/,
    ],
  ])('fails closed on %s', (_name, snap, message) => {
    const error = refusal(step('createSecret'), snap);
    expect(error).toBeInstanceOf(SecretRotationError);
    expect(error).not.toBeInstanceOf(RotationRefusedError);
    expect(error.message).toMatch(message);
  });
});

describe('setSecret', () => {
  test('has nothing to push: relays and signaling pull', () => {
    const plan = planRotation(
      step('setSecret'),
      snapshot([CUR, ['AWSCURRENT'], IDLE], [TOK, ['AWSPENDING'], STAGED]),
      context(),
    );
    expect(plan).toMatchObject({ outcome: 'nothing-to-push', writes: [], note: expect.stringMatching(/pull/) });
  });

  test('fails when createSecret has not stored the value', () => {
    expect(refusal(step('setSecret'), snapshot([CUR, ['AWSCURRENT'], IDLE], [TOK, ['AWSPENDING']])).message).toMatch(
      /has no value: createSecret has not stored it/,
    );
  });
});

describe('testSecret', () => {
  test('passes when the AWSPENDING document is exactly the staging of AWSCURRENT', () => {
    const plan = planRotation(
      step('testSecret'),
      snapshot([CUR, ['AWSCURRENT'], IDLE], [TOK, ['AWSPENDING'], STAGED]),
      context(),
    );
    expect(plan).toEqual({ outcome: 'tested', writes: [] });
  });

  test.each<[string, SecretSnapshot, RegExp]>([
    [
      'no pending secret',
      snapshot([CUR, ['AWSCURRENT'], IDLE], [TOK, ['AWSPENDING'], { current: C }]),
      /carries no pending secret/,
    ],
    [
      'AWSCURRENT changed since staging',
      snapshot([CUR, ['AWSCURRENT'], { current: C }], [TOK, ['AWSPENDING'], STAGED]),
      /is not the staging of AWSCURRENT version current-version.*finishing would overwrite/,
    ],
    [
      'a malformed AWSPENDING',
      snapshot([CUR, ['AWSCURRENT'], IDLE], [TOK, ['AWSPENDING'], 'not json']),
      /AWSPENDING version rotation-token.* is not JSON/,
    ],
    [
      'a staged document whose AWSPENDING label is gone (an abandoned rotation)',
      snapshot([CUR, ['AWSCURRENT'], IDLE], [TOK, [], STAGED]),
      /version rotation-token.* does not exist or has no staging label/,
    ],
    [
      'a staged document from the future',
      snapshot([CUR, ['AWSCURRENT'], IDLE], [TOK, ['AWSPENDING'], { ...STAGED, pendingSince: T0 + 3600 }]),
      /pendingSince is 3600 s in the future/,
    ],
  ])('fails on %s', (_name, snap, message) => {
    expect(refusal(step('testSecret'), snap).message).toMatch(message);
  });

  describe("Secrets Manager's configuration test (RotateSecret with RotateImmediately=false, on every deploy)", () => {
    // The test "creates an AWSPENDING version of the secret and then removes it"; what that version holds is not
    // documented, so every shape with nothing staged in it passes, whatever state the document is in.
    const states: [string, TurnSecretState, number][] = [
      ['idle', IDLE, T0],
      ['staged', STAGED, T0 + 60],
      ['promoted', PROMOTED, AFTER_PROMOTION],
    ];
    test.each(states)(
      'AWSCURRENT %s: an empty, an unlabelled, or a copied version passes, writing nothing',
      (_n, doc, now) => {
        const shapes: [string, SecretSnapshot, RegExp][] = [
          ['empty', snapshot([CUR, ['AWSCURRENT'], doc], [TOK, ['AWSPENDING']]), /has no value/],
          ['unlabelled', snapshot([CUR, ['AWSCURRENT'], doc]), /has no value/],
          ['copy', snapshot([CUR, ['AWSCURRENT'], doc], [TOK, ['AWSPENDING'], doc]), /copy of AWSCURRENT/],
        ];
        for (const [, snap, note] of shapes) {
          const plan = planRotation(step('testSecret'), snap, context(now));
          expect(plan).toEqual({ outcome: 'configuration-test', writes: [], note: expect.stringMatching(note) });
          expect(plan.note!.length).toBeLessThanOrEqual(128); // the log allow-list's cut for `note`
        }
      },
    );

    test('finishSecret never makes such a version current', () => {
      expect(
        refusal(step('finishSecret'), snapshot([CUR, ['AWSCURRENT'], IDLE], [TOK, ['AWSPENDING']])).message,
      ).toMatch(/version rotation-token.* has no SecretString/);
      expect(
        refusal(step('finishSecret'), snapshot([CUR, ['AWSCURRENT'], IDLE], [TOK, ['AWSPENDING'], IDLE])).message,
      ).toMatch(/refusing to finish/);
      // A copy of a document mid-rotation: its pending secret is already live, so only the label goes.
      expect(
        planRotation(
          step('finishSecret'),
          snapshot([CUR, ['AWSCURRENT'], STAGED], [TOK, ['AWSPENDING'], STAGED]),
          context(T0 + 60),
        ),
      ).toEqual({ outcome: 'already-finished', writes: [{ kind: 'remove-pending', fromVersionId: TOK }] });
    });
  });

  test('after a finish that re-stamped AWSCURRENT, a re-attempted testSecret has nothing left to test', () => {
    const restamped = { ...STAGED, pendingSince: T0 + 7200 };
    const snap = snapshot([restampToken(TOK), ['AWSCURRENT'], restamped], [TOK, ['AWSPENDING'], STAGED]);
    expect(planRotation(step('testSecret'), snap, context(T0 + 7260))).toEqual({
      outcome: 'already-finished',
      writes: [],
    });
  });
});

describe('finishSecret', () => {
  test('moves AWSCURRENT to the token (conditional on the version it leaves), then removes AWSPENDING', () => {
    const plan = planRotation(
      step('finishSecret'),
      snapshot([CUR, ['AWSCURRENT'], IDLE], [TOK, ['AWSPENDING'], STAGED]),
      context(),
    );
    expect(plan).toEqual({
      outcome: 'finished',
      writes: [
        { kind: 'move-current', toVersionId: TOK, fromVersionId: CUR },
        { kind: 'remove-pending', fromVersionId: TOK },
      ],
    });
  });

  test('a retry after the move only removes AWSPENDING', () => {
    const snap = snapshot([CUR, ['AWSPREVIOUS'], IDLE], [TOK, ['AWSCURRENT', 'AWSPENDING'], STAGED]);
    expect(planRotation(step('finishSecret'), snap, context())).toEqual({
      outcome: 'finished',
      writes: [{ kind: 'remove-pending', fromVersionId: TOK }],
    });
  });

  test('a retry after both writes does nothing', () => {
    const snap = snapshot([CUR, ['AWSPREVIOUS'], IDLE], [TOK, ['AWSCURRENT'], STAGED]);
    expect(planRotation(step('finishSecret'), snap, context())).toEqual({ outcome: 'already-finished', writes: [] });
  });

  test('a late retry after the schedule promoted never moves AWSCURRENT back', () => {
    const promotedId = advanceToken('promote', TOK);
    const withLabel = snapshot([TOK, ['AWSPREVIOUS', 'AWSPENDING'], STAGED], [promotedId, ['AWSCURRENT'], PROMOTED]);
    expect(planRotation(step('finishSecret'), withLabel, context(AFTER_PROMOTION))).toEqual({
      outcome: 'already-finished',
      writes: [{ kind: 'remove-pending', fromVersionId: TOK }],
    });
    const withoutLabel = snapshot([TOK, ['AWSPREVIOUS'], STAGED], [promotedId, ['AWSCURRENT'], PROMOTED]);
    expect(planRotation(step('finishSecret'), withoutLabel, context(AFTER_PROMOTION))).toEqual({
      outcome: 'already-finished',
      writes: [],
    });
  });

  describe('a late finish (Secrets Manager re-attempted the rotation after a failed step)', () => {
    const staged = () => snapshot([CUR, ['AWSCURRENT'], IDLE], [TOK, ['AWSPENDING'], STAGED]);

    test('up to the 30 s stamp slack after staging, AWSCURRENT simply moves to the staged version', () => {
      expect(planRotation(step('finishSecret'), staged(), context(T0 + 30)).writes.map((w) => w.kind)).toEqual([
        'move-current',
        'remove-pending',
      ]);
    });

    test('later, the staged document is re-stamped with now and written as AWSCURRENT under a derived token', () => {
      const now = T0 + 2 * 3600;
      expect(planRotation(step('finishSecret'), staged(), context(now))).toEqual({
        outcome: 'finished-restamped',
        writes: [
          {
            kind: 'put',
            token: restampToken(TOK),
            secretString: JSON.stringify({ current: A, pending: B, pendingSince: now }),
            stage: 'AWSCURRENT',
            tokenConflictMeansAdvanced: true,
          },
          { kind: 'remove-pending', fromVersionId: TOK },
        ],
        note: 'staged 7200 s before finishSecret: pendingSince re-stamped to now',
      });
      // So the schedule promotes relayPickupSeconds (+ slack) after relays could first see the pending secret.
      const restamped = snapshot([restampToken(TOK), ['AWSCURRENT'], { ...STAGED, pendingSince: now }]);
      expect(planRotation(ADVANCE, restamped, context(now + 1829))).toMatchObject({ outcome: 'waiting' });
      expect(planRotation(ADVANCE, restamped, context(now + 1830))).toMatchObject({ outcome: 'promote' });
    });

    test('a retry after the re-stamped write removes the label or does nothing; it never writes again', () => {
      const restamped = { ...STAGED, pendingSince: T0 + 7200 };
      const withLabel = snapshot([restampToken(TOK), ['AWSCURRENT'], restamped], [TOK, ['AWSPENDING'], STAGED]);
      expect(planRotation(step('finishSecret'), withLabel, context(T0 + 7300))).toEqual({
        outcome: 'already-finished',
        writes: [{ kind: 'remove-pending', fromVersionId: TOK }],
      });
      const withoutLabel = snapshot(
        [restampToken(TOK), ['AWSCURRENT'], restamped],
        [CUR, ['AWSPREVIOUS'], IDLE],
        [TOK, [], STAGED], // unlabelled now, still readable by its version ID
      );
      expect(planRotation(step('finishSecret'), withoutLabel, context(T0 + 7300))).toEqual({
        outcome: 'already-finished',
        writes: [],
      });
    });

    test('the re-stamp token is deterministic per rotation and a valid version ID', () => {
      expect(restampToken(TOK)).toBe(restampToken(TOK));
      expect(restampToken(TOK)).not.toBe(restampToken(OLD));
      expect(restampToken(TOK)).toMatch(/^restamp-[0-9a-f]{40}$/);
    });
  });

  test('refuses to overwrite an AWSCURRENT that changed after staging, with the command to abandon', () => {
    const error = refusal(
      step('finishSecret'),
      snapshot([CUR, ['AWSCURRENT'], { current: C }], [TOK, ['AWSPENDING'], STAGED]),
    );
    expect(error.message).toMatch(/refusing to finish: AWSCURRENT version current-version.* changed/);
    expect(error.message).toContain(`--version-stage AWSPENDING --remove-from-version-id ${TOK}`);
    noSecretIn(error.message);
  });
});

describe('advance', () => {
  const at = (state: TurnSecretState, now: number, ...extra: [string, string[], (TurnSecretState | string)?][]) =>
    planRotation(ADVANCE, snapshot([CUR, ['AWSCURRENT'], state], ...extra), context(now));

  test('idle: nothing to do', () => {
    expect(at(IDLE, T0)).toEqual({ outcome: 'idle', writes: [], note: 'no rotation requested' });
  });

  test('staged, before the relays picked it up: waits until pendingSince + relayPickupSeconds + stamp slack', () => {
    expect(at(STAGED, PROMOTE_AT - 1)).toMatchObject({ outcome: 'waiting', writes: [], untilSeconds: PROMOTE_AT });
  });

  test('staged, once relays had time: promotes as a new AWSCURRENT version with a derived token', () => {
    expect(at(STAGED, PROMOTE_AT)).toEqual({
      outcome: 'promote',
      writes: [
        {
          kind: 'put',
          token: advanceToken('promote', CUR),
          secretString: JSON.stringify({ current: B, previous: A, promotedAt: PROMOTE_AT }),
          stage: 'AWSCURRENT',
          tokenConflictMeansAdvanced: true,
        },
      ],
    });
  });

  test('promoted: waits until promotedAt + TTL + skew, then drops the previous secret', () => {
    const dropAt = T0 + 1800 + 3600 + 300;
    expect(at(PROMOTED, dropAt - 1)).toMatchObject({ outcome: 'waiting', untilSeconds: dropAt });
    expect(at(PROMOTED, dropAt)).toEqual({
      outcome: 'drop-previous',
      writes: [
        {
          kind: 'put',
          token: advanceToken('drop-previous', CUR),
          secretString: JSON.stringify({ current: B }),
          stage: 'AWSCURRENT',
          tokenConflictMeansAdvanced: true,
        },
      ],
    });
  });

  test('two invocations at the same second plan the same write (so the second is an idempotent no-op)', () => {
    expect(at(STAGED, T0 + 2000)).toEqual(at(STAGED, T0 + 2000));
    expect(at(STAGED, T0 + 2000).writes[0]).not.toEqual(at(STAGED, T0 + 2001).writes[0]);
    // Different content, same token: the later one gets ResourceExistsException, which means "advanced elsewhere".
    expect((at(STAGED, T0 + 2001).writes[0] as { token: string }).token).toBe(advanceToken('promote', CUR));
  });

  test('skips while a native rotation is between createSecret and finishSecret', () => {
    expect(at(IDLE, T0, [TOK, ['AWSPENDING'], STAGED])).toMatchObject({ outcome: 'rotation-in-progress', writes: [] });
  });

  test('ignores an empty AWSPENDING version (a refused rotation): the overlap goes on', () => {
    expect(at(STAGED, PROMOTE_AT, [TOK, ['AWSPENDING']])).toMatchObject({ outcome: 'promote' });
    expect(at(PROMOTED, T0 + 5700, [TOK, ['AWSPENDING']])).toMatchObject({ outcome: 'drop-previous' });
  });

  test("leaves the configuration test's copy of AWSCURRENT alone (Secrets Manager removes it itself)", () => {
    expect(at(IDLE, T0, [TOK, ['AWSPENDING'], IDLE])).toEqual({
      outcome: 'idle',
      writes: [],
      note: expect.any(String),
    });
    expect(at(STAGED, T0 + 60, [TOK, ['AWSPENDING'], STAGED])).toMatchObject({ outcome: 'waiting', writes: [] });
    expect(at(STAGED, PROMOTE_AT, [TOK, ['AWSPENDING'], STAGED]).writes.map((w) => w.kind)).toEqual(['put']);
  });

  test('removes the label left on the rotation version after a re-stamped finish', () => {
    const restamped = snapshot(
      [restampToken(TOK), ['AWSCURRENT'], { ...STAGED, pendingSince: T0 + 7200 }],
      [TOK, ['AWSPENDING'], STAGED],
    );
    expect(planRotation(ADVANCE, restamped, context(T0 + 7300))).toMatchObject({
      outcome: 'waiting',
      writes: [{ kind: 'remove-pending', fromVersionId: TOK }],
    });
  });

  test('removes an AWSPENDING label whose secret is already live (a finish interrupted between its writes)', () => {
    const plan = at(PROMOTED, T0 + 1900, [OLD, ['AWSPREVIOUS', 'AWSPENDING'], STAGED]);
    expect(plan).toMatchObject({ outcome: 'waiting', writes: [{ kind: 'remove-pending', fromVersionId: OLD }] });
    const dropping = at(PROMOTED, T0 + 5700, [OLD, ['AWSPREVIOUS', 'AWSPENDING'], STAGED]);
    expect(dropping.writes.map((w) => w.kind)).toEqual(['remove-pending', 'put']);
  });

  test('fails closed on an AWSPENDING version staged from another AWSCURRENT, naming how to remove it', () => {
    const error = refusal(ADVANCE, snapshot([CUR, ['AWSCURRENT'], { current: C }], [TOK, ['AWSPENDING'], STAGED]));
    expect(error.message).toMatch(/staged from a different AWSCURRENT and can never finish/);
    expect(error.message).toContain(`--remove-from-version-id ${TOK}`);
    noSecretIn(error.message);
  });

  test.each<[string, string]>([
    ['not JSON', '{'],
    [
      'pending and previous at once',
      JSON.stringify({ current: A, pending: B, pendingSince: T0, previous: C, promotedAt: T0 }),
    ],
    ['an unknown key', JSON.stringify({ current: A, note: 'x' })],
  ])('fails closed on a malformed AWSCURRENT: %s', (_name, value) => {
    expect(() => planRotation(ADVANCE, snapshot([CUR, ['AWSCURRENT'], value]), context())).toThrow(SecretRotationError);
  });

  test('the advance tokens are deterministic, distinct per step and source, and valid version IDs', () => {
    const tokens = [advanceToken('promote', CUR), advanceToken('drop-previous', CUR), advanceToken('promote', TOK)];
    expect(new Set(tokens).size).toBe(3);
    expect(advanceToken('promote', CUR)).toBe(tokens[0]);
    for (const token of tokens) expect(token).toMatch(/^(promote|drop-previous)-[0-9a-f]{40}$/);
    for (const token of tokens) expect(token.length).toBeGreaterThanOrEqual(32);
    for (const token of tokens) expect(token.length).toBeLessThanOrEqual(64);
  });
});

describe('versionsToRead', () => {
  test('advance reads AWSCURRENT and a separate AWSPENDING', () => {
    const stages = { [CUR]: ['AWSCURRENT'], [TOK]: ['AWSPENDING'], [OLD]: ['AWSPREVIOUS'] };
    expect(versionsToRead(ADVANCE, stages)).toEqual([CUR, TOK]);
  });

  test('a step also reads its token, once', () => {
    expect(versionsToRead(step('finishSecret', OLD), { [CUR]: ['AWSCURRENT'], [OLD]: ['AWSPREVIOUS'] })).toEqual([
      CUR,
      OLD,
    ]);
    expect(versionsToRead(step('finishSecret'), { [TOK]: ['AWSCURRENT', 'AWSPENDING'] })).toEqual([TOK]);
  });
});
