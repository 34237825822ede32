/**
 * PHI-free identities. A token subject travels into the connection table, relay logs (as the TURN username) and
 * CloudWatch: it must be an opaque identifier (a UUID, or random base64url/hex), never an e-mail address, a phone
 * number or a person's name. This is a guard against misconfigured identity providers, not a classifier of
 * arbitrary strings: it accepts only shapes that random ids have, and explains what it refuses.
 */

export type SubjectCheck = { readonly ok: true } | { readonly ok: false; readonly reason: string };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Cognito-style "<region>:<uuid>" identity ids. */
const REGION_UUID = /^[a-z]{2}(-[a-z]+)+-\d:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const BASE64URL = /^[A-Za-z0-9_-]{16,128}$/;
const EMAIL_LIKE = /@|%40/;
/** Seven or more digits once separators are removed, with only phone-ish characters around them. */
const PHONE_LIKE = /^\+?[\d\s().-]{7,}$/;

export function checkSubject(subject: unknown): SubjectCheck {
  if (typeof subject !== 'string' || subject.length === 0) return { ok: false, reason: 'subject is missing' };
  if (EMAIL_LIKE.test(subject)) return { ok: false, reason: 'subject looks like an e-mail address' };
  if (PHONE_LIKE.test(subject) && subject.replace(/\D/g, '').length >= 7) {
    return { ok: false, reason: 'subject looks like a phone number' };
  }
  if (/\s/.test(subject)) return { ok: false, reason: 'subject contains whitespace (looks like a name)' };
  if (UUID.test(subject) || REGION_UUID.test(subject)) return { ok: true };
  if (!BASE64URL.test(subject)) {
    return { ok: false, reason: 'subject is not an opaque id (UUID, or 16-128 characters of base64url)' };
  }
  if (looksLikeWords(subject)) return { ok: false, reason: 'subject looks like a name or words, not a random id' };
  return { ok: true };
}

/**
 * Random base64url of 16+ characters almost always mixes character classes (a 16-character random string is
 * letters-only with probability (52/64)^16 ≈ 3.6%, and has a letter run of 12+ without any digit even less
 * often when mixed with case changes). Names and handles ("JaneDoe_Smith", "john-smith-1970") are letter runs
 * separated by punctuation, with few or no digits and word-like casing.
 */
function looksLikeWords(subject: string): boolean {
  const digits = subject.replace(/\D/g, '').length;
  const segments = subject.split(/[_-]/).filter((segment) => segment.length > 0);
  const wordSegments = segments.filter((segment) => /^[A-Za-z]{2,}$/.test(segment) && isWordCased(segment));
  // Separated words, e.g. "jane_doe", "Jane-Doe-1980": most characters sit in word-cased alphabetic segments.
  const wordChars = wordSegments.reduce((sum, segment) => sum + segment.length, 0);
  if (segments.length >= 2 && wordChars / subject.length >= 0.6) return true;
  // A single word-cased run such as "JaneDoe" or "johnsmith": no digits and at most two capitals in word positions.
  if (digits === 0 && /^[A-Za-z]+$/.test(subject) && splitCamel(subject).every(isWordCased)) return true;
  return false;
}

function isWordCased(segment: string): boolean {
  return /^[a-z]+$/.test(segment) || /^[A-Z][a-z]+$/.test(segment) || /^[A-Z]+$/.test(segment);
}

function splitCamel(segment: string): string[] {
  return segment.split(/(?=[A-Z][a-z])/).filter((part) => part.length > 0);
}
