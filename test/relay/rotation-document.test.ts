import {
  isAlreadyLiveIn,
  isIdle,
  isStagingOf,
  parseTurnSecretDocument,
  serializeTurnSecretDocument,
} from '../../lib/relay/rotation-document';
import { SecretRotationError, type TurnSecretState } from '../../lib/relay/secret-rotation';

const A = 'A'.repeat(40);
const B = 'B'.repeat(48);
const C = 'C'.repeat(48);
const T = 1_800_000_000;
/** A reader at T + 600 allowing 300 s of clock skew. */
const CLOCK = { nowSeconds: T + 600, clockSkewSeconds: 300 };
const parse = (value: unknown) => parseTurnSecretDocument(JSON.stringify(value), 'AWSCURRENT version v1', CLOCK);

describe('parseTurnSecretDocument', () => {
  test.each<[string, TurnSecretState]>([
    ['idle', { current: A }],
    ['staged', { current: A, pending: B, pendingSince: T }],
    ['staged and replicated', { current: A, pending: B, pendingSince: T, replicatedAt: T + 60 }],
    ['promoted', { current: B, previous: A, promotedAt: T }],
  ])('accepts every state the machine writes: %s', (_name, state) => {
    expect(parse(state)).toEqual(state);
  });

  test.each<[string, string | undefined, RegExp]>([
    ['no value', undefined, /has no SecretString/],
    ['not JSON', '{"current": "SENTINEL', /is not JSON/],
    ['an array', '[]', /not a JSON object/],
    ['null', 'null', /not a JSON object/],
    ['no current', '{}', /has no current secret/],
    ['an unknown key', JSON.stringify({ current: A, SENTINELKEY: 1 }), /1 unknown key/],
    ['a short secret', JSON.stringify({ current: 'Abc123' }), /current must be at least 32 letters and digits/],
    ['punctuation', JSON.stringify({ current: `${A}-` }), /current must be at least 32 letters and digits/],
    ['a number', JSON.stringify({ current: 12345 }), /current must be/],
    [
      'a fractional time',
      JSON.stringify({ current: A, pending: B, pendingSince: 1.5 }),
      /pendingSince must be a whole/,
    ],
    ['a negative time', JSON.stringify({ current: A, previous: B, promotedAt: -1 }), /promotedAt must be a whole/],
    ['a time as text', JSON.stringify({ current: A, pending: B, pendingSince: '1' }), /pendingSince must be a whole/],
    ['pending without its time', JSON.stringify({ current: A, pending: B }), /pending and pendingSince/],
    [
      'pending and previous',
      JSON.stringify({ current: A, pending: B, pendingSince: T, previous: C, promotedAt: T }),
      /overlap window/,
    ],
    ['a reused secret', JSON.stringify({ current: A, previous: A, promotedAt: T }), /must differ/],
    ['replicatedAt without pending', JSON.stringify({ current: A, replicatedAt: T }), /replicatedAt without pending/],
    [
      'replicatedAt before pendingSince',
      JSON.stringify({ current: A, pending: B, pendingSince: T, replicatedAt: T - 1 }),
      /replicatedAt before pendingSince/,
    ],
    [
      'a fractional replicatedAt',
      JSON.stringify({ current: A, pending: B, pendingSince: T, replicatedAt: T + 0.5 }),
      /replicatedAt must be a whole/,
    ],
  ])('refuses %s, naming the version, without quoting the document', (_name, text, message) => {
    const attempt = () => parseTurnSecretDocument(text, 'AWSCURRENT version v1', CLOCK);
    expect(attempt).toThrow(SecretRotationError);
    expect(attempt).toThrow(message);
    expect(attempt).toThrow(/AWSCURRENT version v1/);
    try {
      attempt();
    } catch (error) {
      expect((error as Error).message).not.toMatch(/SENTINEL|AAAA|BBBB|CCCC|Abc123/);
    }
  });
});

