import type { Command } from 'commander';
import type { KafkaTopicUsage } from '@archon/plugin-archon-common';
import { UsageError } from '../lib/errors';
import {
  morePagesHint,
  readPages,
  withPageFlags,
  type PageFlags,
} from '../lib/paging';
import { formatTopicUsage, num, rate } from '../lib/kafkaFormat';
import { formatFields, formatTable } from '../lib/output';
import { canPrompt } from '../lib/prompt';
import {
  action,
  collect,
  intArg,
  parseAssignments,
  yesOption,
  type CliIo,
  type CliRuntime,
} from '../lib/runtime';

interface ClusterOption {
  cluster?: string;
}

/** `-c, --cluster` on a Kafka group; the subcommands read it from the group. */
export function kafkaClusterOf(group: Command) {
  return (rt: CliRuntime) =>
    rt.kafkaCluster((group.opts() as ClusterOption).cluster);
}

export function registerTopicsCommands(program: Command, io: CliIo) {
  const topics = program
    .command('topics')
    .alias('topic')
    .description('Kafka topics')
    .option(
      '-c, --cluster <name>',
      "Kafka cluster (default: the context's, else the only one)",
    );
  const cluster = kafkaClusterOf(topics);

  withPageFlags(
    topics
      .command('ls')
      .alias('list')
      .description(
        'topics with partitions, replication factor, message count and write rate',
      )
      .option('--filter <text>', 'name contains (case-insensitive)')
      .option('--regex <re>', 'name matches this JavaScript regular expression')
      .option('--internal', 'include internal topics'),
  ).action(
    action(
      io,
      async (
        rt,
        options: PageFlags & {
          filter?: string;
          regex?: string;
          internal?: boolean;
        },
      ) => {
        const name = await cluster(rt);
        const list = await readPages(options, page =>
          rt.api.call((c, o) =>
            c.kafkaListTopics(
              {
                path: { cluster: name },
                query: {
                  filter: options.filter,
                  regex: options.regex,
                  includeInternal: options.internal,
                  ...page,
                },
              },
              o,
            ),
          ),
        );
        const { colors } = rt.out;
        rt.out.result(list, () => {
          if (!list.items.length) return colors.dim('no topics');
          const table = formatTable(
            [
              'name',
              'partitions',
              'rf',
              'messages',
              'msg/s',
              'under-replicated',
            ],
            list.items.map(t => [
              t.internal ? colors.dim(t.name) : t.name,
              t.partitions,
              t.replicationFactor,
              num(t.messages),
              rate(t.writeRate),
              t.underReplicatedPartitions || t.offlinePartitions
                ? colors.red(
                    `${t.underReplicatedPartitions ?? 0} (${
                      t.offlinePartitions ?? 0
                    } offline)`,
                  )
                : '0',
            ]),
            { colors, alignRight: [1, 2, 3, 4] },
          );
          const more = morePagesHint(list);
          return more ? `${table}\n${colors.dim(more)}` : table;
        });
      },
    ),
  );

  topics
    .command('describe')
    .alias('get')
    .description(
      'partitions (leader, replicas, ISR, offsets) and config overrides of a topic',
    )
    .argument('<topic>', 'topic name')
    .option('--all-configs', 'show every config, not only the overrides')
    .action(
      action(
        io,
        async (rt, topic: string, options: { allConfigs?: boolean }) => {
          const name = await cluster(rt);
          const t = await rt.api.call((c, o) =>
            c.kafkaGetTopic({ path: { cluster: name, topic } }, o),
          );
          const { colors } = rt.out;
          rt.out.result(t, () => {
            const configs = t.configs.filter(
              cfg => options.allConfigs || cfg.isOverride,
            );
            return [
              formatFields(
                [
                  ['topic', t.name],
                  ['cluster', name],
                  ['internal', t.internal ? 'yes' : undefined],
                  ['partitions', t.partitions.length],
                  ['replication', t.replicationFactor],
                  ['messages', num(t.messages)],
                  [
                    'write rate',
                    t.writeRate === null || t.writeRate === undefined
                      ? undefined
                      : `${rate(t.writeRate)} msg/s`,
                  ],
                ],
                colors,
              ),
              '',
              formatTable(
                [
                  'partition',
                  'leader',
                  'replicas',
                  'isr',
                  'start',
                  'end',
                  'messages',
                ],
                t.partitions.map(p => [
                  p.partition,
                  p.leader ?? colors.red('none'),
                  (p.replicas ?? []).join(','),
                  p.underReplicated
                    ? colors.red((p.isr ?? []).join(','))
                    : (p.isr ?? []).join(','),
                  num(p.startOffset),
                  num(p.endOffset),
                  num(p.messages),
                ]),
                { colors, alignRight: [0, 1, 4, 5, 6] },
              ),
              '',
              configs.length
                ? formatTable(
                    ['config', 'value', 'source'],
                    configs.map(cfg => [
                      cfg.name,
                      cfg.sensitive ? '(sensitive)' : cfg.value ?? '',
                      cfg.source,
                    ]),
                    { colors },
                  )
                : colors.dim(
                    'no config overrides (--all-configs shows the defaults)',
                  ),
            ].join('\n');
          });
        },
      ),
    );

  topics
    .command('create')
    .description('create a topic')
    .argument('<topic>', 'topic name (a-z A-Z 0-9 . _ -)')
    .option(
      '-p, --partitions <n>',
      'partitions (default 1)',
      intArg('--partitions', { min: 1 }),
      1,
    )
    .option(
      '-r, --replication-factor <n>',
      'replicas per partition (default: 3, or the broker count if smaller)',
      intArg('--replication-factor', { min: 1 }),
    )
    .option(
      '--config <key=value>',
      'topic config override, e.g. retention.ms=86400000; repeatable',
      collect,
    )
    .option(
      '--validate-only',
      'let the broker check the request without creating the topic',
    )
    .action(
      action(
        io,
        async (
          rt,
          topic: string,
          options: {
            partitions: number;
            replicationFactor?: number;
            config?: string[];
            validateOnly?: boolean;
          },
        ) => {
          const name = await cluster(rt);
          let replicationFactor = options.replicationFactor;
          if (replicationFactor === undefined) {
            const overview = await rt.api.call((c, o) =>
              c.kafkaGetCluster({ path: { cluster: name } }, o),
            );
            replicationFactor = Math.max(
              1,
              Math.min(3, overview.brokers.length),
            );
          }
          const configs = parseAssignments(options.config, 'key=value');
          const body = {
            name: topic,
            partitions: options.partitions,
            replicationFactor,
            configs,
            validateOnly: options.validateOnly,
          };
          const created = await rt.api.call((c, o) =>
            c.kafkaCreateTopic({ path: { cluster: name }, body }, o),
          );
          rt.out.result(created, () =>
            options.validateOnly
              ? `${rt.out.colors.green(
                  '✓',
                )} the broker accepts topic ${topic} (${
                  options.partitions
                } partitions, replication ${replicationFactor}); nothing was created`
              : `${rt.out.colors.green(
                  '✓',
                )} created topic ${topic} in ${name} (${
                  options.partitions
                } partition${
                  options.partitions === 1 ? '' : 's'
                }, replication ${replicationFactor})`,
          );
        },
      ),
    );

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
            const preview = (await rt.api.call((c, o) =>
              c.kafkaAddPartitions(
                {
                  path: { cluster: name, topic },
                  body: { count: options.partitions!, dryRun: true },
                },
                o,
              ),
            )) as { from?: number; to?: number; usage?: KafkaTopicUsage };
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

  topics
    .command('delete')
    .alias('rm')
    .description('delete a topic; shows what uses it and asks first')
    .argument('<topic>', 'topic name')
    .addOption(yesOption())
    .action(
      action(io, async (rt, topic: string, options: { yes?: boolean }) => {
        rt.assertCanConfirm({
          yes: options.yes,
          action: `delete topic ${topic}`,
        });
        const name = await cluster(rt);
        if (!options.yes && canPrompt(rt.terminal)) {
          const usage = await rt.api.call((c, o) =>
            c.kafkaGetTopicUsage({ path: { cluster: name, topic } }, o),
          );
          rt.out.info(
            [
              `Topic ${topic} in ${name} is used by:`,
              ...formatTopicUsage(usage, rt.out.errColors),
            ].join('\n'),
          );
        }
        await rt.confirm({
          yes: options.yes,
          action: `delete topic ${topic} in ${name} and all its messages`,
        });
        const result = await rt.api.call((c, o) =>
          c.kafkaDeleteTopic(
            { path: { cluster: name, topic }, query: { confirm: topic } },
            o,
          ),
        );
        rt.out.result(
          result,
          () => `${rt.out.colors.green('✓')} deleted topic ${topic} in ${name}`,
        );
      }),
    );
}
