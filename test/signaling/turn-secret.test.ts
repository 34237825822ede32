import { GetSecretValueCommand } from '@aws-sdk/client-secrets-manager';
import { parseTurnSecret, SecretsManagerTurnSecretProvider } from '../../lib/signaling/turn-secret';

const CURRENT = 'current-secret-0123456789-0123456789-abc';
const PREVIOUS = 'previous-secret-0123456789-0123456789-ab';

describe('parseTurnSecret', () => {
  test('reads {"current", "previous"}', () => {
    expect(parseTurnSecret(JSON.stringify({ current: CURRENT, previous: PREVIOUS }))).toEqual({
      current: CURRENT,
      previous: PREVIOUS,
    });
    expect(parseTurnSecret(JSON.stringify({ current: CURRENT }))).toEqual({ current: CURRENT });
  });

  test('ignores the rotation bookkeeping the relay side adds (pending, pendingSince, promotedAt)', () => {
    const document = {
      current: CURRENT,
      previous: PREVIOUS,
      pending: 'pending-secret-0123456789-0123456789-abc',
      pendingSince: 1,
      promotedAt: 2,
    };
    expect(parseTurnSecret(JSON.stringify(document))).toEqual({ current: CURRENT, previous: PREVIOUS });
  });

  test.each([
    ['not JSON', CURRENT],
    ['missing current', JSON.stringify({ previous: PREVIOUS })],
    ['short current', JSON.stringify({ current: 'short-secret' })],
    ['undefined', undefined],
  ])('refuses %s without quoting the value', (_name, value) => {
    expect(() => parseTurnSecret(value)).toThrow(/TURN secret/);
    try {
      parseTurnSecret(value);
    } catch (error) {
      expect(String(error)).not.toContain('current-secret');
      expect(String(error)).not.toContain('short-secret');
    }
  });
});

describe('SecretsManagerTurnSecretProvider', () => {
  function provider(cacheSeconds = 60) {
    let now = 1_000_000;
    let value = CURRENT;
    const send = jest.fn(async (command: GetSecretValueCommand) => {
      expect(command.input.SecretId).toBe('arn:aws:secretsmanager:us-east-1:111111111111:secret:turn-AbCdEf');
      return { SecretString: JSON.stringify({ current: value, previous: PREVIOUS }) };
    });
    const secrets = new SecretsManagerTurnSecretProvider({
      secretArn: 'arn:aws:secretsmanager:us-east-1:111111111111:secret:turn-AbCdEf',
      cacheSeconds,
      client: { send } as never,
      nowMs: () => now,
    });
    return { secrets, send, advance: (ms: number) => (now += ms), rotate: (next: string) => (value = next) };
  }

  test('signs with current, caches briefly, and picks up a rotation after the cache expires', async () => {
    const { secrets, send, advance, rotate } = provider(60);
    expect(await secrets.currentSecret()).toBe(CURRENT);
    expect(await secrets.currentSecret()).toBe(CURRENT);
    expect(send).toHaveBeenCalledTimes(1);
    const next = 'rotated-secret-0123456789-0123456789-abc';
    rotate(next);
    advance(59_000);
    expect(await secrets.currentSecret()).toBe(CURRENT);
    advance(2_000);
    expect(await secrets.currentSecret()).toBe(next);
    expect(send).toHaveBeenCalledTimes(2);
  });

  test('concurrent cold requests share one fetch', async () => {
    const { secrets, send } = provider();
    await Promise.all([secrets.currentSecret(), secrets.currentSecret(), secrets.currentSecret()]);
    expect(send).toHaveBeenCalledTimes(1);
  });

  test('a failed fetch is not cached', async () => {
    const send = jest
      .fn()
      .mockRejectedValueOnce(new Error('throttled'))
      .mockResolvedValue({ SecretString: JSON.stringify({ current: CURRENT }) });
    const secrets = new SecretsManagerTurnSecretProvider({ secretArn: 'arn:x', client: { send } as never });
    await expect(secrets.currentSecret()).rejects.toThrow('throttled');
    expect(await secrets.currentSecret()).toBe(CURRENT);
  });
});
