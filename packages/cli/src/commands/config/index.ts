import type { Command } from 'commander';
import type { CliIo, CliRuntime } from '../../lib/runtime';
import { addGetCommand } from './get';
import { addSetCommand } from './set';
import { addUnsetCommand } from './unset';
import { addEditCommand } from './edit';
import { addEffectiveCommand } from './effective';
import { addPendingCommand } from './pending';
import { addHistoryCommand } from './history';
import { addTreeCommand } from './tree';
import { addRmCommand } from './rm';
import { addRestoreCommand } from './restore';
import type { EnsembleOption } from './shared';

export function registerConfigCommands(program: Command, io: CliIo) {
  const config = program
    .command('config')
    .description(
      'Pheidippides configuration: sets per level, effective (merged) configuration, history and pending changes',
    )
    .option(
      '-e, --ensemble <name>',
      "ZooKeeper ensemble (default: the context's, else the server's)",
    );

  const ens = (rt: CliRuntime, options: EnsembleOption) =>
    rt.ensemble(options.ensemble ?? (config.opts() as EnsembleOption).ensemble);

  for (const add of [
    addGetCommand,
    addSetCommand,
    addUnsetCommand,
    addEditCommand,
    addEffectiveCommand,
    addPendingCommand,
    addHistoryCommand,
    addTreeCommand,
    addRmCommand,
    addRestoreCommand,
  ]) {
    add(config, io, ens);
  }
}
