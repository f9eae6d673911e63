import type { Command } from 'commander';
import type { KafkaMessage } from '@archon/plugin-archon-common';
import { CliError, UsageError } from '../../lib/errors';
import { ExitCode } from '../../lib/exitCodes';
import {
  action,
  interruptHandlers,
  intArg,
  type CliIo,
  type CliRuntime,
} from '../../lib/runtime';
import { streamEndError } from '../../lib/sse';
import {
  filterQuery,
  formatMessage,
  withFilterOptions,
  withPayloadOptions,
  type FilterFlags,
  type Format,
} from './shared';
import type { ClusterResolver } from '../../lib/clusterOption';

/** The server's longest tail (`maxSeconds` of the tail endpoint). */
const MAX_SECONDS = 3600;

interface TailOptions {
  lines: number;
  partition?: number;
  max?: number;
  maxSeconds: number;
  keyFormat?: Format;
  valueFormat?: Format;
  headers?: boolean;
  /** The server-side filter (the read and the stream apply it). */
  filter: FilterFlags;
}

/** What the tail endpoint's `end` frame carries. */
interface TailEnd {
  reason?: string;
  /** `lifetime` (maxSeconds passed), `topic-deleted` or `partition-error`. */
  cause?: string;
}

/**
 * `messages tail`: the last N messages through the read, then the tail
 * endpoint's server-sent events as they arrive. The records written between
 * the read and the stream's start (its `attached` offsets) are read too, so
 * none is lost or shown twice. Ctrl-C closes the stream (exit 0); `--max`
 * too. The stream's end decides the exit: its lifetime over is a note and 0,
 * a deleted topic 3, a partition error 1, the cluster gone (`error`) 6.
 */
