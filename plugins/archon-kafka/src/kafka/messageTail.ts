import { InputError, NotFoundError } from '@backstage/errors';
import { validateTopicName } from '@archon/plugin-archon-common';
import {
  endStreamUnreachable,
  type ArchonEventStream,
} from '@archon/plugin-archon-node';
import type { KafkaService } from './KafkaService';
import { tpKey } from './adapter/KafkaAdapter';
import { LATEST } from './adapter/wire';
import { formatRecord, type MessageFormat } from './messageFormat';
import {
  compileMessageFilter,
  type MessageFilterInput,
  type MessagePredicate,
} from './messageFilter';

export const TAIL_LIMITS = {
  defaultSeconds: 300,
  maxSeconds: 3600,
  /** How long one fetch waits at the end of the log for new records. */
  waitMs: 1000,
};

export interface TailOptions {
  partition?: number;
  filter?: MessageFilterInput;
  keyFormat?: MessageFormat;
  valueFormat?: MessageFormat;
  /** The stream's lifetime (default 300 s, at most an hour). */
  maxSeconds?: number;
}

let active = 0;

/** Live tails running in this process (tests wait for it to fall back after a client leaves). */
export function activeTails(): number {
  return active;
}

/** Where a tail starts: the end of each partition read, checked before the stream opens. */
export interface TailStart {
  cluster: string;
  topic: string;
  positions: Map<number, number>;
  match: MessagePredicate;
  options: TailOptions;
}

/**
 * Checks a tail's request (topic, partition, filter, lifetime) and finds the
 * end offsets it starts from, so a bad request is a 4xx before the stream
 * opens (once it has, the status is 200).
 */
export async function prepareTail(
  kafka: KafkaService,
  cluster: string,
  topic: string,
  options: TailOptions,
): Promise<TailStart> {
  validateTopicName(topic);
  const seconds = options.maxSeconds ?? TAIL_LIMITS.defaultSeconds;
  if (
    !Number.isInteger(seconds) ||
    seconds < 1 ||
    seconds > TAIL_LIMITS.maxSeconds
  )
    throw new InputError(`maxSeconds: 1 to ${TAIL_LIMITS.maxSeconds}`);
  const match = compileMessageFilter(options.filter ?? {}) ?? (() => true);
  const positions = await kafka.call(cluster, async k => {
    const meta = await k.metadata();
    const t = meta.topics.find(x => x.name === topic);
    if (!t)
      throw new NotFoundError(
        `topic "${topic}" does not exist in Kafka cluster "${cluster}"`,
      );
    let partitions = t.partitions.map(p => p.partition);
    if (options.partition !== undefined) {
      if (!partitions.includes(options.partition))
        throw new InputError(
          `partition: topic "${topic}" has no partition ${options.partition} (it has ${partitions.length})`,
        );
      partitions = [options.partition];
    }
    const ends = await k.listOffsets(
      partitions.map(partition => ({ topic, partition })),
      LATEST,
      meta,
    );
    return new Map(
      partitions.map(p => [
        p,
        Math.max(0, ends.get(tpKey(topic, p))?.offset ?? 0),
      ]),
    );
  });
  return {
    cluster,
    topic,
    positions,
    match,
    options: { ...options, maxSeconds: seconds },
  };
}

/**
 * Streams the records written after the start, as `message` events, without
 * joining a consumer group: fetches from each partition's position, waiting
 * at the end of the log. Sends `attached` first (with the start offsets) and
 * ends with `end` `{ reason }` when its lifetime is over, or with the shared
 * `error` frame when the cluster stops answering. Stops fetching as soon as
 * the client goes away.
 */
export async function runTail(
  kafka: KafkaService,
  start: TailStart,
  stream: ArchonEventStream,
): Promise<void> {
  const { cluster, topic, positions, match, options } = start;
  const endAt = Date.now() + options.maxSeconds! * 1000;
  active += 1;
  try {
    stream.send('attached', {
      cluster,
      topic,
      partitions: [...positions].map(([partition, offset]) => ({
        partition,
        offset,
      })),
      until: new Date(endAt).toISOString(),
    });
    while (!stream.closed && Date.now() < endAt) {
      let results;
      try {
        results = await kafka.call(
          cluster,
          async k =>
            k.fetch(
              [...positions].map(([partition, offset]) => ({
                topic,
                partition,
                offset,
              })),
              {
                maxWaitMs: Math.min(TAIL_LIMITS.waitMs, endAt - Date.now()),
                maxBytes: 4 << 20,
                partitionMaxBytes: 1 << 20,
              },
              await k.metadata(),
            ),
          { extraMs: TAIL_LIMITS.waitMs },
        );
      } catch (error) {
        endStreamUnreachable(stream, {
          system: 'kafka',
          instance: cluster,
          message: `Following topic "${topic}" of Kafka cluster "${cluster}": ${
            (error as Error).message
          }`,
        });
        return;
      }
      const fresh = [];
      for (const r of results) {
        const from = positions.get(r.partition) ?? 0;
        if (r.error || r.errorCode) {
          stream.send('end', {
            reason: `partition ${r.partition}: ${
              r.error ?? `Kafka error code ${r.errorCode}`
            }`,
          });
          stream.close();
          return;
        }
        const records = r.records.filter(m => m.offset >= from);
        if (records.length)
          positions.set(r.partition, records[records.length - 1].offset + 1);
        else if (r.records.length)
          // Only control records (a transaction marker): step over them.
          positions.set(
            r.partition,
            Math.max(from, ...r.records.map(m => m.offset + 1)),
          );
        fresh.push(...records.filter(match));
      }
      fresh.sort(
        (a, b) =>
          a.timestamp - b.timestamp ||
          a.partition - b.partition ||
          a.offset - b.offset,
      );
      for (const m of fresh)
        stream.send(
          'message',
          formatRecord(m, options.keyFormat, options.valueFormat),
        );
    }
    if (!stream.closed) {
      stream.send('end', {
        reason: `the tail's lifetime of ${options.maxSeconds} s is over; start it again to go on`,
      });
      stream.close();
    }
  } finally {
    active -= 1;
  }
}
