/**
 * Where the TURN shared secret comes from. Contract with the relay (docs/relay.md, lib/relay/secret-rotation.ts): a
 * Secrets Manager secret whose SecretString is the rotation document `{"current", "previous"?, "pending"?, ...}`.
 * Signaling signs with `current` only; relays accept current, pending and previous-inside-its-window, synced into
 * coturn's database every minute (lib/relay/secret-sync.ts). The rotation function moves a new secret through
 * pending -> current -> previous, so signaling never signs with a secret relays do not yet accept.
 */
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import * as z from 'zod/mini';

export const TurnSecretDocument = z.object({
  current: z.string().check(z.minLength(32, 'current must be at least 32 characters')),
  previous: z.optional(z.string().check(z.minLength(32, 'previous must be at least 32 characters'))),
});
export type TurnSecretDocument = z.infer<typeof TurnSecretDocument>;

export interface TurnSecretProvider {
  /** The secret to sign new credentials with. */
  currentSecret(): Promise<string>;
}

/** Parses the secret without ever putting its value into an error message. */
export function parseTurnSecret(secretString: string | undefined): TurnSecretDocument {
  let json: unknown;
  try {
    json = JSON.parse(secretString ?? '');
  } catch {
    throw new Error('TURN secret is not JSON; expected {"current": "...", "previous": "..."}');
  }
  const parsed = TurnSecretDocument.safeParse(json);
  if (!parsed.success) {
    throw new Error(`TURN secret is malformed: ${parsed.error.issues.map((issue) => issue.path.join('.')).join(', ')}`);
  }
  return parsed.data;
}

export class StaticTurnSecretProvider implements TurnSecretProvider {
  constructor(private readonly secret: string) {}
  async currentSecret(): Promise<string> {
    return this.secret;
  }
}

export interface SecretsManagerTurnSecretProviderOptions {
  readonly secretArn: string;
  /** @default 60 seconds: short, so a rotation reaches new credentials within a minute without a call per request */
  readonly cacheSeconds?: number;
  /** @default a client from the Lambda environment */
  readonly client?: Pick<SecretsManagerClient, 'send'>;
  /** @default Date.now */
  readonly nowMs?: () => number;
}

export class SecretsManagerTurnSecretProvider implements TurnSecretProvider {
  private cached?: { value: string; fetchedAt: number };
  private inflight?: Promise<string>;
  private readonly client: Pick<SecretsManagerClient, 'send'>;
  private readonly cacheMs: number;
  private readonly nowMs: () => number;

  constructor(private readonly options: SecretsManagerTurnSecretProviderOptions) {
    this.client = options.client ?? new SecretsManagerClient({});
    this.cacheMs = (options.cacheSeconds ?? 60) * 1000;
    this.nowMs = options.nowMs ?? Date.now;
  }

  async currentSecret(): Promise<string> {
    if (this.cached && this.nowMs() - this.cached.fetchedAt < this.cacheMs) return this.cached.value;
    // Concurrent requests in one warm Lambda share a single fetch.
    this.inflight ??= this.fetch().finally(() => (this.inflight = undefined));
    return this.inflight;
  }

  private async fetch(): Promise<string> {
    const response = await this.client.send(new GetSecretValueCommand({ SecretId: this.options.secretArn }));
    const value = parseTurnSecret(response.SecretString).current;
    this.cached = { value, fetchedAt: this.nowMs() };
    return value;
  }
}
