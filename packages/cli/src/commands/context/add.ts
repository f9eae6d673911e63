import type { Command } from 'commander';
import {
  normalizeUrl,
  readConfigFile,
  writeConfigFile,
  configFilePath,
} from '../../lib/contexts';
import { UsageError } from '../../lib/errors';
import { action, type CliIo } from '../../lib/runtime';
import {
  type TokenOptions,
  type DefaultsOptions,
  checkName,
  tokenFrom,
  defaultsOf,
  addDefaultsOptions,
} from './shared';

/** `archon context add` */
export function addAddCommand(context: Command, io: CliIo) {
  addDefaultsOptions(
    context
      .command('add')
      .description('add or replace a context')
      .argument('<name>', 'context name')
      .argument('[url]', 'backend URL (or --url)')
      .option('--token <token>', 'the access token (prefer --token-stdin)')
      .option('--token-stdin', 'read the token from stdin')
      .option('--use', 'also make it the current context'),
  ).action(
    action(
      io,
      async (
        rt,
        name: string,
        urlArg: string | undefined,
        options: TokenOptions & DefaultsOptions & { use?: boolean },
      ) => {
        checkName(name);
        // `--url` is the global option; the positional argument wins.
        const urlText = urlArg ?? rt.globals.url;
        if (!urlText)
          throw new UsageError(
            'context add needs the backend URL: archon context add <name> <url>',
          );
        const url = normalizeUrl(urlText);
        const token = await tokenFrom(rt, options, url, false);
        const file = configFilePath(rt.env);
        const config = readConfigFile(file);
        config.contexts[name] = {
          url,
          ...(token && { token }),
          ...defaultsOf(options),
        };
        if (options.use || !config.currentContext) config.currentContext = name;
        writeConfigFile(file, config);
        rt.out.result(
          { context: name, url, current: config.currentContext === name },
          () =>
            `Context "${name}" → ${url}${
              config.currentContext === name ? ' (current)' : ''
            }`,
        );
      },
    ),
  );
}
