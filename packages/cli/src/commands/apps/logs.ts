import type { Command } from 'commander';
import { findApp, pickTask, targetOption } from '../../lib/appLookup';
import { followLog } from '../../lib/appStreams';
import { UsageError } from '../../lib/errors';
import { action, intArg, type CliIo } from '../../lib/runtime';
import { pickFinishedTask } from './tasks/shared';

/** `archon apps logs` */
export function addLogsCommand(apps: Command, io: CliIo) {
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
