import { mintTurnCredential, turnPassword, TurnCredentialError } from '../../lib/signaling/turn-credentials';

const SECRET = 'correct-horse-battery-staple-0123456789';
const NOW_MS = 1_800_000_000_000; // 2027-01-15T08:00:00Z

describe('turnPassword', () => {
  test('is base64(HMAC-SHA1) — RFC 2202 test case 2', () => {
    // RFC 2202: HMAC-SHA1("Jefe", "what do ya want for nothing?") = effcdf6ae5eb2fa2d27416d5f184df9c259a7c79
    const expected = Buffer.from('effcdf6ae5eb2fa2d27416d5f184df9c259a7c79', 'hex').toString('base64');
    expect(turnPassword('Jefe', 'what do ya want for nothing?')).toBe(expected);
  });
});

describe('mintTurnCredential', () => {
  const base = { secret: SECRET, opaqueId: 'c0ffee-peer_01', ttlSeconds: 600, maxTtlSeconds: 3600, nowMs: NOW_MS };

  test('username is "<expiry>:<id>" and the password is the HMAC of exactly that username', () => {
    const credential = mintTurnCredential(base);
    expect(credential.username).toBe('1800000600:c0ffee-peer_01');
    expect(credential.expiresAt).toBe(1_800_000_600);
    expect(credential.ttlSeconds).toBe(600);
    expect(credential.credential).toBe(turnPassword(SECRET, '1800000600:c0ffee-peer_01'));
    expect(credential.credential).not.toBe(turnPassword(`${SECRET}x`, '1800000600:c0ffee-peer_01'));
  });

  test('the server-side cap wins over a longer requested lifetime', () => {
    const credential = mintTurnCredential({ ...base, ttlSeconds: 86_400 });
    expect(credential.ttlSeconds).toBe(3600);
    expect(credential.expiresAt).toBe(1_800_003_600);
  });

  test('a shorter requested lifetime is honoured', () => {
    expect(mintTurnCredential({ ...base, ttlSeconds: 120 }).ttlSeconds).toBe(120);
  });

  test.each([
    ['short secret', { secret: 'too-short' }, /shorter than 32/],
    ['e-mail as id', { opaqueId: 'jane.doe@example.com' }, /opaque/],
    ['colon in id', { opaqueId: 'abc:defghij' }, /opaque/],
    ['zero ttl', { ttlSeconds: 0 }, /positive/],
    ['NaN ttl', { ttlSeconds: Number.NaN }, /positive/],
    ['tiny cap', { maxTtlSeconds: 10 }, /at least 60/],
  ])('refuses %s', (_name, override, message) => {
    expect(() => mintTurnCredential({ ...base, ...override })).toThrow(TurnCredentialError);
    expect(() => mintTurnCredential({ ...base, ...override })).toThrow(message);
  });
});
