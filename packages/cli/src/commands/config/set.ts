import type { Command } from 'commander';
import {
  configPathArg,
  formatImpact,
  parseSetFile,
} from '../../lib/configFormat';
import { UsageError } from '../../lib/errors';
import { readInputFile } from '../../lib/files';
import { action, parseAssignments, type CliIo } from '../../lib/runtime';
import {
  type EnsembleOption,
  type EnsembleResolver,
  addWriteOptions,
  analyzeImpact,
  printWrite,
  refusingBreaks,
} from './shared';

/** `archon config set`: set keys of a level, or replace its set. */
export function addSetCommand(
  config: Command,
  io: CliIo,
  ens: EnsembleResolver,
) {
  addWriteOptions(config.command('set'), { mayBeAbsent: true })
    .description(
      'set keys of one level (creating it as needed); -f replaces the whole set from a file',
    )
    .argument('<path>', 'configuration level')
    .argument('[assignments...]', 'key=value pairs')
    .option(
      '-f, --file <file>',
      'replace the set with this YAML/JSON mapping or .properties file (- for stdin)',
    )
    .option(
      '--replace',
      'replace the whole set with the given keys (others are removed)',
    )
    .action(
      action(
        io,
        async (
          rt,
          pathArg: string,
          assignments: string[],
          options: EnsembleOption & {
            file?: string;
            replace?: boolean;
            expectedVersion?: number;
            dryRun?: boolean;
            force?: boolean;
          },
        ) => {
          const { path, param } = configPathArg(pathArg);
          const ensemble = ens(rt, options);
          let properties: Record<string, string> | undefined;
          let set: Record<string, string> | undefined;
          if (options.file) {
            if (assignments.length)
              throw new UsageError(
                'give either -f <file> or key=value pairs, not both',
              );
            properties = parseSetFile(
              await readInputFile(options.file, rt.io.stdin),
              options.file,
            );
          } else {
            if (!assignments.length)
              throw new UsageError(
                'nothing to set: give key=value pairs or -f <file>',
              );
            const parsed = parseAssignments(assignments);
            if (options.replace) properties = parsed;
            else set = parsed;
          }
          if (options.dryRun) {
            const report = await analyzeImpact(
              rt,
              param,
              ensemble,
              properties ? { properties } : { set },
            );
            rt.out.result(report, () => formatImpact(report, rt.out.colors));
            return;
          }
          const result = await refusingBreaks(() =>
            properties
              ? rt.api.call((c, o) =>
                  c.putConfigSet(
                    {
                      path: { configPath: param },
                      query: { ensemble },
                      body: {
                        properties: properties!,
                        expectedVersion: options.expectedVersion,
                        force: options.force,
                      },
                    },
                    o,
                  ),
                )
              : rt.api.call((c, o) =>
                  c.patchConfigSet(
                    {
                      path: { configPath: param },
                      query: { ensemble },
                      body: {
                        set,
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
