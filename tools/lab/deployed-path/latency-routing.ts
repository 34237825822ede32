/**
 * A stand-in for Route 53 latency-based routing over one group of latency alias records (latency-records.ts): the
 * record of the lowest-latency region among the healthy ones. Pure.
 *
 * As Route 53 documents ("How Amazon Route 53 chooses records when health checking is configured"):
 * - an alias record with EvaluateTargetHealth true is healthy when its load balancer is (for a Network Load Balancer:
 *   every target group with targets has a healthy target); one with EvaluateTargetHealth false is always healthy;
 * - if no record is healthy, Route 53 answers as if all were, by the routing policy alone;
 * - no record at all: nothing answers (NXDOMAIN/NODATA to the client).
 * Latencies are per region as Route 53 would have measured them for the client's resolver; a region with no latency
 * given is an error, not a guess. Ties go to the region named first in `records`, so the answer is deterministic.
 */
import type { LatencyRecord } from './latency-records';

export type LatencyAnswer =
  | { readonly kind: 'answer'; readonly record: LatencyRecord; readonly why: string }
  | { readonly kind: 'none'; readonly why: string };

export function latencyAnswer(
  records: readonly LatencyRecord[],
  latencyMs: Readonly<Record<string, number>>,
  loadBalancerHealthy: Readonly<Record<string, boolean>>,
): LatencyAnswer {
  if (records.length === 0) return { kind: 'none', why: 'no latency record under the relay name' };
  for (const record of records) {
    const latency = latencyMs[record.region];
    if (typeof latency !== 'number' || !Number.isFinite(latency) || latency < 0)
      throw new Error(`no latency for relay region ${record.region}`);
    if (typeof loadBalancerHealthy[record.region] !== 'boolean')
      throw new Error(`no load-balancer health for relay region ${record.region}`);
  }
  const byLatency = records
    .map((record, order) => ({ record, order, latency: latencyMs[record.region] }))
    .sort((x, y) => x.latency - y.latency || x.order - y.order);
  const healthy = (r: LatencyRecord) => !r.evaluateTargetHealth || loadBalancerHealthy[r.region];
  const describe = (r: LatencyRecord) =>
    `${r.region} (${latencyMs[r.region]} ms, load balancer ${loadBalancerHealthy[r.region] ? 'healthy' : 'unhealthy'}` +
    `${r.evaluateTargetHealth ? '' : ', EvaluateTargetHealth false: its health is ignored'})`;
  const skipped: string[] = [];
  for (const { record } of byLatency) {
    if (healthy(record)) {
      return {
        kind: 'answer',
        record,
        why: `nearest healthy record: ${describe(record)}${skipped.length ? `; skipped ${skipped.join(', ')}` : ''}`,
      };
    }
    skipped.push(describe(record));
  }
  const nearest = byLatency[0].record;
  return {
    kind: 'answer',
    record: nearest,
    why: `no record is healthy, so Route 53 answers as if all were: nearest is ${describe(nearest)}`,
  };
}
