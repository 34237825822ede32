/** TURN settings from the environment: TURN_SECRET_ARN, TURN_URLS, TURN_TTL_SECONDS, TURN_SECRET_CACHE_SECONDS. */
import type { TurnDeps } from '../../lib/signaling/routes';
import { readTurnSettings } from '../../lib/signaling/settings';
import { SecretsManagerTurnSecretProvider } from '../../lib/signaling/turn-secret';
import { once } from './compose';

export function turnFromEnv(env: NodeJS.ProcessEnv = process.env): () => TurnDeps {
  return once(() => {
    const settings = readTurnSettings(env);
    const secrets = new SecretsManagerTurnSecretProvider({
      secretArn: settings.secretArn,
      cacheSeconds: settings.secretCacheSeconds,
    });
    return { secrets, urls: settings.urls, ttlSeconds: settings.ttlSeconds };
  });
}
