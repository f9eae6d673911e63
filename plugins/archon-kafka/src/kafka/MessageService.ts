import { InputError, NotFoundError } from '@backstage/errors';
import type { KafkaService } from './KafkaService';
import { type FetchedRecord, tpKey } from './adapter/KafkaAdapter';
import { EARLIEST, LATEST } from './adapter/wire';
import {
  encodePayload,
  formatRecord,
  type MessageFormat,
} from './messageFormat';
import { validateTopicName } from '@archon/plugin-archon-common';
import { compileMessageFilter, type MessageFilterInput } from './messageFilter';
import {
  SCAN_LIMITS,
  decodeCursor,
  encodeCursor,
  scanRanges,
  type ScanRange,
} from './messageScan';

export interface ReadMessagesOptions {
  partition?: number;
  /** newest N (default), oldest, from an offset, or from a timestamp. */
  from?: 'newest' | 'oldest' | 'offset' | 'timestamp';
  offset?: number;
  timestamp?: number;
  limit?: number;
  maxBytes?: number;
  timeoutMs?: number;
  keyFormat?: MessageFormat;
  valueFormat?: MessageFormat;
  /** Keep only matching records: a scan bounded by `scanLimit` (see messageScan). */
  filter?: MessageFilterInput;
  /** Offsets to scan at most (a filtered read; default 10,000). */
  scanLimit?: number;
  /** Continue a filtered read where the previous answer's `scan.cursor` says. */
  cursor?: string;
}

export const MAX_PRODUCE_COPIES = 100;

export const MESSAGE_LIMITS = {
  maxLimit: 1000,
  defaultLimit: 50,
  maxBytes: 16 * 1024 * 1024,
  defaultMaxBytes: 1024 * 1024,
  maxTimeoutMs: 30_000,
  defaultTimeoutMs: 5_000,
};

/** Reads and produces messages without joining a consumer group. */
export class MessageService {
  readonly #kafka: KafkaService;

  constructor(kafka: KafkaService) {
    this.#kafka = kafka;
  }

