import type { Command } from 'commander';
import { findApp, targetOption } from '../../lib/appLookup';
import { followEvents } from '../../lib/appStreams';
import { action, type CliIo } from '../../lib/runtime';

/** `archon apps events` */
export function addEventsCommand(apps: Command, io: CliIo) {
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
}
