/** The authorizer's token verifier from the environment: SIGNALING_ENV.auth (lib/signaling/environment.ts). */
import { createTokenVerifier, remoteKeySet, type TokenVerifier } from '../../lib/signaling/auth';
import { powertoolsLog } from '../../lib/signaling/log';
import type { AuthorizerDeps } from '../../lib/signaling/routes';
import { readAuthSettings } from '../../lib/signaling/settings';
import { once } from './compose';

export function authorizerDepsFromEnv(env: NodeJS.ProcessEnv = process.env): AuthorizerDeps {
  const settings = once(() => readAuthSettings(env));
  const verify = once<TokenVerifier>(() => {
    const { issuer, audience, jwksUrl } = settings();
    return createTokenVerifier({ issuer, audience, keys: remoteKeySet(jwksUrl) });
  });
  return { verify, tokenSource: () => settings().tokenSource, log: powertoolsLog() };
}
