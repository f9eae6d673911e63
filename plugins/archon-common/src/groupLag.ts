/**
 * When a consumer group lags (docs/glossary.md): its time lag, the age of
 * the oldest record it has not consumed yet, exceeds the threshold
 * (`archon.kafka.lagThresholdSeconds`). A group whose time lag is unknown
 * does not count as lagging here; its list row says unknown, with why.
 * The one rule behind the graph's group nodes, the Home page's "consumer
 * groups lagging" and the group list's `?lagging=true`.
 */
export const DEFAULT_LAG_THRESHOLD_SECONDS = 60;

export function isGroupLagging(
  timeLagMs: number | null | undefined,
  thresholdSeconds: number,
): boolean {
  return typeof timeLagMs === 'number' && timeLagMs > thresholdSeconds * 1000;
}
