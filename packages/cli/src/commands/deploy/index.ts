import type { Command } from 'commander';
import type { CliIo } from '../../lib/runtime';
import { registerReleasesCommands } from '../releases';
import { registerDeploymentsCommands } from '../deployments';
import { addDeployCommand } from './deploy';
import { addRollbackCommand } from './rollback';

export function registerDeployCommands(program: Command, io: CliIo) {
  for (const add of [
    addDeployCommand,
    addRollbackCommand,
    registerReleasesCommands,
    registerDeploymentsCommands,
  ]) {
    add(program, io);
  }
}
