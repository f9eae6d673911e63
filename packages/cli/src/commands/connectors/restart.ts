import type { Command } from 'commander';
import { action, type CliIo } from '../../lib/runtime';
import type { ClusterResolver } from '../../lib/clusterOption';

/** `archon connectors restart` */
export function addRestartCommand(
  connectors: Command,
  io: CliIo,
  cluster: ClusterResolver,
) {
  connectors
    .command('restart')
    .description('restart a connector and its tasks')
    .argument('<name>', 'connector name')
    .option(
      '--failed-only',
      'only the failed instances (connector and/or tasks)',
    )
    .option('--connector-only', 'only the connector instance, not its tasks')
    .action(
      action(
        io,
        async (
          rt,
          connector: string,
          options: { failedOnly?: boolean; connectorOnly?: boolean },
        ) => {
          const name = await cluster(rt);
          const result = await rt.api.call((c, o) =>
            c.connectRestartConnector(
              {
                path: { cluster: name, name: connector },
                query: {
                  includeTasks: !options.connectorOnly,
                  onlyFailed: !!options.failedOnly,
                },
              },
              o,
            ),
          );
          rt.out.result(
            result,
            () =>
              `${rt.out.colors.green('✓')} restart requested for ${connector}${
                options.failedOnly ? ' (failed instances only)' : ''
              }`,
          );
        },
      ),
    );
}
