import { buildIceServers, turnUrlsForHosts, validateTurnUrls } from '../../lib/signaling/ice-servers';
import { turnPseudonym } from '../../lib/signaling/turn-pseudonym';
import { turnPassword } from '../../lib/signaling/turn-credentials';

const SECRET = 'relay-shared-secret-0123456789-abcdef';
const KEY = 'pseudonym-key-0123456789-abcdefghijklmnop';
const PSEUDONYM_OF_BASE_SUB = 'zYBlEJvnQVEHflhurTwcLNnjZWx4mw4R';

describe('turnUrlsForHosts', () => {
  test('gives turn: over UDP and TCP and turns: over TLS for each relay', () => {
    expect(turnUrlsForHosts(['relay-1.example.org'])).toEqual([
      'turn:relay-1.example.org:3478?transport=udp',
      'turn:relay-1.example.org:3478?transport=tcp',
      'turns:relay-1.example.org:5349?transport=tcp',
    ]);
    expect(turnUrlsForHosts(['a.test', 'b.test'], { tls: 443 })).toHaveLength(6);
    expect(turnUrlsForHosts(['a.test'], { tls: 443 })[2]).toBe('turns:a.test:443?transport=tcp');
  });
});

describe('validateTurnUrls', () => {
  test('accepts turn:/turns: URLs and refuses anything else', () => {
    expect(validateTurnUrls(turnUrlsForHosts(['relay.test']))).toHaveLength(3);
    expect(() => validateTurnUrls([])).toThrow(/empty/);
    expect(() => validateTurnUrls(['stun:relay.test:3478'])).toThrow(/stun:relay/);
    expect(() => validateTurnUrls(['https://relay.test'])).toThrow();
  });
});

describe('buildIceServers', () => {
  const base = {
    secret: SECRET,
    pseudonymKey: KEY,
    sub: '0f8fad5b-d9cb-469f-a165-70867728950e',
    urls: turnUrlsForHosts(['relay.test']),
    maxTtlSeconds: 900,
    nowMs: 1_800_000_000_000,
  };

  test('known answer: username "<expiry>:<pseudonym>" and base64(HMAC-SHA1(secret, username))', () => {
    const result = buildIceServers(base);
    // HMAC-SHA256(KEY, "hipaa-rtc/turn-username/v1\0" + sub), base64url, first 32 characters (computed with openssl).
    const username = `1800000900:${PSEUDONYM_OF_BASE_SUB}`;
    expect(result.iceServers).toEqual([{ urls: base.urls, username, credential: turnPassword(SECRET, username) }]);
    expect(result).toMatchObject({ ttlSeconds: 900, expiresAt: 1_800_000_900 });
  });

  test('a client cannot ask for a credential that expires before ICE can finish', () => {
    expect(buildIceServers({ ...base, requestedTtlSeconds: 1 }).ttlSeconds).toBe(60);
  });

  test('over many random requests, 60 <= expiry - now <= cap', () => {
    for (let i = 0; i < 2000; i++) {
      const requested = Math.floor(Math.random() * 10 ** (1 + (i % 9))) + 1;
      const { expiresAt } = buildIceServers({ ...base, requestedTtlSeconds: requested });
      const lifetime = expiresAt - base.nowMs / 1000;
      expect(lifetime).toBeGreaterThanOrEqual(60);
      expect(lifetime).toBeLessThanOrEqual(base.maxTtlSeconds);
    }
  });
});

describe('turnPseudonym (the id in every TURN username)', () => {
  /** Subjects that pass the opaque-id check and carry a name, a date of birth, a phone number or an SSN (issue 15). */
  const PHI_SHAPED = [
    'jane-doe-19800101',
    'JohnSmith19800101',
    '15551234567abcde',
    'tel_15551234567x',
    'SSN-123-45-6789x',
  ];

  test('is stable per subject and key, differs between subjects and between keys, and fits the opaque-id rule', () => {
    const a = turnPseudonym(KEY, 'subject-a-0000000000');
    expect(turnPseudonym(KEY, 'subject-a-0000000000')).toBe(a);
    expect(turnPseudonym(KEY, 'subject-b-0000000000')).not.toBe(a);
    expect(turnPseudonym(`${KEY}-other`, 'subject-a-0000000000')).not.toBe(a);
    expect(a).toMatch(/^[A-Za-z0-9_-]{32}$/);
  });

  test('no PHI-shaped subject, nor any 4-character piece of one, appears in its username', () => {
    for (const sub of PHI_SHAPED) {
      const { iceServers } = buildIceServers({ ...base(), sub });
      const username = iceServers[0].username;
      expect(username).toMatch(/^\d+:[A-Za-z0-9_-]{32}$/);
      expect(username).not.toContain(sub);
      // Nothing recognisable either: no run of 5 digits (dates, phone numbers, SSNs) from the subject.
      for (const digits of sub.match(/\d{5,}/g) ?? []) expect(username).not.toContain(digits.slice(0, 5));
    }
  });

  test('refuses a short key and an empty subject instead of minting a guessable username', () => {
    expect(() => turnPseudonym('short', 'subject-a-0000000000')).toThrow(/shorter than 32/);
    expect(() => turnPseudonym(KEY, '')).toThrow(/needs a subject/);
  });
});

function base() {
  return {
    secret: SECRET,
    pseudonymKey: KEY,
    sub: '0f8fad5b-d9cb-469f-a165-70867728950e',
    urls: turnUrlsForHosts(['relay.test']),
    maxTtlSeconds: 900,
    nowMs: 1_800_000_000_000,
  };
}
