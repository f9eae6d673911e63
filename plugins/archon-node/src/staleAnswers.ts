import type { Response } from 'express';

/** What a cached answer says about its age when its source cannot confirm it. */
export interface Staleness {
  /** The system the answer comes from, as messages name it, e.g. `ZooKeeper ensemble "local" (127.0.0.1:2181)`. */
  system: string;
  /** Since when (ms since the epoch) the source has not been reachable: the answer is as of then. */
  asOf: number;
}

/**
 * Marks an answer served from a cache while its source is unreachable: the
 * body gets `stale: true` and `asOf` (ISO 8601), the response an RFC 7234
 * `Warning: 110` header ("Response is Stale") naming the system, so clients
 * that only look at headers (the CLI, proxies) can tell too. Without
 * staleness the body is returned as it is.
 */
export function markStale<T extends object>(
  res: Response,
  body: T,
  staleness: Staleness | undefined,
): T | (T & { stale: true; asOf: string }) {
  if (!staleness) return body;
  const asOf = new Date(staleness.asOf).toISOString();
  // Header values must be Latin-1: the system name is quoted as ASCII.
  const system = staleness.system
    .replace(/[^\x20-\x7e]/g, '?')
    .replace(/"/g, "'");
  res.setHeader(
    'Warning',
    `110 archon "Response is Stale: ${system} is not reachable; this answer is as of ${asOf}"`,
  );
  return { ...body, stale: true as const, asOf };
}
