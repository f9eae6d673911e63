import type { Command } from 'commander';
import { configPathArg, formatProperties } from '../../lib/configFormat';
import { CliError } from '../../lib/errors';
import { ExitCode } from '../../lib/exitCodes';
import { action, type CliIo } from '../../lib/runtime';
import type { EnsembleOption, EnsembleResolver } from './shared';

/** `archon config get`: one level's own set, or one key's value. */
export function addGetCommand(
  config: Command,
  io: CliIo,
  ens: EnsembleResolver,
) {
  config
    .command('get')
    .description(
      "one level's own set (not inherited keys: see config effective); with a key, only its value",
    )
    .argument('<path>', 'configuration level, e.g. /foo/bar')
    .argument('[key]', "print only this key's value")
    .action(
      action(
        io,
        async (
          rt,
          pathArg: string,
          key: string | undefined,
          options: EnsembleOption,
        ) => {
          const { path, param } = configPathArg(pathArg);
          const ensemble = ens(rt, options);
          const set = await rt.api.call((c, o) =>
            c.getConfigSet(
              { path: { configPath: param }, query: { ensemble } },
              o,
            ),
          );
          if (key !== undefined) {
            if (!Object.hasOwn(set.properties, key)) {
              throw new CliError(
                `${path} has no key "${key}" of its own`,
                ExitCode.NotFound,
                [
                  `  keys: ${
                    Object.keys(set.properties).sort().join(', ') || '(none)'
                  }`,
                  `  inherited keys: archon config effective ${path} --explain`,
                ],
              );
            }
            rt.out.result(
              {
                path,
                key,
                value: set.properties[key],
                version: set.version,
                masked: set.masked ?? false,
              },
              () => set.properties[key],
            );
            return;
          }
          rt.out.result(set, () =>
            [
              rt.out.colors.dim(
                `${path}  version ${set.version}${
                  set.masked ? '  (secret values masked)' : ''
                }`,
              ),
              formatProperties(set.properties, rt.out.colors),
            ].join('\n'),
          );
        },
      ),
    );
}
