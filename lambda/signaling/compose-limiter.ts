/** Per-connection and per-user rate limits from the environment: SIGNALING_ENV.rateLimits (lib/signaling/environment.ts). */
import { DynamoRateCounter } from '../../lib/signaling/rate-counter';
import { RateLimiter } from '../../lib/signaling/rate-limit';
import { readRateLimitSettings } from '../../lib/signaling/settings';
import { once } from './compose';
import { tableClient } from './compose-table';

export function limiterFromEnv(env: NodeJS.ProcessEnv = process.env): () => RateLimiter {
  return once(() => {
    const settings = readRateLimitSettings(env);
    return new RateLimiter(
      new DynamoRateCounter({ tableName: settings.tableName, client: tableClient() }),
      settings.limits,
    );
  });
}
