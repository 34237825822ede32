import { createLocalJWKSet, exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWTVerifyGetKey } from 'jose';
import {
  createTokenVerifier,
  extractToken,
  hasIdentitySource,
  offersSignalingSubprotocol,
  remoteKeySet,
} from '../../lib/signaling/auth';
import { authorizeConnect, identityFromContext } from '../../lib/signaling/authorizer';

const ISSUER = 'https://idp.test/pool';
const AUDIENCE = 'client-123';
const SUB = '0f8fad5b-d9cb-469f-a165-70867728950e';
const ROOM = 'room-0123456789';
const METHOD_ARN = 'arn:aws:execute-api:us-east-1:111111111111:abc123/prod/$connect';

let keys: JWTVerifyGetKey;
let privateKey: CryptoKey;
let strangerKey: CryptoKey;

beforeAll(async () => {
  const pair = await generateKeyPair('ES256');
  privateKey = pair.privateKey;
  strangerKey = (await generateKeyPair('ES256')).privateKey;
  keys = createLocalJWKSet({ keys: [{ ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'ES256' }] });
});

interface TokenOptions {
  claims?: Record<string, unknown>;
  sub?: string;
  iss?: string;
  aud?: string;
  exp?: number;
  iat?: number;
  /** Sign with a key the verifier does not know. */
  stranger?: boolean;
}

function token(options: TokenOptions = {}): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ rooms: [ROOM], ...options.claims })
    .setProtectedHeader({ alg: 'ES256', kid: 'k1' })
    .setSubject(options.sub ?? SUB)
    .setIssuer(options.iss ?? ISSUER)
    .setAudience(options.aud ?? AUDIENCE)
    .setIssuedAt(options.iat ?? now)
    .setExpirationTime(options.exp ?? now + 300)
    .sign(options.stranger ? strangerKey : privateKey);
}

const verifier = () => createTokenVerifier({ issuer: ISSUER, audience: AUDIENCE, keys });

