import type { Command } from 'commander';
import { formatTable } from '../../lib/output';
import { action, type CliIo } from '../../lib/runtime';
import type { ClusterResolver } from '../../lib/clusterOption';

/** `archon connectors plugins` */
export function addPluginsCommand(
  connectors: Command,
  io: CliIo,
  cluster: ClusterResolver,
) {
  connectors
    .command('plugins')
    .description('installed connector plugins')
    .action(
      action(io, async rt => {
        const name = await cluster(rt);
        const result = await rt.api.call((c, o) =>
          c.connectListPlugins({ path: { cluster: name } }, o),
        );
        rt.out.result(result, () =>
          formatTable(
            ['class', 'type', 'version'],
            result.items.map(p => [p.class, p.type, p.version ?? '']),
            { colors: rt.out.colors },
          ),
        );
      }),
    );
}