async function tail(
  rt: CliRuntime,
  cluster: string,
  topic: string,
  options: TailOptions,
) {
  const { colors } = rt.out;
  const abort = new AbortController();
  const stop = () => abort.abort();
  interruptHandlers.push(stop);
  let printed = 0;
  const emit = (batch: KafkaMessage[]) => {
    for (const m of batch.sort(
      (a, b) =>
        a.timestamp - b.timestamp ||
        a.partition - b.partition ||
        a.offset - b.offset,
    )) {
      if (options.max !== undefined && printed >= options.max) break;
      rt.out.record(m, () => formatMessage(m, colors, options));
      printed += 1;
    }
    // Enough printed: close the stream as Ctrl-C would.
    if (options.max !== undefined && printed >= options.max) abort.abort();
  };
  const read = (query: {
    start: 'newest' | 'offset';
    limit: number;
    partition?: number;
    offset?: number;
  }) =>
    rt.api.call((c, o) =>
      c.kafkaReadMessages(
        {
          path: { cluster, topic },
          query: {
            ...query,
            timeoutMs: 5000,
            keyFormat: options.keyFormat,
            valueFormat: options.valueFormat,
            ...options.filter,
          },
        },
        o,
      ),
    );

  /** Where the read of the last N ended, per partition (none without -n). */
  const readUpTo = new Map<number, number>();
  /** Prints what was written between the read and the stream's start. */
  const readGap = async (partition: number, from: number, to: number) => {
    for (let offset = from; offset < to && !abort.signal.aborted; ) {
      const batch = await read({
        start: 'offset',
        partition,
        offset,
        limit: Math.min(500, to - offset),
      });
      emit(batch.messages.filter(m => m.offset < to));
      const next = batch.partitions.find(
        p => (p.partition ?? 0) === partition,
      )?.nextOffset;
      if (next === undefined || next === null || next <= offset) break;
      offset = next;
    }
  };

  const query = new URLSearchParams({ maxSeconds: String(options.maxSeconds) });
  if (options.partition !== undefined)
    query.set('partition', String(options.partition));
  for (const [name, value] of Object.entries({
    ...options.filter,
    keyFormat: options.keyFormat,
    valueFormat: options.valueFormat,
  }))
    if (value !== undefined) query.set(name, value);

  let ended: TailEnd | undefined;
  try {
    if (options.lines > 0) {
      const first = await read({
        start: 'newest',
        limit: options.lines,
        partition: options.partition,
      });
      for (const p of first.partitions)
        readUpTo.set(p.partition ?? 0, p.endOffset ?? 0);
      emit(first.messages);
    }
    if (abort.signal.aborted) return;
    for await (const event of rt.api.stream(
      `/kafka/${encodeURIComponent(cluster)}/topics/${encodeURIComponent(
        topic,
      )}/messages/tail?${query}`,
      { signal: abort.signal },
    )) {
      const unreachable = streamEndError(event);
      if (unreachable) throw unreachable;
      const data = JSON.parse(event.data);
      if (event.event === 'message') emit([data as KafkaMessage]);
      else if (event.event === 'attached') {
        const partitions = data.partitions as Array<{
          partition: number;
          offset: number;
        }>;
        for (const p of partitions) {
          const from = readUpTo.get(p.partition);
          if (from !== undefined && from < p.offset)
            await readGap(p.partition, from, p.offset);
        }
        if (!rt.out.machine)
          rt.out.info(
            colors.dim(
              `following ${topic} (${partitions.length} partition${
                partitions.length === 1 ? '' : 's'
              }); Ctrl-C to stop`,
            ),
          );
      } else if (event.event === 'partitions') {
        for (const p of data.added as Array<{
          partition: number;
          offset: number;
        }>)
          rt.out.info(
            colors.dim(
              `partition ${p.partition} was added; following it from offset ${p.offset}`,
            ),
          );
      } else if (event.event === 'status') {
        if (data.state === 'reconnecting')
          rt.out.warn(
            `Kafka cluster ${cluster} does not answer (${data.reason}); reconnecting until ${data.giveUpAt}`,
          );
        else if (data.state === 'live') rt.out.info('live again');
      } else if (event.event === 'end') {
        ended = data as TailEnd;
        break;
      }
    }
  } finally {
    interruptHandlers.splice(interruptHandlers.indexOf(stop), 1);
  }
  if (abort.signal.aborted) return;
  if (!ended)
    throw new CliError(
      `archon closed the tail of ${topic} without saying why`,
      ExitCode.Unreachable,
    );
  const reason = ended.reason ?? 'no reason given';
  if (ended.cause === 'lifetime') {
    rt.out.info(`the tail ended: ${reason}`);
    return;
  }
  throw new CliError(
    `the tail of ${topic} ended: ${reason}`,
    ended.cause === 'topic-deleted' ? ExitCode.NotFound : ExitCode.Error,
  );
}

/** `archon messages tail` */
export function addTailCommand(
  messages: Command,
  io: CliIo,
  cluster: ClusterResolver,
) {
  withFilterOptions(
    withPayloadOptions(
      messages
        .command('tail')
        .description(
          'follow a topic: the last N messages, then new ones as they arrive (server-sent events), until Ctrl-C, --max or --max-seconds',
        )
        .argument('<topic>', 'topic name')
        .option(
          '-n, --lines <n>',
          'messages to show first (default 10)',
          intArg('--lines'),
          10,
        )
        .option(
          '-p, --partition <n>',
          'only this partition',
          intArg('--partition'),
        )
        .option(
          '--max <n>',
          'stop after this many messages',
          intArg('--max', { min: 1 }),
        )
        .option(
          '--max-seconds <s>',
          `stop following after this many seconds (at most ${MAX_SECONDS}, the default)`,
          (value: string) => {
            const n = intArg('--max-seconds', { min: 1 })(value);
            if (n > MAX_SECONDS)
              throw new UsageError(
                `--max-seconds must be at most ${MAX_SECONDS}, not ${value}`,
              );
            return n;
          },
          MAX_SECONDS,
        ),
    ),
  ).action(
    action(
      io,
      async (
        rt,
        topic: string,
        options: Omit<TailOptions, 'filter'> & FilterFlags,
      ) => {
        const filter = filterQuery(options);
        const name = await cluster(rt);
        await tail(rt, name, topic, { ...options, filter });
      },
    ),
  );
}
