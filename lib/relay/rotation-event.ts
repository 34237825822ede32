/**
 * What invokes the rotation function, validated before anything is read or written:
 * - Secrets Manager's native rotation, one call per step: `{"Step", "SecretId", "ClientRequestToken",
 *   "RotationToken"?}` (https://docs.aws.amazon.com/secretsmanager/latest/userguide/rotate-secrets_lambda.html);
 * - the EventBridge schedule that advances an overlap: the constant input {@link ADVANCE_EVENT}.
 * Error messages never echo the event: RotationToken is sensitive, and anything else is untrusted input.
 */
import { SecretRotationError } from './secret-rotation';

export const ROTATION_STEPS = ['createSecret', 'setSecret', 'testSecret', 'finishSecret'] as const;
export type RotationStepName = (typeof ROTATION_STEPS)[number];

/** The input the schedule sends (the stack renders it into the EventBridge target). */
export const ADVANCE_EVENT = { action: 'advance' } as const;

export type RotationRequest =
  | {
      readonly kind: 'rotation-step';
      readonly step: RotationStepName;
      readonly secretId: string;
      /** The version this rotation creates (Secrets Manager's ClientRequestToken). */
      readonly token: string;
      /** Passed through to PutSecretValue; sensitive, never logged. */
      readonly rotationToken?: string;
    }
  | { readonly kind: 'advance'; readonly secretId: string };

// The user guide spells steps in snake case in one place (create_secret) while the service and AWS's own rotation
// templates send camel case (createSecret). Both name the same step, so both are accepted.
const SNAKE_CASE_STEPS: Readonly<Record<string, RotationStepName>> = {
  create_secret: 'createSecret',
  set_secret: 'setSecret',
  test_secret: 'testSecret',
  finish_secret: 'finishSecret',
};

/** Secrets Manager accepts version IDs of 32 to 64 characters. */
const TOKEN_PATTERN = /^[\x21-\x7e]{32,64}$/;

/**
 * Reads an invocation. `configuredSecretArn` is the one secret this function rotates: a rotation event for any other
 * secret is refused, so the function cannot be pointed at someone else's secret.
 */
export function parseRotationRequest(event: unknown, configuredSecretArn: string): RotationRequest {
  if (typeof event !== 'object' || event === null || Array.isArray(event)) {
    throw new SecretRotationError('the event is not an object; expected a rotation step or {"action":"advance"}');
  }
  const record = event as Record<string, unknown>;
  if (record.action === ADVANCE_EVENT.action && Object.keys(record).length === 1) {
    return { kind: 'advance', secretId: configuredSecretArn };
  }
  if (record.Step === undefined) {
    throw new SecretRotationError(
      'unrecognised event: expected a Secrets Manager rotation step {Step, SecretId, ClientRequestToken} ' +
        'or {"action":"advance"} from the schedule',
    );
  }
  const stepName = typeof record.Step === 'string' ? record.Step : '';
  const step = (ROTATION_STEPS as readonly string[]).includes(stepName)
    ? (stepName as RotationStepName)
    : SNAKE_CASE_STEPS[stepName];
  if (step === undefined) throw new SecretRotationError(`Step must be one of ${ROTATION_STEPS.join(', ')}`);
  if (record.SecretId !== configuredSecretArn) {
    throw new SecretRotationError(
      'SecretId is not the TURN secret this function rotates (TURN_SECRET_ARN); attach the function to that secret only',
    );
  }
  if (typeof record.ClientRequestToken !== 'string' || !TOKEN_PATTERN.test(record.ClientRequestToken)) {
    throw new SecretRotationError('ClientRequestToken must be a version ID of 32-64 printable characters');
  }
  if (record.RotationToken !== undefined && typeof record.RotationToken !== 'string') {
    throw new SecretRotationError('RotationToken must be a string when present');
  }
  return {
    kind: 'rotation-step',
    step,
    secretId: configuredSecretArn,
    token: record.ClientRequestToken,
    ...(record.RotationToken !== undefined ? { rotationToken: record.RotationToken as string } : {}),
  };
}
