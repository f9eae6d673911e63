import type { Command } from 'commander';
import type { CliIo } from '../../lib/runtime';
import { addLoginCommand } from './login';
import { addLogoutCommand } from './logout';
import { addWhoamiCommand } from './whoami';

export function registerSessionCommands(program: Command, io: CliIo) {
  for (const add of [addLoginCommand, addLogoutCommand, addWhoamiCommand]) {
    add(program, io);
  }
}
