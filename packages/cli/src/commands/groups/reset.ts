import type { Command } from 'commander';
import type {
  KafkaResetOffsetsRequest,
  KafkaResetOffsetsResult,
} from '@archon/plugin-archon-common';
import { CliError, UsageError } from '../../lib/errors';
import { ExitCode } from '../../lib/exitCodes';
import { num, parseTimestamp } from '../../lib/kafkaFormat';
import { formatTable, type Colors } from '../../lib/output';
import {
  action,
  collect,
  intArg,
  yesOption,
  type CliIo,
} from '../../lib/runtime';
import type { ClusterResolver } from '../../lib/clusterOption';

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

/** `archon consumer-groups reset` */
export function addResetCommand(
  groups: Command,
  io: CliIo,
  cluster: ClusterResolver,
) {
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
}
