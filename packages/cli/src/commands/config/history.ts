import type { Command } from 'commander';
import { configPathArg, setChanges } from '../../lib/configFormat';
import { formatTable } from '../../lib/output';
import {
  morePagesHint,
  readPages,
  withPageFlags,
  type PageFlags,
} from '../../lib/paging';
import { action, type CliIo } from '../../lib/runtime';
import type { EnsembleOption, EnsembleResolver } from './shared';

/** `archon config history`: every write through archon to one level. */
export function addHistoryCommand(
  config: Command,
  io: CliIo,
  ens: EnsembleResolver,
) {
  withPageFlags(
    config
      .command('history')
      .description('every write through archon to one level, newest first')
      .argument('<path>', 'configuration level')
      .option('-p, --patch', "show each entry's key changes"),
    20,
    '-n',
  ).action(
    action(
      io,
      async (
        rt,
        pathArg: string,
        options: EnsembleOption & PageFlags & { patch?: boolean },
      ) => {
        const { param } = configPathArg(pathArg);
        const ensemble = ens(rt, options);
        const history = await readPages(options, page =>
          rt.api.call((c, o) =>
            c.getConfigHistory(
              { path: { configPath: param }, query: { ensemble, ...page } },
              o,
            ),
          ),
        );
        const { colors } = rt.out;
        rt.out.result(history, () => {
          if (!history.items.length) return 'no history';
          if (options.patch) {
            return history.items
              .map(e =>
                [
                  colors.bold(
                    `${e.createdAt}  ${e.action}  by ${e.actor}${
                      e.version !== undefined ? `  → v${e.version}` : ''
                    }  ${colors.dim(e.id)}`,
                  ),
                  ...setChanges(e.before, e.after, colors, '  '),
                ].join('\n'),
              )
              .join('\n');
          }
          const table = formatTable(
            ['time', 'action', 'actor', 'version', 'changed keys', 'id'],
            history.items.map(e => [
              e.createdAt,
              e.action,
              e.actor,
              e.version ?? '',
              e.changedKeys.join(', '),
              e.id,
            ]),
            { colors },
          );
          const more = morePagesHint(history);
          return more ? `${table}\n${colors.dim(more)}` : table;
        });
      },
    ),
  );
}
