import { z } from 'zod';
import { HIPAA_CONFIG_RULES } from '../detect/hipaa-conformance-pack';

/**
 * Prefix of exceptions to AWS Config rules: findings the account's own Config rules (lib/detect/) report after
 * deployment, on resources that fail them by design. They suppress nothing at synth; they record the reviewed
 * acceptance next to the synth-time ones, in the template metadata of the failing resource and in the report.
 */
export const AWS_CONFIG_RULE_PREFIX = 'AwsConfig-';

/** Rule-ID prefixes of the packs the app runs (and of the Config rules); anything else names no real finding. */
export const KNOWN_RULE_PREFIXES = [
  'HIPAA.Security-',
  'AwsSolutions-',
  'HipaaRtc-',
  'HipaaEligibility-',
  AWS_CONFIG_RULE_PREFIX,
] as const;

/** True for an exception to a rule AWS Config evaluates in the account, not a pack at synth. */
export function isAwsConfigRuleException(exception: { readonly ruleId: string }): boolean {
  return exception.ruleId.startsWith(AWS_CONFIG_RULE_PREFIX);
}

/** The longest an exception may run before it must be reviewed again. */
export const MAX_EXCEPTION_DAYS = 366;

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Date.parse rolls 2027-02-30 over to March; a real date survives the round trip unchanged. */
function isCalendarDate(date: string): boolean {
  const ms = Date.parse(`${date}T00:00:00Z`);
  return !Number.isNaN(ms) && new Date(ms).toISOString().slice(0, 10) === date;
}

/**
 * A reviewed, expiring exception to one finding of one rule on one resource. This is the only way the project
 * suppresses a compliance finding: each entry says why, who owns it, when it must be reviewed again, and which HIPAA
 * safeguard the compensating control serves.
 */
export const complianceExceptionSchema = z.strictObject({
  /** Finding ID exactly as the pack reports it, e.g. `HIPAA.Security-S3BucketReplicationEnabled` or `AwsSolutions-IAM5[Resource::*]`. */
  ruleId: z
    .string()
    .refine((id) => KNOWN_RULE_PREFIXES.some((prefix) => id.startsWith(prefix) && id.length > prefix.length), {
      message: `must start with one of ${KNOWN_RULE_PREFIXES.join(', ')} and name a rule`,
    }),
  /** Construct path of the single CloudFormation resource the finding is on (never a stack or an L2 parent). */
  path: z
    .string()
    .regex(/^[A-Za-z][\w-]*\/.+/, { message: 'must be a full construct path such as "Stack/Bucket/Resource"' }),
  reason: z
    .string()
    .trim()
    .min(40, { message: 'must explain in at least 40 characters why the finding cannot be fixed' }),
  /** Compensating control(s) that keep the safeguard met. */
  compensatingControl: z
    .string()
    .trim()
    .min(20, { message: 'must describe the compensating control (20+ characters)' }),
  /** HIPAA Security Rule citation the compensating control serves, e.g. `164.312(b) audit controls`. */
  safeguard: z
    .string()
    .regex(/^164\.3\d\d\(/, { message: 'must cite a HIPAA Security Rule section such as "164.312(b) audit controls"' }),
  owner: z.string().trim().min(3, { message: 'must name an accountable owner (team or role)' }),
  /** Last day the exception is valid (UTC, YYYY-MM-DD); the day after, synth fails until it is reviewed. */
  expires: z.string().superRefine((date, ctx) => {
    if (!ISO_DATE.test(date)) ctx.addIssue({ code: 'custom', message: 'must be a date written YYYY-MM-DD' });
    else if (!isCalendarDate(date)) ctx.addIssue({ code: 'custom', message: 'must be a real calendar date' });
  }),
});

export type ComplianceException = z.infer<typeof complianceExceptionSchema>;

const DAY_MS = 24 * 60 * 60 * 1000;

/** Whole days from `today` (UTC) until the exception's last valid day; negative once expired. */
export function daysUntilExpiry(exception: Pick<ComplianceException, 'expires'>, today: Date): number {
  const todayUtc = Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate());
  return Math.round((Date.parse(`${exception.expires}T00:00:00Z`) - todayUtc) / DAY_MS);
}

/**
 * Checks a register without touching any construct: shape, duplicates, expiry and review horizon. Returns every
 * problem as `<entry>: <what is wrong and what to do>`; an empty list means the register is usable.
 */
export function checkRegister(register: readonly unknown[], today: Date): string[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  register.forEach((entry, index) => {
    const parsed = complianceExceptionSchema.safeParse(entry);
    const label = describeEntry(entry, index);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        problems.push(`${label}: ${issue.path.join('.') || '(entry)'} ${issue.message}`);
      }
      return;
    }
    const exception = parsed.data;
    if (isAwsConfigRuleException(exception)) {
      const identifier = exception.ruleId.slice(AWS_CONFIG_RULE_PREFIX.length);
      if (!HIPAA_CONFIG_RULES.some((rule) => rule.identifier === identifier)) {
        problems.push(
          `${label}: ${identifier} is not a Config rule identifier in lib/detect/hipaa-conformance-pack.ts; name a rule the account runs`,
        );
      }
    }
    const key = `${exception.ruleId}@${exception.path}`;
    if (seen.has(key)) problems.push(`${label}: duplicate entry for the same rule and resource; keep one`);
    seen.add(key);
    const days = daysUntilExpiry(exception, today);
    if (days < 0) {
      problems.push(
        `${label}: expired on ${exception.expires}; fix the finding, or have ${exception.owner} review the exception and set a new expiry`,
      );
    } else if (days > MAX_EXCEPTION_DAYS) {
      problems.push(
        `${label}: expires ${exception.expires}, more than ${MAX_EXCEPTION_DAYS} days away; exceptions are reviewed at least yearly`,
      );
    }
  });
  return problems;
}

function describeEntry(entry: unknown, index: number): string {
  if (typeof entry === 'object' && entry !== null && 'ruleId' in entry && 'path' in entry) {
    return `exception #${index + 1} (${String(entry.ruleId)} on ${String(entry.path)})`;
  }
  return `exception #${index + 1}`;
}