  async read(clusterName: string, topic: string, options: ReadMessagesOptions) {
    validateTopicName(topic);
    const from = options.from ?? 'newest';
    const limit = Math.min(
      options.limit ?? MESSAGE_LIMITS.defaultLimit,
      MESSAGE_LIMITS.maxLimit,
    );
    const maxBytes = Math.min(
      options.maxBytes ?? MESSAGE_LIMITS.defaultMaxBytes,
      MESSAGE_LIMITS.maxBytes,
    );
    const timeoutMs = Math.min(
      options.timeoutMs ?? MESSAGE_LIMITS.defaultTimeoutMs,
      MESSAGE_LIMITS.maxTimeoutMs,
    );
    if (from === 'offset' && options.offset === undefined) {
      throw new InputError('start=offset needs "offset"');
    }
    if (from === 'timestamp' && options.timestamp === undefined) {
      throw new InputError(
        'start=timestamp needs "timestamp" (ms since the epoch)',
      );
    }
    const deadline = Date.now() + timeoutMs;
    const match = options.filter
      ? compileMessageFilter(options.filter)
      : undefined;
    const cursor =
      options.cursor !== undefined ? decodeCursor(options.cursor) : undefined;
    const keyFormat = options.keyFormat ?? 'auto';
    const valueFormat = options.valueFormat ?? 'auto';

    return this.#kafka.call(
      clusterName,
      async kafka => {
        const meta = await kafka.metadata();
        const t = meta.topics.find(x => x.name === topic);
        if (!t)
          throw new NotFoundError(
            `topic "${topic}" does not exist in Kafka cluster "${clusterName}"`,
          );
        let partitions = t.partitions.map(p => p.partition);
        if (options.partition !== undefined) {
          if (!partitions.includes(options.partition)) {
            throw new InputError(
              `topic "${topic}" has no partition ${options.partition} (it has ${partitions.length})`,
            );
          }
          partitions = [options.partition];
        }
        const tps = partitions.map(partition => ({ topic, partition }));
        const [starts, ends, byTime] = await Promise.all([
          kafka.listOffsets(tps, EARLIEST, meta),
          kafka.listOffsets(tps, LATEST, meta),
          from === 'timestamp'
            ? kafka.listOffsets(tps, options.timestamp!, meta)
            : undefined,
        ]);
        const state = partitions.map(partition => {
          const key = tpKey(topic, partition);
          const start = Math.max(0, starts.get(key)?.offset ?? 0);
          const end = Math.max(start, ends.get(key)?.offset ?? 0);
          let position: number;
          if (from === 'newest') position = Math.max(start, end - limit);
          else if (from === 'oldest') position = start;
          else if (from === 'offset')
            position = Math.min(Math.max(options.offset!, start), end);
          else {
            const found = byTime!.get(key);
            position =
              found && !found.errorCode && found.offset >= 0
                ? found.offset
                : end;
          }
          return {
            partition,
            start,
            end,
            position,
            taken: 0,
            done: position >= end,
            error: undefined as string | undefined,
          };
        });

        if (match || cursor) {
          const ranges: ScanRange[] = cursor
            ? cursor.map(r => {
                const s = state.find(x => x.partition === r.partition);
                if (!s)
                  throw new InputError(
                    `cursor: partition ${r.partition} is not among the partitions read`,
                  );
                return {
                  ...r,
                  lo: Math.max(r.lo, s.start),
                  hi: Math.min(r.hi, s.end),
                };
              })
            : state.map(s => ({
                partition: s.partition,
                lo: from === 'newest' ? s.start : s.position,
                hi: s.end,
              }));
          const scan = await scanRanges(
            kafka,
            meta,
            topic,
            ranges,
            match ?? (() => true),
            {
              backward: from === 'newest',
              limit,
              maxBytes,
              scanLimit: Math.min(
                options.scanLimit ?? SCAN_LIMITS.defaultScanLimit,
                SCAN_LIMITS.maxScanLimit,
              ),
              deadline,
            },
          );
          return {
            topic,
            from,
            messages: scan.records.map(m =>
              formatRecord(m, keyFormat, valueFormat),
            ),
            partitions: state.map(s => {
              const r = scan.ranges.find(x => x.partition === s.partition);
              const error = scan.errors.get(s.partition);
              // Where the scan goes on: down from hi when newest first, up from lo otherwise.
              let nextOffset = s.end;
              if (r) nextOffset = from === 'newest' ? r.hi : r.lo;
              return {
                partition: s.partition,
                startOffset: s.start,
                endOffset: s.end,
                nextOffset,
                ...(error ? { error } : {}),
              };
            }),
            truncated: scan.truncated,
            scan: {
              scanned: scan.scanned,
              matched: scan.records.length,
              total: state.reduce((n, s) => n + (s.end - s.start), 0),
              remaining: scan.ranges.reduce(
                (n, r) => n + Math.max(0, r.hi - r.lo),
                0,
              ),
              cursor: encodeCursor(scan.ranges),
            },
          };
        }

        const collected: FetchedRecord[] = [];
        let bytes = 0;
        let truncated: 'count' | 'bytes' | 'time' | null = null;
        while (state.some(s => !s.done)) {
          if (Date.now() >= deadline) {
            truncated = 'time';
            break;
          }
          const active = state.filter(s => !s.done);
          const remaining = Math.max(1024, maxBytes - bytes);
          const results = await kafka.fetch(
            active.map(s => ({
              topic,
              partition: s.partition,
              offset: s.position,
            })),
            {
              maxWaitMs: Math.min(500, Math.max(0, deadline - Date.now())),
              maxBytes: Math.min(remaining, 8 << 20),
              partitionMaxBytes: Math.min(remaining, 1 << 20),
            },
            meta,
          );
          for (const r of results) {
            const s = state.find(x => x.partition === r.partition)!;
            if (r.error || r.errorCode) {
              s.error = r.error ?? `Kafka error code ${r.errorCode}`;
              s.done = true;
              continue;
            }
            const fresh = r.records.filter(
              m => m.offset >= s.position && m.offset < s.end,
            );
            if (fresh.length === 0) {
              // Only control records or a compacted gap: skip ahead, or stop.
              const last = r.records.length
                ? Math.max(...r.records.map(m => m.offset))
                : -1;
              if (last >= s.position) s.position = last + 1;
              else s.done = true;
            }
            for (const m of fresh) {
              if (s.taken >= limit) break;
              collected.push(m);
              s.taken += 1;
              s.position = m.offset + 1;
              bytes += (m.key?.length ?? 0) + (m.value?.length ?? 0);
            }
            if (s.position >= s.end || s.taken >= limit) s.done = true;
          }
          if (bytes >= maxBytes) {
            truncated = 'bytes';
            break;
          }
        }

        const newestFirst = from === 'newest';
        collected.sort((a, b) =>
          newestFirst
            ? b.timestamp - a.timestamp ||
              b.offset - a.offset ||
              a.partition - b.partition
            : a.timestamp - b.timestamp ||
              a.offset - b.offset ||
              a.partition - b.partition,
        );
        if (collected.length > limit) {
          collected.length = limit;
          truncated ??= 'count';
        }
        return {
          topic,
          from,
          messages: collected.map(m => formatRecord(m, keyFormat, valueFormat)),
          partitions: state.map(s => ({
            partition: s.partition,
            startOffset: s.start,
            endOffset: s.end,
            nextOffset: s.position,
            ...(s.error ? { error: s.error } : {}),
          })),
          truncated,
        };
      },
      { extraMs: timeoutMs },
    );
  }

  async produce(
    clusterName: string,
    topic: string,
    message: {
      key?: string | null;
      value: string | null;
      headers?: Record<string, string>;
      partition?: number;
      /** Identical copies to write, for testing (1 to MAX_PRODUCE_COPIES). */
      count?: number;
      keyEncoding?: 'utf8' | 'base64' | 'hex';
      valueEncoding?: 'utf8' | 'base64' | 'hex';
    },
  ) {
    validateTopicName(topic);
    const count = message.count ?? 1;
    if (!Number.isInteger(count) || count < 1 || count > MAX_PRODUCE_COPIES)
      throw new InputError(`count: 1 to ${MAX_PRODUCE_COPIES} copies`);
    return this.#kafka.call(clusterName, async kafka => {
      const meta = await kafka.metadata();
      const t = meta.topics.find(x => x.name === topic);
      if (!t)
        throw new NotFoundError(
          `topic "${topic}" does not exist in Kafka cluster "${clusterName}"`,
        );
      if (
        message.partition !== undefined &&
        !t.partitions.some(p => p.partition === message.partition)
      ) {
        throw new InputError(
          `topic "${topic}" has no partition ${message.partition} (it has ${t.partitions.length})`,
        );
      }
      const result = await kafka.produce({
        topic,
        partition: message.partition,
        key: encodePayload(message.key, message.keyEncoding),
        value: encodePayload(message.value, message.valueEncoding),
        headers: message.headers ?? {},
        copies: count,
      });
      return { topic, count, ...result };
    });
  }
}
