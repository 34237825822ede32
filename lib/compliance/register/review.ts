/** Who answers for every exception, and when the register is next reviewed. */
export const OWNER = 'hipaa-rtc platform security (security-review@ team alias)';
// Reviewed together with the HIPAA-eligible services list (dated 2026-05-22), which is due for refresh then.
export const NEXT_REVIEW = '2027-05-22';
