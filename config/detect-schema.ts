import { z } from 'zod';

/**
 * AWS Backup vault lock limits. ChangeableForDays: at least 3 days of grace before a compliance-mode lock becomes
 * immutable ("AWS Backup Vault Lock", https://docs.aws.amazon.com/aws-backup/latest/devguide/vault-lock.html).
 */
export const VAULT_LOCK_MIN_CHANGEABLE_DAYS = 3;
/** AWS Backup retention bounds a lifecycle accepts (days). */
export const BACKUP_RETENTION_BOUNDS = { min: 1, max: 36_500 } as const;
/** Restore testing: a restored resource is kept for validation at most this many hours (AWS Backup limit). */
export const RESTORE_VALIDATION_MAX_HOURS = 168;

/**
 * "Somebody else runs this": an organization's delegated administrator or an existing deployment. Nothing is created,
 * and the report names who is expected to run it. A second Config recorder or GuardDuty detector in an account that
 * already has one fails to deploy, so accounts that inherit these services must say `existing`.
 */
const existing = z.strictObject({
  mode: z.literal('existing'),
  managedBy: z.string().trim().min(3, {
    message: 'must name who runs this service for the account (e.g. "organization security account 123456789012")',
  }),
});

const days = (what: string) =>
  z
    .number()
    .int({ message: `must be a whole number of days (${what})` })
    .min(BACKUP_RETENTION_BOUNDS.min, { message: `must be at least ${BACKUP_RETENTION_BOUNDS.min} day (${what})` })
    .max(BACKUP_RETENTION_BOUNDS.max, { message: `must be at most ${BACKUP_RETENTION_BOUNDS.max} days (${what})` });

const backupCreate = z
  .strictObject({
    mode: z.literal('create'),
    /** Days each daily recovery point is kept. */
    dailyRetentionDays: days('daily recovery points').default(35),
    /** Days each monthly recovery point is kept. */
    monthlyRetentionDays: days('monthly recovery points').default(365),
    /**
     * Compliance-mode vault lock. Recovery points can be deleted by nobody (root included) before minRetentionDays,
     * and no lifecycle may keep them longer than maxRetentionDays. After changeableForDays the lock itself can no
     * longer be changed or removed, not even by AWS.
     */
    vaultLock: z
      .strictObject({
        minRetentionDays: days('vault lock minimum'),
        maxRetentionDays: days('vault lock maximum'),
        changeableForDays: z
          .number()
          .int()
          .min(VAULT_LOCK_MIN_CHANGEABLE_DAYS, {
            message: `must be at least ${VAULT_LOCK_MIN_CHANGEABLE_DAYS} days (AWS Backup's grace-time minimum)`,
          }),
      })
      .default({ minRetentionDays: 7, maxRetentionDays: 3650, changeableForDays: 3 }),
    /** A second allowed region that receives a copy of every recovery point; unset means no cross-region copy. */
    copyToRegion: z.string().optional(),
    restoreTesting: z
      .strictObject({
        /** When restore tests start (AWS Backup schedule expression, UTC). */
        scheduleExpression: z
          .string()
          .regex(/^cron\(.+\)$|^rate\(.+\)$/, { message: 'must be an AWS schedule expression, cron(...) or rate(...)' })
          .default('cron(0 6 ? * MON *)'),
        /** Hours a restored copy is kept for validation before AWS Backup deletes it. */
        validationWindowHours: z
          .number()
          .int()
          .min(1)
          .max(RESTORE_VALIDATION_MAX_HOURS, {
            message: `must be at most ${RESTORE_VALIDATION_MAX_HOURS} hours (AWS Backup restore testing limit)`,
          })
          .default(4),
      })
      .default({ scheduleExpression: 'cron(0 6 ? * MON *)', validationWindowHours: 4 }),
  })
  .superRefine((backup, ctx) => {
    const lock = backup.vaultLock;
    if (lock.maxRetentionDays < lock.minRetentionDays) {
      ctx.addIssue({
        code: 'custom',
        path: ['vaultLock', 'maxRetentionDays'],
        message: `must be at least vaultLock.minRetentionDays (${lock.minRetentionDays})`,
      });
    }
    for (const [setting, value] of [
      ['dailyRetentionDays', backup.dailyRetentionDays],
      ['monthlyRetentionDays', backup.monthlyRetentionDays],
    ] as const) {
      if (value < lock.minRetentionDays || value > lock.maxRetentionDays) {
        ctx.addIssue({
          code: 'custom',
          path: [setting],
          message:
            `is ${value} days, outside the vault lock's ${lock.minRetentionDays}-${lock.maxRetentionDays} days; ` +
            'AWS Backup would refuse every backup job of this rule, so change the retention or the lock',
        });
      }
    }
    if (backup.monthlyRetentionDays < backup.dailyRetentionDays) {
      ctx.addIssue({
        code: 'custom',
        path: ['monthlyRetentionDays'],
        message: `must be at least dailyRetentionDays (${backup.dailyRetentionDays}); monthly points exist to reach further back`,
      });
    }
  });

/** A service with nothing to configure: create it, or name who runs it. */
const simpleService = z
  .discriminatedUnion('mode', [z.strictObject({ mode: z.literal('create') }), existing])
  .default({ mode: 'create' });

export const detectSchema = z
  .strictObject({
    /** AWS Config: recorder, delivery channel and the HIPAA managed rules. */
    config: simpleService,
    /** GuardDuty detector with S3, EBS malware and EC2 runtime protection. */
    guardDuty: simpleService,
    /** IAM Access Analyzer (account analyzer). */
    accessAnalyzer: simpleService,
    /** AWS Security Hub CSPM with the FSBP and NIST 800-53 standards (needs AWS Config recording in the account). */
    securityHub: simpleService,
    /** AWS Backup vault, plan and restore tests for the Data stack. */
    backup: z
      .discriminatedUnion('mode', [backupCreate, existing])
      .default(() => backupCreate.parse({ mode: 'create' })),
  })
  .default(() => ({
    config: { mode: 'create' as const },
    guardDuty: { mode: 'create' as const },
    accessAnalyzer: { mode: 'create' as const },
    securityHub: { mode: 'create' as const },
    backup: backupCreate.parse({ mode: 'create' }),
  }));

export type DetectConfig = z.output<typeof detectSchema>;
export type BackupCreateConfig = z.output<typeof backupCreate>;
export type ExistingService = z.output<typeof existing>;
