import { InputError, NotFoundError } from '@backstage/errors';
import { validateTopicName } from '@archon/plugin-archon-common';
import {
  endStreamUnreachable,
  type ArchonEventStream,
} from '@archon/plugin-archon-node';
import type { KafkaService } from './KafkaService';
import { tpKey } from './adapter/KafkaAdapter';
import { EARLIEST, LATEST } from './adapter/wire';
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
  /**
   * How long a tail keeps trying while the cluster does not answer before it
   * ends with the error frame, in the cluster's request deadlines (60 s with
   * the default 10 s): a broker restart fits, a cluster that is gone ends it.
   */
  reconnectDeadlines: 6,
  /** The first pause after a failed fetch; it doubles up to maxBackoffMs. */
  backoffMs: 250,
  maxBackoffMs: 4000,
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

/** Whether a failed call is the cluster not answering for now (503/504), worth trying again. */
function isTransient(error: unknown): boolean {
  const name = (error as Error)?.name;
  return name === 'ServiceUnavailableError' || name === 'UpstreamTimeoutError';
}

/**
 * The Fetch partition errors Kafka's protocol marks retriable that a broker
 * restart or a leader move produces (its names), so a tail waits them out.
 */
const RETRIABLE_FETCH_ERRORS: Record<number, string> = {
  3: 'UNKNOWN_TOPIC_OR_PARTITION',
  5: 'LEADER_NOT_AVAILABLE',
  6: 'NOT_LEADER_OR_FOLLOWER',
  9: 'REPLICA_NOT_AVAILABLE',
  56: 'KAFKA_STORAGE_ERROR',
  74: 'FENCED_LEADER_EPOCH',
  75: 'UNKNOWN_LEADER_EPOCH',
  78: 'OFFSET_NOT_AVAILABLE',
};

/**
 * The adapter's fetch reports a broker it could not get an answer from as
 * the error of each partition it leads (as text, next to decoding failures,
 * which do not pass by waiting): these words are kafkajs' for a request that
 * timed out or a connection that failed or closed.
 */
const UNANSWERED_FETCH =
  /timed out|timeout|connection|connect|closed|ECONN|socket|EPIPE/i;

