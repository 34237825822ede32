/**
 * How a browser presents its token and subprotocol on the WebSocket upgrade. Kept free of the JWT library so the
 * route handlers can use it without bundling jose.
 */

/** The subprotocol a browser offers alongside its token, and that the server echoes back. */
export const SIGNALING_SUBPROTOCOL = 'hipaa-rtc.signaling.v1';
const BEARER_PROTOCOL_PREFIX = 'bearer.';

/** Header lookup that ignores case, as HTTP does (API Gateway passes headers with their original case). */
export function headerValue(
  headers: Record<string, string | undefined> | null | undefined,
  name: string,
): string | undefined {
  if (!headers) return undefined;
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(headers)) if (key.toLowerCase() === wanted) return value;
  return undefined;
}

/**
 * Where the stage takes the token from: its authorizer's identity source. API Gateway refuses an upgrade that lacks
 * it before the authorizer runs, and the authorizer reads the token from there only, so a stage configured to keep
 * tokens out of URLs (`protocol-header`) never accepts one from a URL.
 */
export type TokenSource = 'query' | 'protocol-header';
export const TOKEN_SOURCES: readonly TokenSource[] = ['query', 'protocol-header'];
/** What browsers can do without extra code, and what every layer assumes when nothing is configured. */
export const DEFAULT_TOKEN_SOURCE: TokenSource = 'query';

/** The authorizer's identity source expression for each token source. */
export const IDENTITY_SOURCE: Readonly<Record<TokenSource, string>> = {
  query: 'route.request.querystring.token',
  'protocol-header': 'route.request.header.Sec-WebSocket-Protocol',
};

export interface UpgradeRequest {
  readonly queryStringParameters?: Record<string, string | undefined> | null;
  readonly headers?: Record<string, string | undefined> | null;
  /** Every value of each parameter, as API Gateway passes them to a REQUEST authorizer. */
  readonly multiValueQueryStringParameters?: Record<string, (string | undefined)[] | undefined> | null;
  readonly multiValueHeaders?: Record<string, (string | undefined)[] | undefined> | null;
}

/**
 * Why the upgrade presents more than one token, or undefined. `?token=bad&token=<valid>` must not connect on
 * whichever value a layer happens to keep (API Gateway's single-value map keeps the last one): an upgrade that names
 * the token twice is refused whatever the values are. Likewise two `bearer.` subprotocol entries.
 */
export function repeatedTokenProblem(source: UpgradeRequest, from: TokenSource): string | undefined {
  if (from === 'query') {
    const values = source.multiValueQueryStringParameters?.token ?? [];
    return values.length > 1 ? 'token parameter given more than once' : undefined;
  }
  const headerValues = Object.entries(source.multiValueHeaders ?? {})
    .filter(([name]) => name.toLowerCase() === 'sec-websocket-protocol')
    .flatMap(([, values]) => values ?? []);
  const all = headerValues.length > 0 ? headerValues : [headerValue(source.headers, 'Sec-WebSocket-Protocol') ?? ''];
  const bearers = all
    .flatMap((value) => (value ?? '').split(','))
    .filter((protocol) => protocol.trim().startsWith(BEARER_PROTOCOL_PREFIX));
  return bearers.length > 1 ? 'bearer subprotocol given more than once' : undefined;
}

/**
 * Finds the bearer token where `from` says and nowhere else: the `token` query parameter, or a `bearer.<jwt>` entry
 * in `Sec-WebSocket-Protocol`.
 */
export function extractToken(source: UpgradeRequest, from: TokenSource): string | undefined {
  const value = identitySourceValue(source, from);
  if (!value || from === 'query') return value || undefined;
  const entry = value
    .split(',')
    .map((protocol) => protocol.trim())
    .find((protocol) => protocol.startsWith(BEARER_PROTOCOL_PREFIX));
  return entry ? entry.slice(BEARER_PROTOCOL_PREFIX.length) : undefined;
}

/**
 * What API Gateway checks before it invokes the authorizer: the identity source is present and not empty. Without
 * it the upgrade is refused with 401 and the authorizer never runs (the local harness does the same).
 */
export function hasIdentitySource(source: UpgradeRequest, from: TokenSource): boolean {
  const value = identitySourceValue(source, from);
  return typeof value === 'string' && value.length > 0;
}

/** The raw value of the identity source (IDENTITY_SOURCE): the `token` parameter, or the whole subprotocol header. */
function identitySourceValue(source: UpgradeRequest, from: TokenSource): string | undefined {
  return from === 'query' ? source.queryStringParameters?.token : headerValue(source.headers, 'Sec-WebSocket-Protocol');
}

/** True when the client offered our subprotocol, which `$connect` must then echo or browsers drop the socket. */
export function offersSignalingSubprotocol(headers: Record<string, string | undefined> | null | undefined): boolean {
  const offered = headerValue(headers, 'Sec-WebSocket-Protocol');
  return !!offered && offered.split(',').some((protocol) => protocol.trim() === SIGNALING_SUBPROTOCOL);
}
