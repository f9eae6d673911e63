import type { Command } from 'commander';
import { addClusterOption } from '../../lib/clusterOption';
import type { CliIo } from '../../lib/runtime';
import { addLsCommand } from './ls';
import { addDescribeCommand } from './describe';
import { addCreateCommand } from './create';
import { addAlterCommand } from './alter';
import { addDeleteCommand } from './delete';

export function registerTopicsCommands(program: Command, io: CliIo) {
  const topics = program
    .command('topics')
    .alias('topic')
    .description('Kafka topics');

  const cluster = addClusterOption(topics, 'kafka');

  for (const add of [
    addLsCommand,
    addDescribeCommand,
    addCreateCommand,
    addAlterCommand,
    addDeleteCommand,
  ]) {
    add(topics, io, cluster);
  }
}