/** Resolves after `ms`, or at once when the stream closes (the client went away). */
function pause(closed: Promise<void>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    closed,
    new Promise<void>(resolve => {
      timer = setTimeout(resolve, ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

/**
 * Streams the records written after the start, as `message` events, without
 * joining a consumer group: fetches from each partition's position, waiting
 * at the end of the log. Sends `attached` first (with the start offsets).
 * Partitions added to the topic while it runs join from their beginning
 * (`partitions` event), since every record in them is new to the tail.
 * When the cluster stops answering it sends `status` `{ state:
 * 'reconnecting' }` and keeps trying with a growing pause; `status` `{ state:
 * 'live' }` once a fetch succeeds again, or the shared `error` frame when
 * six request deadlines of the cluster pass without one. Ends with `end` `{ reason }` when its
 * lifetime is over or the topic is gone. Stops fetching as soon as the
 * client goes away. An `end` says its `cause`: `lifetime`, `topic-deleted`
 * or `partition-error`.
 */
export async function runTail(
  kafka: KafkaService,
  start: TailStart,
  stream: ArchonEventStream,
): Promise<void> {
  const { cluster, topic, positions, match, options } = start;
  const endAt = Date.now() + options.maxSeconds! * 1000;
  const reconnectMs =
    TAIL_LIMITS.reconnectDeadlines * kafka.cluster(cluster).requestTimeoutMs;
  const closed = new Promise<void>(resolve => stream.onClose(resolve));
  /** Since when fetches fail, and how often they did. */
  let failing: { since: number; attempts: number } | undefined;
  const finish = (event: string, data: unknown) => {
    stream.send(event, data);
    stream.close();
  };

  /** A failed round: reconnecting (false once the window has passed and the stream is ended). */
  const failed = async (reason: string): Promise<boolean> => {
    const now = Date.now();
    if (!failing) {
      failing = { since: now, attempts: 0 };
      stream.send('status', {
        state: 'reconnecting',
        reason,
        since: new Date(now).toISOString(),
        giveUpAt: new Date(now + reconnectMs).toISOString(),
      });
    }
    if (now - failing.since >= reconnectMs) {
      endStreamUnreachable(stream, {
        system: 'kafka',
        instance: cluster,
        message: `Following topic "${topic}" of Kafka cluster "${cluster}": no answer for ${Math.round(
          (now - failing.since) / 1000,
        )} s: ${reason}`,
      });
      return false;
    }
    const wait = Math.min(
      TAIL_LIMITS.backoffMs * 2 ** failing.attempts,
      TAIL_LIMITS.maxBackoffMs,
      failing.since + reconnectMs - now,
    );
    failing.attempts += 1;
    await pause(closed, Math.max(0, wait));
    return true;
  };

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
      let round;
      try {
        round = await kafka.call(
          cluster,
          async k => {
            const meta = await k.metadata();
            const t = meta.topics.find(x => x.name === topic);
            if (!t) return undefined;
            // Partitions added since the last round (those with a leader yet).
            const added =
              options.partition === undefined
                ? t.partitions
                    .filter(p => !positions.has(p.partition) && p.leader >= 0)
                    .map(p => p.partition)
                : [];
            if (added.length) {
              const starts = await k.listOffsets(
                added.map(partition => ({ topic, partition })),
                EARLIEST,
                meta,
              );
              for (const p of added)
                positions.set(
                  p,
                  Math.max(0, starts.get(tpKey(topic, p))?.offset ?? 0),
                );
            }
            const results = await k.fetch(
              [...positions].map(([partition, offset]) => ({
                topic,
                partition,
                offset,
              })),
              {
                maxWaitMs: Math.max(
                  0,
                  Math.min(TAIL_LIMITS.waitMs, endAt - Date.now()),
                ),
                maxBytes: 4 << 20,
                partitionMaxBytes: 1 << 20,
              },
              meta,
            );
            return { added, results };
          },
          { extraMs: TAIL_LIMITS.waitMs },
        );
      } catch (error) {
        const reason = (error as Error).message;
        if (!isTransient(error)) {
          endStreamUnreachable(stream, {
            system: 'kafka',
            instance: cluster,
            message: `Following topic "${topic}" of Kafka cluster "${cluster}": ${reason}`,
          });
          return;
        }
        if (!(await failed(reason))) return;
        continue;
      }
      if (!round) {
        finish('end', {
          reason: `topic "${topic}" no longer exists in Kafka cluster "${cluster}"`,
          cause: 'topic-deleted',
        });
        return;
      }
      if (round.added.length)
        stream.send('partitions', {
          added: round.added.map(partition => ({
            partition,
            offset: positions.get(partition),
          })),
        });
      const fresh = [];
      let retriable: string | undefined;
      for (const r of round.results) {
        const from = positions.get(r.partition) ?? 0;
        if (r.error || r.errorCode) {
          const again = r.error
            ? UNANSWERED_FETCH.test(r.error) && r.error
            : RETRIABLE_FETCH_ERRORS[r.errorCode];
          if (again) {
            retriable ??= `partition ${r.partition}: ${again}`;
            continue;
          }
          finish('end', {
            reason: `partition ${r.partition}: ${
              r.error ?? `Kafka error code ${r.errorCode}`
            }`,
            cause: 'partition-error',
          });
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
      if (retriable) {
        if (!(await failed(retriable))) return;
      } else if (failing) {
        failing = undefined;
        stream.send('status', { state: 'live' });
      }
    }
    if (!stream.closed)
      finish('end', {
        reason: `the tail's lifetime of ${options.maxSeconds} s is over; start it again to go on`,
        cause: 'lifetime',
      });
  } finally {
    active -= 1;
  }
}
