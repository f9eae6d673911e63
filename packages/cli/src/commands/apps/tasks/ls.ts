import type { Command } from 'commander';
import { findApp, targetOption } from '../../../lib/appLookup';
import { describeFailure, formatTasks } from '../../../lib/appsFormat';
import { formatFields, formatTable } from '../../../lib/output';
import { action, type CliIo } from '../../../lib/runtime';
import { readFinishedTasks, readTasks } from './shared';

/** `archon apps tasks ls` */
export function addLsCommand(tasks: Command, io: CliIo) {
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
}
