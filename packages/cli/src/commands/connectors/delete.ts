import type { Command } from 'commander';
import { action, yesOption, type CliIo } from '../../lib/runtime';
import type { ClusterResolver } from '../../lib/clusterOption';

/** `archon connectors delete` */
export function addDeleteCommand(
  connectors: Command,
  io: CliIo,
  cluster: ClusterResolver,
) {
  connectors
    .command('delete')
    .alias('rm')
    .description('delete a connector (asks first)')
    .argument('<name>', 'connector name')
    .addOption(yesOption())
    .action(
      action(io, async (rt, connector: string, options: { yes?: boolean }) => {
        rt.assertCanConfirm({
          yes: options.yes,
          action: `delete connector ${connector}`,
        });
        const name = await cluster(rt);
        await rt.confirm({
          yes: options.yes,
          action: `delete connector ${connector} in ${name}`,
        });
        const result = await rt.api.call((c, o) =>
          c.connectDeleteConnector(
            { path: { cluster: name, name: connector } },
            o,
          ),
        );
        rt.out.result(
          result,
          () => `${rt.out.colors.green('✓')} deleted connector ${connector}`,
        );
      }),
    );
}
