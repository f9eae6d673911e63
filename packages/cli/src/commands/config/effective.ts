import type { Command } from 'commander';
import {
  configPathArg,
  formatProperties,
  formatProvenance,
} from '../../lib/configFormat';
import { CliError } from '../../lib/errors';
import { ExitCode } from '../../lib/exitCodes';
import { formatFields } from '../../lib/output';
import { action, type CliIo } from '../../lib/runtime';
import type { EnsembleOption, EnsembleResolver } from './shared';

/** `archon config effective` (alias `resolve`, its older name): the effective configuration of a path. */
export function addEffectiveCommand(
  config: Command,
  io: CliIo,
  ens: EnsembleResolver,
) {
  config
    .command('effective')
    .alias('resolve')
    .description(
      'the effective configuration of a path: all levels merged, ${} substituted (alias: resolve)',
    )
    .argument('<path>', 'configuration path, e.g. /foo/bar/service-1')
    .argument('[key]', "print only this key's value")
    .option(
      '--explain',
      'show where each key is defined, its raw value and what it overrides; keys that do not resolve are listed with why (exit 7) instead of failing the whole answer',
    )
    .action(
      action(
        io,
        async (
          rt,
          pathArg: string,
          key: string | undefined,
          options: EnsembleOption & { explain?: boolean },
        ) => {
          const { path, param } = configPathArg(pathArg);
          const ensemble = ens(rt, options);
          const effective = await rt.api.call((c, o) =>
            c.getEffectiveConfig(
              {
                path: { configPath: param },
                query: {
                  ensemble,
                  explain: options.explain ? 'partial' : undefined,
                },
              },
              o,
            ),
          );
          const errors = effective.errors ?? [];
          const failing = () =>
            new CliError(
              `${path} does not resolve: ${errors.length} key${
                errors.length === 1 ? '' : 's'
              } cannot be substituted`,
              ExitCode.Invalid,
              errors.map(e => `  ✗ ${e.key}: ${e.reason}`),
            );
          if (key !== undefined) {
            const error = errors.find(e => e.key === key);
            if (error) {
              throw new CliError(
                `${path}: key "${key}" does not resolve`,
                ExitCode.Invalid,
                [`  ${error.reason}`],
              );
            }
            if (!Object.hasOwn(effective.properties, key)) {
              throw new CliError(
                `${path} has no key "${key}", not even inherited`,
                ExitCode.NotFound,
              );
            }
            const p = effective.provenance[key];
            rt.out.result(
              { path, key, value: effective.properties[key], provenance: p },
              () =>
                options.explain
                  ? formatFields(
                      [
                        ['value', effective.properties[key]],
                        ['defined at', p?.definedAt],
                        ['raw', p?.raw],
                        [
                          'overrides',
                          (p?.shadowed ?? [])
                            .map(s => `${s.path}=${s.raw}`)
                            .join(', ') || undefined,
                        ],
                      ],
                      rt.out.colors,
                    )
                  : effective.properties[key],
            );
            return;
          }
          rt.out.result(effective, () =>
            [
              rt.out.colors.dim(
                `${path}${effective.masked ? '  (secret values masked)' : ''}`,
              ),
              options.explain
                ? formatProvenance(effective, rt.out.colors)
                : formatProperties(effective.properties, rt.out.colors),
              ...errors.map(
                e => `${rt.out.colors.red('✗')} ${e.key}: ${e.reason}`,
              ),
            ].join('\n'),
          );
          if (errors.length) throw failing();
        },
      ),
    );
}
