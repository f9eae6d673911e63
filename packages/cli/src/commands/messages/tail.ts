import type { Command } from 'commander';
import type {
  ArchonApiClient,
  KafkaMessage,
  KafkaMessageList,
} from '@archon/plugin-archon-common';
import {
  action,
  interruptHandlers,
  intArg,
  type CliIo,
  type CliRuntime,
} from '../../lib/runtime';
import {
  filterQuery,
  formatMessage,
  withFilterOptions,
  withPayloadOptions,
  type FilterFlags,
  type Format,
} from './shared';
import type { ClusterResolver } from '../../lib/clusterOption';

type ReadRequest = Parameters<ArchonApiClient['kafkaReadMessages']>[0];

type ReadQuery = ReadRequest['query'];

/**
 * `messages tail`. The API reads bounded batches (there is no streaming read
 * endpoint), so this polls it through the typed client: the last N first,
 * then each partition from where the previous batch ended.
 */
async function tail(
  rt: CliRuntime,
  cluster: string,
  topic: string,
  options: {
    lines: number;
    partition?: number;
    max?: number;
    interval: number;
    keyFormat?: Format;
    valueFormat?: Format;
    headers?: boolean;
    /** The server-side filter (each read scans for it). */
    filter: FilterFlags;
  },
) {
  const { colors } = rt.out;
  let printed = 0;
  let stopped = false;
  let wake: (() => void) | undefined;
  const stop = () => {
    stopped = true;
    wake?.();
  };
  interruptHandlers.push(stop);
  const emit = (batch: KafkaMessage[]) => {
    for (const m of batch.sort(
      (a, b) =>
        a.timestamp - b.timestamp ||
        a.partition - b.partition ||
        a.offset - b.offset,
    )) {
      if (options.max !== undefined && printed >= options.max) return;
      rt.out.record(m, () => formatMessage(m, colors, options));
      printed += 1;
    }
  };
  const done = () =>
    stopped || (options.max !== undefined && printed >= options.max);
  const read = (query: ReadQuery): Promise<KafkaMessageList> =>
    rt.api.call((c, o) =>
      c.kafkaReadMessages(
        {
          path: { cluster, topic },
          query: {
            ...query,
            keyFormat: options.keyFormat,
            valueFormat: options.valueFormat,
            ...options.filter,
          },
        },
        o,
      ),
    );
  try {
    const first = await read({
      start: 'newest',
      limit: Math.max(1, options.lines),
      partition: options.partition,
      timeoutMs: 5000,
    });
    if (options.lines > 0) emit(first.messages);
    const next = new Map<number, number>(
      first.partitions.map(p => [p.partition ?? 0, p.endOffset ?? 0]),
    );
    if (!rt.out.machine)
      rt.out.info(
        colors.dim(
          `following ${topic} (${next.size} partition${
            next.size === 1 ? '' : 's'
          }); Ctrl-C to stop`,
        ),
      );
    const pause = () =>
      new Promise<void>(resolve => {
        wake = resolve;
        setTimeout(resolve, options.interval);
      });
    while (!done()) {
      await pause();
      if (done()) break;
      const batches = await Promise.all(
        [...next.entries()].map(([partition, offset]) =>
          read({
            start: 'offset',
            offset,
            partition,
            limit: 500,
            timeoutMs: 2000,
          }),
        ),
      );
      const fresh: KafkaMessage[] = [];
      for (const batch of batches) {
        for (const p of batch.partitions) {
          const seen = next.get(p.partition ?? 0) ?? 0;
          const fromBatch = batch.messages.filter(
            m => m.partition === p.partition && m.offset >= seen,
          );
          fresh.push(...fromBatch);
          if (p.nextOffset !== undefined)
            next.set(p.partition ?? 0, Math.max(seen, p.nextOffset));
        }
      }
      emit(fresh);
    }
  } finally {
    interruptHandlers.splice(interruptHandlers.indexOf(stop), 1);
  }
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
          'follow a topic: the last N messages, then new ones as they arrive, until Ctrl-C (or --max)',
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
          '--interval <ms>',
          'poll interval (default 1000)',
          intArg('--interval', { min: 100 }),
          1000,
        ),
    ),
  ).action(
    action(
      io,
      async (
        rt,
        topic: string,
        options: {
          lines: number;
          partition?: number;
          max?: number;
          interval: number;
          keyFormat?: Format;
          valueFormat?: Format;
          headers?: boolean;
        } & FilterFlags,
      ) => {
        const filter = filterQuery(options);
        const name = await cluster(rt);
        await tail(rt, name, topic, { ...options, filter });
      },
    ),
  );
}
