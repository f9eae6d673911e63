import type { Command } from 'commander';
import type { CliIo } from '../../lib/runtime';
import { addClusterOption } from '../../lib/clusterOption';
import { addLsCommand } from './ls';
import { addDescribeCommand } from './describe';
import { addLagCommand } from './lag';
import { addResetCommand } from './reset';
import { addDeleteCommand } from './delete';

export function registerGroupsCommands(program: Command, io: CliIo) {
  const groups = program
    .command('consumer-groups')
    // The older, shorter names stay: users' scripts call them.
    .aliases(['groups', 'group'])
    .description(
      'Kafka consumer groups: members, lag, offset resets (aliases: groups, group)',
    );

  const cluster = addClusterOption(groups, 'kafka');

  for (const add of [
    addLsCommand,
    addDescribeCommand,
    addLagCommand,
    addResetCommand,
    addDeleteCommand,
  ]) {
    add(groups, io, cluster);
  }
}
