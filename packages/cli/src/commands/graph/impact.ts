import type { Command } from 'commander';
import { formatImpact } from '../../lib/graphFormat';
import { action, type CliIo } from '../../lib/runtime';
import {
  type GraphFormat,
  RENDERED,
  formatOption,
  formatOf,
  show,
  depthOption,
} from './shared';

/** `archon impact` */
export function addImpactCommand(program: Command, io: CliIo) {
  program
    .command('impact')
    .description(
      'what is affected if a node goes away or stops: everything downstream, with how it is reached',
    )
    .argument('<nodeId>', 'e.g. topic:local/orders, config:/shop')
    .addOption(depthOption('6'))
    .addOption(formatOption())
    .action(
      action(
        io,
        async (
          rt,
          nodeId: string,
          options: { depth?: number; format?: GraphFormat },
        ) => {
          await show(
            rt,
            formatOf(rt, options.format),
            format => (c, o) =>
              c.getGraphImpact(
                { path: { nodeId }, query: { depth: options.depth, format } },
                o,
              ),
            impact => formatImpact(impact, rt.out.colors),
          );
        },
        { views: RENDERED },
      ),
    );
}
