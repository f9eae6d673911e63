import type { Command } from 'commander';
import { action, type CliIo } from '../../lib/runtime';
import { stateColor, connectorFile } from './shared';
import type { ClusterResolver } from '../../lib/clusterOption';

/** `archon connectors update` */
export function addUpdateCommand(
  connectors: Command,
  io: CliIo,
  cluster: ClusterResolver,
) {
  connectors
    .command('update')
    .description(
      "replace a connector's config from a file (validated first; masked secrets sent back keep their values)",
    )
    .argument('[name]', 'connector name (default: from the file)')
    .requiredOption(
      '-f, --file <file>',
      'JSON or YAML: { name, config } or the flat config (- for stdin)',
    )
    .action(
      action(
        io,
        async (rt, nameArg: string | undefined, options: { file: string }) => {
          const { name: connector, config } = await connectorFile(
            rt,
            options.file,
            nameArg,
          );
          const name = await cluster(rt);
          const updated = await rt.api.call((c, o) =>
            c.connectUpdateConnectorConfig(
              { path: { cluster: name, name: connector }, body: { config } },
              o,
            ),
          );
          rt.out.result(
            updated,
            () =>
              `${rt.out.colors.green(
                '✓',
              )} updated connector ${connector} (${stateColor(
                updated.state,
                rt.out.colors,
              )})`,
          );
        },
      ),
    );
}
