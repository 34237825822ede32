import { RemovalPolicy } from 'aws-cdk-lib';
import * as backup from 'aws-cdk-lib/aws-backup';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type { Construct } from 'constructs';

export interface VaultLockSettings {
  readonly minRetentionDays: number;
  readonly maxRetentionDays: number;
  /** Grace days before the compliance-mode lock becomes immutable (minimum 3). */
  readonly changeableForDays: number;
}

/**
 * A backup vault under a customer-managed key with a compliance-mode vault lock, retained when its stack is deleted.
 * With `changeableForDays` set, AWS Backup applies the lock in compliance mode: after the grace period nobody, root
 * included, can remove it or delete a recovery point before its retention ends (docs/detect.md). The home vault and
 * the cross-region copy vault share this standard.
 */
export function lockedBackupVault(
  scope: Construct,
  id: string,
  props: { readonly vaultName: string; readonly key: kms.IKey; readonly lock: VaultLockSettings },
): backup.CfnBackupVault {
  const vault = new backup.CfnBackupVault(scope, id, {
    backupVaultName: props.vaultName,
    encryptionKeyArn: props.key.keyArn,
    lockConfiguration: {
      minRetentionDays: props.lock.minRetentionDays,
      maxRetentionDays: props.lock.maxRetentionDays,
      changeableForDays: props.lock.changeableForDays,
    },
  });
  vault.applyRemovalPolicy(RemovalPolicy.RETAIN);
  return vault;
}
