import type { Command } from 'commander';
import type { CliIo } from '../../lib/runtime';
import { addAddCommand } from './add';
import { addUseCommand } from './use';
import { addLsCommand } from './ls';
import { addCurrentCommand } from './current';
import { addRmCommand } from './rm';

export function registerContextCommands(program: Command, io: CliIo) {
  const context = program
    .command('context')
    .description(
      `named archon backends (stored in ${'$XDG_CONFIG_HOME/archon/config.yaml'}, mode 600); ARCHON_URL and ARCHON_TOKEN override them`,
    );

  for (const add of [
    addAddCommand,
    addUseCommand,
    addLsCommand,
    addCurrentCommand,
    addRmCommand,
  ]) {
    add(context, io);
  }
}
