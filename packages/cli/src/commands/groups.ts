import type { Command } from 'commander';
import type {
  KafkaConsumerGroup,
  KafkaResetOffsetsRequest,
  KafkaResetOffsetsResult,
} from '@archon/plugin-archon-common';
import { CliError, UsageError } from '../lib/errors';
import {
  morePagesHint,
  readPages,
  withPageFlags,
  type PageFlags,
} from '../lib/paging';
import { ExitCode } from '../lib/exitCodes';
import { duration, num } from '../lib/kafkaFormat';
import { formatFields, formatTable, type Colors } from '../lib/output';
import { action, collect, intArg, yesOption, type CliIo } from '../lib/runtime';
import { kafkaClusterOf } from './topics';

const STATES = [
  'Empty',
  'Stable',
  'PreparingRebalance',
  'CompletingRebalance',
  'Dead',
  'Assigning',
  'Reconciling',
  'Unknown',
] as const;

function partitionLagTable(
  group: KafkaConsumerGroup,
  colors: Colors,
  topicFilter?: string[],
): string {
  const rows = group.partitions.filter(
    p => !topicFilter?.length || topicFilter.includes(p.topic),
  );
  if (!rows.length) return colors.dim('no committed offsets');
  return formatTable(
    ['topic', 'partition', 'committed', 'end', 'lag', 'time lag', 'consumer'],
    rows.map(p => [
      p.topic,
      p.partition,
      num(p.committedOffset),
      num(p.endOffset),
      num(p.lag),
      duration(p.timeLagMs),
      p.clientId ? `${p.clientId}@${p.host ?? ''}` : '',
    ]),
    { colors, alignRight: [1, 2, 3, 4, 5] },
  );
}

/** `2h`, `15m`, `30s`, `1d` → milliseconds. */
function parseDuration(text: string): number {
  const m = /^(\d+)\s*(ms|s|m|h|d)$/.exec(text.trim());
  if (!m)
    throw new UsageError(`"${text}" is not a duration like 30s, 15m, 2h or 1d`);
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[
    m[2] as 'ms' | 's' | 'm' | 'h' | 'd'
  ];
  return Number(m[1]) * unit;
}

/** An ISO date-time or epoch milliseconds. */
export function parseTimestamp(text: string): number {
  if (/^\d+$/.test(text.trim())) return Number(text.trim());
  const t = Date.parse(text);
  if (Number.isNaN(t))
    throw new UsageError(
      `"${text}" is not a time (ISO 8601 like 2025-01-31T12:00:00Z, or epoch milliseconds)`,
    );
  return t;
}

function resetTable(result: KafkaResetOffsetsResult, colors: Colors): string {
  const table = formatTable(
    ['topic', 'partition', 'current', 'new', 'lag before', 'lag after'],
    result.partitions.map(p => [
      p.topic,
      p.partition,
      num(p.currentOffset),
      p.clamped
        ? colors.yellow(`${num(p.newOffset)} (clamped)`)
        : num(p.newOffset),
      num(p.lagBefore),
      num(p.lagAfter),
    ]),
    { colors, alignRight: [1, 2, 3, 4, 5] },
  );
  const total =
    result.totalLagBefore !== undefined
      ? `\ntotal lag: ${num(result.totalLagBefore)} → ${num(
          result.totalLagAfter,
        )}`
      : '';
  return `${table}${total}`;
}