describe('createTokenVerifier', () => {
  test('accepts a good token and returns the opaque subject and its rooms', async () => {
    const result = await verifier()(await token());
    expect(result).toEqual({ ok: true, identity: { sub: SUB, rooms: [ROOM], expiresAt: expect.any(Number) } });
  });

  test.each<[string, TokenOptions, RegExp]>([
    ['expired', { exp: Math.floor(Date.now() / 1000) - 120, iat: Math.floor(Date.now() / 1000) - 600 }, /expired/],
    ['wrong audience', { aud: 'other-client' }, /aud/],
    ['wrong issuer', { iss: 'https://evil.test' }, /iss/],
    ['signed by another key', { stranger: true }, /signature/],
    ['too long-lived', { exp: Math.floor(Date.now() / 1000) + 86_400 }, /lifetime/],
    [
      'whose iat is in the future, so that exp - iat looks short',
      { iat: Math.floor(Date.now() / 1000) + 86_400, exp: Math.floor(Date.now() / 1000) + 86_400 + 600 },
      /lifetime/,
    ],
    ['an e-mail subject', { sub: 'jane@example.com' }, /e-mail/],
    ['rooms that are not opaque ids', { claims: { rooms: ['Jane Doe consult'] } }, /rooms/],
    ['rooms that is not an array', { claims: { rooms: ROOM } }, /rooms/],
  ])('refuses a token %s', async (_name, options, reason) => {
    const result = await verifier()(await token(options));
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toMatch(reason);
  });

  test('refuses alg:none and HS256 tokens (algorithm allow-list)', async () => {
    const good = await token();
    const [, payload] = good.split('.');
    const none = `${Buffer.from('{"alg":"none"}').toString('base64url')}.${payload}.`;
    expect((await verifier()(none)).ok).toBe(false);
    const hs256 = await new SignJWT({ rooms: [ROOM] })
      .setProtectedHeader({ alg: 'HS256', kid: 'k1' })
      .setSubject(SUB)
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setExpirationTime('5m')
      .sign(new TextEncoder().encode('a-shared-secret-that-is-long-enough-for-hs256'));
    expect((await verifier()(hs256)).ok).toBe(false);
  });

  test('refuses a token without exp, and garbage', async () => {
    const noExp = await new SignJWT({})
      .setProtectedHeader({ alg: 'ES256', kid: 'k1' })
      .setSubject(SUB)
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .sign(privateKey);
    expect((await verifier()(noExp)).ok).toBe(false);
    expect((await verifier()('garbage')).ok).toBe(false);
  });

  test('refuses a token without iat: its lifetime could not be bounded', async () => {
    const yearLong = await new SignJWT({ rooms: [ROOM] })
      .setProtectedHeader({ alg: 'ES256', kid: 'k1' })
      .setSubject(SUB)
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setExpirationTime('365d')
      .sign(privateKey);
    expect(await verifier()(yearLong)).toEqual({ ok: false, reason: 'token claim check failed: iat' });
  });

  test('accepts exactly the maximum lifetime, refuses one second more', async () => {
    const now = Math.floor(Date.now() / 1000);
    expect((await verifier()(await token({ iat: now, exp: now + 3600 }))).ok).toBe(true);
    expect((await verifier()(await token({ iat: now, exp: now + 3601 }))).ok).toBe(false);
  });

  test('every refusal reason is one of a fixed set of phrases (jose messages and claim values never pass through)', async () => {
    const now = Math.floor(Date.now() / 1000);
    const bad = await Promise.all([
      token({ exp: now - 120, iat: now - 600 }),
      token({ aud: 'secret-audience-value' }),
      token({ iss: 'https://secret-issuer.test' }),
      token({ stranger: true }),
      token({ exp: now + 86_400 }),
      token({ claims: { nbf: now + 3000 } }),
      token({ sub: 'jane@example.com' }),
      token({ claims: { rooms: ['Jane Doe consult'] } }),
      'garbage',
      'a.b.c',
    ]);
    const FIXED = new RegExp(
      '^(' +
        [
          'token expired',
          'token claim check failed: (iss|aud|exp|nbf|iat|sub)',
          'token algorithm not allowed',
          'token signature invalid',
          'token key unknown',
          'key set unavailable',
          'token rejected( \\(ERR_[A-Z_]+\\))?',
          'token lifetime exceeds \\d+ seconds',
          'rooms claim (must be an array|lists more than \\d+ rooms|must hold opaque room ids)',
          'subject (is missing|looks like an e-mail address|looks like a phone number|contains whitespace \\(looks like a name\\))',
          'subject (is not an opaque id \\(UUID, or 16-128 characters of base64url\\)|looks like a name or words, not a random id)',
        ].join('|') +
        ')$',
    );
    for (const candidate of bad) {
      const result = await verifier()(candidate);
      expect(result.ok).toBe(false);
      if (!result.ok) {
        expect(result.reason).toMatch(FIXED);
        for (const secret of ['secret-audience-value', 'secret-issuer', 'jane@example.com', 'Jane Doe']) {
          expect(result.reason).not.toContain(secret);
        }
      }
    }
  });

  test('reasons never contain the token or claim values', async () => {
    const bad = await token({ aud: 'secret-audience-value' });
    const result = await verifier()(bad);
    expect(JSON.stringify(result)).not.toContain('secret-audience-value');
    expect(JSON.stringify(result)).not.toContain(bad);
  });
});

describe('remoteKeySet', () => {
  test('requires https except on loopback', () => {
    expect(() => remoteKeySet('http://idp.example/jwks.json')).toThrow(/https/);
    expect(() => remoteKeySet('http://127.0.0.1:9/jwks.json')).not.toThrow();
    expect(() => remoteKeySet('https://cognito-idp.us-east-1.amazonaws.com/pool/.well-known/jwks.json')).not.toThrow();
  });
});

