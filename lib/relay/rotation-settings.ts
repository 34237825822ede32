/**
 * The rotation function's settings, from the environment the Relay stack sets. Read once per cold start; a missing
 * or malformed value fails every invocation with the variable's name, so a wiring mistake cannot rotate anything.
 */
import { SecretRotationError, type RotationPolicy } from './secret-rotation';

export interface RotationSettings {
  /** The one secret this function rotates. */
  readonly secretArn: string;
  readonly policy: RotationPolicy;
  /**
   * The regions holding a replica of the secret that relays read (Secrets Manager ReplicaRegions), home region
   * excluded. Promotion waits until every one is in sync (rotation-plan.ts). Absent or empty: a single-region secret.
   */
  readonly replicaRegions?: readonly string[];
}

export const ROTATION_ENV = {
  secretArn: 'TURN_SECRET_ARN',
  maxCredentialTtlSeconds: 'MAX_CREDENTIAL_TTL_SECONDS',
  clockSkewSeconds: 'CLOCK_SKEW_SECONDS',
  relayPickupSeconds: 'RELAY_PICKUP_SECONDS',
  /** Comma-separated region codes; absent means none (so a single-region function's environment is unchanged). */
  replicaRegions: 'REPLICA_REGIONS',
} as const;

/** A region code (config/schema.ts accepts the same shapes). */
const REGION_CODE = /^[a-z]{2}(-gov|-iso[a-z]*)?-[a-z]+-\d$/;

/** The problems with a replica region list, in words naming `name` (empty when it is fine). */
function replicaRegionProblems(regions: readonly string[], name: string): string[] {
  const problems = regions
    .filter((region) => !REGION_CODE.test(region))
    .map((region) => `${name} holds '${region}', not a region code like us-west-2`);
  if (new Set(regions).size !== regions.length) problems.push(`${name} names a region twice`);
  return problems;
}

export function readRotationSettings(env: NodeJS.ProcessEnv): RotationSettings {
  const problems: string[] = [];
  const secretArn = env[ROTATION_ENV.secretArn] ?? '';
  if (!/^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:.+$/.test(secretArn)) {
    problems.push(`${ROTATION_ENV.secretArn} must be the TURN secret's full ARN`);
  }
  const seconds = (name: string, min: number): number => {
    const text = env[name] ?? '';
    const value = Number(text);
    if (!/^\d+$/.test(text) || value < min) problems.push(`${name} must be a whole number of seconds >= ${min}`);
    return value;
  };
  const policy: RotationPolicy = {
    maxCredentialTtlSeconds: seconds(ROTATION_ENV.maxCredentialTtlSeconds, 1),
    clockSkewSeconds: seconds(ROTATION_ENV.clockSkewSeconds, 0),
    relayPickupSeconds: seconds(ROTATION_ENV.relayPickupSeconds, 0),
  };
  const regionsText = env[ROTATION_ENV.replicaRegions];
  // Absent and empty both mean none; anything else must be a clean list (no blanks from stray commas).
  const replicaRegions = regionsText === undefined || regionsText === '' ? [] : regionsText.split(',');
  problems.push(...replicaRegionProblems(replicaRegions, ROTATION_ENV.replicaRegions));
  // The primary is no replica of itself: Secrets Manager would report no status for it, and promotion never happen.
  const homeRegion = secretArn.split(':')[3];
  if (homeRegion !== undefined && replicaRegions.includes(homeRegion)) {
    problems.push(`${ROTATION_ENV.replicaRegions} names ${homeRegion}, the secret's own region (list replicas only)`);
  }
  if (problems.length > 0) {
    throw new SecretRotationError(
      `TURN secret rotation is misconfigured (set by the Relay stack): ${problems.join('; ')}`,
    );
  }
  return { secretArn, policy, replicaRegions };
}

/**
 * The environment the stack gives the function (the inverse of {@link readRotationSettings}). Without replica
 * regions REPLICA_REGIONS is left out, so a single-region template is exactly what it was before replicas existed.
 * Refuses a list the function would refuse, so a bad region fails the synth, not the first rotation.
 */
export function rotationEnvironment(settings: RotationSettings): Record<string, string> {
  const regions = settings.replicaRegions ?? [];
  const problems = replicaRegionProblems(regions, 'replicaRegions');
  if (problems.length > 0) throw new SecretRotationError(`TURN secret rotation: ${problems.join('; ')}`);
  return {
    [ROTATION_ENV.secretArn]: settings.secretArn,
    [ROTATION_ENV.maxCredentialTtlSeconds]: String(settings.policy.maxCredentialTtlSeconds),
    [ROTATION_ENV.clockSkewSeconds]: String(settings.policy.clockSkewSeconds),
    [ROTATION_ENV.relayPickupSeconds]: String(settings.policy.relayPickupSeconds),
    ...(regions.length > 0 ? { [ROTATION_ENV.replicaRegions]: regions.join(',') } : {}),
  };
}
