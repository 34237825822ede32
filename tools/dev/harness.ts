/**
 * The local signaling harness: the same route code as the Lambdas, behind a `ws` server that plays API Gateway.
 * Everything binds to 127.0.0.1. It
 * - runs `$connect` through the real authorizer (JWT verified against the local issuer's JWKS, fetched over HTTP
 *   like production's remote JWKS) and refuses the upgrade with 401 when it denies;
 * - routes each frame by its `action` field (`$request.body.action`), `$default` otherwise, and sends the route
 *   response body back to the sender, as a two-way route does;
 * - delivers through a Messenger over the local sockets that answers `gone` (410) for closed connections;
 * - keeps state in Amazon DynamoDB Local through the production DynamoDB store, and counts the per-connection and
 *   per-user rate limits there through the production counter.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { WebSocket, WebSocketServer, type RawData } from 'ws';
import {
  createTokenVerifier,
  DEFAULT_TOKEN_SOURCE,
  hasIdentitySource,
  remoteKeySet,
  SIGNALING_SUBPROTOCOL,
  type TokenSource,
} from '../../lib/signaling/auth';
import { boundProblem, CONNECTION_TTL_SECONDS, ROOM_SIZE, TURN_TTL_SECONDS } from '../../lib/signaling/bounds';
import { DynamoConnectionStore, type ConnectionStore } from '../../lib/signaling/connection-store';
import { turnUrlsForHosts } from '../../lib/signaling/ice-servers';
import type { DeliveryResult, Messenger } from '../../lib/signaling/delivery';
import { callbackEnvironment, roomEnvironment } from '../../lib/signaling/environment';
import { silentLog, type SafeLog } from '../../lib/signaling/log';
import { CLIENT_ACTIONS, type ClientAction, type ServerMessage } from '../../lib/signaling/messages';
import { DynamoRateCounter } from '../../lib/signaling/rate-counter';
import { DEFAULT_RATE_LIMITS, RateLimiter, rateLimitProblems, type RateLimits } from '../../lib/signaling/rate-limit';
import { RoomService } from '../../lib/signaling/rooms';
import {
  authorizerRoute,
  connectRoute,
  disconnectRoute,
  messageRoute,
  type AuthorizerDeps,
  type RouteDeps,
  type WebSocketEvent,
} from '../../lib/signaling/routes';
import { readRoomSettings } from '../../lib/signaling/settings';
import { StaticPseudonymKeyProvider } from '../../lib/signaling/turn-pseudonym';
import { StaticTurnSecretProvider } from '../../lib/signaling/turn-secret';
import type { DynamoDbLocal } from './dynamodb-local';
import { openLocalTable } from './local-table';
import { createLocalIssuer, type LocalIssuer } from './local-issuer';

/** API Gateway's message size limit; bigger messages close the connection with 1009, as here. */
const GATEWAY_MAX_MESSAGE_BYTES = 128 * 1024;

