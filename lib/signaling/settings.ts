/**
 * Handler settings from the Lambda environment (set by the Signaling stack), validated on first use so a
 * misconfiguration fails loudly, naming the variable, instead of misbehaving per message. Plain code rather than
 * a schema library: eight variables do not justify the bundle weight.
 */
import { validateTurnUrls } from './ice-servers';
import { TOKEN_SOURCES, type TokenSource } from './protocol';
import { parseRateLimits, type RateLimits } from './rate-limit';
import { SettingsError } from './settings-error';

/** Longest TURN credential we ever mint: API Gateway closes a WebSocket after 2 hours, so a call cannot last longer. */
export const MAX_TURN_TTL_SECONDS = 7200;

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

  positiveInt(name: string, fallback: number): number {
    const raw = this.env[name];
    const value = raw === undefined || raw === '' ? fallback : Number(raw);
    if (!Number.isInteger(value) || value <= 0) this.problems.push(`${name} must be a positive integer`);
    return value;
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
  const tokenSource = read.string('TOKEN_SOURCE');
  if (tokenSource && !(TOKEN_SOURCES as readonly string[]).includes(tokenSource)) {
    read.problems.push(`TOKEN_SOURCE must be one of ${TOKEN_SOURCES.join(', ')}`);
  }
  return read.done('authorizer', {
    issuer: read.string('ISSUER'),
    audience: read.string('AUDIENCE'),
    jwksUrl: read.url('JWKS_URL'),
    tokenSource: tokenSource as TokenSource,
  });
}

export function readRoomSettings(env: Env) {
  const read = new Reader(env);
  return read.done('room', {
    tableName: read.string('TABLE_NAME'),
    callbackUrl: read.url('CALLBACK_URL'),
    maxRoomSize: read.positiveInt('MAX_ROOM_SIZE', 2),
    connectionTtlSeconds: read.positiveInt('CONNECTION_TTL_SECONDS', 3 * 3600),
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
  const tableName = read.string('TABLE_NAME');
  const raw = read.string('RATE_LIMITS');
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
  const secretArn = read.string('TURN_SECRET_ARN');
  if (secretArn && !secretArn.startsWith('arn:')) read.problems.push('TURN_SECRET_ARN must be a Secrets Manager ARN');
  const rawUrls = read.string('TURN_URLS');
  const ttlSeconds = read.positiveInt('TURN_TTL_SECONDS', 3600);
  if (Number.isInteger(ttlSeconds) && (ttlSeconds < 60 || ttlSeconds > MAX_TURN_TTL_SECONDS)) {
    read.problems.push(`TURN_TTL_SECONDS must be between 60 and ${MAX_TURN_TTL_SECONDS}`);
  }
  const secretCacheSeconds = read.positiveInt('TURN_SECRET_CACHE_SECONDS', 60);
  const pseudonymKeyArn = read.string('TURN_PSEUDONYM_KEY_ARN');
  if (pseudonymKeyArn && !pseudonymKeyArn.startsWith('arn:')) {
    read.problems.push('TURN_PSEUDONYM_KEY_ARN must be a Secrets Manager ARN');
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
  return read.done('TURN', { secretArn, pseudonymKeyArn, urls, ttlSeconds, secretCacheSeconds });
}
