import type { Command } from 'commander';
import { UsageError } from '../../lib/errors';
import { action, intArg, type CliIo } from '../../lib/runtime';
import { parseTimestamp } from '../../lib/kafkaFormat';
import {
  filterQuery,
  formatMessage,
  withFilterOptions,
  withPayloadOptions,
  type FilterFlags,
  type Format,
} from './shared';
import type { ClusterResolver } from '../../lib/clusterOption';

type From = 'newest' | 'oldest' | 'offset' | 'timestamp';

/** `archon messages read` */
export function addReadCommand(
  messages: Command,
  io: CliIo,
  cluster: ClusterResolver,
) {
  withFilterOptions(
    withPayloadOptions(
      messages
        .command('read')
        .description(
          'read a bounded batch: the newest N (default), the oldest, from an offset or from a time',
        )
        .argument('<topic>', 'topic name')
        .option(
          '--from <where>',
          'newest, oldest, offset or timestamp (implied by --offset/--since)',
        )
        .option(
          '--offset <n>',
          'start at this offset (per partition)',
          intArg('--offset'),
        )
        .option('--since <time>', 'start at this time (ISO 8601 or epoch ms)')
        .option(
          '-p, --partition <n>',
          'only this partition',
          intArg('--partition'),
        )
        .option(
          '-n, --limit <n>',
          'messages (default 20, at most 1000)',
          intArg('--limit', { min: 1 }),
          20,
        )
        .option(
          '--scan-limit <n>',
          'with a filter: offsets to scan at most (default 10000, at most 100000)',
          intArg('--scan-limit', { min: 1 }),
        )
        .option(
          '--cursor <cursor>',
          'with a filter: go on where the previous read stopped (it prints the cursor)',
        ),
    ),
  ).action(
    action(
      io,
      async (
        rt,
        topic: string,
        options: {
          from?: string;
          offset?: number;
          since?: string;
          partition?: number;
          limit: number;
          keyFormat?: Format;
          valueFormat?: Format;
          headers?: boolean;
          scanLimit?: number;
          cursor?: string;
        } & FilterFlags,
      ) => {
        const filter = filterQuery(options);
        let from = options.from as From | undefined;
        if (from && !['newest', 'oldest', 'offset', 'timestamp'].includes(from))
          throw new UsageError(
            '--from must be newest, oldest, offset or timestamp',
          );
        if (options.offset !== undefined) from ??= 'offset';
        if (options.since !== undefined) from ??= 'timestamp';
        if (from === 'offset' && options.offset === undefined)
          throw new UsageError('--from offset needs --offset <n>');
        if (from === 'timestamp' && options.since === undefined)
          throw new UsageError('--from timestamp needs --since <time>');
        const name = await cluster(rt);
        const list = await rt.api.call((c, o) =>
          c.kafkaReadMessages(
            {
              path: { cluster: name, topic },
              query: {
                start: from,
                offset: options.offset,
                timestamp:
                  options.since !== undefined
                    ? parseTimestamp(options.since)
                    : undefined,
                partition: options.partition,
                limit: options.limit,
                keyFormat: options.keyFormat,
                valueFormat: options.valueFormat,
                ...filter,
                scanLimit: options.scanLimit,
                cursor: options.cursor,
              },
            },
            o,
          ),
        );
        const { colors } = rt.out;
        rt.out.result(list, () => {
          // Oldest first on screen, like a log.
          const ordered = [...list.messages].sort(
            (a, b) =>
              a.timestamp - b.timestamp ||
              a.partition - b.partition ||
              a.offset - b.offset,
          );
          const lines = ordered.map(m => formatMessage(m, colors, options));
          if (!lines.length) lines.push(colors.dim('no messages'));
          if (list.truncated)
            lines.push(colors.dim(`(stopped by the ${list.truncated} limit)`));
          if (list.scan) {
            const n = (x: number) => x.toLocaleString('en-US');
            lines.push(
              colors.dim(
                `scanned ${n(list.scan.scanned)} of ${n(list.scan.total)}, ${n(
                  list.scan.matched,
                )} match${list.scan.matched === 1 ? '' : 'es'}${
                  list.scan.cursor
                    ? `; ${n(list.scan.remaining)} left: --cursor ${
                        list.scan.cursor
                      }`
                    : ''
                }`,
              ),
            );
          }
          return lines.join('\n');
        });
      },
    ),
  );
}