describe('extractToken', () => {
  test('query: reads ?token= only', () => {
    expect(extractToken({ queryStringParameters: { token: 'q.t.s' } }, 'query')).toBe('q.t.s');
    expect(extractToken({ queryStringParameters: { token: '' } }, 'query')).toBeUndefined();
    // A token in the subprotocol header is not looked at when the stage reads the query string.
    expect(extractToken({ headers: { 'Sec-WebSocket-Protocol': 'bearer.h.t.s' } }, 'query')).toBeUndefined();
    expect(extractToken({ queryStringParameters: null, headers: null }, 'query')).toBeUndefined();
  });

  test('protocol-header: reads a bearer.<jwt> subprotocol entry only (any header case)', () => {
    expect(
      extractToken(
        { headers: { 'sec-websocket-protocol': 'hipaa-rtc.signaling.v1, bearer.h.t.s' } },
        'protocol-header',
      ),
    ).toBe('h.t.s');
    expect(extractToken({ headers: { 'Sec-WebSocket-Protocol': 'bearer.h.t.s' } }, 'protocol-header')).toBe('h.t.s');
    expect(
      extractToken({ headers: { 'Sec-WebSocket-Protocol': 'hipaa-rtc.signaling.v1' } }, 'protocol-header'),
    ).toBeUndefined();
    // A token in the URL is refused when the deployment keeps tokens out of URLs, even beside a header.
    expect(
      extractToken(
        { queryStringParameters: { token: 'q.t.s' }, headers: { 'Sec-WebSocket-Protocol': 'hipaa-rtc.signaling.v1' } },
        'protocol-header',
      ),
    ).toBeUndefined();
  });

  test("hasIdentitySource: API Gateway's presence check, per source", () => {
    expect(hasIdentitySource({ queryStringParameters: { token: 'x' } }, 'query')).toBe(true);
    expect(hasIdentitySource({ queryStringParameters: { token: '' } }, 'query')).toBe(false);
    expect(hasIdentitySource({ headers: { 'Sec-WebSocket-Protocol': 'bearer.x' } }, 'query')).toBe(false);
    expect(hasIdentitySource({ headers: { 'sec-websocket-protocol': 'bearer.x' } }, 'protocol-header')).toBe(true);
    expect(hasIdentitySource({ queryStringParameters: { token: 'x' } }, 'protocol-header')).toBe(false);
    expect(hasIdentitySource({ queryStringParameters: null, headers: null }, 'protocol-header')).toBe(false);
  });

  test('offersSignalingSubprotocol', () => {
    expect(offersSignalingSubprotocol({ 'Sec-WebSocket-Protocol': 'hipaa-rtc.signaling.v1, bearer.x' })).toBe(true);
    expect(offersSignalingSubprotocol({ 'Sec-WebSocket-Protocol': 'bearer.x' })).toBe(false);
    expect(offersSignalingSubprotocol(undefined)).toBe(false);
  });
});