export function registerGroupsCommands(program: Command, io: CliIo) {
  const groups = program
    .command('consumer-groups')
    // The older, shorter names stay: users' scripts call them.
    .aliases(['groups', 'group'])
    .description(
      'Kafka consumer groups: members, lag, offset resets (aliases: groups, group)',
    )
    .option(
      '-c, --cluster <name>',
      "Kafka cluster (default: the context's, else the only one)",
    );
  const cluster = kafkaClusterOf(groups);

  withPageFlags(
    groups
      .command('ls')
      .alias('list')
      .description('consumer groups with state, members, topics and total lag')
      .option('--filter <text>', 'group id contains (case-insensitive)')
      .option(
        '--state <state>',
        `only groups in this state (${STATES.join(', ')})`,
      ),
  ).action(
    action(
      io,
      async (
        rt,
        options: PageFlags & {
          filter?: string;
          state?: string;
        },
      ) => {
        const state = options.state
          ? STATES.find(s => s.toLowerCase() === options.state!.toLowerCase())
          : undefined;
        if (options.state && !state)
          throw new UsageError(
            `unknown state "${options.state}" (use ${STATES.join(', ')})`,
          );
        const name = await cluster(rt);
        const list = await readPages(options, page =>
          rt.api.call((c, o) =>
            c.kafkaListConsumerGroups(
              {
                path: { cluster: name },
                query: { filter: options.filter, state, ...page },
              },
              o,
            ),
          ),
        );
        const { colors } = rt.out;
        rt.out.result(list, () => {
          if (!list.items.length) return colors.dim('no consumer groups');
          const table = formatTable(
            ['group', 'state', 'members', 'lag', 'topics'],
            list.items.map(g => [
              g.groupId,
              g.state,
              g.members,
              num(g.totalLag),
              (g.topics ?? []).join(', '),
            ]),
            { colors, alignRight: [2, 3] },
          );
          const more = morePagesHint(list);
          return more ? `${table}\n${colors.dim(more)}` : table;
        });
      },
    ),
  );

  groups
    .command('describe')
    .alias('get')
    .description('members with their assignments, and lag per partition')
    .argument('<group>', 'group id')
    .action(
      action(io, async (rt, groupId: string) => {
        const name = await cluster(rt);
        const group = await rt.api.call((c, o) =>
          c.kafkaGetConsumerGroup(
            { path: { cluster: name, group: groupId }, query: {} },
            o,
          ),
        );
        const { colors } = rt.out;
        rt.out.result(group, () =>
          [
            formatFields(
              [
                ['group', group.groupId],
                ['state', group.state],
                ['protocol', group.protocol || undefined],
                ['total lag', num(group.totalLag)],
                [
                  'max time lag',
                  group.maxTimeLagMs === undefined
                    ? undefined
                    : duration(group.maxTimeLagMs),
                ],
              ],
              colors,
            ),
            '',
            group.members.length
              ? formatTable(
                  ['member', 'client', 'host', 'assignment'],
                  group.members.map(m => [
                    m.memberId ?? '',
                    m.clientId ?? '',
                    m.host ?? '',
                    (m.assignment ?? [])
                      .map(a => `${a.topic}[${(a.partitions ?? []).join(',')}]`)
                      .join(' '),
                  ]),
                  { colors },
                )
              : colors.dim('no active members'),
            '',
            partitionLagTable(group, colors),
          ].join('\n'),
        );
      }),
    );

  groups
    .command('lag')
    .description(
      'lag per topic and partition, in messages and in time; --history for the sampled series',
    )
    .argument('<group>', 'group id')
    .option('--topic <topic>', 'only this topic; repeatable', collect)
    .option(
      '--history <minutes>',
      "the sampler's lag series over the last N minutes",
      intArg('--history', { min: 1 }),
    )
    .action(
      action(
        io,
        async (
          rt,
          groupId: string,
          options: { topic?: string[]; history?: number },
        ) => {
          const name = await cluster(rt);
          const { colors } = rt.out;
          if (options.history) {
            const series = await rt.api.call((c, o) =>
              c.kafkaGetConsumerGroupLagHistory(
                {
                  path: { cluster: name, group: groupId },
                  query: { minutes: options.history },
                },
                o,
              ),
            );
            rt.out.result(series, () =>
              series.items.length
                ? formatTable(
                    ['time', 'lag', 'time lag'],
                    series.items.map(i => [
                      i.time ?? '',
                      num(i.lag),
                      duration(i.timeLagMs),
                    ]),
                    { colors, alignRight: [1, 2] },
                  )
                : colors.dim('no samples yet (is the sampler enabled?)'),
            );
            return;
          }
          const group = await rt.api.call((c, o) =>
            c.kafkaGetConsumerGroup(
              { path: { cluster: name, group: groupId }, query: {} },
              o,
            ),
          );
          const topics = (group.topics ?? []).filter(
            t =>
              !options.topic?.length || options.topic.includes(t.topic ?? ''),
          );
          const data = {
            groupId: group.groupId,
            state: group.state,
            totalLag: group.totalLag,
            maxTimeLagMs: group.maxTimeLagMs ?? null,
            topics,
            partitions: group.partitions.filter(
              p => !options.topic?.length || options.topic.includes(p.topic),
            ),
          };
          rt.out.result(data, () =>
            [
              `${group.groupId} (${group.state}): total lag ${num(
                group.totalLag,
              )}${
                group.maxTimeLagMs !== undefined && group.maxTimeLagMs !== null
                  ? `, at most ${duration(group.maxTimeLagMs)} behind`
                  : ''
              }`,
              '',
              partitionLagTable(group, colors, options.topic),
            ].join('\n'),
          );
        },
      ),
    );

  groups
    .command('reset')
    .description(
      'reset committed offsets (the group must have no active members): shows the preview, then asks',
    )
    .argument('<group>', 'group id')
    .requiredOption(
      '--to <where>',
      'earliest, latest, timestamp (with --timestamp or --ago) or offset (with --offset)',
    )
    .option(
      '--timestamp <time>',
      'ISO 8601 time or epoch ms, for --to timestamp',
    )
    .option(
      '--ago <duration>',
      'for --to timestamp: this long before now (30s, 15m, 2h, 1d)',
    )
    .option(
      '--offset <n>',
      "for --to offset (clamped to each partition's range)",
      intArg('--offset'),
    )
    .option(
      '--topic <topic>',
      'only this topic; repeatable (default: every topic the group committed)',
      collect,
    )
    .option('--dry-run', 'show the preview only')
    .addOption(yesOption())
    .action(
      action(
        io,
        async (
          rt,
          groupId: string,
          options: {
            to: string;
            timestamp?: string;
            ago?: string;
            offset?: number;
            topic?: string[];
            dryRun?: boolean;
            yes?: boolean;
          },
        ) => {
          const to = options.to.toLowerCase();
          const body: KafkaResetOffsetsRequest = {
            to: to as KafkaResetOffsetsRequest['to'],
            topics: options.topic?.length ? options.topic : undefined,
          };
          if (to === 'timestamp') {
            if (!options.timestamp === !options.ago)
              throw new UsageError(
                '--to timestamp needs either --timestamp or --ago',
              );
            body.timestamp = options.timestamp
              ? parseTimestamp(options.timestamp)
              : Date.now() - parseDuration(options.ago!);
          } else if (to === 'offset') {
            if (options.offset === undefined)
              throw new UsageError('--to offset needs --offset <n>');
            body.offset = options.offset;
          } else if (to !== 'earliest' && to !== 'latest') {
            throw new UsageError(
              `--to must be earliest, latest, timestamp or offset, not "${options.to}"`,
            );
          }
          if (!options.dryRun)
            rt.assertCanConfirm({
              yes: options.yes,
              action: `reset the offsets of group ${groupId}`,
            });
          const name = await cluster(rt);
          const { colors } = rt.out;
          const preview = await rt.api.call((c, o) =>
            c.kafkaResetConsumerGroupOffsets(
              {
                path: { cluster: name, group: groupId },
                body: { ...body, dryRun: true },
              },
              o,
            ),
          );
          if (options.dryRun) {
            rt.out.result(
              preview,
              () =>
                `${resetTable(preview, colors)}${
                  preview.canApply === false
                    ? `\n${colors.yellow(
                        `cannot apply now: ${preview.reason ?? 'refused'}`,
                      )}`
                    : ''
                }\n${colors.dim('dry run: nothing was changed')}`,
            );
            return;
          }
          if (preview.canApply === false) {
            throw new CliError(
              `cannot reset the offsets of ${groupId}: ${
                preview.reason ?? 'the group is not empty'
              }`,
              ExitCode.Conflict,
              [
                '  stop its consumers first (the group must have no active members)',
              ],
            );
          }
          if (!preview.partitions.length)
            throw new CliError(
              `group ${groupId} has no committed offsets to reset${
                options.topic?.length ? ` for ${options.topic.join(', ')}` : ''
              }`,
              ExitCode.NotFound,
            );
          if (!rt.out.machine) rt.out.line(resetTable(preview, colors));
          await rt.confirm({
            yes: options.yes,
            action: `reset the offsets of group ${groupId} as shown`,
            question: `Reset ${preview.partitions.length} partition offset${
              preview.partitions.length === 1 ? '' : 's'
            } of ${groupId}?`,
          });
          const applied = await rt.api.call((c, o) =>
            c.kafkaResetConsumerGroupOffsets(
              {
                path: { cluster: name, group: groupId },
                body: { ...body, dryRun: false },
              },
              o,
            ),
          );
          rt.out.result(
            applied,
            () =>
              `${colors.green('✓')} reset ${
                applied.partitions.length
              } partition offset${
                applied.partitions.length === 1 ? '' : 's'
              } of ${groupId}`,
          );
        },
      ),
    );

  groups
    .command('delete')
    .alias('rm')
    .description('delete an empty group and its committed offsets (asks first)')
    .argument('<group>', 'group id')
    .addOption(yesOption())
    .action(
      action(io, async (rt, groupId: string, options: { yes?: boolean }) => {
        rt.assertCanConfirm({
          yes: options.yes,
          action: `delete group ${groupId}`,
        });
        const name = await cluster(rt);
        await rt.confirm({
          yes: options.yes,
          action: `delete consumer group ${groupId} and its committed offsets in ${name}`,
        });
        const result = await rt.api.call((c, o) =>
          c.kafkaDeleteConsumerGroup(
            { path: { cluster: name, group: groupId } },
            o,
          ),
        );
        rt.out.result(
          result,
          () => `${rt.out.colors.green('✓')} deleted consumer group ${groupId}`,
        );
      }),
    );
}
