import { RemovalPolicy } from 'aws-cdk-lib';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';

/**
 * The TURN shared secret, created in `scope` with id `TurnSecret` (its logical id predates this module). It holds the
 * document signaling and relays share (lib/signaling/turn-secret.ts), {"current","previous"?,"pending"?}; the
 * generated `current` is alphanumeric so the boot script can validate it strictly, and never a literal in the
 * template. Rotation writes new versions (lib/relay/secret-rotation.ts, turn-secret-rotation.ts).
 */
export function createTurnSecret(scope: Construct, key: kms.IKey): secretsmanager.Secret {
  return new secretsmanager.Secret(scope, 'TurnSecret', {
    description: 'hipaa-rtc TURN REST shared secret document {"current","previous"?,"pending"?}',
    encryptionKey: key,
    removalPolicy: RemovalPolicy.RETAIN,
    generateSecretString: {
      secretStringTemplate: '{}',
      generateStringKey: 'current',
      excludePunctuation: true,
      includeSpace: false,
      passwordLength: 64,
    },
  });
}
