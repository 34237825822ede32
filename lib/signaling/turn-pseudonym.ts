/**
 * The id in a TURN username: a pseudonym of the token subject, never the subject. Relays log usernames (allocations,
 * refusals), so whatever the subject holds would reach relay logs; a check of the subject's shape cannot catch every
 * identifier a misconfigured issuer might put there (`JohnSmith19800101` looks as random as a UUID to any test of
 * shape). The pseudonym makes usernames PHI-free by construction:
 *
 *   pseudonym = base64url(HMAC-SHA256(key, "hipaa-rtc/turn-username/v1\0" || sub))[0..32]
 *
 * - stable per subject and key, so relay logs still show one subject's sessions together, and whoever holds the key
 *   (signaling, and an investigator through it) can recompute a subject's pseudonym to trace abuse;
 * - without the key it reveals nothing about the subject (HMAC is a PRF), and it cannot be reversed by trying
 *   likely subjects (names, dates of birth, phone numbers) without the key;
 * - 32 base64url characters (192 bits): no collisions in practice, and it fits the opaque-id rule of usernames.
 *
 * The key lives in a Secrets Manager secret of the Signaling stack, encrypted with that stack's CMK; only the
 * ice-servers function may read it (lib/stacks/signaling-stack.ts).
 */
import { createHmac } from 'node:crypto';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';

/** Domain separation: the same key must never yield the same value for another purpose. */
const CONTEXT = 'hipaa-rtc/turn-username/v1\0';
/** Shortest key accepted: a generated 64-character secret has ~380 bits; anything under 32 characters is a mistake. */
export const MIN_PSEUDONYM_KEY_LENGTH = 32;

export function turnPseudonym(key: string, sub: string): string {
  if (key.length < MIN_PSEUDONYM_KEY_LENGTH) {
    throw new Error(`TURN pseudonym key is shorter than ${MIN_PSEUDONYM_KEY_LENGTH} characters; regenerate it`);
  }
  if (sub.length === 0) throw new Error('a TURN pseudonym needs a subject');
  return createHmac('sha256', key).update(CONTEXT).update(sub, 'utf8').digest('base64url').slice(0, 32);
}

export interface PseudonymKeyProvider {
  pseudonymKey(): Promise<string>;
}

export class StaticPseudonymKeyProvider implements PseudonymKeyProvider {
  constructor(private readonly key: string) {}
  async pseudonymKey(): Promise<string> {
    return this.key;
  }
}

export interface SecretsManagerPseudonymKeyProviderOptions {
  readonly secretArn: string;
  /** @default a client from the Lambda environment */
  readonly client?: Pick<SecretsManagerClient, 'send'>;
}

/**
 * Reads the key once per function instance and keeps it: the key does not rotate (a new key gives every subject a
 * new pseudonym), so there is nothing to refresh, and a warm instance never calls Secrets Manager again. A failed
 * read is not cached: the next request tries again.
 */
export class SecretsManagerPseudonymKeyProvider implements PseudonymKeyProvider {
  private key?: Promise<string>;
  private readonly client: Pick<SecretsManagerClient, 'send'>;

  constructor(private readonly options: SecretsManagerPseudonymKeyProviderOptions) {
    this.client = options.client ?? new SecretsManagerClient({});
  }

  pseudonymKey(): Promise<string> {
    this.key ??= this.fetch().catch((error: unknown) => {
      this.key = undefined;
      throw error;
    });
    return this.key;
  }

  private async fetch(): Promise<string> {
    const response = await this.client.send(new GetSecretValueCommand({ SecretId: this.options.secretArn }));
    const key = response.SecretString ?? '';
    // Never the value in the message.
    if (key.length < MIN_PSEUDONYM_KEY_LENGTH) {
      throw new Error(`TURN pseudonym key secret holds fewer than ${MIN_PSEUDONYM_KEY_LENGTH} characters`);
    }
    return key;
  }
}
