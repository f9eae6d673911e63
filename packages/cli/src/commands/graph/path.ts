import type { Command } from 'commander';
import type { ArchonApiClient, GraphPath } from '@archon/plugin-archon-common';
import { formatPath } from '../../lib/graphFormat';
import { action, intArg, type CliIo } from '../../lib/runtime';
import {
  type GraphFormat,
  RENDERED,
  formatOption,
  formatOf,
  show,
} from './shared';

/** `archon path` */
export function addPathCommand(program: Command, io: CliIo) {
  program
    .command('path')
    .description(
      'how data gets from one node to another: every shortest data-flow path',
    )
    .argument('<from>', 'node id')
    .argument('<to>', 'node id')
    .option(
      '--max-depth <n>',
      'longest path looked for',
      intArg('--max-depth', { min: 1 }),
    )
    .option(
      '-n, --limit <n>',
      'at most this many paths (default 5)',
      intArg('--limit', { min: 1 }),
    )
    .addOption(formatOption())
    .action(
      action(
        io,
        async (
          rt,
          from: string,
          to: string,
          options: { maxDepth?: number; limit?: number; format?: GraphFormat },
        ) => {
          await show<GraphPath>(
            rt,
            formatOf(rt, options.format),
            format => (c, o) =>
              c.getGraphPath(
                {
                  // The spec's `from` is generated as `_from` (a reserved word)
                  // while the URI template expands `from`: both are sent until
                  // the graph spec renames it (as the messages `start` was).
                  query: {
                    _from: from,
                    from,
                    to,
                    maxDepth: options.maxDepth,
                    limit: options.limit,
                    format,
                  } as Parameters<ArchonApiClient['getGraphPath']>[0]['query'],
                },
                o,
              ),
            result => formatPath(result, rt.out.colors),
          );
        },
        { views: RENDERED },
      ),
    );
}
