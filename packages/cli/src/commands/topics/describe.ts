import type { Command } from 'commander';
import { num, rate } from '../../lib/kafkaFormat';
import { formatFields, formatTable } from '../../lib/output';
import { action, type CliIo } from '../../lib/runtime';
import type { ClusterResolver } from '../../lib/clusterOption';

/** `archon topics describe` */
export function addDescribeCommand(
  topics: Command,
  io: CliIo,
  cluster: ClusterResolver,
) {
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
}
