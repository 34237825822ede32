/**
 * An in-memory RateCounter with the DynamoDB counter's semantics (every request counted, admitted while the count is
 * within the limit, one count per subject, action and window), keyed by the same item keys (`L#C#<connectionId>` or
 * `L#U#<sub>`, `<action>#<window>`), so tests can look counts up as the table would hold them. For unit tests and the
 * in-memory benchmark mode.
 */
import { rateCounterItemKey } from '../../lib/signaling/rate-counter';
import type { RateCounter, RateCounterKey } from '../../lib/signaling/rate-limit';

export class MemoryRateCounter implements RateCounter {
  readonly hits = new Map<string, number>();

  async hit(key: RateCounterKey, limit: number): Promise<boolean> {
    const { pk, sk } = rateCounterItemKey(key);
    const id = `${pk}|${sk}`;
    const count = (this.hits.get(id) ?? 0) + 1;
    this.hits.set(id, count);
    return count <= limit;
  }
}
