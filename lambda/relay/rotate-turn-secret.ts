/**
 * Lambda entry for the TURN secret rotation function (bundled by the Relay stack). Settings come from the
 * environment on first use; the SDK client is created once per cold start.
 */
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { powertoolsRotationLog } from '../../lib/relay/rotation-log';
import { generateTurnSecret } from '../../lib/relay/rotation-new-secret';
import { readRotationSettings } from '../../lib/relay/rotation-settings';
import { createRotationHandler } from './rotation-handler';

function once<T>(build: () => T): () => T {
  let value: { built: T } | undefined;
  return () => (value ??= { built: build() }).built;
}

export const handler = createRotationHandler({
  settings: once(() => readRotationSettings(process.env)),
  client: once(() => new SecretsManagerClient({})),
  regionClient: (() => {
    // One client per replica region, kept for the warm function's life.
    const clients = new Map<string, SecretsManagerClient>();
    return (region: string) => {
      let client = clients.get(region);
      if (client === undefined) clients.set(region, (client = new SecretsManagerClient({ region })));
      return client;
    };
  })(),
  log: powertoolsRotationLog(),
  nowMs: Date.now,
  newSecret: () => generateTurnSecret(),
});
