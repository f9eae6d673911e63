import type { Command } from 'commander';
import type { CliIo } from '../../../lib/runtime';
import { addLsCommand } from './ls';
import { addKillCommand } from './kill';

/** `apps tasks [ls] <app>` and `apps tasks kill <taskId>`. */
export function registerTasksCommands(apps: Command, io: CliIo) {
  const tasks = apps
    .command('tasks')
    .alias('task')
    .description(
      "an app's tasks (host, ports, health, start time, last failure); kill one",
    );

  for (const add of [addLsCommand, addKillCommand]) {
    add(tasks, io);
  }
}
