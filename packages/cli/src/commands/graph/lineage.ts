import { Option, type Command } from 'commander';
import { formatLineage } from '../../lib/graphFormat';
import { action, type CliIo } from '../../lib/runtime';
import {
  type GraphFormat,
  RENDERED,
  formatOption,
  formatOf,
  show,
  depthOption,
} from './shared';

/** `archon lineage` */
export function addLineageCommand(program: Command, io: CliIo) {
  program
    .command('lineage')
    .description(
      'where the data of a node comes from and goes to (apps, topics, connectors, groups)',
    )
    .argument('<nodeId>', 'e.g. app:local/shop/cart')
    .addOption(
      new Option(
        '--direction <dir>',
        'upstream, downstream or both (default)',
      ).choices(['up', 'down', 'both']),
    )
    .addOption(depthOption('3'))
    .addOption(formatOption())
    .action(
      action(
        io,
        async (
          rt,
          nodeId: string,
          options: {
            direction?: 'up' | 'down' | 'both';
            depth?: number;
            format?: GraphFormat;
          },
        ) => {
          await show(
            rt,
            formatOf(rt, options.format),
            format => (c, o) =>
              c.getGraphLineage(
                {
                  path: { nodeId },
                  query: {
                    direction: options.direction,
                    depth: options.depth,
                    format,
                  },
                },
                o,
              ),
            lineage => formatLineage(lineage, rt.out.colors),
          );
        },
        { views: RENDERED },
      ),
    );
}
