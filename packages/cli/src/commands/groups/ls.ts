import type { Command } from 'commander';
import { UsageError } from '../../lib/errors';
import {
  morePagesHint,
  readPages,
  withPageFlags,
  type PageFlags,
} from '../../lib/paging';
import { num } from '../../lib/kafkaFormat';
import { formatTable } from '../../lib/output';
import { action, type CliIo } from '../../lib/runtime';
import type { ClusterResolver } from '../../lib/clusterOption';

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

/** `archon consumer-groups ls` */
export function addLsCommand(
  groups: Command,
  io: CliIo,
  cluster: ClusterResolver,
) {
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
}
