import type { Command } from 'commander';
import YAML from 'yaml';
import type {
  ZooKeeperExport,
  ZooKeeperImportPlan,
} from '@archon/plugin-archon-common';
import { ApiError, CliError, UsageError } from '../../lib/errors';
import { ExitCode } from '../../lib/exitCodes';
import { readInputFile } from '../../lib/files';
import { makeColors } from '../../lib/output';
import { action, yesOption, type CliIo } from '../../lib/runtime';
import {
  znodePathArg,
  formatPlan,
  nothingToDo,
  rawOption,
  type ZkEnsembleResolver,
} from './shared';

/** `archon zookeeper import`: apply an export document. */
export function addImportCommand(
  zk: Command,
  io: CliIo,
  ensembleOf: ZkEnsembleResolver,
) {
  zk.command('import')
    .description(
      'apply an export document to the subtree at a znode: shows the plan, then asks (one ZooKeeper transaction)',
    )
    .argument('<path>', "znode path the document's root maps to")
    .requiredOption(
      '-f, --file <file>',
      'the export document (JSON or YAML; - for stdin)',
    )
    .option(
      '--replace',
      'also delete znodes below the path that the document does not have (default: merge)',
    )
    .option('--dry-run', 'show the plan only')
    .addOption(yesOption())
    .addOption(rawOption())
    .action(
      action(
        io,
        async (
          rt,
          pathArg: string,
          options: {
            file: string;
            replace?: boolean;
            dryRun?: boolean;
            yes?: boolean;
            raw?: boolean;
          },
        ) => {
          const znodePath = znodePathArg(pathArg);
          if (!options.dryRun)
            rt.assertCanConfirm({
              yes: options.yes,
              action: `import into ${znodePath}`,
            });
          const text = await readInputFile(options.file, rt.io.stdin);
          let snapshot: ZooKeeperExport;
          try {
            snapshot = YAML.parse(text) as ZooKeeperExport;
          } catch (error) {
            throw new UsageError(
              `${options.file} is not a JSON or YAML export document: ${
                (error as Error).message.split('\n')[0]
              }`,
            );
          }
          if (!snapshot || typeof snapshot !== 'object' || !snapshot.root)
            throw new UsageError(
              `${options.file} is not an export document (no "root"); make one with archon zookeeper export`,
            );
          const ensemble = await ensembleOf(rt);
          const mode = options.replace ? 'replace' : 'merge';
          const { colors } = rt.out;
          const plan = await rt.api.call((c, o) =>
            c.zooKeeperImportSubtree(
              {
                path: { ensemble, znodePath },
                query: { raw: options.raw },
                body: { snapshot, mode, dryRun: true },
              },
              o,
            ),
          );
          if (options.dryRun || nothingToDo(plan)) {
            rt.out.result(
              plan,
              () =>
                `${formatPlan(plan, colors)}\n${colors.dim(
                  nothingToDo(plan)
                    ? 'nothing to do'
                    : 'dry run: nothing was changed',
                )}`,
            );
            return;
          }
          if (!rt.out.machine) rt.out.line(formatPlan(plan, colors));
          await rt.confirm({
            yes: options.yes,
            action: `apply this import into ${znodePath}`,
            question: `Apply ${
              plan.creates.length + plan.updates.length + plan.deletes.length
            } change(s) to ${znodePath}?`,
          });
          try {
            const applied = await rt.api.call((c, o) =>
              c.zooKeeperImportSubtree(
                {
                  path: { ensemble, znodePath },
                  query: { raw: options.raw },
                  body: {
                    snapshot,
                    mode,
                    dryRun: false,
                    expectedPlanHash: plan.planHash,
                  },
                },
                o,
              ),
            );
            rt.out.result(
              applied,
              () =>
                `${colors.green('✓')} imported into ${znodePath}: ${
                  applied.creates.length
                } created, ${applied.updates.length} updated, ${
                  applied.deletes.length
                } deleted`,
            );
          } catch (error) {
            if (error instanceof ApiError && error.status === 409) {
              const newer = (
                error.body?.error?.details as
                  | { plan?: ZooKeeperImportPlan }
                  | undefined
              )?.plan;
              throw new CliError(
                `${error.message.replace(
                  / \(HTTP.*$/,
                  '',
                )}; nothing was changed`,
                ExitCode.Conflict,
                newer
                  ? [
                      formatPlan(newer, makeColors(false)),
                      '  run the import again to review and apply the new plan',
                    ]
                  : [],
              );
            }
            throw error;
          }
        },
      ),
    );
}
