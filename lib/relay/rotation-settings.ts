/**
 * The rotation function's settings, from the environment the Relay stack sets. Read once per cold start; a missing
 * or malformed value fails every invocation with the variable's name, so a wiring mistake cannot rotate anything.
 */
import { SecretRotationError, type RotationPolicy } from './secret-rotation';

export interface RotationSettings {
  /** The one secret this function rotates. */
  readonly secretArn: string;
  readonly policy: RotationPolicy;
}

export const ROTATION_ENV = {
  secretArn: 'TURN_SECRET_ARN',
  maxCredentialTtlSeconds: 'MAX_CREDENTIAL_TTL_SECONDS',
  clockSkewSeconds: 'CLOCK_SKEW_SECONDS',
  relayPickupSeconds: 'RELAY_PICKUP_SECONDS',
} as const;

export function readRotationSettings(env: NodeJS.ProcessEnv): RotationSettings {
  const problems: string[] = [];
  const secretArn = env[ROTATION_ENV.secretArn] ?? '';
  if (!/^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:.+$/.test(secretArn)) {
    problems.push(`${ROTATION_ENV.secretArn} must be the TURN secret's full ARN`);
  }
  const seconds = (name: string, min: number): number => {
    const text = env[name] ?? '';
    const value = Number(text);
    if (!/^\d+$/.test(text) || value < min) problems.push(`${name} must be a whole number of seconds >= ${min}`);
    return value;
  };
  const policy: RotationPolicy = {
    maxCredentialTtlSeconds: seconds(ROTATION_ENV.maxCredentialTtlSeconds, 1),
    clockSkewSeconds: seconds(ROTATION_ENV.clockSkewSeconds, 0),
    relayPickupSeconds: seconds(ROTATION_ENV.relayPickupSeconds, 0),
  };
  if (problems.length > 0) {
    throw new SecretRotationError(
      `TURN secret rotation is misconfigured (set by the Relay stack): ${problems.join('; ')}`,
    );
  }
  return { secretArn, policy };
}

/** The environment the stack gives the function (the inverse of {@link readRotationSettings}). */
export function rotationEnvironment(settings: RotationSettings): Record<string, string> {
  return {
    [ROTATION_ENV.secretArn]: settings.secretArn,
    [ROTATION_ENV.maxCredentialTtlSeconds]: String(settings.policy.maxCredentialTtlSeconds),
    [ROTATION_ENV.clockSkewSeconds]: String(settings.policy.clockSkewSeconds),
    [ROTATION_ENV.relayPickupSeconds]: String(settings.policy.relayPickupSeconds),
  };
}
