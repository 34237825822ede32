/**
 * Per-connection request budgets for the routes that cost something: `join` (seat writes and a broadcast to the
 * room), `signal` (a delivery to a peer) and `ice-servers` (a fresh TURN credential, i.e. relay quota). API Gateway's
 * stage throttle is shared by every connection, so without these one authenticated connection could spend the whole
 * stage budget, flood its peers, or mint credentials as fast as the stage allows.
 *
 * The algorithm is a fixed window aligned to the epoch: window `floor(now / perSeconds)` admits `requests` requests.
 * The count lives in the table (one atomic increment per request, see rate-counter.ts), so it holds across Lambda
 * instances. Known property of fixed windows: a client can send `requests` at the very end of one window and
 * `requests` more at the start of the next, so the worst-case burst is twice the budget over a short moment; the
 * long-run rate never exceeds `requests / perSeconds`.
 *
 * Everything here is pure except RateLimiter, which only adds the counter and the clock.
 */

/** The message actions that are counted. `leave` is not: it only releases state and is bounded by `join`. */
export type LimitedAction = 'join' | 'signal' | 'ice-servers';
export const LIMITED_ACTIONS: readonly LimitedAction[] = ['join', 'signal', 'ice-servers'];

export interface RateLimit {
  /** Requests admitted per window. */
  readonly requests: number;
  /** Window length in seconds. */
  readonly perSeconds: number;
}

/** Keyed like the config (`iceServers`), not like the wire action (`ice-servers`). */
export interface RateLimits {
  readonly join: RateLimit;
  readonly signal: RateLimit;
  readonly iceServers: RateLimit;
}

const SETTING_OF: Readonly<Record<LimitedAction, keyof RateLimits>> = {
  join: 'join',
  signal: 'signal',
  'ice-servers': 'iceServers',
};

export function limitFor(limits: RateLimits, action: LimitedAction): RateLimit {
  return limits[SETTING_OF[action]];
}

export const RATE_LIMIT_BOUNDS = {
  requests: { min: 1, max: 1000 },
  /** A window longer than an hour would outlive most of a connection's 2-hour life and punish for too long. */
  perSeconds: { min: 1, max: 3600 },
  /** An offer, an answer and a handful of trickled ICE candidates: fewer per window breaks call setup. */
  minSignalRequests: 10,
} as const;

/**
 * Defaults sized for one-to-one visits: a browser fetches ICE servers once per call (plus a refresh or an ICE
 * restart), joins once, and sends an offer or answer and 5-30 candidates per peer connection within a few seconds.
 * Raise `signal` with the room size (a mesh of n peers sends to n-1 of them).
 */
export const DEFAULT_RATE_LIMITS: RateLimits = {
  join: { requests: 10, perSeconds: 60 },
  signal: { requests: 100, perSeconds: 10 },
  iceServers: { requests: 10, perSeconds: 60 },
};

/** Every problem with `limits`, each naming the setting and what to change; empty when valid. */
export function rateLimitProblems(limits: RateLimits): string[] {
  const problems: string[] = [];
  const { requests, perSeconds, minSignalRequests } = RATE_LIMIT_BOUNDS;
  for (const name of Object.keys(SETTING_OF).map((action) => SETTING_OF[action as LimitedAction])) {
    const limit = limits[name] as RateLimit | undefined;
    if (!limit) {
      problems.push(`rateLimits.${name} is missing; set { requests, perSeconds }`);
      continue;
    }
    if (!Number.isInteger(limit.requests) || limit.requests < requests.min || limit.requests > requests.max) {
      problems.push(
        `rateLimits.${name}.requests is ${limit.requests}; use an integer from ${requests.min} to ${requests.max}`,
      );
    }
    if (!Number.isInteger(limit.perSeconds) || limit.perSeconds < perSeconds.min || limit.perSeconds > perSeconds.max) {
      problems.push(
        `rateLimits.${name}.perSeconds is ${limit.perSeconds}; use an integer from ${perSeconds.min} to ${perSeconds.max}`,
      );
    }
  }
  if (limits.signal && limits.signal.requests < minSignalRequests) {
    problems.push(
      `rateLimits.signal.requests is ${limits.signal.requests}; at least ${minSignalRequests} per window are needed for an offer, an answer and ICE candidates`,
    );
  }
  return problems;
}

