import type { Command } from 'commander';
import {
  readConfigFile,
  writeConfigFile,
  configFilePath,
} from '../../lib/contexts';
import { CliError } from '../../lib/errors';
import { ExitCode } from '../../lib/exitCodes';
import { action, type CliIo } from '../../lib/runtime';

/** `archon context rm` */
export function addRmCommand(context: Command, io: CliIo) {
  context
    .command('rm')
    .alias('remove')
    .description('remove a context')
    .argument('<name>', 'context name')
    .action(
      action(io, async (rt, name: string) => {
        const file = configFilePath(rt.env);
        const config = readConfigFile(file);
        if (!config.contexts[name])
          throw new CliError(
            `there is no context "${name}"`,
            ExitCode.NotFound,
          );
        delete config.contexts[name];
        if (config.currentContext === name) config.currentContext = undefined;
        writeConfigFile(file, config);
        rt.out.result({ removed: name }, () => `Removed context "${name}"`);
      }),
    );
}
