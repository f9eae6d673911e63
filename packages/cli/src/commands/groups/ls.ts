import type { Command } from 'commander';
import { UsageError } from '../../lib/errors';
import {
  morePagesHint,
  readPages,
  withPageFlags,
  type PageFlags,
} from '../../lib/paging';
import { num, timeLag } from '../../lib/kafkaFormat';
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
      .description(
        'consumer groups with state, members, topics, total lag and time lag (the latest lag sample: age of the oldest record not consumed)',
      )
      .option('--filter <text>', 'group id contains (case-insensitive)')
      .option(
        '--state <state>',
        `only groups in this state (${STATES.join(', ')})`,
      )
      .option(
        '--lagging',
        "only groups whose time lag exceeds the server's threshold (archon.kafka.lagThresholdSeconds)",
      ),
  ).action(
    action(
      io,
      async (
        rt,
        options: PageFlags & {
          filter?: string;
          state?: string;
          lagging?: boolean;
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
                query: {
                  filter: options.filter,
                  state,
                  ...(options.lagging ? { lagging: true } : {}),
                  ...page,
                },
              },
              o,
            ),
          ),
        );
        const { colors } = rt.out;
        rt.out.result(list, () => {
          const unknown = list.timeLagUnknown
            ? colors.yellow(`time lag unknown: ${list.timeLagUnknown}`)
            : undefined;
          if (!list.items.length)
            return [
              unknown,
              colors.dim(
                options.lagging
                  ? `no consumer group lags over ${list.lagThresholdSeconds} s`
                  : 'no consumer groups',
              ),
            ]
              .filter(Boolean)
              .join('\n');
          const table = formatTable(
            ['group', 'state', 'members', 'lag', 'time lag', 'topics'],
            list.items.map(g => [
              g.groupId,
              g.state,
              g.members,
              num(g.totalLag),
              g.lagging
                ? colors.red(timeLag(g.timeLagMs, g.timeLagUnknown))
                : timeLag(g.timeLagMs, g.timeLagUnknown),
              (g.topics ?? []).join(', '),
            ]),
            { colors, alignRight: [2, 3, 4] },
          );
          const more = morePagesHint(list);
          const asOf = list.timeLagAsOf
            ? colors.dim(
                `time lag as of ${list.timeLagAsOf}; lagging (red) over ${list.lagThresholdSeconds} s`,
              )
            : undefined;
          return [unknown, table, asOf, more ? colors.dim(more) : undefined]
            .filter(Boolean)
            .join('\n');
        });
      },
    ),
  );
}
