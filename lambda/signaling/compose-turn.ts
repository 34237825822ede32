/** TURN settings from the environment: SIGNALING_ENV.turn (lib/signaling/environment.ts). */
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { TurnDeps } from '../../lib/signaling/routes';
import { readTurnSettings } from '../../lib/signaling/settings';
import { SecretsManagerPseudonymKeyProvider } from '../../lib/signaling/turn-pseudonym';
import { SecretsManagerTurnSecretProvider } from '../../lib/signaling/turn-secret';
import { once } from './compose';

export function turnFromEnv(env: NodeJS.ProcessEnv = process.env): () => TurnDeps {
  return once(() => {
    const settings = readTurnSettings(env);
    // One client for both secrets: one pool of kept-alive connections to Secrets Manager per instance.
    const client = new SecretsManagerClient({});
    const secrets = new SecretsManagerTurnSecretProvider({ secretArn: settings.secretArn, client });
    const pseudonymKey = new SecretsManagerPseudonymKeyProvider({ secretArn: settings.pseudonymKeyArn, client });
    return { secrets, pseudonymKey, urls: settings.urls, ttlSeconds: settings.ttlSeconds };
  });
}
