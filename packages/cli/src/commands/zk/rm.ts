import type { Command } from 'commander';
import { CliError } from '../../lib/errors';
import { ExitCode } from '../../lib/exitCodes';
import { canPrompt } from '../../lib/prompt';
import { action, intArg, yesOption, type CliIo } from '../../lib/runtime';
import { znodePathArg, rawOption, type ZkEnsembleResolver } from './shared';

/** `archon zookeeper rm`: delete a znode. */
export function addRmCommand(
  zk: Command,
  io: CliIo,
  ensembleOf: ZkEnsembleResolver,
) {
  zk.command('rm')
    .alias('delete')
    .description(
      'delete a znode (-r: with everything below it); shows what goes and asks first',
    )
    .argument('<path>', 'znode path')
    .option('-r, --recursive', 'also everything below it')
    .option(
      '--expected-version <n>',
      'only if the znode is at this version (default: the version shown when asking)',
      intArg('--expected-version', { min: -1 }),
    )
    .addOption(yesOption())
    .addOption(rawOption())
    .action(
      action(
        io,
        async (
          rt,
          pathArg: string,
          options: {
            recursive?: boolean;
            expectedVersion?: number;
            yes?: boolean;
            raw?: boolean;
          },
        ) => {
          const znodePath = znodePathArg(pathArg);
          rt.assertCanConfirm({
            yes: options.yes,
            action: `delete ${znodePath}`,
          });
          const ensemble = await ensembleOf(rt);
          const znode = await rt.api.call((c, o) =>
            c.zooKeeperGetZnode({ path: { ensemble, znodePath } }, o),
          );
          const expectedVersion = options.expectedVersion ?? znode.stat.version;
          let expectedCount: number | undefined;
          if (options.recursive) {
            const subtree = await rt.api.call((c, o) =>
              c.zooKeeperExportSubtree(
                { path: { ensemble, znodePath }, query: {} },
                o,
              ),
            );
            expectedCount = subtree.nodeCount ?? 1;
          } else if (znode.stat.numChildren > 0) {
            throw new CliError(
              `${znodePath} has ${znode.stat.numChildren} child${
                znode.stat.numChildren === 1 ? '' : 'ren'
              }; delete them first or use -r`,
              ExitCode.Conflict,
            );
          }
          const what =
            expectedCount && expectedCount > 1
              ? `${znodePath} and everything below it (${expectedCount} znodes)`
              : `${znodePath} (version ${znode.stat.version}, ${znode.stat.dataLength} bytes)`;
          if (znode.configPath && canPrompt(rt.terminal))
            rt.out.info(
              rt.out.errColors.yellow(
                `${znodePath} is the configuration level ${znode.configPath}: archon config rm ${znode.configPath} checks the write and keeps its history`,
              ),
            );
          await rt.confirm({ yes: options.yes, action: `delete ${what}` });
          const result = await rt.api.call((c, o) =>
            c.zooKeeperDeleteZnode(
              {
                path: { ensemble, znodePath },
                query: {
                  expectedVersion,
                  recursive: options.recursive,
                  expectedCount,
                  raw: options.raw,
                },
              },
              o,
            ),
          );
          rt.out.result(
            result,
            () =>
              `${rt.out.colors.green('✓')} deleted ${result.deleted} znode${
                result.deleted === 1 ? '' : 's'
              } at ${result.path}`,
          );
        },
      ),
    );
}
