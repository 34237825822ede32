/**
 * Route logic shared by the Lambda handlers (lambda/signaling/*) and the local harness (tools/dev/harness.ts):
 * event in, response out, every dependency injected. Message routes answer through the route response (the body
 * goes back to the sender); they never throw, and unexpected failures become an `internal` error frame.
 */
import type { APIGatewayAuthorizerResult } from 'aws-lambda';
import type { TokenVerifier } from './auth';
import { authorizeConnect, identityFromContext, type AuthorizerEvent } from './authorizer';
import { TURN_TTL_SECONDS } from './bounds';
import { buildIceServers } from './ice-servers';
import { offersSignalingSubprotocol, SIGNALING_SUBPROTOCOL, type TokenSource } from './protocol';
import { errorFields, type SafeLog } from './log';
import {
  errorMessage,
  parseClientFrame,
  requestIdOf,
  type ClientAction,
  type ClientMessage,
  type ServerMessage,
} from './messages';
import { describeLimit, type Admission, type LimitedAction, type RateLimiter } from './rate-limit';
import type { Caller, RoomOutcome, RoomService } from './rooms';
import type { PseudonymKeyProvider } from './turn-pseudonym';
import type { TurnSecretProvider } from './turn-secret';
import { tokenAuthorityLeftSeconds } from './token-time';

/** The parts of an API Gateway WebSocket event that the routes read. */
export interface WebSocketEvent {
  readonly requestContext: {
    readonly connectionId: string;
    readonly requestId: string;
    readonly routeKey: string;
    readonly authorizer?: unknown;
  };
  readonly body?: string | null;
  readonly isBase64Encoded?: boolean;
  readonly headers?: Record<string, string | undefined> | null;
  readonly queryStringParameters?: Record<string, string | undefined> | null;
}

export interface RouteResponse {
  readonly statusCode: number;
  readonly body?: string;
  readonly headers?: Record<string, string>;
}

export interface TurnDeps {
  readonly secrets: TurnSecretProvider;
  /** The key of the subjects' pseudonyms in TURN usernames (turn-pseudonym.ts). */
  readonly pseudonymKey: PseudonymKeyProvider;
  readonly urls: readonly string[];
  readonly ttlSeconds: number;
}

export interface RouteDeps {
  readonly rooms: () => RoomService;
  readonly turn: () => TurnDeps;
  /** Budgets per connection (join, signal, ice-servers) and per user (join, ice-servers); see rate-limit.ts. */
  readonly limiter: () => RateLimiter;
  readonly log: SafeLog;
  readonly nowMs: () => number;
}

export interface AuthorizerDeps {
  readonly verify: () => TokenVerifier;
  /** Where tokens are read from: the stage's identity source, nowhere else. */
  readonly tokenSource: () => TokenSource;
  readonly log: SafeLog;
}

export class Unauthorized extends Error {
  constructor() {
    // API Gateway maps exactly this message, thrown by a REQUEST authorizer, to a 401 on the upgrade.
    super('Unauthorized');
    this.name = 'Unauthorized';
  }
}

export async function authorizerRoute(
  deps: AuthorizerDeps,
  event: AuthorizerEvent,
): Promise<APIGatewayAuthorizerResult> {
  let outcome;
  try {
    outcome = await authorizeConnect(event, deps.verify(), deps.tokenSource());
  } catch (error) {
    deps.log.error('authorizer-failed', { route: '$connect', ...errorFields(error) });
    throw new Unauthorized();
  }
  if (!outcome.allow) {
    deps.log.warn('connect-denied', { route: '$connect', reason: outcome.reason });
    throw new Unauthorized();
  }
  deps.log.info('connect-authorized', { route: '$connect', roomCount: outcome.identity.rooms.length });
  return outcome.result;
}

