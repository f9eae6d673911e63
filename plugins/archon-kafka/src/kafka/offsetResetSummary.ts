import type { ArchonAuditSummary } from '@archon/plugin-archon-node';

/** Partitions named one by one in an audit entry; the rest are counted. */
const MAX_LISTED_PARTITIONS = 50;

interface ResetPlanRow {
  topic: string;
  partition: number;
  currentOffset: number | null;
  newOffset: number;
}

/**
 * What an offset reset changed, for the audit entry: per partition the
 * offset before (`null`: nothing was committed) and after, `topic/partition`
 * keyed, the first {@link MAX_LISTED_PARTITIONS} partitions by name and the
 * rest counted, plus the lag before and after.
 */
export function offsetResetSummary(result: {
  partitions: ResetPlanRow[];
  totalLagBefore: number;
  totalLagAfter: number;
}): { before: ArchonAuditSummary; after: ArchonAuditSummary } {
  const listed = result.partitions.slice(0, MAX_LISTED_PARTITIONS);
  const omitted = result.partitions.length - listed.length;
  const key = (p: ResetPlanRow) => `${p.topic}/${p.partition}`;
  const more = omitted > 0 ? { morePartitions: omitted } : {};
  return {
    before: {
      totalLag: result.totalLagBefore,
      offsets: Object.fromEntries(listed.map(p => [key(p), p.currentOffset])),
      ...more,
    },
    after: {
      totalLag: result.totalLagAfter,
      offsets: Object.fromEntries(listed.map(p => [key(p), p.newOffset])),
      changed: listed
        .filter(p => p.currentOffset !== p.newOffset)
        .map(p => `${key(p)}: ${p.currentOffset ?? 'none'} → ${p.newOffset}`),
      ...more,
    },
  };
}
