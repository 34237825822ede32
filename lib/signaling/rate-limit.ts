/**
 * Request budgets for the routes that cost something: `join` (seat writes and a broadcast to the room), `signal` (a
 * delivery to a peer) and `ice-servers` (a fresh TURN credential, i.e. relay quota). API Gateway's stage throttle is
 * shared by every connection, so without these one authenticated connection could spend the whole stage budget, flood
 * its peers, or mint credentials as fast as the stage allows.
 *
 * Every budget is per connection; `join` and `ice-servers` also have a per-user budget (counted on the token's `sub`),
 * because a user can open any number of connections and would otherwise get that many times each budget: that many
 * TURN credentials (each a fresh relay username, so coturn's per-user quota does not help) and that much join/leave
 * churn pushed to the other people in a room. `signal` needs no per-user budget: a peer can only signal peers in its
 * own room, and `maxRoomSize` caps how many of one user's connections can be in a room, so the per-connection budget
 * already bounds what one recipient receives.
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

/** The actions that also have a per-user budget (see the top of this file for why `signal` has none). */
export type UserLimitedAction = 'join' | 'ice-servers';
export const USER_LIMITED_ACTIONS: readonly UserLimitedAction[] = ['join', 'ice-servers'];

/** Whose requests a count covers: one connection, or every connection of one user (the token's `sub`). */
export type RateScope = 'connection' | 'user';

export interface RateLimit {
  /** Requests admitted per window. */
  readonly requests: number;
  /** Window length in seconds. */
  readonly perSeconds: number;
}

/** Per-user budgets, shared by all of one user's connections. Keyed like the config. */
export interface PerUserRateLimits {
  readonly join: RateLimit;
  readonly iceServers: RateLimit;
}

/** Keyed like the config (`iceServers`), not like the wire action (`ice-servers`). */
export interface RateLimits {
  /** Per connection. */
  readonly join: RateLimit;
  /** Per connection. */
  readonly signal: RateLimit;
  /** Per connection. */
  readonly iceServers: RateLimit;
  /** Per user, on top of the per-connection budgets. */
  readonly perUser: PerUserRateLimits;
}

type ConnectionSetting = 'join' | 'signal' | 'iceServers';
type UserSetting = keyof PerUserRateLimits;

const SETTING_OF: Readonly<Record<LimitedAction, ConnectionSetting>> = {
  join: 'join',
  signal: 'signal',
  'ice-servers': 'iceServers',
};
const USER_SETTING_OF: Readonly<Record<UserLimitedAction, UserSetting>> = {
  join: 'join',
  'ice-servers': 'iceServers',
};

const isUserLimited = (action: LimitedAction): action is UserLimitedAction =>
  (USER_LIMITED_ACTIONS as readonly string[]).includes(action);

/** The per-connection budget for `action`. */
export function limitFor(limits: RateLimits, action: LimitedAction): RateLimit {
  return limits[SETTING_OF[action]];
}