export interface SignalingHarnessOptions {
  /** @default 0 (an ephemeral port) */
  readonly port?: number;
  /** Within ROOM_SIZE (lib/signaling/bounds.ts), as deployed. @default ROOM_SIZE.default (2) */
  readonly maxRoomSize?: number;
  readonly turn?: {
    /** @default turnUrlsForHosts(['127.0.0.1']): turn: (UDP, TCP) and turns: on the default ports */
    readonly urls?: readonly string[];
    /** The relay's shared secret. @default a random 48-character secret */
    readonly secret?: string;
    /** Server-side TTL cap, within TURN_TTL_SECONDS (lib/signaling/bounds.ts). @default 600 */
    readonly ttlSeconds?: number;
    /** The key of the subjects' pseudonyms in TURN usernames. @default a random 48-character key */
    readonly pseudonymKey?: string;
  };
  /**
   * Per-connection budgets for join, signal and ice-servers, and per-user ones for join and ice-servers.
   * @default DEFAULT_RATE_LIMITS (what the stack deploys)
   */
  readonly rateLimits?: RateLimits;
  /**
   * The rate limiter's clock, so tests can move to the next window instead of sleeping through it.
   * @default Date.now
   */
  readonly rateLimitClock?: () => number;
  /**
   * The routes' clock (token expiry, TURN credential times), so tests can move past a token's exp instead of
   * sleeping. The authorizer keeps the real clock, as jose checks tokens against it. @default Date.now
   */
  readonly routeClock?: () => number;
  /** @default 'hipaa-rtc-local' */
  readonly audience?: string;
  /** @default silent */
  readonly log?: SafeLog;
  /**
   * A running DynamoDB Local to create the harness's table on (left running by stop()).
   * @default the jest run's shared instance, else a new one started for this harness
   */
  readonly dynamoDbLocal?: DynamoDbLocal;
  /**
   * Where the token must be, as the deployed stage's identity source (`signaling.tokenSource`): an upgrade without
   * it is refused with 401 before the authorizer runs, and the authorizer reads nowhere else. @default 'query'
   */
  readonly tokenSource?: TokenSource;
}

export interface SignalingHarness {
  /** `ws://127.0.0.1:<port>`; connect with `?token=<jwt>`, or a `bearer.<jwt>` subprotocol when tokenSource says so. */
  readonly url: string;
  readonly issuer: LocalIssuer;
  readonly jwksUrl: string;
  readonly turnSecret: string;
  /** The key of the subjects' pseudonyms in TURN usernames (turnPseudonym), so tests can recompute them. */
  readonly pseudonymKey: string;
  readonly turnUrls: readonly string[];
  readonly store: ConnectionStore;
  readonly maxRoomSize: number;
  /** Number of open sockets. */
  connectionCount(): number;
  /** Closes a connection without running `$disconnect`, as when API Gateway misses it. */
  dropWithoutDisconnect(connectionId: string): void;
  stop(): Promise<void>;
}

interface LocalConnection {
  readonly authorizer: Record<string, unknown>;
  socket?: WebSocket;
  /** Messages for a connection whose upgrade is still completing. */
  readonly pending: string[];
  skipDisconnect?: boolean;
}

