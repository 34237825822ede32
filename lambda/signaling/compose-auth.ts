/** The authorizer's token verifier from the environment: ISSUER, AUDIENCE, JWKS_URL. */
import { createTokenVerifier, remoteKeySet, type TokenVerifier } from '../../lib/signaling/auth';
import { powertoolsLog } from '../../lib/signaling/log';
import type { AuthorizerDeps } from '../../lib/signaling/routes';
import { readAuthSettings } from '../../lib/signaling/settings';
import { once } from './compose';

export function authorizerDepsFromEnv(env: NodeJS.ProcessEnv = process.env): AuthorizerDeps {
  const verify = once<TokenVerifier>(() => {
    const settings = readAuthSettings(env);
    return createTokenVerifier({
      issuer: settings.issuer,
      audience: settings.audience,
      keys: remoteKeySet(settings.jwksUrl),
    });
  });
  return { verify, log: powertoolsLog() };
}
