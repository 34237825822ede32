/**
 * Handler settings from the Lambda environment (set by the Signaling stack), validated on first use so a
 * misconfiguration fails loudly, naming the variable, instead of misbehaving per message. Plain code rather than
 * a schema library: a dozen variables do not justify the bundle weight. The variables' names and the stack's
 * builders are one contract (environment.ts); their bounds are bounds.ts. Every variable the stack always writes is
 * required here: a missing one is a wiring mistake, not a reason to fall back to a default.
 */
import { boundProblem, CONNECTION_TTL_SECONDS, ROOM_SIZE, TURN_TTL_SECONDS, type IntegerBound } from './bounds';
import { SIGNALING_ENV } from './environment';
import { validateTurnUrls } from './ice-servers';
import { TOKEN_SOURCES, type TokenSource } from './protocol';
import { parseRateLimits, type RateLimits } from './rate-limit';
import { SettingsError } from './settings-error';

type Env = NodeJS.ProcessEnv;

export { SettingsError } from './settings-error';

class Reader {
  readonly problems: string[] = [];
  constructor(private readonly env: Env) {}

  string(name: string): string {
    const value = this.env[name];
    if (!value) this.problems.push(`${name} is required`);
    return value ?? '';
  }

  url(name: string): string {
    const value = this.string(name);
    if (value && !URL.canParse(value)) this.problems.push(`${name} must be a URL`);
    return value;
  }

  /** A required whole number within `bound`. */
  boundedInt(name: string, bound: IntegerBound): number {
    const raw = this.string(name);
    if (!raw) return NaN;
    const value = /^\d+$/.test(raw) ? Number(raw) : raw;
    const problem = boundProblem(name, value, bound);
    if (problem) this.problems.push(problem);
    return Number(value);
  }

  done<T>(what: string, value: T): T {
    if (this.problems.length > 0)
      throw new SettingsError(
        `Signaling ${what} settings are invalid: ${this.problems.join('; ')}. The Signaling stack sets these ` +
          "variables: redeploy it (cdk deploy) rather than editing the function's environment by hand",
      );
    return value;
  }
}

export function readAuthSettings(env: Env) {
  const read = new Reader(env);
  // Required, no default: the authorizer must read the token where the stage's identity source is, or it would
  // accept tokens from a place the deployment meant to keep them out of.
  const names = SIGNALING_ENV.auth;
  const tokenSource = read.string(names.tokenSource);
  if (tokenSource && !(TOKEN_SOURCES as readonly string[]).includes(tokenSource)) {
    read.problems.push(`${names.tokenSource} must be one of ${TOKEN_SOURCES.join(', ')}`);
  }
  return read.done('authorizer', {
    issuer: read.string(names.issuer),
    audience: read.string(names.audience),
    jwksUrl: read.url(names.jwksUrl),
    tokenSource: tokenSource as TokenSource,
  });
}

export function readRoomSettings(env: Env) {
  const read = new Reader(env);
  const names = SIGNALING_ENV.rooms;
  return read.done('room', {
    tableName: read.string(names.tableName),
    callbackUrl: read.url(names.callbackUrl),
    maxRoomSize: read.boundedInt(names.maxRoomSize, ROOM_SIZE),
    connectionTtlSeconds: read.boundedInt(names.connectionTtlSeconds, CONNECTION_TTL_SECONDS),
  });
}

/**
 * TABLE_NAME and RATE_LIMITS: the per-connection budgets, then the per-user ones with a `user:` prefix, each exactly
 * once (`join=10/60,signal=100/10,ice-servers=10/60,user:join=30/60,user:ice-servers=30/60`, see formatRateLimits).
 * Required, with no default: a function that counts requests must be told its budgets, so a missing variable (or one
 * from before the per-user budgets) fails the first request instead of silently running unlimited.
 */
export function readRateLimitSettings(env: Env) {
  const read = new Reader(env);
  const names = SIGNALING_ENV.rateLimits;
  const tableName = read.string(names.tableName);
  const raw = read.string(names.limits);
  let limits: RateLimits | undefined;
  try {
    if (raw) limits = parseRateLimits(raw);
  } catch (error) {
    read.problems.push((error as Error).message);
  }
  return read.done('rate-limit', { tableName, limits: limits as RateLimits });
}

export function readTurnSettings(env: Env) {
  const read = new Reader(env);
  const names = SIGNALING_ENV.turn;
  const secretArn = read.string(names.secretArn);
  if (secretArn && !secretArn.startsWith('arn:')) {
    read.problems.push(`${names.secretArn} must be a Secrets Manager ARN`);
  }
  const rawUrls = read.string(names.urls);
  const ttlSeconds = read.boundedInt(names.ttlSeconds, TURN_TTL_SECONDS);
  const pseudonymKeyArn = read.string(names.pseudonymKeyArn);
  if (pseudonymKeyArn && !pseudonymKeyArn.startsWith('arn:')) {
    read.problems.push(`${names.pseudonymKeyArn} must be a Secrets Manager ARN`);
  }
  let urls: string[] = [];
  try {
    if (rawUrls)
      urls = validateTurnUrls(
        rawUrls
          .split(',')
          .map((url) => url.trim())
          .filter(Boolean),
      );
  } catch (error) {
    read.problems.push((error as Error).message);
  }
  return read.done('TURN', { secretArn, pseudonymKeyArn, urls, ttlSeconds });
}
