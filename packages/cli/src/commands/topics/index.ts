import type { Command } from 'commander';
import { kafkaClusterOf } from '../../lib/clusterOption';
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
    .description('Kafka topics')
    .option(
      '-c, --cluster <name>',
      "Kafka cluster (default: the context's, else the only one)",
    );

  const cluster = kafkaClusterOf(topics);

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
