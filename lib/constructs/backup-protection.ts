import { ArnFormat, Aws, Stack } from 'aws-cdk-lib';
import * as backup from 'aws-cdk-lib/aws-backup';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import {
  BACKUP_JOB_DETAIL_TYPES,
  backupRules,
  failedJobDetailPattern,
  restoreTestingName,
} from '../detect/backup-schedule';
import { AlarmTopicRoute } from './alarm-topic-route';
import { CustomerManagedKey } from './customer-managed-key';
import { lockedBackupVault, type VaultLockSettings } from './locked-backup-vault';
import type { SecurityAlarms } from './security-alarms';

/**
 * AWS-maintained policies for the backup role. They track what AWS Backup needs per resource type (S3 backups, for
 * instance, create EventBridge rules and S3 inventory), which a hand-written list would miss as AWS changes them.
 */
export const BACKUP_ROLE_MANAGED_POLICIES = [
  'service-role/AWSBackupServiceRolePolicyForBackup',
  'service-role/AWSBackupServiceRolePolicyForRestores',
  'AWSBackupServiceRolePolicyForS3Backup',
  'AWSBackupServiceRolePolicyForS3Restore',
] as const;

/** What the backup role may do with a CMK: read protected data, write recovery points, restore (no wildcards). */
const KEY_ACTIONS_FOR_BACKUP = [
  'kms:Decrypt',
  'kms:Encrypt',
  'kms:GenerateDataKey',
  'kms:GenerateDataKeyWithoutPlaintext',
  'kms:ReEncryptFrom',
  'kms:ReEncryptTo',
  'kms:DescribeKey',
];

export interface BackupProtectionProps {
  readonly deploymentName: string;
  /** Administers the vault key (manage, never use). */
  readonly keyAdministrator: iam.IRole;
  readonly dailyRetentionDays: number;
  readonly monthlyRetentionDays: number;
  readonly vaultLock: VaultLockSettings;
  /** The stores that hold PHI, with the key that encrypts them (the backup role reads and restores through it). */
  readonly protectedTable: dynamodb.ITableV2;
  readonly protectedBucket: s3.IBucket;
  readonly dataKey: kms.IKey;
  readonly restoreTesting: { readonly scheduleExpression: string; readonly validationWindowHours: number };
  readonly securityAlarms: SecurityAlarms;
  /**
   * A second region that receives a copy of every recovery point (its vault and key come from BackupCopyStack).
   * @default - no cross-region copy
   */
  readonly copyTo?: {
    readonly region: string;
    readonly vaultName: string;
    /** Alias (without `alias/`) of the copy vault's key: the backup role may use that key, found by alias. */
    readonly keyAlias: string;
  };
}

/**
 * AWS Backup for the Data stack's stores: a vault under its own CMK with a compliance-mode vault lock, a daily and a
 * monthly rule, a restore testing plan that restores the latest recovery point of each protected resource on a
 * schedule, and a route that sends every failed backup, copy or restore job (restore tests included) to the alarm
 * topic.
 *
 * The vault lock is COMPLIANCE mode (ChangeableForDays set): once the grace period ends, nobody (root and AWS
 * included) can delete a recovery point before minRetentionDays, shorten retention below it, or remove the lock
 * ("AWS Backup Vault Lock", https://docs.aws.amazon.com/aws-backup/latest/devguide/vault-lock.html). Test a new
 * deployment inside the grace period; docs/detect.md says how to undo it there.
 */
export class BackupProtection extends Construct {
  public readonly vaultKey: kms.Key;
  public readonly vault: backup.CfnBackupVault;
  public readonly plan: backup.CfnBackupPlan;
  public readonly selection: backup.CfnBackupSelection;
  public readonly role: iam.Role;
  public readonly restoreTestingPlan: backup.CfnRestoreTestingPlan;
  public readonly restoreTestingSelections: readonly backup.CfnRestoreTestingSelection[];
  public readonly failureRoute: AlarmTopicRoute;

