import { InputError, NotFoundError } from '@backstage/errors';
import type { KafkaService } from './KafkaService';
import { type FetchedRecord, tpKey } from './adapter/KafkaAdapter';
import { EARLIEST, LATEST } from './adapter/wire';
import {
  encodePayload,
  formatPayload,
  type MessageFormat,
} from './messageFormat';
import { validateTopicName } from '@archon/plugin-archon-common';

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
}

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
        const keyFormat = options.keyFormat ?? 'auto';
        const valueFormat = options.valueFormat ?? 'auto';
        return {
          topic,
          from,
          messages: collected.map(m => ({
            partition: m.partition,
            offset: m.offset,
            timestamp: m.timestamp,
            time: new Date(m.timestamp).toISOString(),
            key: formatPayload(m.key, keyFormat),
            value: formatPayload(m.value, valueFormat),
            headers: m.headers.map(h => ({
              key: h.key,
              value: formatPayload(h.value, 'auto'),
            })),
          })),
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
      keyEncoding?: 'utf8' | 'base64' | 'hex';
      valueEncoding?: 'utf8' | 'base64' | 'hex';
    },
  ) {
    validateTopicName(topic);
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
      });
      return { topic, ...result };
    });
  }
}
