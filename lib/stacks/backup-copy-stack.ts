import { Stack, type StackProps } from 'aws-cdk-lib';
import * as backup from 'aws-cdk-lib/aws-backup';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { lockedBackupVault, type VaultLockSettings } from '../constructs/locked-backup-vault';
import { CustomerManagedKey } from '../constructs/customer-managed-key';

export interface BackupCopyStackProps extends StackProps {
  readonly deploymentName: string;
  /** The same lock as the home vault: a copy must not be easier to delete than the original. */
  readonly vaultLock: VaultLockSettings;
}

/** Alias of the copy vault's key; the home region's backup role is granted use of it by this alias. */
export function copyVaultKeyAlias(deploymentName: string): string {
  return `hipaa-rtc/${deploymentName}/backup-copy`;
}

/** Name of the vault that receives copies (the same name as the home vault, in the copy region). */
export function copyVaultName(deploymentName: string): string {
  return `${deploymentName}-vault`;
}

/**
 * The destination of AWS Backup's cross-region copies, in the second allowed region the config names: a vault under
 * its own CMK with the home vault's compliance-mode lock. The key's administrator is a role of this stack (MFA
 * required, the same administration actions as the home keys): a role of the home region's Audit stack could only be
 * named through a cross-region reference. Termination-protected; the vault and key are retained.
 *
 * This region has no Guardrails stack: deploy one there before anything else (docs/detect.md, "Cross-region copy").
 */
export class BackupCopyStack extends Stack {
  public readonly vaultKey: kms.Key;
  public readonly vault: backup.CfnBackupVault;

  constructor(scope: Construct, id: string, props: BackupCopyStackProps) {
    super(scope, id, { ...props, terminationProtection: true });
    const keyAdministrator = new iam.Role(this, 'KeyAdministrator', {
      description: 'Administers the hipaa-rtc backup copy key (rotation, policy, deletion); cannot encrypt or decrypt.',
      assumedBy: new iam.AccountPrincipal(this.account).withConditions({
        Bool: { 'aws:MultiFactorAuthPresent': 'true' },
      }),
    });
    this.vaultKey = new CustomerManagedKey(this, 'VaultKey', {
      alias: copyVaultKeyAlias(props.deploymentName),
      description: 'hipaa-rtc backup copy vault: cross-region copies of the PHI table and bucket recovery points',
      administrator: keyAdministrator,
    }).key;
    this.vault = lockedBackupVault(this, 'Vault', {
      vaultName: copyVaultName(props.deploymentName),
      key: this.vaultKey,
      lock: props.vaultLock,
    });
  }
}
