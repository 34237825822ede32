import { buildIceServers, turnCredentialId, turnUrlsForHosts, validateTurnUrls } from '../../lib/signaling/ice-servers';
import { turnPassword } from '../../lib/signaling/turn-credentials';

const SECRET = 'relay-shared-secret-0123456789-abcdef';

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

describe('turnCredentialId', () => {
  test('uses an opaque subject as is and hashes anything else', () => {
    expect(turnCredentialId('0f8fad5b-d9cb-469f-a165-70867728950e')).toBe('0f8fad5b-d9cb-469f-a165-70867728950e');
    const hashed = turnCredentialId('us-east-1:0f8fad5b-d9cb-469f-a165-70867728950e');
    expect(hashed).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(turnCredentialId('us-east-1:0f8fad5b-d9cb-469f-a165-70867728950e')).toBe(hashed);
  });
});

describe('buildIceServers', () => {
  const base = {
    secret: SECRET,
    sub: '0f8fad5b-d9cb-469f-a165-70867728950e',
    urls: turnUrlsForHosts(['relay.test']),
    maxTtlSeconds: 900,
    nowMs: 1_800_000_000_000,
  };

  test('known answer: username "<expiry>:<id>" and base64(HMAC-SHA1(secret, username))', () => {
    const result = buildIceServers(base);
    expect(result.iceServers).toEqual([
      {
        urls: base.urls,
        username: '1800000900:0f8fad5b-d9cb-469f-a165-70867728950e',
        credential: turnPassword(SECRET, '1800000900:0f8fad5b-d9cb-469f-a165-70867728950e'),
      },
    ]);
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
