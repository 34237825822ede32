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
    // One client per replica region, kept for the warm function's life. Its reads are bounded (two attempts of at
    // most 3 s to connect and 5 s to answer), so a region that does not answer fails the tick inside the function's
    // 30 s timeout, with the AWS error named, instead of a timeout that says nothing.
    const clients = new Map<string, SecretsManagerClient>();
    return (region: string) => {
      let client = clients.get(region);
      if (client === undefined) {
        client = new SecretsManagerClient({
          region,
          maxAttempts: 2,
          requestHandler: { connectionTimeout: 3_000, requestTimeout: 5_000 },
        });
        clients.set(region, client);
      }
      return client;
    };
  })(),
  log: powertoolsRotationLog(),
  nowMs: Date.now,
  newSecret: () => generateTurnSecret(),
});
