import type { Command } from 'commander';
import {
  configPathArg,
  diffIsEmpty,
  formatConfigDiff,
} from '../../lib/configFormat';
import { formatReleaseDiff } from '../../lib/deployFormat';
import { UsageError } from '../../lib/errors';
import { action, type CliIo } from '../../lib/runtime';
import type { EnsembleOption, EnsembleResolver } from './shared';

/** `archon config pending` (alias `diff`, its older name): pending changes since the latest release. */
export function addPendingCommand(
  config: Command,
  io: CliIo,
  ens: EnsembleResolver,
) {
  config
    .command('pending')
    .alias('diff')
    .description(
      'pending changes: what the next deploy of the path would ship that its latest release did not (alias: diff)',
    )
    .argument('<path>', 'configuration path')
    .option('--release <id>', 'compare this release instead of the latest one')
    .option(
      '-t, --target <target>',
      "against what runs on this deploy target (default ARCHON_DEPLOY_TARGET or the context's, else the newest release of any target)",
    )
    .option(
      '--against <id>',
      'with --release: compare with another release instead of the current configuration',
    )
    .action(
      action(
        io,
        async (
          rt,
          pathArg: string,
          options: EnsembleOption & {
            release?: string;
            against?: string;
            target?: string;
          },
        ) => {
          const { path, param } = configPathArg(pathArg);
          const ensemble = ens(rt, options);
          const { colors } = rt.out;
          if (options.against && !options.release)
            throw new UsageError('--against needs --release');
          if (options.release) {
            const diff = await rt.api.call((c, o) =>
              c.getReleaseDiff(
                {
                  path: { id: options.release! },
                  query: { against: options.against },
                },
                o,
              ),
            );
            rt.out.result(diff, () => formatReleaseDiff(diff, colors));
            return;
          }
          // A path deployed to two targets runs two releases: each target's
          // own is its baseline.
          const instance = rt.chosenTarget(options.target);
          const pending = await rt.api.call((c, o) =>
            c.getPendingConfigChanges(
              { path: { configPath: param }, query: { ensemble, instance } },
              o,
            ),
          );
          rt.out.result(pending, () =>
            [
              colors.dim(
                pending.latestRelease
                  ? `${path}: changes since release ${pending.latestRelease}${
                      instance ? ` on ${instance}` : ''
                    }`
                  : `${path} was never released${
                      instance ? ` to ${instance}` : ''
                    }: everything is pending`,
              ),
              ...(diffIsEmpty(pending.diff)
                ? ['no pending changes']
                : formatConfigDiff(pending.diff, colors)),
            ].join('\n'),
          );
        },
      ),
    );
}
