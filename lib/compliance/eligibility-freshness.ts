import { ELIGIBILITY_LIST } from './eligibility';

/** The list is refreshed at least twice a year; older than this, synth warns and the report flags it. */
export const LIST_MAX_AGE_DAYS = 180;

/** Whole days between the list's date and `today` (UTC). */
export function listAgeDays(today: Date): number {
  const todayUtc = Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate());
  return Math.floor((todayUtc - Date.parse(`${ELIGIBILITY_LIST.date}T00:00:00Z`)) / 86_400_000);
}

/** A warning to show at synth when the list is stale, or undefined when it is fresh. */
export function staleListWarning(today: Date): string | undefined {
  const age = listAgeDays(today);
  if (age <= LIST_MAX_AGE_DAYS) return undefined;
  return (
    `The HIPAA-eligible services list is ${age} days old (dated ${ELIGIBILITY_LIST.date}, limit ${LIST_MAX_AGE_DAYS}). ` +
    `AWS changes the list several times a year: refresh it from ${ELIGIBILITY_LIST.source} (docs/eligibility-list.md).`
  );
}
