import type { Command } from 'commander';
import { formatTopicUsage } from '../../lib/kafkaFormat';
import { canPrompt } from '../../lib/prompt';
import { action, yesOption, type CliIo } from '../../lib/runtime';
import type { ClusterResolver } from '../../lib/clusterOption';

/** `archon topics delete` */
export function addDeleteCommand(
  topics: Command,
  io: CliIo,
  cluster: ClusterResolver,
) {
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