/** The per-user budget for `action`, or undefined when the action has none (`signal`). */
export function userLimitFor(limits: RateLimits, action: LimitedAction): RateLimit | undefined {
  return isUserLimited(action) ? limits.perUser[USER_SETTING_OF[action]] : undefined;
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
 *
 * Per user, three connections' worth of `join` and `ice-servers` a minute: a clinician may have the app open in
 * two or three tabs or devices at once (desk, laptop, phone), and back-to-back visits each reconnect, join and fetch
 * credentials within seconds of the previous call, so one minute can legitimately hold several connections' ordinary
 * use. 30 a minute is still far below what a script with many connections could mint or churn (N x 10 a minute).
 */
export const DEFAULT_RATE_LIMITS: RateLimits = {
  join: { requests: 10, perSeconds: 60 },
  signal: { requests: 100, perSeconds: 10 },
  iceServers: { requests: 10, perSeconds: 60 },
  perUser: {
    join: { requests: 30, perSeconds: 60 },
    iceServers: { requests: 30, perSeconds: 60 },
  },
};

/** `10 per 60 s`: how messages name a budget. */
export const describeLimit = (limit: RateLimit): string => `${limit.requests} per ${limit.perSeconds} s`;

/** True when `a` admits fewer requests per second than `b` (compared without floating point). */
const slowerThan = (a: RateLimit, b: RateLimit): boolean => a.requests * b.perSeconds < b.requests * a.perSeconds;

/** Within RATE_LIMIT_BOUNDS: the same test as limitProblems, which says what is wrong. */
const isValidLimit = (limit: RateLimit): boolean => {
  const problems: string[] = [];
  limitProblems('limit', limit, problems);
  return problems.length === 0;
};

/**
 * The per-user budgets below the per-connection budget for the same action: a lower rate, or fewer requests per
 * window (5 per 30 s has the rate of 10 per 60 s but refuses a single connection's burst of 6). Such a per-user
 * budget refuses a single connection before that connection's own budget does, which makes the per-connection
 * budget meaningless and is almost certainly a mistake (e.g. raising `iceServers` and forgetting
 * `perUser.iceServers`).
 */
export function perUserBelowPerConnection(
  limits: RateLimits,
): { setting: UserSetting; perUser: RateLimit; perConnection: RateLimit }[] {
  const found = [];
  for (const action of USER_LIMITED_ACTIONS) {
    const setting = USER_SETTING_OF[action];
    const perUser = limits.perUser?.[setting] as RateLimit | undefined;
    const perConnection = limits[SETTING_OF[action]] as RateLimit | undefined;
    if (!perUser || !perConnection || !isValidLimit(perUser) || !isValidLimit(perConnection)) continue;
    if (slowerThan(perUser, perConnection) || perUser.requests < perConnection.requests) {
      found.push({ setting, perUser, perConnection });
    }
  }
  return found;
}

/** The message for one perUserBelowPerConnection finding, after the setting's name. */
export function perUserBelowPerConnectionMessage(finding: {
  setting: UserSetting;
  perUser: RateLimit;
  perConnection: RateLimit;
}): string {
  const { setting, perUser, perConnection } = finding;
  return (
    `is ${describeLimit(perUser)}, below the per-connection rateLimits.${setting} ` +
    `(${describeLimit(perConnection)}: a lower rate or fewer requests per window), so a single connection would be ` +
    `refused by its user's budget before its own and the per-connection budget would mean nothing; raise ` +
    `perUser.${setting} to at least as many requests at at least the same rate ` +
    `(for example ${describeLimit(perConnection)}) or lower rateLimits.${setting}`
  );
}

function limitProblems(name: string, limit: RateLimit | undefined, problems: string[]): void {
  const { requests, perSeconds } = RATE_LIMIT_BOUNDS;
  if (!limit) {
    problems.push(`${name} is missing; set { requests, perSeconds }`);
    return;
  }
  if (!Number.isInteger(limit.requests) || limit.requests < requests.min || limit.requests > requests.max) {
    problems.push(`${name}.requests is ${limit.requests}; use an integer from ${requests.min} to ${requests.max}`);
  }
  if (!Number.isInteger(limit.perSeconds) || limit.perSeconds < perSeconds.min || limit.perSeconds > perSeconds.max) {
    problems.push(
      `${name}.perSeconds is ${limit.perSeconds}; use an integer from ${perSeconds.min} to ${perSeconds.max}`,
    );
  }
}

/** Every problem with `limits`, each naming the setting and what to change; empty when valid. */
export function rateLimitProblems(limits: RateLimits): string[] {
  const problems: string[] = [];
  for (const action of LIMITED_ACTIONS) {
    const name = SETTING_OF[action];
    limitProblems(`rateLimits.${name}`, limits[name] as RateLimit | undefined, problems);
  }
  const perUser = limits.perUser as PerUserRateLimits | undefined;
  if (!perUser) {
    problems.push('rateLimits.perUser is missing; set { join, iceServers }, each { requests, perSeconds }');
  } else {
    for (const action of USER_LIMITED_ACTIONS) {
      const name = USER_SETTING_OF[action];
      limitProblems(`rateLimits.perUser.${name}`, perUser[name] as RateLimit | undefined, problems);
    }
  }
  const { minSignalRequests } = RATE_LIMIT_BOUNDS;
  if (limits.signal && limits.signal.requests < minSignalRequests) {
    problems.push(
      `rateLimits.signal.requests is ${limits.signal.requests}; at least ${minSignalRequests} per window are needed for an offer, an answer and ICE candidates`,
    );
  }
  for (const finding of perUserBelowPerConnection(limits)) {
    problems.push(`rateLimits.perUser.${finding.setting} ${perUserBelowPerConnectionMessage(finding)}`);
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

/** Marks a per-user entry in RATE_LIMITS. */
const USER_PREFIX = 'user:';
const ENTRY_SYNTAX = '<action>=<requests>/<seconds> or user:<action>=<requests>/<seconds>';

/**
 * The RATE_LIMITS environment variable the stack sets: the per-connection budgets, then the per-user ones with a
 * `user:` prefix, e.g. `join=10/60,signal=100/10,ice-servers=10/60,user:join=30/60,user:ice-servers=30/60`.
 */
export function formatRateLimits(limits: RateLimits): string {
  const entry = (name: string, limit: RateLimit) => `${name}=${limit.requests}/${limit.perSeconds}`;
  return [
    ...LIMITED_ACTIONS.map((action) => entry(action, limitFor(limits, action))),
    ...USER_LIMITED_ACTIONS.map((action) => entry(`${USER_PREFIX}${action}`, limits.perUser[USER_SETTING_OF[action]])),
  ].join(',');
}

/**
 * Parses RATE_LIMITS (see formatRateLimits): every action and every per-user action must be listed exactly once.
 * Throws one error naming every problem.
 */
export function parseRateLimits(text: string): RateLimits {
  const problems: string[] = [];
  const connection: Partial<Record<ConnectionSetting, RateLimit>> = {};
  const user: Partial<Record<UserSetting, RateLimit>> = {};
  for (const entry of text
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean)) {
    const match = /^(user:)?([a-z-]+)=(\d+)\/(\d+)$/.exec(entry);
    if (!match) {
      problems.push(`"${entry}" is not ${ENTRY_SYNTAX}`);
      continue;
    }
    const [, userPrefix, action, requests, perSeconds] = match;
    const limit = { requests: Number(requests), perSeconds: Number(perSeconds) };
    if (userPrefix) {
      if (!(USER_LIMITED_ACTIONS as readonly string[]).includes(action)) {
        problems.push(
          `"${USER_PREFIX}${action}" is not an action with a per-user budget (${USER_LIMITED_ACTIONS.map((a) => USER_PREFIX + a).join(', ')})`,
        );
        continue;
      }
      const setting = USER_SETTING_OF[action as UserLimitedAction];
      if (user[setting]) problems.push(`${USER_PREFIX}${action} is listed twice`);
      user[setting] = limit;
    } else {
      if (!(LIMITED_ACTIONS as readonly string[]).includes(action)) {
        problems.push(`"${action}" is not a limited action (${LIMITED_ACTIONS.join(', ')})`);
        continue;
      }
      const setting = SETTING_OF[action as LimitedAction];
      if (connection[setting]) problems.push(`${action} is listed twice`);
      connection[setting] = limit;
    }
  }
  for (const action of LIMITED_ACTIONS) {
    if (!connection[SETTING_OF[action]]) problems.push(`${action} is missing`);
  }
  for (const action of USER_LIMITED_ACTIONS) {
    if (!user[USER_SETTING_OF[action]]) problems.push(`${USER_PREFIX}${action} is missing`);
  }
  const limits = { ...connection, perUser: user } as RateLimits;
  if (problems.length === 0) problems.push(...rateLimitProblems(limits));
  if (problems.length > 0) throw new Error(`RATE_LIMITS is invalid: ${problems.join('; ')}`);
  return limits;
}

/** Whose count: a connection (its API Gateway connection id) or a user (the token's `sub`). */
export interface RateSubject {
  readonly scope: RateScope;
  readonly id: string;
}

/** Where a request is counted. */
export interface RateCounterKey {
  readonly subject: RateSubject;
  readonly action: LimitedAction;
  readonly window: number;
}

/** The shared count. Implementations must make `hit` atomic across concurrent callers and Lambda instances. */
export interface RateCounter {
  /** Counts one request; true while this window's count, this one included, is within `limit`. */
  hit(key: RateCounterKey, limit: number, expiresAt: number): Promise<boolean>;
}

/** Who is asking: the connection and the authenticated user behind it. */
export interface RateCaller {
  readonly connectionId: string;
  readonly sub: string;
}

export type Admission =
  | { readonly admitted: true }
  | {
      readonly admitted: false;
      /** The budget that refused: the connection's, or the user's (all of their connections). */
      readonly scope: RateScope;
      readonly retryAfterSeconds: number;
      readonly limit: RateLimit;
    };

type Refusal = Admission & { admitted: false };

export class RateLimiter {
  constructor(
    private readonly counter: RateCounter,
    private readonly limits: RateLimits,
    private readonly nowMs: () => number = Date.now,
  ) {}

  /**
   * Counts the request against the connection's budget for `action` and, for actions with one, the user's. Both
   * counts are sent together (no extra round trip) and both are always taken, so a request one budget refuses still
   * counts against the other. Admitted only when both are within budget; when both refuse, the answer is the one
   * that lasts longer (the user's on a tie: another connection would not help). A failing count propagates, so the
   * route fails closed.
   */
  async admit(caller: RateCaller, action: LimitedAction): Promise<Admission> {
    const now = this.nowMs();
    const budgets: { subject: RateSubject; limit: RateLimit }[] = [
      { subject: { scope: 'connection', id: caller.connectionId }, limit: limitFor(this.limits, action) },
    ];
    const perUser = userLimitFor(this.limits, action);
    if (perUser) {
      // Every sub-less caller would share one count; the authorizer never lets one through, but fail closed anyway.
      if (!caller.sub) throw new Error('a per-user rate limit needs the caller sub');
      budgets.push({ subject: { scope: 'user', id: caller.sub }, limit: perUser });
    }
    const verdicts = await Promise.all(budgets.map(({ subject, limit }) => this.count(subject, action, limit, now)));
    let refusal: Refusal | undefined;
    for (const verdict of verdicts) {
      // Later budgets win ties, and the user's budget comes last.
      if (!verdict.admitted && (!refusal || verdict.retryAfterSeconds >= refusal.retryAfterSeconds)) refusal = verdict;
    }
    return refusal ?? { admitted: true };
  }

  private async count(subject: RateSubject, action: LimitedAction, limit: RateLimit, now: number): Promise<Admission> {
    const window = rateWindow(now, limit.perSeconds);
    const expiresAt = counterExpiresAt(window, limit.perSeconds);
    if (await this.counter.hit({ subject, action, window: window.index }, limit.requests, expiresAt)) {
      return { admitted: true };
    }
    return { admitted: false, scope: subject.scope, retryAfterSeconds: retryAfterSeconds(now, window), limit };
  }
}
