import { Option, type Command } from 'commander';
import { configPathArg } from '../../lib/configFormat';
import { colorStatus } from '../../lib/deployFormat';
import { formatTable } from '../../lib/output';
import {
  morePagesHint,
  readPages,
  withPageFlags,
  type PageFlags,
} from '../../lib/paging';
import { action, type CliIo } from '../../lib/runtime';

/** `archon deployments ls` */
export function addLsCommand(deployments: Command, io: CliIo) {
  withPageFlags(
    deployments
      .command('ls', { isDefault: true })
      .alias('list')
      .description(
        'recent deploys and operations, newest first (the default subcommand)',
      )
      .option('--path <configPath>', 'only this configuration path')
      .option(
        '-t, --target <target>',
        "only this deploy target (default ARCHON_DEPLOY_TARGET or the context's)",
      )
      .addOption(
        new Option('--status <status>', 'only these').choices([
          'running',
          'succeeded',
          'failed',
          'timeout',
        ]),
      ),
    20,
    '-n',
  ).action(
    action(
      io,
      async (
        rt,
        options: PageFlags & {
          path?: string;
          target?: string;
          status?: 'running' | 'succeeded' | 'failed' | 'timeout';
        },
      ) => {
        const configPath = options.path
          ? configPathArg(options.path).path
          : undefined;
        const list = await readPages(options, page =>
          rt.api.call((c, o) =>
            c.listDeployments(
              {
                query: {
                  configPath,
                  instance: rt.chosenTarget(options.target),
                  status: options.status,
                  ...page,
                },
              },
              o,
            ),
          ),
        );
        const { colors } = rt.out;
        rt.out.result(list, () => {
          const table = formatTable(
            ['id', 'kind', 'status', 'target', 'app', 'started', 'outcome'],
            list.items.map(f => [
              f.id,
              f.kind,
              colorStatus(f.status, colors),
              f.instance,
              f.workloadId,
              f.startedAt,
              f.outcome?.reason ?? '',
            ]),
            { colors },
          );
          const more = morePagesHint(list);
          return more ? `${table}\n${colors.dim(more)}` : table;
        });
      },
    ),
  );
}
