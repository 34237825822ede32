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

export interface UpgradeRequest {
  readonly queryStringParameters?: Record<string, string | undefined> | null;
  readonly headers?: Record<string, string | undefined> | null;
}

/** Finds the bearer token: `?token=` first, then a `bearer.<jwt>` entry in `Sec-WebSocket-Protocol`. */
export function extractToken(source: UpgradeRequest): string | undefined {
  const fromQuery = source.queryStringParameters?.token;
  if (fromQuery) return fromQuery;
  const offered = headerValue(source.headers, 'Sec-WebSocket-Protocol');
  if (!offered) return undefined;
  const entry = offered
    .split(',')
    .map((protocol) => protocol.trim())
    .find((protocol) => protocol.startsWith(BEARER_PROTOCOL_PREFIX));
  return entry ? entry.slice(BEARER_PROTOCOL_PREFIX.length) : undefined;
}

/** True when the client offered our subprotocol, which `$connect` must then echo or browsers drop the socket. */
export function offersSignalingSubprotocol(headers: Record<string, string | undefined> | null | undefined): boolean {
  const offered = headerValue(headers, 'Sec-WebSocket-Protocol');
  return !!offered && offered.split(',').some((protocol) => protocol.trim() === SIGNALING_SUBPROTOCOL);
}
