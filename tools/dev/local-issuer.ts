/**
 * A local token issuer for development and tests: an ES256 key pair generated at start, its public JWKS, and
 * `issueToken` for tokens shaped like the production IdP's (opaque `sub`, `rooms` claim). Tests also use it to
 * make tokens that must be refused (expired, wrong audience, signed by a stranger's key).
 */
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JSONWebKeySet } from 'jose';
import { randomUUID } from 'node:crypto';

export interface IssueTokenOptions {
  readonly sub: string;
  readonly rooms?: readonly string[];
  /** Seconds until expiry; negative for an already expired token. @default 600 */
  readonly expiresIn?: number;
  /** @default the issuer's audience */
  readonly audience?: string;
  /** @default the issuer's own name */
  readonly issuer?: string;
}

export interface LocalIssuer {
  readonly issuer: string;
  readonly audience: string;
  readonly jwks: JSONWebKeySet;
  issueToken(options: IssueTokenOptions): Promise<string>;
}

export async function createLocalIssuer(issuer: string, audience: string): Promise<LocalIssuer> {
  const { publicKey, privateKey } = await generateKeyPair('ES256', { extractable: true });
  const kid = randomUUID();
  const jwk = { ...(await exportJWK(publicKey)), kid, alg: 'ES256', use: 'sig' };
  return {
    issuer,
    audience,
    jwks: { keys: [jwk] },
    issueToken: (options) => sign(privateKey as CryptoKey, kid, { issuer, audience, ...options }),
  };
}

async function sign(
  key: CryptoKey,
  kid: string,
  options: IssueTokenOptions & { issuer: string; audience: string },
): Promise<string> {
  const nowSeconds = Math.floor(Date.now() / 1000);
  const expiresIn = options.expiresIn ?? 600;
  return (
    new SignJWT({ rooms: options.rooms ? [...options.rooms] : [] })
      .setProtectedHeader({ alg: 'ES256', kid, typ: 'JWT' })
      .setSubject(options.sub)
      .setIssuer(options.issuer)
      .setAudience(options.audience)
      // An expired token must also have been issued in the past, or it would look like a clock-skew problem.
      .setIssuedAt(Math.min(nowSeconds, nowSeconds + expiresIn - 60))
      .setExpirationTime(nowSeconds + expiresIn)
      .sign(key)
  );
}
