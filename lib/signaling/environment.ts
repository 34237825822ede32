/**
 * The contract between the Signaling stack, which writes the functions' environment, and the functions' settings
 * reader (settings.ts), which reads it: every variable's name, once, and a typed builder per group. The stack, the
 * reader, the dev harness and the tests all use these, so a renamed or added variable cannot reach one side only
 * (test/signaling/environment.test.ts checks that the stack writes exactly what the readers read).
 *
 * Two variables are written after the function exists, because their values come from the API that needs the
 * functions first: TOKEN_SOURCE (by SignalingWebSocketApi, from the stage's identity source) and CALLBACK_URL (by the
 * stack, once the stage exists). They have their own builders for that reason.
 */
import type { TokenSource } from './protocol';
import { formatRateLimits, type RateLimits } from './rate-limit';

export const SIGNALING_ENV = {
  /** The `$connect` authorizer. */
  auth: {
    issuer: 'ISSUER',
    audience: 'AUDIENCE',
    jwksUrl: 'JWKS_URL',
    tokenSource: 'TOKEN_SOURCE',
  },
  /** Room state and delivery: `$connect`, `$disconnect`, join, signal, leave. */
  rooms: {
    tableName: 'TABLE_NAME',
    callbackUrl: 'CALLBACK_URL',
    maxRoomSize: 'MAX_ROOM_SIZE',
    connectionTtlSeconds: 'CONNECTION_TTL_SECONDS',
  },
  /** Request budgets: join, signal, ice-servers. */
  rateLimits: {
    tableName: 'TABLE_NAME',
    limits: 'RATE_LIMITS',
  },
  /** TURN credentials: ice-servers. */
  turn: {
    secretArn: 'TURN_SECRET_ARN',
    pseudonymKeyArn: 'TURN_PSEUDONYM_KEY_ARN',
    urls: 'TURN_URLS',
    ttlSeconds: 'TURN_TTL_SECONDS',
  },
  /** Room grants: the Cognito pre-token trigger. */
  preToken: {
    tableName: 'TABLE_NAME',
  },
} as const;

type Environment = Record<string, string>;

/** The authorizer's token issuer; TOKEN_SOURCE follows from the stage (tokenSourceEnvironment). */
export function authEnvironment(s: { issuer: string; audience: string; jwksUrl: string }): Environment {
  const names = SIGNALING_ENV.auth;
  return { [names.issuer]: s.issuer, [names.audience]: s.audience, [names.jwksUrl]: s.jwksUrl };
}

/** Where the authorizer reads the token: always the stage's identity source. */
export function tokenSourceEnvironment(tokenSource: TokenSource): Environment {
  return { [SIGNALING_ENV.auth.tokenSource]: tokenSource };
}

/** Room settings known when the functions are created; CALLBACK_URL follows from the stage (callbackEnvironment). */
export function roomEnvironment(s: {
  tableName: string;
  maxRoomSize: number;
  connectionTtlSeconds: number;
}): Environment {
  const names = SIGNALING_ENV.rooms;
  return {
    [names.tableName]: s.tableName,
    [names.maxRoomSize]: String(s.maxRoomSize),
    [names.connectionTtlSeconds]: String(s.connectionTtlSeconds),
  };
}

/** Where room functions post to connections: the stage's callback URL. */
export function callbackEnvironment(callbackUrl: string): Environment {
  return { [SIGNALING_ENV.rooms.callbackUrl]: callbackUrl };
}

export function rateLimitEnvironment(s: { tableName: string; limits: RateLimits }): Environment {
  const names = SIGNALING_ENV.rateLimits;
  return { [names.tableName]: s.tableName, [names.limits]: formatRateLimits(s.limits) };
}

export function turnEnvironment(s: {
  secretArn: string;
  pseudonymKeyArn: string;
  urls: readonly string[];
  ttlSeconds: number;
}): Environment {
  const names = SIGNALING_ENV.turn;
  return {
    [names.secretArn]: s.secretArn,
    [names.pseudonymKeyArn]: s.pseudonymKeyArn,
    [names.urls]: s.urls.join(','),
    [names.ttlSeconds]: String(s.ttlSeconds),
  };
}

export function preTokenEnvironment(s: { tableName: string }): Environment {
  return { [SIGNALING_ENV.preToken.tableName]: s.tableName };
}

/** Applies late variables to a function that exists (CALLBACK_URL, TOKEN_SOURCE). */
export function addEnvironment(
  fn: { addEnvironment(key: string, value: string): unknown },
  environment: Environment,
): void {
  for (const [name, value] of Object.entries(environment)) fn.addEnvironment(name, value);
}
