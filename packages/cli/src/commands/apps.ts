import type { Command } from 'commander';
import {
  isAppStateGood,
  type ArchonAppState,
  type DeployFlow,
} from '@archon/plugin-archon-common';
import {
  configPathOf,
  findApp,
  appIdOf,
  instancesOf,
  listApps,
  pickTask,
  targetOption,
} from '../lib/appLookup';
import type { AppRef } from '../lib/appLookup';
import { formatApp, formatQueue, statusColor } from '../lib/appsFormat';
import { followEvents, followLog } from '../lib/appStreams';
import { CliError, UsageError } from '../lib/errors';
import { ExitCode } from '../lib/exitCodes';
import { formatTable } from '../lib/output';
import { action, intArg, yesOption, type CliIo } from '../lib/runtime';
import { addShipOptions, ship, type ShipOptions } from './deploy';
import { pickFinishedTask, registerTasksCommands } from './appTasks';

export function registerAppsCommands(program: Command, io: CliIo) {
  const apps = program
    .command('apps')
    .alias('app')
    .description(
      'apps on the deploy targets (Marathon): status, tasks, logs; scale, restart, suspend, destroy',
    );

  // ------------------------------------------------------------------- ls
  apps
    .command('ls', { isDefault: true })
    .alias('list')
    .description(
      'apps of every Marathon instance with their status (the default subcommand)',
    )
    .option('-t, --target <target>', 'only this Marathon instance')
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

  // --------------------------------------------------------------- status
  apps
    .command('status')
    .description(
      'one app: state, tasks with host, ports and health, current release, last failure; exit 0 only when healthy or running as wanted, 9 otherwise (degraded, crash-looping, deploying, suspended, missing)',
    )
    .argument('<app>', 'app id or the configuration path it was deployed from')
    .addOption(targetOption())
    .action(
      action(io, async (rt, name: string, options: { target?: string }) => {
        let ref: AppRef;
        try {
          ref = await findApp(rt, name, options.target);
        } catch (error) {
          // An app that is not there is a state (missing), not a usage error.
          if (error instanceof CliError && error.exitCode === ExitCode.NotFound)
            throw new CliError(
              `missing: ${error.message}`,
              ExitCode.Unhealthy,
              error.details,
            );
          throw error;
        }
        const detail = await rt.api.call((c, o) =>
          c.marathonGetApp(
            { path: { instance: ref.instance, appId: ref.app.id.slice(1) } },
            o,
          ),
        );
        rt.out.result({ instance: ref.instance, ...detail }, () =>
          formatApp(ref, detail, rt.out.colors),
        );
        const s = detail.summary;
        if (!isAppStateGood(s.status as ArchonAppState))
          throw new CliError(
            `${s.id} is ${s.status}: ${s.running} of ${s.instances} running, ${
              s.healthy
            } healthy${
              detail.lastTaskFailure
                ? `; last task failure: ${detail.lastTaskFailure.message}`
                : ''
            }`,
            ExitCode.Unhealthy,
          );
      }),
    );

  // ---------------------------------------------------------------- queue
  apps
    .command('queue')
    .description(
      'why an app is not launching: instances waiting in the launch queue, the back-off delay, declined offers explained',
    )
    .argument('<app>', 'app id or the configuration path it was deployed from')
    .addOption(targetOption())
    .option(
      '--reset-delay',
      'first reset the launch back-off delay, so Marathon launches now instead of after the delay',
    )
    .addHelpText(
      'after',
      `
Examples:
  archon apps queue /foo/bar/service-1
  archon apps queue /foo/bar/service-1 --reset-delay`,
    )
    .action(
      action(
        io,
        async (
          rt,
          name: string,
          options: { target?: string; resetDelay?: boolean },
        ) => {
          const ref = await findApp(rt, name, options.target);
          if (options.resetDelay) {
            await rt.api.call((c, o) =>
              c.marathonResetAppDelay(
                {
                  path: { instance: ref.instance, appId: ref.app.id.slice(1) },
                },
                o,
              ),
            );
            rt.out.info(
              `launch delay of ${ref.app.id} on ${ref.instance} reset: Marathon launches its waiting instances now`,
            );
          }
          const queue = await rt.api.call((c, o) =>
            c.marathonGetAppQueue(
              { path: { instance: ref.instance, appId: ref.app.id.slice(1) } },
              o,
            ),
          );
          rt.out.result({ instance: ref.instance, ...queue }, () =>
            formatQueue(queue, rt.out.colors),
          );
        },
      ),
    );

  registerTasksCommands(apps, io);

  // --------------------------------------------------------------- events
  apps
    .command('events')
    .description(
      "the app's Marathon events live (deployments, task states, health) until Ctrl-C",
    )
    .argument('<app>', 'app id or the configuration path it was deployed from')
    .addOption(targetOption())
    .action(
      action(io, async (rt, name: string, options: { target?: string }) => {
        const ref = await findApp(rt, name, options.target);
        await followEvents(rt, ref);
      }),
    );

  // ---------------------------------------------- scale, restart, suspend
  const operation = (
    name: 'scale' | 'restart' | 'suspend',
    description: string,
    withCount: boolean,
  ) => {
    const cmd = addShipOptions(
      apps
        .command(name)
        .description(description)
        .argument(
          '<app>',
          'app id or the configuration path it was deployed from',
        ),
    );
    if (withCount)
      cmd.argument(
        '<instances>',
        'the wanted number of instances',
        intArg('<instances>'),
      );
    cmd.action(
      action(io, async (rt, ...args: unknown[]) => {
        const appName = args[0] as string;
        const count = withCount ? (args[1] as number) : undefined;
        const options = args[withCount ? 2 : 1] as ShipOptions;
        const ref = await findApp(rt, appName, options.target);
        const body = {
          configPath: configPathOf(ref),
          instance: ref.instance,
          instances: count,
          force: options.force,
          timeoutSeconds: options.timeout,
        };
        await ship(rt, `/apps/${name}`, body, {
          wait: options.wait,
          start: async () =>
            (await rt.api.call((c, o) => {
              if (name === 'scale') return c.scaleApp({ body }, o);
              if (name === 'restart') return c.restartApp({ body }, o);
              return c.suspendApp({ body }, o);
            })) as DeployFlow,
        });
      }),
    );
  };
  operation(
    'scale',
    'set the number of instances (tasks are not restarted)',
    true,
  );
  operation(
    'restart',
    'rolling restart, honouring the upgrade strategy',
    false,
  );
  operation(
    'suspend',
    'scale to 0 instances, keeping the definition (deploy or scale to resume)',
    false,
  );

  // -------------------------------------------------------------- destroy
  addShipOptions(
    apps
      .command('destroy')
      .description(
        'stop every task and remove the app with its version history (asks; --yes)',
      )
      .argument(
        '<app>',
        'app id or the configuration path it was deployed from',
      )
      .addOption(yesOption()),
  ).action(
    action(
      io,
      async (rt, name: string, options: ShipOptions & { yes?: boolean }) => {
        const act = `destroy ${name}`;
        rt.assertCanConfirm({ yes: options.yes, action: act });
        const ref = await findApp(rt, name, options.target);
        const configPath = configPathOf(ref);
        await rt.confirm({
          yes: options.yes,
          action: act,
          question: `Destroy ${ref.app.id} on ${ref.instance} (${ref.app.running} running tasks, from ${configPath})?`,
        });
        const body = {
          configPath,
          instance: ref.instance,
          confirm: configPath,
          force: options.force,
          timeoutSeconds: options.timeout,
        };
        await ship(rt, '/apps/destroy', body, {
          wait: options.wait,
          start: async () =>
            (await rt.api.call((c, o) =>
              c.destroyApp({ body }, o),
            )) as DeployFlow,
        });
      },
    ),
  );

  // ----------------------------------------------------------------- logs
  apps
    .command('logs')
    .description(
      "a task's stdout (or stderr): the end of it, or follow it live with -f",
    )
    .argument('<app>', 'app id or the configuration path it was deployed from')
    .addOption(targetOption())
    .option(
      '--task <id>',
      'this task, running or finished (default: the newest running one)',
    )
    .option(
      '-p, --previous',
      'the most recent finished task (a crashed one, like kubectl logs --previous)',
    )
    .option('--stderr', 'stderr instead of stdout')
    .option(
      '--tail <bytes>',
      'bytes from the end (default 16384)',
      intArg('--tail'),
    )
    .option('-f, --follow', 'keep printing new output until Ctrl-C')
    .addHelpText(
      'after',
      `
Examples:
  archon apps logs /foo/bar/service-1
  archon apps logs /foo/bar/service-1 --stderr -f
  archon apps logs /foo/bar/service-1 --previous --stderr`,
    )
    .action(
      action(
        io,
        async (
          rt,
          name: string,
          options: {
            target?: string;
            task?: string;
            stderr?: boolean;
            tail?: number;
            follow?: boolean;
            previous?: boolean;
          },
        ) => {
          if (options.previous && (options.task || options.follow))
            throw new UsageError(
              '--previous picks the most recent finished task: give it without --task and --follow',
            );
          const ref = await findApp(rt, name, options.target);
          const appId = ref.app.id.slice(1);
          const detail = await rt.api.call((c, o) =>
            c.marathonGetApp({ path: { instance: ref.instance, appId } }, o),
          );
          const task =
            options.previous ||
            (options.task && !detail.tasks.some(t => t.id === options.task))
              ? await pickFinishedTask(rt, ref, options.task)
              : pickTask(rt, detail, options.task);
          const file = options.stderr ? 'stderr' : 'stdout';
          if (!options.follow) {
            const log = await rt.api.call((c, o) =>
              c.marathonReadTaskLog(
                {
                  path: { instance: ref.instance, appId, taskId: task.id },
                  query: { file, tail: options.tail },
                },
                o,
              ),
            );
            if (rt.out.machine) rt.out.result(log, () => undefined);
            else rt.io.stdout.write(log.data);
            return;
          }
          await followLog(rt, ref.instance, appId, task.id, file, options.tail);
        },
      ),
    );
}
