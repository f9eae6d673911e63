import type { Command } from 'commander';
import type { MarathonTask } from '@archon/plugin-archon-common';
import {
  appIdOfTask,
  findApp,
  targetOption,
  type AppRef,
} from '../../../lib/appLookup';
import { hostPorts } from '../../../lib/appsFormat';
import { CliError } from '../../../lib/errors';
import { ExitCode } from '../../../lib/exitCodes';
import {
  action,
  yesOption,
  type CliIo,
  type CliRuntime,
} from '../../../lib/runtime';
import { readTasks } from './shared';

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

/** `archon apps tasks kill` */
export function addKillCommand(tasks: Command, io: CliIo) {
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
