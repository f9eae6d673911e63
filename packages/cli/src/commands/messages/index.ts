import type { Command } from 'commander';
import type { CliIo } from '../../lib/runtime';
import { addClusterOption } from '../../lib/clusterOption';
import { addReadCommand } from './read';
import { addTailCommand } from './tail';
import { addProduceCommand } from './produce';

export function registerMessagesCommands(program: Command, io: CliIo) {
  const messages = program
    .command('messages')
    .alias('msg')
    .description(
      'read, follow and produce Kafka messages (reads join no consumer group)',
    );

  const cluster = addClusterOption(messages, 'kafka');

  for (const add of [addReadCommand, addTailCommand, addProduceCommand]) {
    add(messages, io, cluster);
  }
}
