import type { Command } from 'commander';
import {
  readConfigFile,
  writeConfigFile,
  configFilePath,
} from '../../lib/contexts';
import { CliError } from '../../lib/errors';
import { ExitCode } from '../../lib/exitCodes';
import { action, type CliIo } from '../../lib/runtime';

/** `archon context use` */
export function addUseCommand(context: Command, io: CliIo) {
  context
    .command('use')
    .description('make a context the current one')
    .argument('<name>', 'context name')
    .action(
      action(io, async (rt, name: string) => {
        const file = configFilePath(rt.env);
        const config = readConfigFile(file);
        if (!config.contexts[name]) {
          const known = Object.keys(config.contexts);
          throw new CliError(
            `there is no context "${name}"${
              known.length ? ` (known: ${known.join(', ')})` : ''
            }`,
            ExitCode.NotFound,
          );
        }
        config.currentContext = name;
        writeConfigFile(file, config);
        rt.out.result(
          { context: name, url: config.contexts[name].url },
          () => `Switched to context "${name}" (${config.contexts[name].url})`,
        );
      }),
    );
}
