import type { Command } from 'commander';
import type { CliIo } from '../../lib/runtime';
import { registerTasksCommands } from './tasks';
import { addLsCommand } from './ls';
import { addStatusCommand } from './status';
import { addQueueCommand } from './queue';
import { addEventsCommand } from './events';
import { addScaleRestartSuspendCommand } from './scaleRestartSuspend';
import { addDestroyCommand } from './destroy';
import { addLogsCommand } from './logs';

export function registerAppsCommands(program: Command, io: CliIo) {
  const apps = program
    .command('apps')
    .alias('app')
    .description(
      'apps on the deploy targets (Marathon): status, tasks, logs; scale, restart, suspend, destroy',
    );

  for (const add of [
    addLsCommand,
    addStatusCommand,
    addQueueCommand,
    registerTasksCommands,
    addEventsCommand,
    addScaleRestartSuspendCommand,
    addDestroyCommand,
    addLogsCommand,
  ]) {
    add(apps, io);
  }
}
