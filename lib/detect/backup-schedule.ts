/**
 * The backup plan's rules as data, so the schedule and retention can be checked without CDK. Times are UTC; AWS
 * Backup starts a job within `startWindowMinutes` of the scheduled time and must finish it within
 * `completionWindowMinutes` ("Backup plan options and configuration",
 * https://docs.aws.amazon.com/aws-backup/latest/devguide/plan-options-and-configuration.html).
 */
export interface BackupRuleSpec {
  readonly ruleName: string;
  readonly scheduleExpression: string;
  readonly deleteAfterDays: number;
  readonly startWindowMinutes: number;
  readonly completionWindowMinutes: number;
}

export interface BackupRetention {
  readonly dailyRetentionDays: number;
  readonly monthlyRetentionDays: number;
}

/** Daily at 05:00 UTC, and on the first of each month at 05:00 UTC. */
export function backupRules(retention: BackupRetention): BackupRuleSpec[] {
  return [
    {
      ruleName: 'Daily',
      scheduleExpression: 'cron(0 5 ? * * *)',
      deleteAfterDays: retention.dailyRetentionDays,
      startWindowMinutes: 60,
      completionWindowMinutes: 8 * 60,
    },
    {
      ruleName: 'Monthly',
      scheduleExpression: 'cron(0 5 1 * ? *)',
      deleteAfterDays: retention.monthlyRetentionDays,
      startWindowMinutes: 60,
      completionWindowMinutes: 24 * 60,
    },
  ];
}

/**
 * Restore testing plan and selection names may hold only letters, digits and underscores (AWS Backup API,
 * RestoreTestingPlanForCreate), unlike the deployment name, which uses hyphens.
 */
export function restoreTestingName(...parts: string[]): string {
  const name = parts.join('_').replace(/[^A-Za-z0-9_]/g, '_');
  if (name.length === 0 || name.length > 50) {
    throw new Error(`restore testing name "${name}" must be 1-50 characters; shorten the deployment name`);
  }
  return name;
}

/** States of backup, copy and restore jobs that mean the data is not protected or the restore test failed. */
export const FAILED_JOB_STATES = ['FAILED', 'ABORTED', 'EXPIRED', 'PARTIAL'] as const;
/** Validation results of a restore test that mean the restored copy was judged unusable. */
export const FAILED_VALIDATION_STATES = ['FAILED', 'TIMED_OUT'] as const;

/**
 * The `detail` pattern for failed jobs. AWS Backup's events carry `state` for backup and copy jobs but `status` for
 * restore jobs, as its API does (BackupJob.State, CopyJob.State, RestoreJob.Status; "Monitoring AWS Backup events
 * using Amazon EventBridge", https://docs.aws.amazon.com/aws-backup/latest/devguide/eventbridge.html): a pattern on
 * `state` alone would never match a failed restore test.
 */
export function failedJobDetailPattern(): Record<string, unknown> {
  return {
    $or: [
      { state: [...FAILED_JOB_STATES] },
      { status: [...FAILED_JOB_STATES] },
      { validationStatus: [...FAILED_VALIDATION_STATES] },
    ],
  };
}
/** The EventBridge detail types AWS Backup sends for the three kinds of job. */
export const BACKUP_JOB_DETAIL_TYPES = [
  'Backup Job State Change',
  'Copy Job State Change',
  'Restore Job State Change',
] as const;
