import type { Command } from 'commander';
import { action, yesOption, type CliIo } from '../../lib/runtime';
import type { ClusterResolver } from '../../lib/clusterOption';

/** `archon consumer-groups delete` */
export function addDeleteCommand(
  groups: Command,
  io: CliIo,
  cluster: ClusterResolver,
) {
  groups
    .command('delete')
    .alias('rm')
    .description('delete an empty group and its committed offsets (asks first)')
    .argument('<group>', 'group id')
    .addOption(yesOption())
    .action(
      action(io, async (rt, groupId: string, options: { yes?: boolean }) => {
        rt.assertCanConfirm({
          yes: options.yes,
          action: `delete group ${groupId}`,
        });
        const name = await cluster(rt);
        await rt.confirm({
          yes: options.yes,
          action: `delete consumer group ${groupId} and its committed offsets in ${name}`,
        });
        const result = await rt.api.call((c, o) =>
          c.kafkaDeleteConsumerGroup(
            { path: { cluster: name, group: groupId } },
            o,
          ),
        );
        rt.out.result(
          result,
          () => `${rt.out.colors.green('✓')} deleted consumer group ${groupId}`,
        );
      }),
    );
}
