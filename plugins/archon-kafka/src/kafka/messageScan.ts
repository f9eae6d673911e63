import { InputError } from '@backstage/errors';
import type { FetchedRecord, KafkaAdapter } from './adapter/KafkaAdapter';
import type { KafkaClusterMetadata } from './adapter/KafkaAdapter';
import type { MessagePredicate } from './messageFilter';

/**
 * A filtered read: the backend scans the topic in chunks and keeps the
 * records the filter passes. Bounded like a plain read (matches, their bytes,
 * time) and also in records and bytes scanned, so a filter that matches
 * nothing on a big topic still answers in time, with progress and a cursor
 * to continue where it stopped.
 */
export const SCAN_LIMITS = {
  defaultScanLimit: 10_000,
  maxScanLimit: 100_000,
  /** Bytes (keys + values) scanned per request. */
  maxScanBytes: 64 * 1024 * 1024,
  /** Offsets per partition per step; the budgets are checked between steps. */
  chunk: 500,
};

/** The not yet scanned offsets of one partition: [lo, hi). */
export interface ScanRange {
  partition: number;
  lo: number;
  hi: number;
}

/** `0:120-400,1:0-380`: the ranges left to scan, as the API's `cursor`. */
export function encodeCursor(ranges: ScanRange[]): string | null {
  const left = ranges.filter(r => r.hi > r.lo);
  return left.length
    ? left.map(r => `${r.partition}:${r.lo}-${r.hi}`).join(',')
    : null;
}

/** Reads a `cursor`; throws a 400 naming the field when it is not one. */
export function decodeCursor(cursor: string): ScanRange[] {
  const ranges = cursor.split(',').map(part => {
    const m = /^(\d+):(\d+)-(\d+)$/.exec(part.trim());
    if (!m || Number(m[2]) > Number(m[3]))
      throw new InputError(
        `cursor: "${part}" is not partition:from-to (pass back the cursor of the previous answer)`,
      );
    return { partition: Number(m[1]), lo: Number(m[2]), hi: Number(m[3]) };
  });
  if (new Set(ranges.map(r => r.partition)).size !== ranges.length)
    throw new InputError('cursor: a partition appears twice');
  return ranges;
}

export interface ScanOptions {
  /** Newest first: each step takes the top of a range, else the bottom. */
  backward: boolean;
  limit: number;
  maxBytes: number;
  scanLimit: number;
  deadline: number;
}

export interface ScanResult {
  records: FetchedRecord[];
  ranges: ScanRange[];
  scanned: number;
  errors: Map<number, string>;
  truncated: 'count' | 'bytes' | 'time' | null;
}

const size = (m: FetchedRecord) =>
  (m.key?.length ?? 0) + (m.value?.length ?? 0);

/** Reads [from, to) of one partition; stops early at the deadline (complete false). */
async function readChunk(
  kafka: KafkaAdapter,
  meta: KafkaClusterMetadata,
  topic: string,
  partition: number,
  from: number,
  to: number,
  deadline: number,
) {
  const records: FetchedRecord[] = [];
  let position = from;
  while (position < to) {
    if (Date.now() >= deadline)
      return { records, position, complete: false, error: undefined };
    const [r] = await kafka.fetch(
      [{ topic, partition, offset: position }],
      { maxWaitMs: 100, maxBytes: 4 << 20, partitionMaxBytes: 1 << 20 },
      meta,
    );
    if (!r || r.error || r.errorCode)
      return {
        records,
        position,
        complete: false,
        error: r?.error ?? `Kafka error code ${r?.errorCode ?? 'none'}`,
      };
    const at = position;
    const fresh = r.records.filter(m => m.offset >= at && m.offset < to);
    if (fresh.length === 0) {
      // Only control records or a compacted gap: skip ahead, or the rest is gone.
      const last = r.records.length
        ? Math.max(...r.records.map(m => m.offset))
        : -1;
      position = last >= position ? last + 1 : to;
      continue;
    }
    records.push(...fresh);
    position = fresh[fresh.length - 1].offset + 1;
  }
  return { records, position: to, complete: true, error: undefined };
}

/**
 * Scans the ranges step by step (one chunk per partition at a time, all
 * partitions in parallel) until they are done, `limit` matches or
 * `maxBytes` of matches are found, or `scanLimit` offsets, the scanned bytes
 * budget or the deadline is spent. The ranges come back shrunk to what is
 * left, so a caller can continue.
 */
export async function scanRanges(
  kafka: KafkaAdapter,
  meta: KafkaClusterMetadata,
  topic: string,
  input: ScanRange[],
  match: MessagePredicate,
  options: ScanOptions,
): Promise<ScanResult> {
  const ranges = input.map(r => ({ ...r }));
  const matches: FetchedRecord[] = [];
  const errors = new Map<number, string>();
  let scanned = 0;
  let scannedBytes = 0;
  let matchedBytes = 0;
  let truncated: ScanResult['truncated'] = null;
  for (;;) {
    const active = ranges.filter(r => r.hi > r.lo && !errors.has(r.partition));
    if (!active.length) break;
    if (matches.length >= options.limit) {
      truncated = 'count';
      break;
    }
    if (matchedBytes >= options.maxBytes) {
      truncated = 'bytes';
      break;
    }
    if (
      scanned >= options.scanLimit ||
      scannedBytes >= SCAN_LIMITS.maxScanBytes
    )
      break;
    if (Date.now() >= options.deadline) {
      truncated = 'time';
      break;
    }
    const share = Math.max(
      1,
      Math.min(
        SCAN_LIMITS.chunk,
        Math.ceil((options.scanLimit - scanned) / active.length),
      ),
    );
    const steps = await Promise.all(
      active.map(async r => {
        const from = options.backward ? Math.max(r.lo, r.hi - share) : r.lo;
        const to = options.backward ? r.hi : Math.min(r.hi, r.lo + share);
        return {
          r,
          from,
          to,
          ...(await readChunk(
            kafka,
            meta,
            topic,
            r.partition,
            from,
            to,
            options.deadline,
          )),
        };
      }),
    );
    for (const step of steps) {
      if (step.error) errors.set(step.r.partition, step.error);
      // Backward, only a whole chunk counts (what is left must stay one range).
      if (options.backward && !step.complete) continue;
      const covered = step.position - step.from;
      scanned += covered;
      if (options.backward) step.r.hi = step.from;
      else step.r.lo = step.position;
      for (const m of step.records) {
        scannedBytes += size(m);
        if (match(m)) {
          matches.push(m);
          matchedBytes += size(m);
        }
      }
    }
  }
  const order = options.backward ? -1 : 1;
  matches.sort(
    (a, b) =>
      order * (a.timestamp - b.timestamp) ||
      order * (a.offset - b.offset) ||
      a.partition - b.partition,
  );
  if (matches.length > options.limit) {
    // Matches beyond the page go back into the ranges, to be found again.
    for (const m of matches.splice(options.limit)) {
      const r = ranges.find(x => x.partition === m.partition)!;
      if (options.backward) r.hi = Math.max(r.hi, m.offset + 1);
      else r.lo = Math.min(r.lo, m.offset);
    }
  }
  return { records: matches, ranges, scanned, errors, truncated };
}
