import type { Command } from 'commander';
import { duration, num } from '../../lib/kafkaFormat';
import { formatTable } from '../../lib/output';
import { action, collect, intArg, type CliIo } from '../../lib/runtime';
import { partitionLagTable } from './shared';
import type { ClusterResolver } from '../../lib/clusterOption';

/** `archon consumer-groups lag` */
export function addLagCommand(
  groups: Command,
  io: CliIo,
  cluster: ClusterResolver,
) {
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
}
