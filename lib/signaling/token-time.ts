/**
 * How long a connection's token still gives authority. One clock tolerance for the authorizer (jose's check of `exp`
 * at `$connect`) and for the routes (what an established connection may still start), so a token the authorizer has
 * just accepted is never called expired a moment later, and the two never drift apart.
 */

/** Clock skew allowed between the issuer, the authorizer and the routes. */
export const TOKEN_CLOCK_TOLERANCE_SECONDS = 30;

/** Seconds of authority left at `nowMs` for a token expiring at `expiresAt` (unix seconds); negative once over. */
export function tokenAuthorityLeftSeconds(expiresAt: number, nowMs: number): number {
  return expiresAt + TOKEN_CLOCK_TOLERANCE_SECONDS - nowMs / 1000;
}
