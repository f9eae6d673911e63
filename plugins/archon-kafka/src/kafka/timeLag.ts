import {
  type KafkaAdapter,
  type KafkaClusterMetadata,
  tpKey,
} from './adapter/KafkaAdapter';

/**
 * A partition's time lag: how old the oldest record the group has not
 * consumed yet is (now − the timestamp of the record at the committed
 * offset), or unknown with why. Never a 0 for a record archon could not read.
 */
export type TimeLag = { ms: number } | { unknown: string };

/** A group's committed position on a partition it lags on. */
export interface LaggingPosition {
  topic: string;
  partition: number;
  committedOffset: number;
}

/**
 * How much one read asks per partition and how many partitions it holds:
 * a small read first (enough for the record batch at the offset in most
 * topics), then the partitions that came back empty again with room for a
 * large batch. Partitions × bytes stays within the Fetch's total, so no
 * partition is starved by the others' answers (the adapter splits a read
 * by leader).
 */
const SMALL_READ = { partitionMaxBytes: 64 << 10, partitions: 128 };
const LARGE_READ = { partitionMaxBytes: 1 << 20, partitions: 8 };
type Read = typeof SMALL_READ;
/** Kafka's OFFSET_OUT_OF_RANGE: the offset is before the log start (or after its end). */
const OFFSET_OUT_OF_RANGE = 1;

export const positionKey = (topic: string, partition: number, offset: number) =>
  `${tpKey(topic, partition)}\u0000${offset}`;

const key = (p: LaggingPosition) =>
  positionKey(p.topic, p.partition, p.committedOffset);

/**
 * Reads the timestamp of the record at each committed offset: one Fetch per
 * leader per round (a round holds each partition once, so two groups at
 * different offsets of one partition take two rounds), at most `cap`
 * positions in all; the rest are unknown, "not sampled". Keyed by
 * {@link positionKey}. Record timestamps are the producer's (CreateTime)
 * unless the topic says `message.timestamp.type=LogAppendTime`.
 */
export async function measureTimeLags(
  kafka: KafkaAdapter,
  meta: KafkaClusterMetadata,
  positions: LaggingPosition[],
  options: { cap?: number; now?: number; capSetting?: string } = {},
): Promise<Map<string, TimeLag>> {
  const out = new Map<string, TimeLag>();
  const distinct = new Map<string, LaggingPosition>();
  for (const p of positions) distinct.set(key(p), p);
  const all = [...distinct.values()];
  const cap = options.cap ?? Infinity;
  const measured = all.slice(0, cap);
  const over = all.length - measured.length;
  for (const p of all.slice(measured.length)) {
    out.set(key(p), {
      unknown: `not sampled: ${over} partition position(s) over the cap of ${cap} per sample${
        options.capSetting ? ` (${options.capSetting})` : ''
      }`,
    });
  }
  // Round i reads the i-th distinct offset of each partition.
  const byPartition = new Map<string, LaggingPosition[]>();
  for (const p of measured) {
    const k = tpKey(p.topic, p.partition);
    byPartition.set(k, [...(byPartition.get(k) ?? []), p]);
  }
  const rounds = Math.max(0, ...[...byPartition.values()].map(l => l.length));
  for (let i = 0; i < rounds; i++) {
    const round = [...byPartition.values()]
      .filter(l => l.length > i)
      .map(l => l[i]);
    const empty: LaggingPosition[] = [];
    for (const [read, toRead] of [
      [SMALL_READ, round],
      [LARGE_READ, empty],
    ] as const) {
      for (let c = 0; c < toRead.length; c += read.partitions) {
        const chunk = toRead.slice(c, c + read.partitions);
        const found = await readChunk(kafka, meta, chunk, read, options.now);
        for (const p of chunk) {
          const lag = found.get(key(p))!;
          if (lag === 'empty' && read === SMALL_READ) empty.push(p);
          else
            out.set(
              key(p),
              lag === 'empty'
                ? {
                    unknown: `no record at offset ${
                      p.committedOffset
                    } came back (its batch is larger than ${
                      read.partitionMaxBytes >> 20
                    } MiB, or only control records follow)`,
                  }
                : lag,
            );
        }
      }
    }
  }
  return out;
}

async function readChunk(
  kafka: KafkaAdapter,
  meta: KafkaClusterMetadata,
  chunk: LaggingPosition[],
  read: Read,
  nowOption?: number,
): Promise<Map<string, TimeLag | 'empty'>> {
  const out = new Map<string, TimeLag | 'empty'>();
  let results;
  try {
    results = await kafka.fetch(
      chunk.map(p => ({
        topic: p.topic,
        partition: p.partition,
        offset: p.committedOffset,
      })),
      {
        maxWaitMs: 0,
        maxBytes: read.partitionMaxBytes * read.partitions,
        partitionMaxBytes: read.partitionMaxBytes,
      },
      meta,
    );
  } catch (error) {
    const unknown = `the record could not be read: ${(error as Error).message}`;
    for (const p of chunk) out.set(key(p), { unknown });
    return out;
  }
  const now = nowOption ?? Date.now();
  const wanted = new Map(chunk.map(p => [tpKey(p.topic, p.partition), p]));
  for (const r of results) {
    const p = wanted.get(tpKey(r.topic, r.partition));
    if (!p) continue;
    out.set(key(p), timeLagOf(r, p.committedOffset, now));
  }
  for (const p of chunk) {
    if (!out.has(key(p)))
      out.set(key(p), { unknown: 'Kafka did not answer for the partition' });
  }
  return out;
}

function timeLagOf(
  r: Awaited<ReturnType<KafkaAdapter['fetch']>>[number],
  offset: number,
  now: number,
): TimeLag | 'empty' {
  if (r.errorCode === OFFSET_OUT_OF_RANGE) {
    return {
      unknown: `the record at the committed offset ${offset} is no longer in the log (deleted by retention or delete-records)`,
    };
  }
  if (r.errorCode) {
    return {
      unknown: `Kafka answered error ${r.errorCode} reading offset ${offset}`,
    };
  }
  if (r.error) {
    return {
      unknown: `the record at offset ${offset} was unreadable: ${r.error}`,
    };
  }
  // A batch may start before the offset; a compacted log may have no record at it exactly.
  const record = r.records.find(m => m.offset >= offset);
  if (!record) return 'empty';
  if (!(record.timestamp >= 0)) {
    return {
      unknown: `the record at offset ${record.offset} has no timestamp`,
    };
  }
  return { ms: Math.max(0, now - record.timestamp) };
}

/**
 * Several partitions' time lags as one figure: the largest known one, and
 * why the others are unknown. With any unknown the figure is a lower bound
 * (`timeLagMs` may still be set); with none known it is null.
 */
export function combineTimeLags(lags: TimeLag[]): {
  timeLagMs: number | null;
  timeLagUnknown: string | null;
} {
  let timeLagMs: number | null = null;
  const reasons = new Map<string, number>();
  for (const lag of lags) {
    if ('ms' in lag) timeLagMs = Math.max(timeLagMs ?? 0, lag.ms);
    else reasons.set(lag.unknown, (reasons.get(lag.unknown) ?? 0) + 1);
  }
  const timeLagUnknown = reasons.size
    ? [...reasons.entries()]
        .map(([why, n]) => `${n} partition${n === 1 ? '' : 's'}: ${why}`)
        .join('; ')
    : null;
  return { timeLagMs, timeLagUnknown };
}
