/**
 * The `$connect` REQUEST authorizer as a pure function of the event and a token verifier. WebSocket APIs have no
 * native JWT authorizer, so this is where signature, issuer, audience, expiry and the PHI-free subject are enforced.
 */
import type { APIGatewayAuthorizerResult, APIGatewayRequestAuthorizerEvent } from 'aws-lambda';
import type { Identity, TokenVerifier } from './auth';
import { extractToken, repeatedTokenProblem, type TokenSource } from './protocol';

/** What downstream routes read from `requestContext.authorizer` (values must be strings, numbers or booleans). */
export interface AuthorizerContext {
  readonly sub: string;
  /** Space-separated opaque room ids. */
  readonly rooms: string;
  readonly exp: number;
}

export type AuthorizeOutcome =
  | { readonly allow: true; readonly result: APIGatewayAuthorizerResult; readonly identity: Identity }
  | { readonly allow: false; readonly reason: string };

/** The parts of a REQUEST authorizer event we read (a subset of APIGatewayRequestAuthorizerEvent). */
export interface AuthorizerEvent {
  readonly methodArn: APIGatewayRequestAuthorizerEvent['methodArn'];
  readonly headers?: APIGatewayRequestAuthorizerEvent['headers'];
  readonly queryStringParameters?: APIGatewayRequestAuthorizerEvent['queryStringParameters'];
  readonly multiValueQueryStringParameters?: APIGatewayRequestAuthorizerEvent['multiValueQueryStringParameters'];
  readonly multiValueHeaders?: APIGatewayRequestAuthorizerEvent['multiValueHeaders'];
}

export async function authorizeConnect(
  event: AuthorizerEvent,
  verify: TokenVerifier,
  tokenSource: TokenSource,
): Promise<AuthorizeOutcome> {
  // Before reading any value: a token named twice is refused, whichever of them would verify.
  const repeated = repeatedTokenProblem(event, tokenSource);
  if (repeated) return { allow: false, reason: repeated };
  const token = extractToken(event, tokenSource);
  if (!token) return { allow: false, reason: 'no token' };
  const verified = await verify(token);
  if (!verified.ok) return { allow: false, reason: verified.reason };
  const { identity } = verified;
  const context: AuthorizerContext = { sub: identity.sub, rooms: identity.rooms.join(' '), exp: identity.expiresAt };
  return {
    allow: true,
    identity,
    result: {
      principalId: identity.sub,
      // The policy names exactly this $connect method ARN: a wildcard resource is refused for WebSocket APIs.
      policyDocument: {
        Version: '2012-10-17',
        Statement: [{ Action: 'execute-api:Invoke', Effect: 'Allow', Resource: event.methodArn }],
      },
      context: { ...context },
    },
  };
}

export interface ConnectionIdentity {
  readonly sub: string;
  readonly rooms: string[];
  /**
   * The token's `exp` (unix seconds): after it, the connection may finish its call but not start anything new.
   * 0 when the context has no usable `exp`, which makes the token count as expired.
   */
  readonly expiresAt: number;
}

/**
 * Reads the identity that the authorizer attached to the connection; undefined when absent or without a subject.
 * A missing or unusable `exp` (a connection authorized before exp was carried, or a malformed context) counts as
 * expired rather than as no identity: fail closed for new authority (join, ice-servers) without cutting a call that
 * is under way. API Gateway may hand context numbers on as strings, so `exp` is accepted as either.
 */
export function identityFromContext(authorizer: unknown): ConnectionIdentity | undefined {
  if (typeof authorizer !== 'object' || authorizer === null) return undefined;
  const { sub, rooms, exp } = authorizer as Record<string, unknown>;
  if (typeof sub !== 'string' || sub.length === 0) return undefined;
  const parsed =
    typeof exp === 'number' ? exp : typeof exp === 'string' && /^\d{1,12}(\.\d+)?$/.test(exp) ? Number(exp) : NaN;
  const expiresAt = Number.isFinite(parsed) && parsed > 0 ? Math.floor(parsed) : 0;
  const roomList = typeof rooms === 'string' ? rooms.split(' ').filter((room) => room.length > 0) : [];
  return { sub, rooms: roomList, expiresAt };
}
