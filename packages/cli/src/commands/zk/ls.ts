import type { Command } from 'commander';
import { formatTable } from '../../lib/output';
import { action, intArg, type CliIo } from '../../lib/runtime';
import { znodePathArg, type ZkEnsembleResolver } from './shared';

/** `archon zookeeper ls`: children of a znode. */
export function addLsCommand(
  zk: Command,
  io: CliIo,
  ensembleOf: ZkEnsembleResolver,
) {
  zk.command('ls')
    .alias('list')
    .description('children of a znode with their stat')
    .argument('[path]', 'znode path', '/')
    .option(
      '--limit <n>',
      'children per request (default 500)',
      intArg('--limit', { min: 1 }),
      500,
    )
    .option(
      '--max <n>',
      'stop after this many children (default 10000)',
      intArg('--max', { min: 1 }),
      10000,
    )
    .action(
      action(
        io,
        async (
          rt,
          pathArg: string,
          options: { limit: number; max: number },
        ) => {
          const ensemble = await ensembleOf(rt);
          const znodePath = znodePathArg(pathArg);
          const items = [];
          let cursor: string | undefined;
          let total = 0;
          const pageAfter = (after: string | undefined) =>
            rt.api.call((c, o) =>
              c.zooKeeperListChildren(
                {
                  path: { ensemble, znodePath },
                  query: {
                    cursor: after,
                    limit: Math.min(options.limit, 1000),
                  },
                },
                o,
              ),
            );
          do {
            const page = await pageAfter(cursor);
            total = page.total;
            items.push(...page.items);
            cursor = page.nextCursor;
          } while (cursor && items.length < options.max);
          const shown = items.slice(0, options.max);
          const { colors } = rt.out;
          rt.out.result({ path: znodePath, total, items: shown }, () => {
            if (!shown.length)
              return colors.dim(`${znodePath} has no children`);
            const table = formatTable(
              ['name', 'version', 'children', 'bytes', 'modified'],
              shown.map(i => [
                i.stat.ephemeral
                  ? `${i.name} ${colors.dim('(ephemeral)')}`
                  : i.name,
                i.stat.version,
                i.stat.numChildren,
                i.stat.dataLength,
                i.stat.mtime,
              ]),
              { colors, alignRight: [1, 2, 3] },
            );
            return shown.length < total
              ? `${table}\n${colors.dim(
                  `${shown.length} of ${total} children`,
                )}`
              : table;
          });
        },
      ),
    );
}
