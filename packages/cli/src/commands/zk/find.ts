import type { Command } from 'commander';
import { action, intArg, type CliIo } from '../../lib/runtime';
import { znodePathArg, type ZkEnsembleResolver } from './shared';

/** `archon zookeeper find`: search znodes. */
export function addFindCommand(
  zk: Command,
  io: CliIo,
  ensembleOf: ZkEnsembleResolver,
) {
  zk.command('find')
    .description('znode paths at or below a prefix that contain a substring')
    .argument('<text>', 'substring of the path (case-insensitive)')
    .option('--prefix <path>', 'search at or below this znode (default /)')
    .option('--case-sensitive', 'match case')
    .option(
      '--max <n>',
      'at most this many matches',
      intArg('--max', { min: 1 }),
    )
    .action(
      action(
        io,
        async (
          rt,
          text: string,
          options: { prefix?: string; caseSensitive?: boolean; max?: number },
        ) => {
          const ensemble = await ensembleOf(rt);
          const result = await rt.api.call((c, o) =>
            c.zooKeeperSearch(
              {
                path: { ensemble },
                query: {
                  query: text,
                  prefix: options.prefix && znodePathArg(options.prefix),
                  caseSensitive: options.caseSensitive,
                  maxResults: options.max,
                },
              },
              o,
            ),
          );
          rt.out.result(
            result,
            () =>
              [
                ...result.matches.map(m => m.path),
                ...(result.truncated
                  ? [
                      rt.out.colors.dim(
                        `(stopped early: ${
                          result.truncatedReason ?? 'limit'
                        }; ${result.visited} znodes visited)`,
                      ),
                    ]
                  : []),
              ].join('\n') || rt.out.colors.dim('no matches'),
          );
        },
      ),
    );
}
