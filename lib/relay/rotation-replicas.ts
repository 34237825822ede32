/**
 * Replica regions and the promotion gate. The TURN secret is one Secrets Manager secret in the home region with a
 * replica in every further relay region; relays read their own region's replica (AWSCURRENT). Secrets Manager
 * replicates every new version and label move asynchronously, with no documented time bound, so a region's relays can
 * pick a pending secret up only after replication brought it there. Promotion (signaling starts signing with
 * `pending`) must therefore wait until every replica's relays have had relayPickupSeconds with it.
 *
 * Why the rule reads each replica, and does not trust ReplicationStatus alone: DescribeSecret documents `InSync` as
 * "the replica was created" and `InProgress` as "in the process of creating the replica" (the SDK's model docs), not
 * as "holds the primary's latest version". So the schedule reads what the relays read: each replica's AWSCURRENT, in
 * its own region. ReplicationStatus still names what needs a person: a region missing from it, or `Failed`.
 *
 * The rule (sound under one assumption: a replica applies the primary's changes in order, so once its AWSCURRENT
 * carries `pending` every later AWSCURRENT does too until promotion, since every primary version until then carries
 * it):
 * 1. While `pending` is staged, a tick at which every expected replica's AWSCURRENT carries that same `pending` stamps
 *    `replicatedAt = now` into the document (a new AWSCURRENT version with the same secrets). From then on every
 *    region's replica carries `pending`, so each region's relays hold it by replicatedAt + relayPickupSeconds.
 *    That newer version replicating late is harmless: the replicas already carry `pending`.
 * 2. Promotion needs now >= max(pendingSince + stamp slack, replicatedAt) + relayPickupSeconds (secret-rotation.ts),
 *    and every replica still carrying `pending` at that tick.
 * 3. A stamp covers the region set it was taken for: the stamped version's ID starts with a digest of the sorted
 *    region list ({@link replicatedToken}). When the list changes (a region added mid-rotation), the old stamp no
 *    longer counts and the next tick at which all of them carry `pending` stamps again, later.
 * InSync at promotion alone would not do: a replica may have caught up one second before.
 */
import { createHash } from 'node:crypto';
import { parseTurnSecretDocument, type DocumentClock } from './rotation-document';
import { SecretRotationError } from './secret-rotation';

/** One entry of DescribeSecret's ReplicationStatus on the primary (only the fields the gate uses). */
export interface ReplicaStatus {
  readonly region: string;
  /** Documented values for regional replicas: InSync, InProgress, Failed. */
  readonly status?: string;
  /** Secrets Manager's own words, e.g. "Secret with this name already exists in this region"; holds no secret. */
  readonly statusMessage?: string;
}

/** What the handler read about the replicas, for an advance tick. */
export interface ReplicaSnapshot {
  /** DescribeSecret's ReplicationStatus on the primary. */
  readonly statuses: readonly ReplicaStatus[];
  /** Each expected replica's AWSCURRENT SecretString, read in its region; no entry when it has none (no replica). */
  readonly currentValues: Readonly<Record<string, string>>;
}

/**
 * How long after `pendingSince` a replica may still lack the pending secret before a waiting tick becomes an error.
 * Waiting is safe (nothing is promoted), but without a bound a replica that never catches up would hold a rotation
 * for ever with nobody told. Replication normally takes seconds; an hour is far beyond it and far inside any
 * rotation interval.
 */
export const REPLICATION_OVERDUE_SECONDS = 3600;

export type ReplicaVerdict =
  { readonly kind: 'all-carry-pending' } | { readonly kind: 'lagging'; readonly note: string };

/** The replica's ARN: the primary's with the region replaced (Secrets Manager's documented naming). */
export function replicaArn(primaryArn: string, region: string): string {
  const parts = primaryArn.split(':');
  if (parts.length < 7 || parts[2] !== 'secretsmanager') {
    throw new SecretRotationError('the secret ARN is not a Secrets Manager ARN');
  }
  parts[3] = region;
  return parts.join(':');
}

