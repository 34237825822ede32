/** The pseudonym key is read from Secrets Manager once per function instance and kept; failures are not cached. */
import { GetSecretValueCommand } from '@aws-sdk/client-secrets-manager';
import { SecretsManagerPseudonymKeyProvider } from '../../lib/signaling/turn-pseudonym';

const ARN = 'arn:aws:secretsmanager:us-east-1:111111111111:secret:hipaa-rtc/example/signaling/turn-username-key-AbCdEf';
const KEY = 'k'.repeat(64);

function fakeClient(answers: Array<() => Promise<{ SecretString?: string }>>) {
  const calls: unknown[] = [];
  return {
    calls,
    send: jest.fn(async (command: unknown) => {
      calls.push(command);
      const next = answers.shift();
      if (!next) throw new Error('unexpected call');
      return next();
    }),
  };
}

test('one GetSecretValue for the secret, shared by concurrent requests, then cached for the instance', async () => {
  let release: (value: { SecretString: string }) => void = () => undefined;
  const client = fakeClient([() => new Promise((resolve) => (release = resolve))]);
  const provider = new SecretsManagerPseudonymKeyProvider({ secretArn: ARN, client: client as never });
  const first = Promise.all([provider.pseudonymKey(), provider.pseudonymKey()]);
  release({ SecretString: KEY });
  expect(await first).toEqual([KEY, KEY]);
  expect(await provider.pseudonymKey()).toBe(KEY);
  expect(client.calls).toHaveLength(1);
  expect(client.calls[0]).toBeInstanceOf(GetSecretValueCommand);
  expect((client.calls[0] as GetSecretValueCommand).input).toEqual({ SecretId: ARN });
});

test('a failed read is not cached, and a short key is refused without its value in the message', async () => {
  const client = fakeClient([
    () => Promise.reject(new Error('throttled')),
    () => Promise.resolve({ SecretString: 'short-secret-value' }),
    () => Promise.resolve({ SecretString: KEY }),
  ]);
  const provider = new SecretsManagerPseudonymKeyProvider({ secretArn: ARN, client: client as never });
  await expect(provider.pseudonymKey()).rejects.toThrow('throttled');
  const short = provider.pseudonymKey();
  await expect(short).rejects.toThrow(/fewer than 32 characters/);
  await expect(short).rejects.not.toThrow(/short-secret-value/);
  expect(await provider.pseudonymKey()).toBe(KEY);
  expect(client.calls).toHaveLength(3);
});
