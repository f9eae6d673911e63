import type { Command } from 'commander';
import { appIdOf, instancesOf, listApps } from '../../lib/appLookup';
import { statusColor } from '../../lib/appsFormat';
import { CliError } from '../../lib/errors';
import { ExitCode } from '../../lib/exitCodes';
import { formatTable } from '../../lib/output';
import { action, type CliIo } from '../../lib/runtime';

/** `archon apps ls` */
export function addLsCommand(apps: Command, io: CliIo) {
  apps
    .command('ls', { isDefault: true })
    .alias('list')
    .description(
      'apps of every Marathon instance with their status (the default subcommand)',
    )
    .option(
      '-t, --target <target>',
      "only this Marathon instance (default ARCHON_DEPLOY_TARGET or the context's, else all)",
    )
    .option(
      '--path <configPath>',
      'only apps deployed from this configuration path',
    )
    .option(
      '--label <selector>',
      'a Marathon label selector, e.g. HAPROXY_GROUP==external',
    )
    .action(
      action(
        io,
        async (
          rt,
          options: { target?: string; path?: string; label?: string },
        ) => {
          const instances = await instancesOf(rt, options.target);
          const { apps: found, failed } = await listApps(rt, instances, {
            configPath: options.path ? appIdOf(options.path) : undefined,
            label: options.label,
          });
          const { colors } = rt.out;
          rt.out.result(
            { items: found.map(r => ({ instance: r.instance, ...r.app })) },
            () =>
              formatTable(
                [
                  'instance',
                  'app',
                  'status',
                  'tasks',
                  'healthy',
                  'release',
                  'config path',
                ],
                found.map(({ instance, app }) => [
                  instance,
                  app.id,
                  statusColor(app.status, colors),
                  `${app.running}/${app.instances}`,
                  app.healthy,
                  app.releaseId ?? '',
                  app.configPath ?? '',
                ]),
                { colors, alignRight: [3, 4] },
              ),
          );
          if (failed.length)
            throw new CliError(
              `${failed.length} Marathon instance${
                failed.length === 1 ? '' : 's'
              } did not answer: ${failed.join(', ')}`,
              ExitCode.Unreachable,
            );
        },
      ),
    );
}