/**
 * Refuses what waiting cannot fix, at every advance tick (so the rotation function's error alarm fires while the
 * cause is still there, not at the next rotation): an expected region with no replica, a replica whose replication
 * Failed (AWS's troubleshooting guide has a person fix the cause and retry replication; meanwhile its relays keep the
 * last document they got), or a status this code does
 * not know. Nothing is written, so signaling keeps signing with `current`, which every region's relays accept.
 */
export function refuseBrokenReplicas(secretId: string, regions: readonly string[], snapshot: ReplicaSnapshot): void {
  const problems: string[] = [];
  for (const region of regions) {
    const entry = snapshot.statuses.find((status) => status.region === region);
    if (entry === undefined) {
      problems.push(
        `${region} has no replica of the secret (REPLICA_REGIONS names it, the secret's ReplicaRegions does not): ` +
          "deploy the home Relay stack so the secret's ReplicaRegions lists it, or remove the region from the relay " +
          'regions',
      );
    } else if (entry.status === 'Failed') {
      problems.push(
        `replication to ${region} failed (${message(entry)}): its relays keep the last document they read. Fix the ` +
          "cause (usually the region's relay CMK: disabled, or its key policy; or a secret of the same name already " +
          `there), then retry replication of ${secretId} to ${region} (console: the secret's replication, Retry ` +
          'replication); docs/relay.md, "Relay regions: the replicated secret"',
      );
    } else if (entry.status !== 'InSync' && entry.status !== 'InProgress') {
      problems.push(`replica ${region} reports status '${entry.status ?? 'none'}', which this function does not know`);
    }
  }
  if (problems.length > 0) {
    throw new SecretRotationError(
      `TURN secret replicas need attention; nothing is promoted until every relay region holds the pending secret ` +
        `(signaling keeps signing with the current one, which every region accepts): ${problems.join('; ')}`,
    );
  }
}

/**
 * Whether every expected replica's AWSCURRENT carries `pending` (the primary's staged secret). A replica document
 * that does not parse is an error: that region's relays refuse it too and keep old secrets.
 */
export function replicasCarryPending(
  regions: readonly string[],
  snapshot: ReplicaSnapshot,
  pending: string,
  clock: DocumentClock,
): ReplicaVerdict {
  const lagging: string[] = [];
  for (const region of regions) {
    const value = snapshot.currentValues[region];
    const status = snapshot.statuses.find((s) => s.region === region)?.status ?? 'none';
    if (value === undefined) {
      lagging.push(`${region} (${status}, no readable AWSCURRENT)`);
      continue;
    }
    const replica = parseTurnSecretDocument(value, `replica ${region} AWSCURRENT`, clock);
    if (replica.pending !== pending) lagging.push(`${region} (${status}, AWSCURRENT without the pending secret yet)`);
  }
  if (lagging.length === 0) return { kind: 'all-carry-pending' };
  return { kind: 'lagging', note: `waiting for replication of the pending secret to ${lagging.join(', ')}` };
}

/**
 * The version ID of the stamp written from version `sourceVersionId` for `regions`: `replicated-<16 hex of the region
 * set>-<32 hex of the source>` (60 characters, inside Secrets Manager's 32-64). Deterministic per source, so racing
 * ticks cannot both write (the second gets ResourceExistsException), and a stale tick cannot write over a promotion.
 */
export function replicatedToken(regions: readonly string[], sourceVersionId: string): string {
  const source = createHash('sha256').update(`replicated\n${sourceVersionId}`).digest('hex').slice(0, 32);
  return `${regionSetPrefix(regions)}${source}`;
}

/** True when AWSCURRENT is a stamp taken for exactly this region set. */
export function isStampedFor(regions: readonly string[], currentVersionId: string, replicatedAt?: number): boolean {
  return replicatedAt !== undefined && currentVersionId.startsWith(regionSetPrefix(regions));
}

function regionSetPrefix(regions: readonly string[]): string {
  const set = [...new Set(regions)].sort().join(',');
  return `replicated-${createHash('sha256').update(`regions\n${set}`).digest('hex').slice(0, 16)}-`;
}

function message(status: ReplicaStatus): string {
  // Bounded, single-line: it is Secrets Manager's text, but it goes into a log line and an error.
  const text = (status.statusMessage ?? 'no status message').replace(/\s+/g, ' ').slice(0, 300);
  return `Secrets Manager says: ${text}`;
}
