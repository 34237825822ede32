import { ArnFormat, RemovalPolicy, Stack } from 'aws-cdk-lib';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import { relayKeyAlias } from './relay-key';

/**
 * The TURN shared secret, created in `scope` with id `TurnSecret` (its logical id predates this module). It holds the
 * document signaling and relays share (lib/signaling/turn-secret.ts), {"current","previous"?,"pending"?}; the
 * generated `current` is alphanumeric so the boot script can validate it strictly, and never a literal in the
 * template. Rotation writes new versions (lib/relay/secret-rotation.ts, turn-secret-rotation.ts).
 */
export function createTurnSecret(
  scope: Construct,
  key: kms.IKey,
  replication: TurnSecretReplication,
): secretsmanager.Secret {
  const secret = new secretsmanager.Secret(scope, 'TurnSecret', {
    // Named in every deployment, not only once it has replicas: a Name change is a replacement (a new secret with a new
    // value), so naming it only with replicas would replace it when the first further Region is added and again when
    // the last is removed, and the retained old secret would keep holding the name (docs/relay-regions.md).
    secretName: turnSecretName(replication.deploymentName),
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
  if (replication.regions.length > 0) {
    // The L1 property rather than the L2's `replicaRegions`: that takes an IKey and writes its ARN, and the replica's
    // key is in another Region, known here only by its alias (which KMS resolves in the replica's Region).
    (secret.node.defaultChild as secretsmanager.CfnSecret).replicaRegions = replication.regions.map((region) => ({
      region,
      kmsKeyId: `alias/${relayKeyAlias(replication.deploymentName)}`,
    }));
  }
  return secret;
}

/** The secret's name and its replicas in further relay Regions (docs/relay-regions.md). */
export interface TurnSecretReplication {
  readonly deploymentName: string;
  /** Further relay Regions, possibly none; each gets a replica encrypted with its own relay key. */
  readonly regions: readonly string[];
}

/**
 * The TURN secret's fixed name. A replica's ARN is the primary's with the Region changed, and a
 * further Region's template can name it only by a name known at synth. The name must not end in a hyphen and six
 * characters: Secrets Manager would read those as the random suffix of an ARN given without it (the relays pass the
 * ARN without suffix), so the name ends in "-secrets".
 */
export function turnSecretName(deploymentName: string): string {
  return `hipaa-rtc/${deploymentName}/turn-shared-secrets`;
}

/**
 * The replica of the home TURN secret in this (further) Region, as the relays there read it: by the ARN without its
 * random suffix, which Secrets Manager resolves by name. Policies must use `${secretArn}-??????` (CDK does the same for
 * secrets imported by partial ARN).
 */
export function turnSecretReplica(scope: Construct, deploymentName: string): secretsmanager.ISecret {
  const stack = Stack.of(scope);
  return secretsmanager.Secret.fromSecretPartialArn(
    scope,
    'TurnSecretReplica',
    stack.formatArn({
      service: 'secretsmanager',
      resource: 'secret',
      resourceName: turnSecretName(deploymentName),
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    }),
  );
}
