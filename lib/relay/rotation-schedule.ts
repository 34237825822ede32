/**
 * The two clocks of a rotation: Secrets Manager's rotation schedule starts one (stage), and a fixed EventBridge
 * schedule advances it (promote, then drop-previous). The configured interval must leave room for a whole overlap,
 * so that rotations on that schedule do not land inside the previous one's. Others still can (a manual rotate-secret,
 * a previously scheduled rotation that AWS documents "might still occur" after a schedule change, Secrets Manager
 * re-attempting a failed rotation): createSecret refuses them to keep the overlap intact, and a refused rotation
 * leaves an empty AWSPENDING version behind that blocks later rotations until it is retried or removed.
 */
import { minimumRotationIntervalSeconds, PENDING_STAMP_SLACK_SECONDS, type RotationPolicy } from './secret-rotation';

/** How often the schedule invokes the function with {"action":"advance"}. */
export const ADVANCE_INTERVAL_MINUTES = 5;

const DAY_SECONDS = 86_400;
/** Secrets Manager refuses schedules longer than this. */
export const MAX_ROTATION_INTERVAL_DAYS = 1000;

/**
 * Everything wrong with rotating every `intervalDays` under `policy`, or an empty list. Secrets Manager schedules
 * the next rotation `intervalDays` after the last one *on a day*, at an hour it picks within that day's window, so
 * two rotations can be as close as `intervalDays - 1` days. The overlap after a rotation lasts the minimum interval
 * (pickup + stamp slack + longest TTL + skew) plus up to one advance period for each of the two advance steps.
 */
export function rotationIntervalProblems(intervalDays: number, policy: RotationPolicy): string[] {
  if (!Number.isInteger(intervalDays) || intervalDays < 1 || intervalDays > MAX_ROTATION_INTERVAL_DAYS) {
    return [
      `rotation.intervalDays is ${intervalDays}; use a whole number of days from 1 to ${MAX_ROTATION_INTERVAL_DAYS}`,
    ];
  }
  const overlapSeconds = minimumRotationIntervalSeconds(policy) + 2 * ADVANCE_INTERVAL_MINUTES * 60;
  const closestSeconds = (intervalDays - 1) * DAY_SECONDS;
  if (closestSeconds <= overlapSeconds) {
    const neededDays = Math.floor(overlapSeconds / DAY_SECONDS) + 2;
    return [
      `rotation.intervalDays is ${intervalDays}: scheduled rotations can come ${closestSeconds} s apart, but one ` +
        `rotation's overlap lasts up to ${overlapSeconds} s (relay pickup ${policy.relayPickupSeconds} s + ` +
        `${PENDING_STAMP_SLACK_SECONDS} s stamp slack + longest credential TTL ${policy.maxCredentialTtlSeconds} s + ` +
        `clock skew ${policy.clockSkewSeconds} s + two advance periods); use at least ${neededDays} days, or shorten ` +
        'relayPickupSeconds',
    ];
  }
  return [];
}
