import type { Command } from 'commander';
import { num, timeLag } from '../../lib/kafkaFormat';
import { formatFields, formatTable } from '../../lib/output';
import { action, type CliIo } from '../../lib/runtime';
import { partitionLagTable } from './shared';
import type { ClusterResolver } from '../../lib/clusterOption';

/** `archon consumer-groups describe` */
export function addDescribeCommand(
  groups: Command,
  io: CliIo,
  cluster: ClusterResolver,
) {
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
                  'time lag',
                  group.maxTimeLagMs === undefined
                    ? undefined
                    : `${timeLag(group.maxTimeLagMs, group.timeLagUnknown)}${
                        group.lagging
                          ? colors.red(
                              ` (lagging: over ${group.lagThresholdSeconds} s)`,
                            )
                          : ''
                      }`,
                ],
                ['time lag unknown', group.timeLagUnknown || undefined],
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
}