export interface RateWindow {
  /** `floor(now / perSeconds)`: the same for every request in the window, on every Lambda instance. */
  readonly index: number;
  /** When the window ends (epoch milliseconds). */
  readonly endsAtMs: number;
}

export function rateWindow(nowMs: number, perSeconds: number): RateWindow {
  const lengthMs = perSeconds * 1000;
  const index = Math.floor(nowMs / lengthMs);
  return { index, endsAtMs: (index + 1) * lengthMs };
}

/** Whole seconds until the window ends, at least 1 (a client told "retry in 0 s" would spin). */
export function retryAfterSeconds(nowMs: number, window: RateWindow): number {
  return Math.max(1, Math.ceil((window.endsAtMs - nowMs) / 1000));
}

/**
 * When a counter item may be swept: one window after its own ended. Items are keyed by window, so an item that
 * outlives this is never read again; TTL only keeps the table small.
 */
export function counterExpiresAt(window: RateWindow, perSeconds: number): number {
  return Math.ceil(window.endsAtMs / 1000) + perSeconds;
}

/** `join=10/60,signal=100/10,ice-servers=10/60`: the RATE_LIMITS environment variable the stack sets. */
export function formatRateLimits(limits: RateLimits): string {
  return LIMITED_ACTIONS.map((action) => {
    const limit = limitFor(limits, action);
    return `${action}=${limit.requests}/${limit.perSeconds}`;
  }).join(',');
}

/** Parses RATE_LIMITS; every action must be listed once. Throws one error naming every problem. */
export function parseRateLimits(text: string): RateLimits {
  const problems: string[] = [];
  const found: Partial<Record<keyof RateLimits, RateLimit>> = {};
  for (const entry of text
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean)) {
    const match = /^([a-z-]+)=(\d+)\/(\d+)$/.exec(entry);
    if (!match) {
      problems.push(`"${entry}" is not <action>=<requests>/<seconds>`);
      continue;
    }
    const action = match[1] as LimitedAction;
    if (!LIMITED_ACTIONS.includes(action)) {
      problems.push(`"${match[1]}" is not a limited action (${LIMITED_ACTIONS.join(', ')})`);
      continue;
    }
    const setting = SETTING_OF[action];
    if (found[setting]) problems.push(`${action} is listed twice`);
    found[setting] = { requests: Number(match[2]), perSeconds: Number(match[3]) };
  }
  for (const action of LIMITED_ACTIONS) {
    if (!found[SETTING_OF[action]]) problems.push(`${action} is missing`);
  }
  if (problems.length === 0) problems.push(...rateLimitProblems(found as RateLimits));
  if (problems.length > 0) throw new Error(`RATE_LIMITS is invalid: ${problems.join('; ')}`);
  return found as RateLimits;
}

/** Where a request is counted. */
export interface RateCounterKey {
  readonly connectionId: string;
  readonly action: LimitedAction;
  readonly window: number;
}

/** The shared count. Implementations must make `hit` atomic across concurrent callers and Lambda instances. */
export interface RateCounter {
  /** Counts one request; true while this window's count, this one included, is within `limit`. */
  hit(key: RateCounterKey, limit: number, expiresAt: number): Promise<boolean>;
}

export type Admission =
  | { readonly admitted: true }
  | { readonly admitted: false; readonly retryAfterSeconds: number; readonly limit: RateLimit };

export class RateLimiter {
  constructor(
    private readonly counter: RateCounter,
    private readonly limits: RateLimits,
    private readonly nowMs: () => number = Date.now,
  ) {}

  /** Counts the request against the connection's budget for `action`. Counter failures propagate (fail closed). */
  async admit(connectionId: string, action: LimitedAction): Promise<Admission> {
    const limit = limitFor(this.limits, action);
    const now = this.nowMs();
    const window = rateWindow(now, limit.perSeconds);
    const expiresAt = counterExpiresAt(window, limit.perSeconds);
    if (await this.counter.hit({ connectionId, action, window: window.index }, limit.requests, expiresAt)) {
      return { admitted: true };
    }
    return { admitted: false, retryAfterSeconds: retryAfterSeconds(now, window), limit };
  }
}
