import type { Command } from 'commander';
import {
  action,
  collect,
  intArg,
  parseAssignments,
  type CliIo,
} from '../../lib/runtime';
import type { ClusterResolver } from '../../lib/clusterOption';

/** `archon topics create` */
export function addCreateCommand(
  topics: Command,
  io: CliIo,
  cluster: ClusterResolver,
) {
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
}
