/**
 * The bounds of signaling's deployment settings, each stated once with the reason for it. config/schema.ts checks a
 * config against them, the Signaling stack and its WebSocket API construct refuse settings outside them, the
 * functions' settings reader refuses an environment outside them, the dev harness applies them, and the relay derives
 * coturn's `max-allocate-lifetime` from the TURN credential TTL (lib/relay/fleet-turn-settings.ts).
 *
 * The per-route request budgets have their bounds beside their parser (RATE_LIMIT_BOUNDS in rate-limit.ts).
 *
 * No imports: the Lambda bundles and the config loader both take this file, and it must not pull anything in.
 */

/** A whole-number setting's range, its default, and why the range is what it is (quoted in every refusal). */
export interface IntegerBound {
  readonly min: number;
  readonly max: number;
  readonly why: string;
}

/** API Gateway closes a WebSocket connection after 2 hours (a quota that cannot be raised). */
export const WEBSOCKET_MAX_CONNECTION_SECONDS = 2 * 3600;

/**
 * The lifetime of a TURN credential signaling mints (`signaling.turnTtlSeconds`), which is also the longest
 * credential the relays must accept (the rotation overlap) and coturn's cap on one allocation grant.
 */
export const TURN_TTL_SECONDS = {
  min: 60,
  max: WEBSOCKET_MAX_CONNECTION_SECONDS,
  default: 3600,
  why:
    'a shorter credential can expire before ICE completes on a slow network; a call cannot outlive its WebSocket, ' +
    'which API Gateway closes after 2 hours',
} as const satisfies IntegerBound & { default: number };

/** Participants in one room (`signaling.maxRoomSize`). */
export const ROOM_SIZE = {
  min: 2,
  max: 50,
  /** A one-to-one visit. */
  default: 2,
  why:
    'a visit needs two people; every peer sends media and signals to every other peer (a mesh), which stops ' +
    'working long before 50',
} as const satisfies IntegerBound & { default: number };

/**
 * The stage-wide route throttle (`signaling.throttle`): API Gateway's default account quota per Region is 10,000
 * requests per second with a burst of 5,000, and a stage limit above the account's has no effect.
 */
export const STAGE_THROTTLE = {
  rateLimit: {
    min: 1,
    max: 10_000,
    why: 'requests per second; 0 would refuse every request, and API Gateway allows an account 10,000 by default',
  },
  burstLimit: {
    min: 1,
    max: 5_000,
    why: 'requests in a burst; 0 would refuse every request, and API Gateway allows an account 5,000 by default',
  },
} as const satisfies Record<string, IntegerBound>;

/**
 * How long a connection item lives in the table (not a config setting: the stack always writes the default). Past the
 * 2-hour connection limit, so the table's TTL only sweeps what a missed `$disconnect` left behind.
 */
export const CONNECTION_TTL_SECONDS = {
  min: WEBSOCKET_MAX_CONNECTION_SECONDS + 1,
  max: 30 * 24 * 3600,
  default: WEBSOCKET_MAX_CONNECTION_SECONDS + 3600,
  why: "longer than API Gateway's 2-hour connection limit, so the table's TTL never removes a live connection",
} as const satisfies IntegerBound & { default: number };

/**
 * Undefined when `value` is a whole number within `bound`, else the refusal: the setting's name, the value, the
 * range to use instead and why (for example `maxRoomSize is 1; use a whole number from 2 to 50 (a visit needs ...)`).
 */
export function boundProblem(name: string, value: unknown, bound: IntegerBound): string | undefined {
  if (typeof value === 'number' && Number.isInteger(value) && value >= bound.min && value <= bound.max) {
    return undefined;
  }
  return `${name} is ${String(value)}; use a whole number from ${bound.min} to ${bound.max} (${bound.why})`;
}
