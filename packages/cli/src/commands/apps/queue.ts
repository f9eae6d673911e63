import type { Command } from 'commander';
import { findApp, targetOption } from '../../lib/appLookup';
import { formatQueue } from '../../lib/appsFormat';
import { action, type CliIo } from '../../lib/runtime';

/** `archon apps queue` */
export function addQueueCommand(apps: Command, io: CliIo) {
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
}
