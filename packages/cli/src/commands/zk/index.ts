import type { Command } from 'commander';
import type { CliIo, CliRuntime } from '../../lib/runtime';
import { addLsCommand } from './ls';
import { addGetCommand } from './get';
import { addSetCommand } from './set';
import { addCreateCommand } from './create';
import { addRmCommand } from './rm';
import { addExportCommand } from './export';
import { addImportCommand } from './import';
import { addFindCommand } from './find';

export function registerZooKeeperCommands(program: Command, io: CliIo) {
  const zk = program
    .command('zookeeper')
    // `zk` was the command's name before; users' scripts call it.
    .alias('zk')
    .description(
      'raw ZooKeeper znodes (configuration levels are better handled with archon config) (alias: zk)',
    )
    .option(
      '-e, --ensemble <name>',
      "ZooKeeper ensemble (default: the context's, else the only one)",
    );
  const ensembleOf = (rt: CliRuntime) =>
    rt.zkEnsemble((zk.opts() as { ensemble?: string }).ensemble);

  for (const add of [
    addLsCommand,
    addGetCommand,
    addSetCommand,
    addCreateCommand,
    addRmCommand,
    addExportCommand,
    addImportCommand,
    addFindCommand,
  ]) {
    add(zk, io, ensembleOf);
  }
}
