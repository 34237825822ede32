import { generateTurnSecret, NEW_SECRET_LENGTH } from '../../lib/relay/rotation-new-secret';

test('48 letters and digits by default, what relays accept', () => {
  const secret = generateTurnSecret();
  expect(NEW_SECRET_LENGTH).toBe(48);
  expect(secret).toMatch(/^[A-Za-z0-9]{48}$/);
});

test('every call gives a different secret', () => {
  const secrets = new Set(Array.from({ length: 1000 }, () => generateTurnSecret()));
  expect(secrets.size).toBe(1000);
});

test('bytes that would bias the alphabet are discarded, not folded', () => {
  // 248..255 would map to the first 8 letters a second time; with only such bytes on offer, nothing is taken.
  let calls = 0;
  const random = (size: number) => {
    calls += 1;
    return calls === 1 ? new Uint8Array(size).fill(250) : new Uint8Array(size).fill(0);
  };
  expect(generateTurnSecret(32, random)).toBe('A'.repeat(32));
  expect(calls).toBe(2);
});

test('maps bytes across the whole alphabet', () => {
  const bytes = Uint8Array.from({ length: 62 }, (_, i) => i);
  expect(generateTurnSecret(62, () => bytes)).toBe('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789');
});

test('roughly uniform over 62 characters', () => {
  const counts = new Map<string, number>();
  const text = Array.from({ length: 400 }, () => generateTurnSecret()).join('');
  for (const ch of text) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  expect(counts.size).toBe(62);
  const expected = text.length / 62; // about 310
  for (const count of counts.values()) expect(Math.abs(count - expected)).toBeLessThan(expected * 0.35);
});

test('refuses lengths relays would refuse', () => {
  expect(() => generateTurnSecret(31)).toThrow(/at least 32/);
});
