import type { Command } from 'commander';
import type { ConfigTreeNode } from '@archon/plugin-archon-common';
import { configPathArg } from '../../lib/configFormat';
import { action, yesOption, type CliIo } from '../../lib/runtime';
import type { EnsembleOption, EnsembleResolver } from './shared';

/** The deepest a configuration tree is read to count what a removal takes. */
const MAX_DEPTH = 32;

function count(node: ConfigTreeNode): { levels: number; sets: number } {
  return (node.children ?? []).reduce(
    (sum, child) => {
      const below = count(child);
      return { levels: sum.levels + below.levels, sets: sum.sets + below.sets };
    },
    { levels: 1, sets: node.hasSet ? 1 : 0 },
  );
}

/** `archon config rm`: remove a level and the empty levels below it. */
export function addRmCommand(
  config: Command,
  io: CliIo,
  ens: EnsembleResolver,
) {
  config
    .command('rm')
    .alias('remove')
    .description(
      'remove a level: its own set and the empty levels below it (refused, exit 4, while a level below holds a set); -r removes those too, after showing the count and asking',
    )
    .argument('<path>', 'configuration level')
    .option('-r, --recursive', 'also the levels below that hold sets')
    .addOption(yesOption())
    .action(
      action(
        io,
        async (
          rt,
          pathArg: string,
          options: EnsembleOption & { recursive?: boolean; yes?: boolean },
        ) => {
          const { path, param } = configPathArg(pathArg);
          const ensemble = ens(rt, options);
          const tree = await rt.api.call((c, o) =>
            c.getConfigTree(
              { query: { prefix: path, depth: MAX_DEPTH, ensemble } },
              o,
            ),
          );
          const { levels, sets } = count(tree);
          // Removing a set is destructive; removing empty levels is not.
          const ownSet = tree.hasSet ? 1 : 0;
          const setsGoing = options.recursive ? sets : ownSet;
          if (setsGoing > 0) {
            const what = `remove ${path}${
              options.recursive
                ? ` and everything below it (${levels} level${
                    levels === 1 ? '' : 's'
                  }, ${sets} set${sets === 1 ? '' : 's'})`
                : ' and its set'
            }`;
            rt.assertCanConfirm({ yes: options.yes, action: what });
            await rt.confirm({ yes: options.yes, action: what });
          }
          const result = await rt.api.call((c, o) =>
            c.deleteConfigSet(
              {
                path: { configPath: param },
                query: { ensemble, prune: true, recursive: options.recursive },
              },
              o,
            ),
          );
          rt.out.result(
            result,
            () =>
              `${rt.out.colors.green('✓')} removed ${path}: ${
                result.removedLevels
              } level${result.removedLevels === 1 ? '' : 's'}, ${
                result.removedSets
              } set${result.removedSets === 1 ? '' : 's'}`,
          );
        },
      ),
    );
}