describe('authorizeConnect', () => {
  test('allows with a policy for exactly the $connect method ARN and a context of sub and rooms', async () => {
    const outcome = await authorizeConnect(
      { methodArn: METHOD_ARN, queryStringParameters: { token: await token() }, headers: {} },
      verifier(),
      'query',
    );
    expect(outcome.allow).toBe(true);
    if (!outcome.allow) return;
    expect(outcome.result.principalId).toBe(SUB);
    expect(outcome.result.policyDocument.Statement).toEqual([
      { Action: 'execute-api:Invoke', Effect: 'Allow', Resource: METHOD_ARN },
    ]);
    expect(outcome.result.context).toEqual({ sub: SUB, rooms: ROOM, exp: expect.any(Number) });
    expect(identityFromContext(outcome.result.context)).toEqual({
      sub: SUB,
      rooms: [ROOM],
      expiresAt: outcome.identity.expiresAt,
    });
  });

  test('denies without a token and with a bad one', async () => {
    expect(
      await authorizeConnect({ methodArn: METHOD_ARN, headers: {}, queryStringParameters: {} }, verifier(), 'query'),
    ).toEqual({ allow: false, reason: 'no token' });
    const outcome = await authorizeConnect(
      { methodArn: METHOD_ARN, queryStringParameters: { token: await token({ aud: 'x' }) } },
      verifier(),
      'query',
    );
    expect(outcome.allow).toBe(false);
  });

  test('reads the token only from the configured source', async () => {
    const good = await token();
    const inHeader = {
      methodArn: METHOD_ARN,
      headers: { 'Sec-WebSocket-Protocol': `hipaa-rtc.signaling.v1, bearer.${good}` },
    };
    expect((await authorizeConnect(inHeader, verifier(), 'protocol-header')).allow).toBe(true);
    expect(await authorizeConnect(inHeader, verifier(), 'query')).toEqual({ allow: false, reason: 'no token' });
    const inQuery = { methodArn: METHOD_ARN, queryStringParameters: { token: good } };
    expect((await authorizeConnect(inQuery, verifier(), 'query')).allow).toBe(true);
    expect(await authorizeConnect(inQuery, verifier(), 'protocol-header')).toEqual({
      allow: false,
      reason: 'no token',
    });
  });

  test('a token given twice is refused whatever the values, before any is verified', async () => {
    const good = await token();
    let verified = 0;
    const counting = async (t: string) => {
      verified += 1;
      return verifier()(t);
    };
    // As API Gateway passes `?token=bad&token=<valid>`: the single-value map holds the last (valid) one.
    const twice = {
      methodArn: METHOD_ARN,
      queryStringParameters: { token: good },
      multiValueQueryStringParameters: { token: ['bad', good] },
    };
    expect(await authorizeConnect(twice, counting, 'query')).toEqual({
      allow: false,
      reason: 'token parameter given more than once',
    });
    const sameTwice = { ...twice, multiValueQueryStringParameters: { token: [good, good] } };
    expect((await authorizeConnect(sameTwice, counting, 'query')).allow).toBe(false);
    const twoBearers = {
      methodArn: METHOD_ARN,
      headers: { 'Sec-WebSocket-Protocol': `hipaa-rtc.signaling.v1, bearer.bad, bearer.${good}` },
    };
    expect(await authorizeConnect(twoBearers, counting, 'protocol-header')).toEqual({
      allow: false,
      reason: 'bearer subprotocol given more than once',
    });
    const twoHeaders = {
      methodArn: METHOD_ARN,
      headers: { 'Sec-WebSocket-Protocol': `bearer.${good}` },
      multiValueHeaders: { 'Sec-WebSocket-Protocol': ['bearer.bad', `bearer.${good}`] },
    };
    expect((await authorizeConnect(twoHeaders, counting, 'protocol-header')).allow).toBe(false);
    expect(verified).toBe(0);
    // Once is fine.
    const once = { ...twice, multiValueQueryStringParameters: { token: [good] } };
    expect((await authorizeConnect(once, counting, 'query')).allow).toBe(true);
  });

  test('identityFromContext refuses a context without a subject; an unusable exp counts as expired', () => {
    expect(identityFromContext(undefined)).toBeUndefined();
    expect(identityFromContext({ rooms: ROOM, exp: 1_800_000_000 })).toBeUndefined();
    expect(identityFromContext({ sub: SUB, exp: 1_800_000_000 })).toEqual({
      sub: SUB,
      rooms: [],
      expiresAt: 1_800_000_000,
    });
    // API Gateway may pass context numbers on as strings.
    expect(identityFromContext({ sub: SUB, rooms: ROOM, exp: '1800000000' })?.expiresAt).toBe(1_800_000_000);
    // A fractional NumericDate (allowed by RFC 7519) is kept, rounded down.
    expect(identityFromContext({ sub: SUB, rooms: ROOM, exp: 1_800_000_000.7 })?.expiresAt).toBe(1_800_000_000);
    expect(identityFromContext({ sub: SUB, rooms: ROOM, exp: '1800000000.7' })?.expiresAt).toBe(1_800_000_000);
    // Without a usable exp the token counts as expired (0), never as never expiring.
    for (const exp of [undefined, null, '', 'soon', '-5', 0, -1, Number.NaN, Infinity, '1e9']) {
      expect(identityFromContext({ sub: SUB, rooms: ROOM, exp })).toEqual({ sub: SUB, rooms: [ROOM], expiresAt: 0 });
    }
  });
});
