/**
 * How excepted resources carry their exceptions in a synthesized template: apply-exceptions.ts writes each resource's
 * register entries (without the construct path) under `Metadata["hipaa-rtc:compliance-exceptions"]`, and
 * `hipaa-rtc check` and the compliance report read them back, so they pass what the synth gate passed: e.g. the
 * Guardrails stack's Guard Hook, a hook-management type refused everywhere else. Its own module, free of aws-cdk-lib,
 * so the CLI stays quick to start.
 *
 * Metadata is text in the template: anyone who edits a template can write it. An entry is therefore honoured only
 * when it would have passed the register's own checks (shape, not expired, expiring within a year of the day it is
 * judged), and every honoured entry is shown with its reason, owner and expiry. The deploy-time Guard Hook never reads
 * metadata (docs/eligibility-gate.md).
 */
import { complianceExceptionSchema, daysUntilExpiry, MAX_EXCEPTION_DAYS } from './exception';

/**
 * The eligibility rule's ID as the synth pack reports it (HIPAA_ELIGIBILITY_RULE_ID in
 * lib/compliance/packs/hipaa-eligibility-checks.ts; a test keeps the two equal). Written out here so the CLI does
 * not load cdk-nag and aws-cdk-lib.
 */
export const ELIGIBILITY_RULE_ID = 'HipaaEligibility-HipaaEligibleResourceType';

export const EXCEPTION_METADATA_KEY = 'hipaa-rtc:compliance-exceptions';

/** An entry as apply-exceptions.ts writes it: the register entry without its construct path. */
const metadataEntrySchema = complianceExceptionSchema.omit({ path: true });

export interface TemplateException {
  readonly ruleId: string;
  readonly reason: string;
  readonly compensatingControl: string;
  readonly safeguard: string;
  readonly owner: string;
  readonly expires: string;
  readonly daysUntilExpiry: number;
}

export type TemplateExceptionLookup =
  | { readonly kind: 'none' }
  | { readonly kind: 'honoured'; readonly exception: TemplateException }
  | { readonly kind: 'refused'; readonly problems: readonly string[] };

/** The eligibility exception a resource's metadata records, if any, judged against `today`. */
export function eligibilityExceptionIn(metadata: unknown, today: Date): TemplateExceptionLookup {
  const entries = (metadata as Record<string, unknown> | undefined)?.[EXCEPTION_METADATA_KEY];
  if (entries === undefined) return { kind: 'none' };
  if (!Array.isArray(entries)) {
    return { kind: 'refused', problems: [`Metadata["${EXCEPTION_METADATA_KEY}"] is not a list of exceptions`] };
  }
  const forRule = entries.filter((entry) => (entry as { ruleId?: unknown } | null)?.ruleId === ELIGIBILITY_RULE_ID);
  if (forRule.length === 0) return { kind: 'none' };
  if (forRule.length > 1)
    return { kind: 'refused', problems: [`${forRule.length} entries for ${ELIGIBILITY_RULE_ID}`] };

  const parsed = metadataEntrySchema.safeParse(forRule[0]);
  if (!parsed.success) {
    return {
      kind: 'refused',
      problems: parsed.error.issues.map((issue) => `${issue.path.join('.') || '(entry)'} ${issue.message}`),
    };
  }
  const days = daysUntilExpiry(parsed.data, today);
  if (days < 0) return { kind: 'refused', problems: [`expired on ${parsed.data.expires}`] };
  if (days > MAX_EXCEPTION_DAYS) {
    return {
      kind: 'refused',
      problems: [
        `expires ${parsed.data.expires}, more than ${MAX_EXCEPTION_DAYS} days away; the register never allows that`,
      ],
    };
  }
  return { kind: 'honoured', exception: { ...parsed.data, daysUntilExpiry: days } };
}
