import type { Command } from 'commander';
import { addClusterOption } from '../../lib/clusterOption';
import type { CliIo } from '../../lib/runtime';
import { addLsCommand } from './ls';
import { addStatusCommand } from './status';
import { addCreateCommand } from './create';
import { addUpdateCommand } from './update';
import { addValidateCommand } from './validate';
import { addDeleteCommand } from './delete';
import { addPauseResumeStopCommand } from './pauseResumeStop';
import { addRestartCommand } from './restart';
import { addPluginsCommand } from './plugins';

export function registerConnectorsCommands(program: Command, io: CliIo) {
  const connectors = program
    .command('connectors')
    .alias('connector')
    .description('Kafka Connect connectors');

  const cluster = addClusterOption(connectors, 'connect');

  for (const add of [
    addLsCommand,
    addStatusCommand,
    addCreateCommand,
    addUpdateCommand,
    addValidateCommand,
    addDeleteCommand,
    addPauseResumeStopCommand,
    addRestartCommand,
    addPluginsCommand,
  ]) {
    add(connectors, io, cluster);
  }
}
