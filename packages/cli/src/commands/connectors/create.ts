import type { Command } from 'commander';
import { action, type CliIo } from '../../lib/runtime';
import { stateColor, connectorFile } from './shared';
import type { ClusterResolver } from '../../lib/clusterOption';

/** `archon connectors create` */
export function addCreateCommand(
  connectors: Command,
  io: CliIo,
  cluster: ClusterResolver,
) {
  connectors
    .command('create')
    .description(
      "create a connector from a file, after Connect's validation accepts it (field errors are printed, exit 7)",
    )
    .requiredOption(
      '-f, --file <file>',
      'JSON or YAML: { name, config } or the flat config (- for stdin)',
    )
    .option('--name <name>', 'connector name (default: from the file)')
    .action(
      action(io, async (rt, options: { file: string; name?: string }) => {
        const body = await connectorFile(rt, options.file, options.name);
        const name = await cluster(rt);
        const created = await rt.api.call((c, o) =>
          c.connectCreateConnector({ path: { cluster: name }, body }, o),
        );
        rt.out.result(
          created,
          () =>
            `${rt.out.colors.green('✓')} created connector ${
              created.name
            } in ${name} (${stateColor(created.state, rt.out.colors)})`,
        );
      }),
    );
}