describe('timestamps in the future (a hand edit or a wrong clock)', () => {
  test('up to now + clock skew is accepted (the writer may run a little ahead)', () => {
    const limit = CLOCK.nowSeconds + CLOCK.clockSkewSeconds;
    expect(parse({ current: A, pending: B, pendingSince: limit })).toMatchObject({ pendingSince: limit });
    expect(parse({ current: B, previous: A, promotedAt: limit })).toMatchObject({ promotedAt: limit });
  });

  test.each<[string, TurnSecretState, RegExp]>([
    [
      'pendingSince one second too late',
      { current: A, pending: B, pendingSince: T + 901 },
      /pendingSince is 301 s in the future, beyond the 300 s clock skew.*hold the pending secret back/,
    ],
    [
      'replicatedAt one second too late',
      { current: A, pending: B, pendingSince: T, replicatedAt: T + 901 },
      /replicatedAt is 301 s in the future.*hold the pending secret back/,
    ],
    [
      'promotedAt far in the future (it would keep previous accepted for ever)',
      { current: B, previous: A, promotedAt: 99_999_999_999 },
      /promotedAt is 98199999399 s in the future.*keep the previous secret accepted until then/,
    ],
  ])('refuses %s, saying how to fix it, without quoting a secret', (_name, state, message) => {
    const attempt = () => parse(state);
    expect(attempt).toThrow(SecretRotationError);
    expect(attempt).toThrow(message);
    expect(attempt).toThrow(/AWSCURRENT version v1: .*put a corrected document as the new AWSCURRENT version/);
    expect(() => attempt()).not.toThrow(/AAAA|BBBB/);
  });

  test('the writer refuses them too', () => {
    expect(() => serializeTurnSecretDocument({ current: B, previous: A, promotedAt: T + 901 }, CLOCK)).toThrow(
      /promotedAt is 301 s in the future/,
    );
  });
});

describe('serializeTurnSecretDocument', () => {
  test('is canonical: the same state in any key order gives the same string', () => {
    const a = serializeTurnSecretDocument({ pendingSince: T, pending: B, current: A }, CLOCK);
    const b = serializeTurnSecretDocument({ current: A, pending: B, pendingSince: T }, CLOCK);
    expect(a).toBe(b);
    expect(a).toBe(`{"current":"${A}","pending":"${B}","pendingSince":${T}}`);
    const replicated = { replicatedAt: T + 60, pendingSince: T, pending: B, current: A };
    expect(serializeTurnSecretDocument(replicated, CLOCK)).toBe(
      `{"current":"${A}","pending":"${B}","pendingSince":${T},"replicatedAt":${T + 60}}`,
    );
  });

  test('round-trips through the parser', () => {
    const state = { current: B, previous: A, promotedAt: T };
    expect(parse(JSON.parse(serializeTurnSecretDocument(state, CLOCK)))).toEqual(state);
  });

  test('refuses to write what it would refuse to read', () => {
    expect(() => serializeTurnSecretDocument({ current: 'short' }, CLOCK)).toThrow(/at least 32 letters and digits/);
    expect(() => serializeTurnSecretDocument({ current: A, pending: B }, CLOCK)).toThrow(/pendingSince/);
  });
});

describe('relations between documents', () => {
  const idle = { current: A };
  const staged = { current: A, pending: B, pendingSince: T };
  const promoted = { current: B, previous: A, promotedAt: T + 600 };

  test('isIdle', () => {
    expect([idle, staged, promoted].map(isIdle)).toEqual([true, false, false]);
  });

  test('isStagingOf: same current plus a pending secret, staged from an idle document', () => {
    expect(isStagingOf(staged, idle)).toBe(true);
    expect(isStagingOf(staged, { current: C })).toBe(false);
    expect(isStagingOf(staged, staged)).toBe(false);
    expect(isStagingOf(idle, idle)).toBe(false);
  });

  test('isAlreadyLiveIn: the staged secret is current, previous or the same pending', () => {
    expect(isAlreadyLiveIn(staged, promoted)).toBe(true);
    expect(isAlreadyLiveIn(staged, { current: B })).toBe(true);
    expect(isAlreadyLiveIn(staged, { current: B, pending: C, pendingSince: T })).toBe(true);
    expect(isAlreadyLiveIn(staged, idle)).toBe(false);
    expect(isAlreadyLiveIn(idle, promoted)).toBe(false);
  });
});
