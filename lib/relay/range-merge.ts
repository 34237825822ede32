/**
 * Merges overlapping or adjacent address ranges per family. nftables refuses overlapping elements in an interval
 * set, and the deny list overlaps on purpose (a block and a named sub-block, e.g. 2001::/23 and Teredo 2001::/32).
 */
import type { IpRange } from './ip-address';

export function mergeRanges(ranges: readonly IpRange[]): IpRange[] {
  const sorted = [...ranges].sort((a, b) =>
    a.family !== b.family ? a.family - b.family : a.first < b.first ? -1 : a.first > b.first ? 1 : 0,
  );
  const merged: IpRange[] = [];
  for (const r of sorted) {
    const last = merged[merged.length - 1];
    if (last && last.family === r.family && r.first <= last.last + 1n) {
      merged[merged.length - 1] = { ...last, last: r.last > last.last ? r.last : last.last };
    } else {
      merged.push({ family: r.family, first: r.first, last: r.last });
    }
  }
  return merged;
}
