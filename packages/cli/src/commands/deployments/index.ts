import type { Command } from 'commander';
import type { CliIo } from '../../lib/runtime';
import { addLsCommand } from './ls';
import { addCancelCommand } from './cancel';
import { addWatchCommand } from './watch';

export function registerDeploymentsCommands(program: Command, io: CliIo) {
  const deployments = program
    .command('deployments')
    .alias('deployment')
    .description(
      'deploys, rollbacks and app operations that archon runs or ran',
    );

  for (const add of [addLsCommand, addCancelCommand, addWatchCommand]) {
    add(deployments, io);
  }
}