  constructor(scope: Construct, id: string, props: BackupProtectionProps) {
    super(scope, id);
    const stack = Stack.of(this);

    this.vaultKey = new CustomerManagedKey(this, 'VaultKey', {
      alias: `hipaa-rtc/${props.deploymentName}/backup`,
      description: 'hipaa-rtc backup vault: recovery points of the PHI table and bucket',
      administrator: props.keyAdministrator,
    }).key;

    const vaultName = `${props.deploymentName}-vault`;
    this.vault = lockedBackupVault(this, 'Vault', { vaultName, key: this.vaultKey, lock: props.vaultLock });

    this.role = new iam.Role(this, 'Role', {
      description: 'AWS Backup: back up, restore and restore-test the hipaa-rtc PHI table and recordings bucket',
      assumedBy: new iam.ServicePrincipal('backup.amazonaws.com').withConditions({
        StringEquals: { 'aws:SourceAccount': stack.account },
      }),
      managedPolicies: BACKUP_ROLE_MANAGED_POLICIES.map((name) => iam.ManagedPolicy.fromAwsManagedPolicyName(name)),
    });
    // A customer-managed policy (an inline one fails HIPAA.Security-IAMNoInlinePolicy).
    new iam.ManagedPolicy(this, 'KeyPolicy', {
      description: 'AWS Backup: use the data key (read, restore) and the vault key (recovery points)',
      roles: [this.role],
      statements: [
        new iam.PolicyStatement({
          sid: 'UseDataAndVaultKeys',
          actions: KEY_ACTIONS_FOR_BACKUP,
          resources: [props.dataKey.keyArn, this.vaultKey.keyArn],
        }),
        new iam.PolicyStatement({
          sid: 'GrantsForAwsResourcesOnly',
          actions: ['kms:CreateGrant'],
          resources: [props.dataKey.keyArn, this.vaultKey.keyArn],
          conditions: { Bool: { 'kms:GrantIsForAWSResource': 'true' } },
        }),
        ...(props.copyTo ? this.copyKeyStatements(props.copyTo) : []),
      ],
    });

    this.plan = new backup.CfnBackupPlan(this, 'Plan', {
      backupPlan: {
        backupPlanName: `${props.deploymentName}-phi`,
        backupPlanRule: backupRules(props).map((rule) => ({
          ruleName: rule.ruleName,
          targetBackupVault: this.vault.attrBackupVaultName,
          scheduleExpression: rule.scheduleExpression,
          startWindowMinutes: rule.startWindowMinutes,
          completionWindowMinutes: rule.completionWindowMinutes,
          lifecycle: { deleteAfterDays: rule.deleteAfterDays },
          ...(props.copyTo
            ? {
                copyActions: [
                  {
                    destinationBackupVaultArn: stack.formatArn({
                      service: 'backup',
                      region: props.copyTo.region,
                      resource: 'backup-vault',
                      resourceName: props.copyTo.vaultName,
                      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
                    }),
                    // The copy lives as long as the original (the copy vault has the same lock).
                    lifecycle: { deleteAfterDays: rule.deleteAfterDays },
                  },
                ],
              }
            : {}),
        })),
      },
    });

    this.selection = new backup.CfnBackupSelection(this, 'Selection', {
      backupPlanId: this.plan.attrBackupPlanId,
      backupSelection: {
        selectionName: 'phi-stores',
        iamRoleArn: this.role.roleArn,
        resources: [props.protectedTable.tableArn, props.protectedBucket.bucketArn],
      },
    });

    const planName = restoreTestingName(props.deploymentName, 'restore_tests');
    this.restoreTestingPlan = new backup.CfnRestoreTestingPlan(this, 'RestoreTestingPlan', {
      restoreTestingPlanName: planName,
      scheduleExpression: props.restoreTesting.scheduleExpression,
      scheduleExpressionTimezone: 'Etc/UTC',
      startWindowHours: 24,
      recoveryPointSelection: {
        algorithm: 'LATEST_WITHIN_WINDOW',
        includeVaults: [this.vault.attrBackupVaultArn],
        recoveryPointTypes: ['SNAPSHOT'],
        selectionWindowDays: 7,
      },
    });
    const selections: Array<[string, string, string, Record<string, string> | undefined]> = [
      // The restored table is encrypted with the data key, like the original (AWS Backup would infer Default
      // encryption, an AWS owned key): a restore test must not put PHI under a key the project does not control.
      [
        'RecordsTableRestoreTest',
        'DynamoDB',
        props.protectedTable.tableArn,
        { encryptionType: 'KMS', kmsMasterKeyArn: props.dataKey.keyArn },
      ],
      ['RecordingsBucketRestoreTest', 'S3', props.protectedBucket.bucketArn, undefined],
    ];
    this.restoreTestingSelections = selections.map(([id, type, arn, overrides]) => {
      const selection = new backup.CfnRestoreTestingSelection(this, id, {
        restoreTestingPlanName: planName,
        restoreTestingSelectionName: restoreTestingName(id),
        protectedResourceType: type,
        iamRoleArn: this.role.roleArn,
        protectedResourceArns: [arn],
        validationWindowHours: props.restoreTesting.validationWindowHours,
        ...(overrides ? { restoreMetadataOverrides: overrides } : {}),
      });
      selection.addResourceDependency(this.restoreTestingPlan);
      return selection;
    });

    this.failureRoute = new AlarmTopicRoute(this, 'FailuresToAlarmTopic', {
      securityAlarms: props.securityAlarms,
      description:
        'Failed AWS Backup backup, copy and restore jobs (restore tests included) to the security alarm topic',
      eventPattern: {
        source: ['aws.backup'],
        'detail-type': [...BACKUP_JOB_DETAIL_TYPES],
        detail: failedJobDetailPattern(),
      },
    });
  }

  /**
   * Use of the copy vault's key in the other region. Its key ID is only known there, and a cross-region reference
   * would need custom resources, so the statement names the region's keys and narrows them to the one with the copy
   * alias (kms:ResourceAliases); the register records the wildcard.
   */
  private copyKeyStatements(copyTo: NonNullable<BackupProtectionProps['copyTo']>): iam.PolicyStatement[] {
    // Pseudo parameters, not the stack's resolved account and partition: the statement (and its register entry)
    // reads the same whether or not the config names an account.
    const keysThere = `arn:${Aws.PARTITION}:kms:${copyTo.region}:${Aws.ACCOUNT_ID}:key/*`;
    const byAlias = { 'ForAnyValue:StringEquals': { 'kms:ResourceAliases': `alias/${copyTo.keyAlias}` } };
    return [
      new iam.PolicyStatement({
        sid: 'UseCopyVaultKey',
        actions: KEY_ACTIONS_FOR_BACKUP,
        resources: [keysThere],
        conditions: byAlias,
      }),
      new iam.PolicyStatement({
        sid: 'CopyVaultKeyGrantsForAwsResourcesOnly',
        actions: ['kms:CreateGrant'],
        resources: [keysThere],
        conditions: { ...byAlias, Bool: { 'kms:GrantIsForAWSResource': 'true' } },
      }),
    ];
  }
}
