import type { Command } from 'commander';
import { configPathArg } from '../../lib/configFormat';
import { action, intArg, type CliIo } from '../../lib/runtime';
import {
  printWrite,
  refusingBreaks,
  type EnsembleOption,
  type EnsembleResolver,
} from './shared';

/** `archon config restore`: write an earlier version of a set again. */
export function addRestoreCommand(
  config: Command,
  io: CliIo,
  ens: EnsembleResolver,
) {
  config
    .command('restore')
    .description(
      "write the properties an earlier version of a level's set had (see archon config history) as a new version",
    )
    .argument('<path>', 'configuration level')
    .argument('<version>', 'the version to restore', intArg('<version>'))
    .option(
      '--expected-version <n>',
      'fail with exit 4 unless the set is at this version now',
      intArg('--expected-version', { min: -1 }),
    )
    .option(
      '--force',
      'restore even when paths that resolve now would stop resolving (otherwise refused with exit 7)',
    )
    .action(
      action(
        io,
        async (
          rt,
          pathArg: string,
          version: number,
          options: EnsembleOption & {
            expectedVersion?: number;
            force?: boolean;
          },
        ) => {
          const { path, param } = configPathArg(pathArg);
          const ensemble = ens(rt, options);
          const result = await refusingBreaks(() =>
            rt.api.call((c, o) =>
              c.restoreConfigSet(
                {
                  path: { configPath: param },
                  query: { ensemble },
                  body: {
                    version,
                    expectedVersion: options.expectedVersion,
                    force: options.force,
                  },
                },
                o,
              ),
            ),
          );
          printWrite(rt, path, result);
        },
      ),
    );
}
