import type { Command } from 'commander';
import { UsageError } from '../../lib/errors';
import { formatTopicUsage } from '../../lib/kafkaFormat';
import { canPrompt } from '../../lib/prompt';
import {
  action,
  collect,
  intArg,
  parseAssignments,
  yesOption,
  type CliIo,
} from '../../lib/runtime';
import type { ClusterResolver } from '../../lib/clusterOption';

/** `archon topics alter` */
export function addAlterCommand(
  topics: Command,
  io: CliIo,
  cluster: ClusterResolver,
) {
  topics
    .command('alter')
    .description(
      'change config overrides, or raise the partition count (asks first: keys move to other partitions)',
    )
    .argument('<topic>', 'topic name')
    .option(
      '--config <key=value>',
      'set a config override; repeatable',
      collect,
    )
    .option(
      '--reset <key>',
      'remove an override (back to the default); repeatable',
      collect,
    )
    .option(
      '--partitions <n>',
      'the new, higher partition count',
      intArg('--partitions', { min: 1 }),
    )
    .option('--dry-run', 'validate only; change nothing')
    .addOption(yesOption())
    .action(
      action(
        io,
        async (
          rt,
          topic: string,
          options: {
            config?: string[];
            reset?: string[];
            partitions?: number;
            dryRun?: boolean;
            yes?: boolean;
          },
        ) => {
          const set = parseAssignments(options.config, 'key=value');
          const reset = options.reset ?? [];
          const hasConfigs = Object.keys(set).length > 0 || reset.length > 0;
          if (!hasConfigs && options.partitions === undefined)
            throw new UsageError(
              'nothing to change: give --config, --reset and/or --partitions',
            );
          if (options.partitions !== undefined && !options.dryRun)
            rt.assertCanConfirm({
              yes: options.yes,
              action: `raise the partitions of ${topic}`,
            });
          const name = await cluster(rt);
          const results: Record<string, unknown> = {};
          const lines: string[] = [];
          const { colors } = rt.out;
          if (options.partitions !== undefined) {
            const preview = await rt.api.call((c, o) =>
              c.kafkaAddPartitions(
                {
                  path: { cluster: name, topic },
                  body: { count: options.partitions!, dryRun: true },
                },
                o,
              ),
            );
            if (options.dryRun) {
              results.partitions = preview;
              lines.push(
                `partitions: ${preview.from} → ${preview.to} would be accepted`,
                ...formatTopicUsage(preview.usage, colors),
              );
            } else {
              if (canPrompt(rt.terminal) && !options.yes) {
                rt.out.info(
                  [
                    `${topic}: partitions ${preview.from} → ${preview.to}. Keys will map to other partitions (ordering per key breaks across the change). Used by:`,
                    ...formatTopicUsage(preview.usage, rt.out.errColors),
                  ].join('\n'),
                );
              }
              await rt.confirm({
                yes: options.yes,
                action: `raise the partitions of ${topic} to ${options.partitions}`,
              });
              results.partitions = await rt.api.call((c, o) =>
                c.kafkaAddPartitions(
                  {
                    path: { cluster: name, topic },
                    body: { count: options.partitions!, confirm: topic },
                  },
                  o,
                ),
              );
              lines.push(
                `${colors.green('✓')} ${topic}: partitions ${preview.from} → ${
                  preview.to
                }`,
              );
            }
          }
          if (hasConfigs) {
            results.configs = await rt.api.call((c, o) =>
              c.kafkaAlterTopicConfigs(
                {
                  path: { cluster: name, topic },
                  body: { set, reset, validateOnly: options.dryRun },
                },
                o,
              ),
            );
            const changes = [
              ...Object.entries(set).map(([k, v]) => `${k}=${v}`),
              ...reset.map(k => `${k} reset`),
            ].join(', ');
            lines.push(
              options.dryRun
                ? `configs: ${changes} would be accepted`
                : `${colors.green('✓')} ${topic}: ${changes}`,
            );
          }
          rt.out.result(results, () => lines.join('\n'));
        },
      ),
    );
}
