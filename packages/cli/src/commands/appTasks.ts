import type { Command } from 'commander';
import type { MarathonTask } from '@archon/plugin-archon-common';
import {
  appIdOfTask,
  findApp,
  targetOption,
  type AppRef,
} from '../lib/appLookup';
import { describeFailure, formatTasks, hostPorts } from '../lib/appsFormat';
import { CliError } from '../lib/errors';
import { ExitCode } from '../lib/exitCodes';
import { formatFields, formatTable } from '../lib/output';
import { action, yesOption, type CliIo, type CliRuntime } from '../lib/runtime';

/** An app's tasks and last task failure, as `GET .../apps/{appId}/tasks` returns them. */
async function readTasks(rt: CliRuntime, ref: AppRef) {
  return rt.api.call((c, o) =>
    c.marathonListTasks(
      {
        path: { instance: ref.instance, appId: ref.app.id.slice(1) },
        query: {},
      },
      o,
    ),
  );
}

/** The app's finished tasks whose sandboxes are still kept, newest first. */
async function readFinishedTasks(rt: CliRuntime, ref: AppRef, limit: number) {
  return rt.api.call((c, o) =>
    c.marathonListTasks(
      {
        path: { instance: ref.instance, appId: ref.app.id.slice(1) },
        query: { state: 'terminated', limit },
      },
      o,
    ),
  );
}

/**
 * A finished task to read logs of: `taskId`, or the most recent one
 * (`apps logs --previous`). 404 when the agent no longer keeps it.
 */
export async function pickFinishedTask(
  rt: CliRuntime,
  ref: AppRef,
  taskId?: string,
): Promise<MarathonTask> {
  const finished = await readFinishedTasks(rt, ref, 500);
  const task = taskId
    ? finished.items.find(t => t.id === taskId)
    : finished.items[0];
  if (!task)
    throw new CliError(
      taskId
        ? `${ref.app.id} on ${ref.instance} has no task ${taskId}, running or finished (finished tasks' sandboxes are kept for a while only)`
        : `${ref.app.id} on ${ref.instance} has no finished task whose sandbox is still kept`,
      ExitCode.NotFound,
      ['  archon apps tasks <app> --all lists running and finished tasks'],
    );
  return task;
}

/** `apps tasks [ls] <app>` and `apps tasks kill <taskId>`. */
export function registerTasksCommands(apps: Command, io: CliIo) {
  const tasks = apps
    .command('tasks')
    .alias('task')
    .description(
      "an app's tasks (host, ports, health, start time, last failure); kill one",
    );

  tasks
    .command('ls', { isDefault: true })
    .alias('list')
    .description(
      "the app's tasks with host, ports, health, start time and version, and its last task failure (the default subcommand)",
    )
    .argument('<app>', 'app id or the configuration path it was deployed from')
    .addOption(targetOption())
    .option(
      '-a, --all',
      'also the finished tasks whose sandboxes are still kept (state, exit status, message), newest first',
    )
    .addHelpText(
      'after',
      `
Examples:
  archon apps tasks /foo/bar/service-1
  archon apps tasks /foo/bar/service-1 --all
  archon apps tasks /foo/bar/service-1 -o json`,
    )
    .action(
      action(
        io,
        async (
          rt,
          name: string,
          options: { target?: string; all?: boolean },
        ) => {
          const ref = await findApp(rt, name, options.target);
          const list = await readTasks(rt, ref);
          const finished = options.all
            ? (await readFinishedTasks(rt, ref, 50)).items
            : undefined;
          const { colors } = rt.out;
          rt.out.result(
            {
              instance: ref.instance,
              appId: ref.app.id,
              ...list,
              ...(finished ? { finished } : {}),
            },
            () =>
              [
                list.items.length
                  ? formatTasks(list.items, colors, { version: true })
                  : `${ref.app.id} on ${ref.instance} has no tasks`,
                ...(finished
                  ? [
                      '',
                      finished.length
                        ? formatTable(
                            [
                              'finished task',
                              'state',
                              'exit',
                              'finished at',
                              'message',
                            ],
                            finished.map(t => [
                              t.id,
                              colors.red(t.state),
                              t.exitStatus === undefined
                                ? '-'
                                : String(t.exitStatus),
                              t.finishedAt ?? '',
                              t.message ?? '',
                            ]),
                            { colors },
                          )
                        : 'no finished task is kept',
                    ]
                  : []),
                ...(list.lastTaskFailure
                  ? [
                      '',
                      formatFields(
                        [
                          [
                            'last failure',
                            describeFailure(list.lastTaskFailure),
                          ],
                          [
                            'failed task',
                            list.lastTaskFailure.taskId as string | undefined,
                          ],
                        ],
                        colors,
                      ),
                    ]
                  : []),
              ].join('\n'),
          );
        },
      ),
    );

  tasks
    .command('kill')
    .description(
      'kill one task: Marathon starts a replacement, or with --scale the app shrinks by one (asks; --yes)',
    )
    .argument('<taskId>', 'a task id from archon apps tasks <app>')
    .option(
      '--app <app>',
      "the task's app (default: read from the task id, which starts with the app's path)",
    )
    .addOption(targetOption())
    .option(
      '--scale',
      'scale the app down by one instead of replacing the task',
    )
    .option(
      '--force',
      "with --scale: override Marathon's deployment lock (never implied)",
    )
    .addOption(yesOption())
    .addHelpText(
      'after',
      `
Examples:
  archon apps tasks kill foo_bar_service-1.instance-3f0c...._app.1
  archon apps tasks kill <taskId> --scale --yes`,
    )
    .action(
      action(
        io,
        async (
          rt,
          taskId: string,
          options: {
            app?: string;
            target?: string;
            scale?: boolean;
            force?: boolean;
            yes?: boolean;
          },
        ) => {
          const act = `kill task ${taskId}`;
          rt.assertCanConfirm({ yes: options.yes, action: act });
          const ref = await findApp(
            rt,
            options.app ?? appIdOfTask(taskId),
            options.target,
          );
          const task = await findTask(rt, ref, taskId);
          await rt.confirm({
            yes: options.yes,
            action: act,
            question: `Kill task ${task.id} of ${ref.app.id} on ${
              ref.instance
            } (${task.state} on ${hostPorts(task)})? ${
              options.scale
                ? `The app scales down to ${Math.max(
                    0,
                    ref.app.instances - 1,
                  )} instances.`
                : 'Marathon starts a replacement.'
            }`,
          });
          const result = await rt.api.call((c, o) =>
            c.marathonKillTask(
              {
                path: {
                  instance: ref.instance,
                  appId: ref.app.id.slice(1),
                  taskId: task.id,
                },
                query: { scale: options.scale, force: options.force },
              },
              o,
            ),
          );
          rt.out.result({ instance: ref.instance, ...result }, () =>
            options.scale
              ? `killed task ${task.id} of ${ref.app.id} on ${ref.instance}; the app scales down by one`
              : `killed task ${task.id} of ${ref.app.id} on ${ref.instance}; Marathon starts a replacement`,
          );
        },
      ),
    );
}

/** The app's task with this id, or exit 3 listing the tasks it has. */
async function findTask(
  rt: CliRuntime,
  ref: AppRef,
  taskId: string,
): Promise<MarathonTask> {
  const list = await readTasks(rt, ref);
  const task = list.items.find(t => t.id === taskId);
  if (task) return task;
  throw new CliError(
    `${ref.app.id} on ${ref.instance} has no task ${taskId} (it may have ended)`,
    ExitCode.NotFound,
    list.items.map(t => `  ${t.id} ${t.state}`),
  );
}
