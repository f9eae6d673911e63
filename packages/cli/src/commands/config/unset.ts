import type { Command } from 'commander';
import type { ConfigWriteResponse } from '@archon/plugin-archon-common';
import { configPathArg, formatImpact } from '../../lib/configFormat';
import { UsageError } from '../../lib/errors';
import { canPrompt } from '../../lib/prompt';
import { action, yesOption, type CliIo } from '../../lib/runtime';
import {
  type EnsembleOption,
  type EnsembleResolver,
  addWriteOptions,
  analyzeImpact,
  printWrite,
  refusingBreaks,
} from './shared';

/** `archon config unset`: remove keys, or the whole set. */
export function addUnsetCommand(
  config: Command,
  io: CliIo,
  ens: EnsembleResolver,
) {
  addWriteOptions(config.command('unset'))
    .description(
      "remove keys from one level's set; --all deletes the set (asks first)",
    )
    .argument('<path>', 'configuration level')
    .argument('[keys...]', 'keys to remove')
    .option('--all', 'delete the whole set of the level')
    .addOption(yesOption())
    .action(
      action(
        io,
        async (
          rt,
          pathArg: string,
          keys: string[],
          options: EnsembleOption & {
            all?: boolean;
            expectedVersion?: number;
            dryRun?: boolean;
            yes?: boolean;
            force?: boolean;
          },
        ) => {
          const { path, param } = configPathArg(pathArg);
          const ensemble = ens(rt, options);
          if (options.all && keys.length)
            throw new UsageError('give either keys or --all, not both');
          if (!options.all && !keys.length)
            throw new UsageError(
              'nothing to unset: give keys, or --all to delete the set',
            );
          if (options.dryRun) {
            const report = await analyzeImpact(
              rt,
              param,
              ensemble,
              options.all ? { delete: true } : { unset: keys },
            );
            rt.out.result(report, () => formatImpact(report, rt.out.colors));
            return;
          }
          let result: ConfigWriteResponse;
          if (options.all) {
            rt.assertCanConfirm({
              yes: options.yes,
              action: `delete the configuration set of ${path}`,
            });
            if (!options.yes) {
              // Show what goes away before asking.
              const report = await analyzeImpact(rt, param, ensemble, {
                delete: true,
              });
              if (canPrompt(rt.terminal))
                rt.out.info(formatImpact(report, rt.out.errColors));
            }
            await rt.confirm({
              yes: options.yes,
              action: `delete the configuration set of ${path}`,
            });
            result = await refusingBreaks(() =>
              rt.api.call((c, o) =>
                c.deleteConfigSet(
                  {
                    path: { configPath: param },
                    query: {
                      ensemble,
                      expectedVersion: options.expectedVersion,
                      force: options.force,
                    },
                  },
                  o,
                ),
              ),
            );
          } else {
            result = await refusingBreaks(() =>
              rt.api.call((c, o) =>
                c.patchConfigSet(
                  {
                    path: { configPath: param },
                    query: { ensemble },
                    body: {
                      unset: keys,
                      expectedVersion: options.expectedVersion,
                      force: options.force,
                    },
                  },
                  o,
                ),
              ),
            );
          }
          printWrite(rt, path, result);
        },
      ),
    );
}
