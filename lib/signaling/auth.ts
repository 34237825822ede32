/**
 * Token verification for `$connect`. Browsers cannot set an Authorization header on a WebSocket, so the JWT comes
 * from the `token` query parameter or from the `Sec-WebSocket-Protocol` header (offered as `bearer.<jwt>` next to
 * the real subprotocol), whichever the deployment configured (`signaling.tokenSource`). The token is a bearer
 * credential: it is never logged and never returned.
 *
 * Authorization to rooms rides in the token: a `rooms` claim lists the opaque room ids the holder may join
 * (see docs/signaling.md). The issuer (the application backend, via the IdP) decides who may join which call.
 */
import { createRemoteJWKSet, errors, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import { checkSubject } from './identity';
import { ROOM_ID } from './messages';
import { TOKEN_CLOCK_TOLERANCE_SECONDS } from './token-time';

// Token transport lives in protocol.ts (no jose), so only the authorizer bundle carries the JWT library.
export {
  DEFAULT_TOKEN_SOURCE,
  extractToken,
  hasIdentitySource,
  headerValue,
  offersSignalingSubprotocol,
  SIGNALING_SUBPROTOCOL,
  type TokenSource,
  type UpgradeRequest,
} from './protocol';

/** Asymmetric algorithms only: an HMAC or `none` token must never verify against a JWKS. */
export const ALLOWED_ALGORITHMS = ['ES256', 'RS256', 'PS256', 'EdDSA'] as const;

/** Rooms per token: keeps the authorizer context well under API Gateway's 8 KB limit. */
export const MAX_ROOMS_PER_TOKEN = 20;

export interface Identity {
  /** Opaque subject (checked by {@link checkSubject}). */
  readonly sub: string;
  /** Opaque room ids this identity may join. */
  readonly rooms: readonly string[];
  /** Token expiry (unix seconds): connections do not outlive their token's authority by much. */
  readonly expiresAt: number;
}

export type VerifyResult =
  { readonly ok: true; readonly identity: Identity } | { readonly ok: false; readonly reason: string };

export interface TokenVerifierOptions {
  /** Expected `iss`. */
  readonly issuer: string;
  /** Expected `aud` (for Cognito ID tokens, the app client id). */
  readonly audience: string;
  /** Key source: {@link remoteKeySet} in production, a local key set in tests. */
  readonly keys: JWTVerifyGetKey;
  /** @default TOKEN_CLOCK_TOLERANCE_SECONDS (30), the same tolerance the routes apply later */
  readonly clockToleranceSeconds?: number;
  /** @default 3600: tokens that claim to live longer are refused (limits the damage of a leaked token) */
  readonly maxTokenLifetimeSeconds?: number;
  /** @default the system clock */
  readonly now?: () => Date;
}

export type TokenVerifier = (token: string) => Promise<VerifyResult>;

/** A cached remote JWKS (jose refetches on unknown `kid`, with a cooldown). */
export function remoteKeySet(jwksUrl: string): JWTVerifyGetKey {
  const url = new URL(jwksUrl);
  if (url.protocol !== 'https:' && !['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname)) {
    throw new Error(`JWKS_URL must use https (got ${url.protocol}); only loopback may use http`);
  }
  return createRemoteJWKSet(url, { timeoutDuration: 2000, cooldownDuration: 30_000, cacheMaxAge: 600_000 });
}

export function createTokenVerifier(options: TokenVerifierOptions): TokenVerifier {
  const clockTolerance = options.clockToleranceSeconds ?? TOKEN_CLOCK_TOLERANCE_SECONDS;
  const maxLifetime = options.maxTokenLifetimeSeconds ?? 3600;
  return async (token) => {
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, options.keys, {
        issuer: options.issuer,
        audience: options.audience,
        algorithms: [...ALLOWED_ALGORITHMS],
        clockTolerance,
        // iat is required because the lifetime cap below needs it (OIDC ID tokens always carry it).
        requiredClaims: ['exp', 'iat', 'sub'],
        currentDate: options.now?.(),
      }));
    } catch (error) {
      return { ok: false, reason: describeJoseError(error) };
    }
    // Both bounds: the lifetime the issuer granted, and what is left of it now. The second catches an iat set in the
    // future (jose checks iat's type, not its value), which would otherwise stretch a token's authority at will.
    const nowSeconds = Math.floor((options.now?.() ?? new Date()).getTime() / 1000);
    const exp = payload.exp as number;
    if (exp - (payload.iat as number) > maxLifetime || exp - nowSeconds > maxLifetime + clockTolerance) {
      return { ok: false, reason: `token lifetime exceeds ${maxLifetime} seconds` };
    }
    const subject = checkSubject(payload.sub);
    if (!subject.ok) return { ok: false, reason: subject.reason };
    const rooms = parseRooms(payload.rooms);
    if (!rooms.ok) return { ok: false, reason: rooms.reason };
    return { ok: true, identity: { sub: payload.sub as string, rooms: rooms.rooms, expiresAt: payload.exp as number } };
  };
}

function parseRooms(value: unknown): { ok: true; rooms: string[] } | { ok: false; reason: string } {
  if (value === undefined) return { ok: true, rooms: [] };
  if (!Array.isArray(value)) return { ok: false, reason: 'rooms claim must be an array' };
  if (value.length > MAX_ROOMS_PER_TOKEN)
    return { ok: false, reason: `rooms claim lists more than ${MAX_ROOMS_PER_TOKEN} rooms` };
  if (!value.every((room) => ROOM_ID.safeParse(room).success)) {
    return { ok: false, reason: 'rooms claim must hold opaque room ids' };
  }
  return { ok: true, rooms: [...new Set(value as string[])] };
}

/** Reasons name the failed check only; jose's own messages can quote claim values. */
function describeJoseError(error: unknown): string {
  if (error instanceof errors.JWTExpired) return 'token expired';
  if (error instanceof errors.JWTClaimValidationFailed) return `token claim check failed: ${error.claim}`;
  if (error instanceof errors.JOSEAlgNotAllowed) return 'token algorithm not allowed';
  if (error instanceof errors.JWSSignatureVerificationFailed) return 'token signature invalid';
  if (error instanceof errors.JWKSNoMatchingKey) return 'token key unknown';
  if (error instanceof errors.JWKSTimeout) return 'key set unavailable';
  if (error instanceof errors.JOSEError) return `token rejected (${error.code})`;
  return 'token rejected';
}
