import type { Command } from 'commander';
import { configPathArg, formatTree } from '../../lib/configFormat';
import { action, intArg, type CliIo } from '../../lib/runtime';
import type { EnsembleOption, EnsembleResolver } from './shared';

/** `archon config tree`: the hierarchy under a level. */
export function addTreeCommand(
  config: Command,
  io: CliIo,
  ens: EnsembleResolver,
) {
  config
    .command('tree')
    .description('the hierarchy under a level and which levels hold sets')
    .argument('[prefix]', 'start here (default /)', '/')
    .option(
      '-d, --depth <n>',
      'levels below the prefix (default 3)',
      intArg('--depth'),
      3,
    )
    .action(
      action(
        io,
        async (
          rt,
          prefixArg: string,
          options: EnsembleOption & { depth: number },
        ) => {
          const prefix =
            prefixArg.trim() === '/' || !prefixArg.trim()
              ? '/'
              : configPathArg(prefixArg).path;
          const ensemble = ens(rt, options);
          const tree = await rt.api.call((c, o) =>
            c.getConfigTree(
              { query: { prefix, depth: options.depth, ensemble } },
              o,
            ),
          );
          rt.out.result(tree, () => formatTree(tree, rt.out.colors));
        },
      ),
    );
}
