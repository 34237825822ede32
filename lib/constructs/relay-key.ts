import type { Stack } from 'aws-cdk-lib';
import type * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import { CustomerManagedKey } from './customer-managed-key';

/**
 * The relay key's alias (without `alias/`). The same in every relay Region: the home TURN secret names a further
 * Region's relay key for its replica by this alias, which resolves in that Region, rather than by an ARN.
 */
export function relayKeyAlias(deploymentName: string): string {
  return `hipaa-rtc/${deploymentName}/relay`;
}

/** The keys the relay uses, each given or else the relay key. */
export interface RelayKeysProps {
  readonly deploymentName: string;
  readonly secretKey?: kms.IKey;
  readonly volumeKey?: kms.IKey;
  /** Administers the relay key, which is created when `secretKey` or `volumeKey` is not given. */
  readonly keyAdministrator?: iam.IRole;
}

/**
 * The TURN secret's key and the relay volumes' key: the ones given, else the relay key, created in `stack` with id
 * `RelayKey` (its logical id predates this module). The relay key covers the TURN secret, coturn images and relay
 * volumes (no PHI; separate from the data key so the Auto Scaling service-linked role never gets near PHI). That
 * service-linked role must exist before deployment (it does in any account that has used Auto Scaling; otherwise
 * `aws iam create-service-linked-role --aws-service-name autoscaling.amazonaws.com`): KMS refuses a key policy naming
 * a role that does not exist.
 */
export function relayKeys(stack: Stack, props: RelayKeysProps): { secretKey: kms.IKey; volumeKey: kms.IKey } {
  if (props.secretKey && props.volumeKey) return { secretKey: props.secretKey, volumeKey: props.volumeKey };
  if (!props.keyAdministrator) {
    throw new Error(
      `RelayStack ${stack.node.path}: pass keyAdministrator (the role that administers the relay key this stack ` +
        'creates), or pass both secretKey and volumeKey',
    );
  }
  const cmk = new CustomerManagedKey(stack, 'RelayKey', {
    alias: relayKeyAlias(props.deploymentName),
    description: 'hipaa-rtc relay key: TURN secret, coturn images, relay EBS volumes',
    administrator: props.keyAdministrator,
  });
  cmk.allowEbsVolumesFor(
    'AutoScaling',
    `arn:${stack.partition}:iam::${stack.account}:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling`,
  );
  return { secretKey: props.secretKey ?? cmk.key, volumeKey: props.volumeKey ?? cmk.key };
}
