/**
 * Bookkeeping behind the queue's `processedOffersSummary` / `lastUnusedOffers`. Every
 * launch attempt of the scheduler counts as one offer of the single local agent, either
 * used or declined for a reason.
 */

/** The server's NoOfferMatchReason values, in the order it reports them. */
export const STANDARD_REJECT_REASONS = [
  'UnfulfilledRole',
  'UnfulfilledConstraint',
  'NoCorrespondingReservationFound',
  'AgentMaintenance',
  'InsufficientCpus',
  'InsufficientMemory',
  'InsufficientDisk',
  'InsufficientGpus',
  'InsufficientPorts',
  'DeclinedScarceResources',
] as const;

export interface OfferStats {
  processed: number;
  unused: number;
  lastUnusedAt?: string;
  lastUsedAt?: string;
  declined: Record<string, number>;
  lastUnused?: { timestamp: string; reasons: string[] };
}

export function newOfferStats(): OfferStats {
  return { processed: 0, unused: 0, declined: {} };
}

/** Counts one offer: used when `declineReason` is undefined, otherwise declined for it. */
export function recordOffer(
  stats: OfferStats,
  declineReason: string | undefined,
): void {
  const now = new Date().toISOString();
  stats.processed++;
  if (declineReason === undefined) {
    stats.lastUsedAt = now;
    return;
  }
  stats.unused++;
  stats.lastUnusedAt = now;
  stats.declined[declineReason] = (stats.declined[declineReason] ?? 0) + 1;
  stats.lastUnused = { timestamp: now, reasons: [declineReason] };
}