export async function startSignalingHarness(options: SignalingHarnessOptions = {}): Promise<SignalingHarness> {
  const log = options.log ?? silentLog;
  const maxRoomSize = options.maxRoomSize ?? ROOM_SIZE.default;
  const turnTtlSeconds = options.turn?.ttlSeconds ?? 600;
  const rateLimits = options.rateLimits ?? DEFAULT_RATE_LIMITS;
  // The deployment's bounds, so the harness refuses what a deploy would refuse.
  const problems = [
    boundProblem('maxRoomSize', maxRoomSize, ROOM_SIZE),
    boundProblem('turn.ttlSeconds', turnTtlSeconds, TURN_TTL_SECONDS),
    ...rateLimitProblems(rateLimits),
  ].filter((problem) => problem !== undefined);
  if (problems.length > 0) throw new Error(`Harness settings are invalid: ${problems.join('; ')}`);
  const connections = new Map<string, LocalConnection>();
  const dynamo = await openLocalTable({ server: options.dynamoDbLocal });

  const http = createServer();
  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = http.address() as AddressInfo;
  const base = `127.0.0.1:${port}`;
  const issuer = await createLocalIssuer(`http://${base}/issuer`, options.audience ?? 'hipaa-rtc-local');
  const jwksUrl = `http://${base}/.well-known/jwks.json`;
  http.on('request', (request, response) => {
    if (request.method === 'GET' && request.url === '/.well-known/jwks.json') {
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(issuer.jwks));
    } else {
      response.writeHead(404).end();
    }
  });

  const messenger: Messenger = {
    async send(connectionId: string, message: ServerMessage): Promise<DeliveryResult> {
      const connection = connections.get(connectionId);
      if (!connection) return 'gone';
      const data = JSON.stringify(message);
      if (!connection.socket) connection.pending.push(data);
      else if (connection.socket.readyState === WebSocket.OPEN) connection.socket.send(data);
      else return 'gone';
      return 'sent';
    },
  };

  const turnSecret = options.turn?.secret ?? randomBytes(36).toString('base64url');
  const turnUrls = options.turn?.urls ?? turnUrlsForHosts(['127.0.0.1']);
  const store = new DynamoConnectionStore({ tableName: dynamo.tableName, client: dynamo.client });
  // Room settings take the deployed path: the stack's environment builders, then the functions' reader. The
  // callback URL is the harness itself, which plays API Gateway's management endpoint through `messenger`.
  const roomSettings = readRoomSettings({
    ...roomEnvironment({
      tableName: dynamo.tableName,
      maxRoomSize,
      connectionTtlSeconds: CONNECTION_TTL_SECONDS.default,
    }),
    ...callbackEnvironment(`http://${base}/@connections`),
  });
  const rooms = new RoomService(store, messenger, roomSettings);
  const pseudonymKey = options.turn?.pseudonymKey ?? randomBytes(36).toString('base64url');
  const turn = {
    secrets: new StaticTurnSecretProvider(turnSecret),
    pseudonymKey: new StaticPseudonymKeyProvider(pseudonymKey),
    urls: turnUrls,
    ttlSeconds: turnTtlSeconds,
  };
  const limiter = new RateLimiter(
    new DynamoRateCounter({ tableName: dynamo.tableName, client: dynamo.client }),
    rateLimits,
    options.rateLimitClock,
  );
  const routeDeps: RouteDeps = {
    rooms: () => rooms,
    turn: () => turn,
    limiter: () => limiter,
    log,
    nowMs: options.routeClock ?? Date.now,
  };
  const verifier = createTokenVerifier({
    issuer: issuer.issuer,
    audience: issuer.audience,
    keys: remoteKeySet(jwksUrl),
  });
  const tokenSource = options.tokenSource ?? DEFAULT_TOKEN_SOURCE;
  const authorizerDeps: AuthorizerDeps = { verify: () => verifier, tokenSource: () => tokenSource, log };

  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: GATEWAY_MAX_MESSAGE_BYTES,
    // Echo our subprotocol when offered (never the bearer entry, which holds the token).
    handleProtocols: (offered) => (offered.has(SIGNALING_SUBPROTOCOL) ? SIGNALING_SUBPROTOCOL : false),
  });

  const refuse = (socket: Socket, status: number, text: string) => {
    socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
  };

  http.on('upgrade', (request: IncomingMessage, socket: Socket, head: Buffer) => {
    void upgrade(request, socket, head).catch(() => refuse(socket, 500, 'Internal Server Error'));
  });

  async function upgrade(request: IncomingMessage, socket: Socket, head: Buffer): Promise<void> {
    const url = new URL(request.url ?? '/', `http://${base}`);
    const headers = flattenHeaders(request);
    // As API Gateway: the single-value map keeps a parameter's last value, the multi-value map keeps them all.
    const queryStringParameters = Object.fromEntries(url.searchParams.entries());
    const multiValueQueryStringParameters = Object.fromEntries(
      [...new Set(url.searchParams.keys())].map((key) => [key, url.searchParams.getAll(key)]),
    );
    const multiValueHeaders = multiValueHeadersOf(request);
    // API Gateway's own check: no identity source, no authorizer call, 401.
    if (!hasIdentitySource({ headers, queryStringParameters }, tokenSource)) {
      refuse(socket, 401, 'Unauthorized');
      return;
    }
    let authorizer: Record<string, unknown>;
    try {
      const result = await authorizerRoute(authorizerDeps, {
        methodArn: 'arn:aws:execute-api:local:000000000000:harness/local/$connect',
        headers,
        queryStringParameters,
        multiValueQueryStringParameters,
        multiValueHeaders,
      });
      authorizer = { ...result.context, principalId: result.principalId };
    } catch {
      refuse(socket, 401, 'Unauthorized');
      return;
    }
    const connectionId = newConnectionId();
    const connection: LocalConnection = { authorizer, pending: [] };
    connections.set(connectionId, connection);
    const connected = await connectRoute(routeDeps, {
      requestContext: { connectionId, requestId: randomUUID(), routeKey: '$connect', authorizer },
      headers,
      queryStringParameters,
    });
    if (connected.statusCode !== 200) {
      connections.delete(connectionId);
      refuse(socket, connected.statusCode, 'Refused');
      return;
    }
    wss.handleUpgrade(request, socket, head, (ws) => {
      connection.socket = ws;
      // Oversized frames close the socket with 1009 (as API Gateway does); the error itself needs no handling.
      ws.on('error', () => undefined);
      for (const data of connection.pending.splice(0)) ws.send(data);
      ws.on('message', (data: RawData) => void onFrame(connectionId, connection, data));
      ws.on('close', () => void onClose(connectionId, connection));
    });
  }

  async function onFrame(connectionId: string, connection: LocalConnection, data: RawData): Promise<void> {
    const body = rawToString(data);
    const event: WebSocketEvent = {
      requestContext: {
        connectionId,
        requestId: randomUUID(),
        routeKey: routeKeyOf(body),
        authorizer: connection.authorizer,
      },
      body,
      isBase64Encoded: false,
    };
    const action = event.requestContext.routeKey;
    const accepts: ClientAction[] = action === '$default' ? [] : [action as ClientAction];
    const response = await messageRoute(routeDeps, event, accepts);
    if (response.body && connection.socket?.readyState === WebSocket.OPEN) connection.socket.send(response.body);
  }

  async function onClose(connectionId: string, connection: LocalConnection): Promise<void> {
    connections.delete(connectionId);
    if (connection.skipDisconnect) return;
    await disconnectRoute(routeDeps, {
      requestContext: {
        connectionId,
        requestId: randomUUID(),
        routeKey: '$disconnect',
        authorizer: connection.authorizer,
      },
    });
  }

  return {
    url: `ws://${base}`,
    issuer,
    jwksUrl,
    turnSecret,
    pseudonymKey,
    turnUrls,
    store,
    maxRoomSize,
    connectionCount: () => [...connections.values()].filter((c) => c.socket?.readyState === WebSocket.OPEN).length,
    dropWithoutDisconnect(connectionId) {
      const connection = connections.get(connectionId);
      if (!connection?.socket) return;
      connection.skipDisconnect = true;
      connection.socket.terminate();
    },
    async stop() {
      for (const client of wss.clients) client.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      http.closeAllConnections();
      await new Promise<void>((resolve) => http.close(() => resolve()));
      await dynamo.stop();
    },
  };
}

/** Like API Gateway's `$request.body.action`: a known action's route, `$default` for anything else. */
function routeKeyOf(body: string): string {
  try {
    const action = (JSON.parse(body) as { action?: unknown }).action;
    if (typeof action === 'string' && (CLIENT_ACTIONS as readonly string[]).includes(action)) return action;
  } catch {
    // Not JSON: API Gateway routes it to $default.
  }
  return '$default';
}

function rawToString(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.from(data as ArrayBuffer).toString('utf8');
}

function flattenHeaders(request: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return headers;
}

function multiValueHeadersOf(request: IncomingMessage): Record<string, string[]> {
  const headers: Record<string, string[]> = {};
  for (let i = 0; i < request.rawHeaders.length; i += 2) {
    const name = request.rawHeaders[i];
    (headers[name] ??= []).push(request.rawHeaders[i + 1]);
  }
  return headers;
}

/** Shaped like API Gateway's connection ids: 12 random bytes, base64. */
function newConnectionId(): string {
  return randomBytes(12).toString('base64');
}