export async function connectRoute(deps: RouteDeps, event: WebSocketEvent): Promise<RouteResponse> {
  const { connectionId } = event.requestContext;
  const identity = identityFromContext(event.requestContext.authorizer);
  // Defense in depth: the stage refuses unauthorized upgrades, but a route without identity must not register one.
  if (!identity) return { statusCode: 401 };
  try {
    await deps.rooms().connect(connectionId, identity.sub);
  } catch (error) {
    deps.log.error('connect-failed', { route: '$connect', connectionId, ...errorFields(error) });
    return { statusCode: 500 };
  }
  deps.log.info('connected', { route: '$connect', connectionId });
  // Browsers drop a connection whose server does not echo one of the offered subprotocols.
  const headers = offersSignalingSubprotocol(event.headers)
    ? { 'Sec-WebSocket-Protocol': SIGNALING_SUBPROTOCOL }
    : undefined;
  return headers ? { statusCode: 200, headers } : { statusCode: 200 };
}

export async function disconnectRoute(deps: RouteDeps, event: WebSocketEvent): Promise<RouteResponse> {
  const { connectionId } = event.requestContext;
  try {
    await deps.rooms().disconnect(connectionId);
  } catch (error) {
    deps.log.error('disconnect-failed', { route: '$disconnect', connectionId, ...errorFields(error) });
    return { statusCode: 500 };
  }
  deps.log.info('disconnected', { route: '$disconnect', connectionId });
  return { statusCode: 200 };
}

/**
 * One message route. `accepts` lists the actions this route serves; `$default` accepts none, so every frame that
 * reaches it is answered with an error and has no side effects.
 */
export async function messageRoute(
  deps: RouteDeps,
  event: WebSocketEvent,
  accepts: readonly ClientAction[],
): Promise<RouteResponse> {
  const started = deps.nowMs();
  const { connectionId, requestId: gatewayRequestId, routeKey } = event.requestContext;
  const reply = (message: ServerMessage): RouteResponse => {
    deps.log.info('handled', {
      route: routeKey,
      connectionId,
      outcome: message.type,
      code: message.type === 'error' ? message.code : undefined,
      durationMs: deps.nowMs() - started,
    });
    return { statusCode: 200, body: JSON.stringify(message) };
  };

  const raw = event.isBase64Encoded && event.body ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
  const parsed = parseClientFrame(raw, gatewayRequestId);
  if (!parsed.ok) return reply(parsed.error);
  const message = parsed.message;
  const requestId = requestIdOf(message, gatewayRequestId);
  if (!accepts.includes(message.action)) {
    return reply(errorMessage('unknown-action', `This route does not handle ${message.action}.`, requestId));
  }
  const identity = identityFromContext(event.requestContext.authorizer);
  if (!identity) return reply(errorMessage('unauthenticated', 'Connection has no identity; reconnect.', requestId));
  const caller: Caller = { connectionId, sub: identity.sub, rooms: identity.rooms };
  // A connection outlives its token (API Gateway keeps it up to 2 hours). It may finish its call (signal, leave),
  // but joining a room or getting TURN credentials is new authority, which an expired token no longer gives. A TURN
  // credential never outlives the token either, so one is minted only while the shortest credential still fits.
  const authorityLeft = tokenAuthorityLeftSeconds(identity.expiresAt, deps.nowMs());
  if (message.action === 'join' && authorityLeft < 0) {
    return reply(
      errorMessage(
        'token-expired',
        'Your token has expired, so this connection can no longer join rooms; reconnect with a fresh token.',
        requestId,
      ),
    );
  }
  if (message.action === 'ice-servers' && authorityLeft < TURN_TTL_SECONDS.min) {
    return reply(
      errorMessage(
        'token-expired',
        `Your token has expired or expires within ${TURN_TTL_SECONDS.min} s, and TURN credentials never outlive it; reconnect with a fresh token.`,
        requestId,
      ),
    );
  }
  try {
    return reply(await dispatch(deps, caller, message, requestId, authorityLeft));
  } catch (error) {
    deps.log.error('route-failed', { route: routeKey, connectionId, ...errorFields(error) });
    return reply(errorMessage('internal', 'Something went wrong; retry.', requestId));
  }
}

