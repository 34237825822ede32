/**
 * The Signaling stack's settings and their check: pure, so config, the stack and tests judge them the same way without
 * building a stack. Bounds come from bounds.ts and rate-limit.ts.
 */
import type * as logs from 'aws-cdk-lib/aws-logs';
import type { TokenSource } from '../constructs/signaling-websocket-api';
import { boundProblem, ROOM_SIZE, STAGE_THROTTLE, TURN_TTL_SECONDS } from './bounds';
import type { OidcIssuer } from './oidc-issuer';
import { rateLimitProblems, type RateLimits } from './rate-limit';

/** An OIDC issuer other than the stack's own Cognito user pool. */
export type ExternalIssuer = OidcIssuer;

/** Signaling settings (from config, through bin/). */
export interface SignalingSettings {
  /** Names log groups under the project prefix. */
  readonly deploymentName: string;
  /** Relay hostnames; each gets turn: (UDP, TCP) and turns: URLs. */
  readonly relayHostnames: readonly string[];
  /** Stage-wide default throttle, within STAGE_THROTTLE (lib/signaling/bounds.ts). */
  readonly throttle: { readonly rateLimit: number; readonly burstLimit: number };
  readonly logRetention: logs.RetentionDays;
  /**
   * Most participants in one room, within ROOM_SIZE (lib/signaling/bounds.ts).
   * @default ROOM_SIZE.default (2, a one-to-one visit)
   */
  readonly maxRoomSize?: number;
  /**
   * Server-side cap on TURN credential lifetime, within TURN_TTL_SECONDS (lib/signaling/bounds.ts).
   * @default TURN_TTL_SECONDS.default (3600)
   */
  readonly turnTtlSeconds?: number;
  /**
   * Per-connection budgets for `join`, `signal` and `ice-servers`, and per-user budgets (`perUser`, shared by all of
   * one user's connections) for `join` and `ice-servers`, counted in the connection table (fixed windows), on top of
   * the stage-wide throttle. A per-user budget below the per-connection one (lower rate or fewer requests) is refused.
   * @default DEFAULT_RATE_LIMITS: per connection join 10 per 60 s, signal 100 per 10 s, ice-servers 10 per 60 s;
   * per user join 30 per 60 s, ice-servers 30 per 60 s
   */
  readonly rateLimits?: RateLimits;
  /**
   * Relay ports.
   * @default 3478 for turn:, 5349 for turns:
   */
  readonly turnPorts?: { readonly plain?: number; readonly tls?: number };
  /**
   * Where `$connect` looks for the token (API Gateway requires the identity source to be present).
   * @default 'query'
   */
  readonly tokenSource?: TokenSource;
  /**
   * The token issuer.
   * @default - a Cognito user pool created by this stack (ID tokens; audience = its app client)
   */
  readonly issuer?: ExternalIssuer;
  /**
   * Reserved concurrency per function.
   * @default - none (the account's unreserved pool)
   */
  readonly reservedConcurrency?: number;
}

const HOSTNAME =
  /^(?=.{1,253}$)([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)*[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;

/** Rejects settings that would deploy an insecure or broken API, with what to change. */
export function validateSettings(settings: SignalingSettings): SignalingSettings {
  const problems: string[] = [];
  const bounded = [
    boundProblem('maxRoomSize', settings.maxRoomSize ?? ROOM_SIZE.default, ROOM_SIZE),
    boundProblem('turnTtlSeconds', settings.turnTtlSeconds ?? TURN_TTL_SECONDS.default, TURN_TTL_SECONDS),
    boundProblem('throttle.rateLimit', settings.throttle.rateLimit, STAGE_THROTTLE.rateLimit),
    boundProblem('throttle.burstLimit', settings.throttle.burstLimit, STAGE_THROTTLE.burstLimit),
  ];
  problems.push(...bounded.filter((problem) => problem !== undefined));
  if (settings.relayHostnames.length === 0) problems.push('relayHostnames is empty; list the relay DNS names');
  for (const host of settings.relayHostnames) {
    if (!HOSTNAME.test(host)) problems.push(`relayHostnames has "${host}", which is not a DNS name`);
  }
  if (settings.rateLimits) problems.push(...rateLimitProblems(settings.rateLimits));
  if (settings.issuer && !settings.issuer.jwksUrl.startsWith('https://')) {
    problems.push('issuer.jwksUrl must be an https URL');
  }
  if (problems.length > 0) throw new Error(`Signaling settings are invalid:\n  - ${problems.join('\n  - ')}`);
  return settings;
}
