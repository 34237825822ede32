/**
 * New TURN shared secrets: letters and digits only (what relays accept, see rotation-document.ts), from the
 * operating system's CSPRNG. 48 characters of a 62-letter alphabet carry about 285 bits.
 */
import { randomBytes } from 'node:crypto';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
/** Bytes at or above this are discarded: 248 = 4 * 62, so `byte % 62` stays uniform (no modulo bias). */
const UNBIASED_LIMIT = 256 - (256 % ALPHABET.length);

export const NEW_SECRET_LENGTH = 48;

export function generateTurnSecret(
  length: number = NEW_SECRET_LENGTH,
  random: (size: number) => Uint8Array = randomBytes,
): string {
  if (!Number.isInteger(length) || length < 32) throw new RangeError('a TURN secret needs at least 32 characters');
  let secret = '';
  while (secret.length < length) {
    for (const byte of random(length)) {
      if (byte < UNBIASED_LIMIT && secret.length < length) secret += ALPHABET[byte % ALPHABET.length];
    }
  }
  return secret;
}