/**
 * The answer to a request over a budget: says which budget (this connection's, or the account's across all of its
 * connections) and when it resets; never the count, never the sub.
 */
function rateLimited(action: LimitedAction, admission: Admission & { admitted: false }): RoomOutcome<never> {
  const { limit, retryAfterSeconds, scope } = admission;
  const whose = scope === 'user' ? 'for your account, across all its connections' : 'on this connection';
  return {
    ok: false,
    code: 'rate-limited',
    message: `Too many ${action} requests ${whose} (at most ${describeLimit(limit)}); retry in ${retryAfterSeconds} s.`,
    retryAfterSeconds,
  };
}

async function admit(deps: RouteDeps, caller: Caller, action: LimitedAction): Promise<RoomOutcome<void>> {
  const admission = await deps.limiter().admit(caller, action);
  return admission.admitted ? { ok: true, value: undefined } : rateLimited(action, admission);
}

const refusal = (outcome: RoomOutcome<unknown> & { ok: false }, requestId: string): ServerMessage =>
  errorMessage(outcome.code, outcome.message, requestId, outcome.retryAfterSeconds);

async function dispatch(
  deps: RouteDeps,
  caller: Caller,
  message: ClientMessage,
  requestId: string,
  /** Seconds the connection's token still gives authority (tokenAuthorityLeftSeconds): caps the TURN credential. */
  authorityLeftSeconds: number,
): Promise<ServerMessage> {
  switch (message.action) {
    case 'join': {
      // Counted (connection and user together) alongside the read of the connection and the room, and awaited
      // before any room state changes, so a refused join takes no seat and tells nobody.
      const rooms = deps.rooms();
      const gate = admit(deps, caller, 'join');
      const outcome = await rooms.join(caller, message.roomId, gate);
      if (!outcome.ok) return refusal(outcome, requestId);
      return {
        type: 'joined',
        roomId: message.roomId,
        connectionId: caller.connectionId,
        peers: outcome.value.peers,
        requestId,
      };
    }
    case 'signal': {
      // Not awaited here: the room service reads both connections while the count is taken, and delivers only after.
      // The room service is resolved first so that nothing can throw between starting the count and awaiting it.
      // (One count: signal has a per-connection budget only, see rate-limit.ts.)
      const rooms = deps.rooms();
      const gate = admit(deps, caller, 'signal');
      const outcome = await rooms.signal(caller, message.to, message.kind, message.payload, gate);
      if (!outcome.ok) return refusal(outcome, requestId);
      return { type: 'signal-sent', to: message.to, requestId };
    }
    case 'leave': {
      const outcome = await deps.rooms().leave(caller.connectionId);
      if (!outcome.ok) return refusal(outcome, requestId);
      return { type: 'left', roomId: outcome.value.roomId, requestId };
    }
    case 'ice-servers': {
      // Counted before the secret is read: the connection's and the user's budgets limit how many credentials (and
      // relay quotas) one connection, and one user however many connections they open, can mint.
      const admitted = await admit(deps, caller, 'ice-servers');
      if (!admitted.ok) return refusal(admitted, requestId);
      const turn = deps.turn();
      let secret: string;
      let pseudonymKey: string;
      try {
        // Both cached per instance; on a cold start the two reads go out together.
        [secret, pseudonymKey] = await Promise.all([turn.secrets.currentSecret(), turn.pseudonymKey.pseudonymKey()]);
      } catch (error) {
        deps.log.error('turn-secret-unavailable', { route: 'ice-servers', ...errorFields(error) });
        return errorMessage('turn-unavailable', 'TURN credentials are unavailable; retry shortly.', requestId);
      }
      const servers = buildIceServers({
        secret,
        pseudonymKey,
        sub: caller.sub,
        urls: turn.urls,
        requestedTtlSeconds: message.ttlSeconds,
        maxTtlSeconds: Math.min(turn.ttlSeconds, Math.floor(authorityLeftSeconds)),
        nowMs: deps.nowMs(),
      });
      return { type: 'ice-servers', ...servers, requestId };
    }
  }
}
