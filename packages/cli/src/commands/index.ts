import type { Command } from 'commander';
import type { CliIo } from '../lib/runtime';
import { registerAppsCommands } from './apps';
import { registerCompleteCommand } from './complete';
import { registerCompletionCommand } from './completion';
import { registerConfigCommands } from './config';
import { registerConnectorsCommands } from './connectors';
import { registerContextCommands } from './context';
import { registerDeployCommands } from './deploy';
import { registerGraphCommands } from './graph';
import { registerGroupsCommands } from './groups';
import { registerHealthCommand } from './health';
import { registerMessagesCommands } from './messages';
import { registerSessionCommands } from './session';
import { registerTopicsCommands } from './topics';
import { registerZooKeeperCommands } from './zk';

/**
 * One command group: adds its commands to the program. A new group (graph,
 * ...) is a file in this folder exporting one of these, listed below; it gets
 * the runtime through `action()` and the exit codes from lib/exitCodes.
 */
export type CommandGroup = (program: Command, io: CliIo) => void;

/** In the order `archon --help` lists them. */
export const commandGroups: CommandGroup[] = [
  registerSessionCommands,
  registerContextCommands,
  registerConfigCommands,
  registerDeployCommands,
  registerAppsCommands,
  registerZooKeeperCommands,
  registerTopicsCommands,
  registerGroupsCommands,
  registerMessagesCommands,
  registerConnectorsCommands,
  registerGraphCommands,
  registerHealthCommand,
  registerCompletionCommand,
  registerCompleteCommand,
];
