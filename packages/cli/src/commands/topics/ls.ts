import type { Command } from 'commander';
import {
  morePagesHint,
  readPages,
  withPageFlags,
  type PageFlags,
} from '../../lib/paging';
import { num, rate } from '../../lib/kafkaFormat';
import { formatTable } from '../../lib/output';
import { action, type CliIo } from '../../lib/runtime';
import type { ClusterResolver } from '../../lib/clusterOption';

/** `archon topics ls` */
export function addLsCommand(
  topics: Command,
  io: CliIo,
  cluster: ClusterResolver,
) {
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
                  // The table reads only what it prints (no DescribeConfigs or
                  // DescribeLogDirs); -o json|yaml gets every figure.
                  fields: rt.out.machine ? undefined : 'messages,writeRate',
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
}
