import type { Command } from 'commander';
import { ApiSession } from '../lib/api';
import {
  isLocalDefault,
  localTokenFile,
  normalizeUrl,
  readConfigFile,
  writeConfigFile,
  configFilePath,
  type ArchonContext,
} from '../lib/contexts';
import { CliError, UsageError } from '../lib/errors';
import { ExitCode } from '../lib/exitCodes';
import { formatTable } from '../lib/output';
import { ask, canPrompt, readStdin } from '../lib/prompt';
import { action, type CliIo, type CliRuntime } from '../lib/runtime';

export interface TokenOptions {
  token?: string;
  tokenStdin?: boolean;
}

export interface DefaultsOptions {
  ensemble?: string;
  kafkaCluster?: string;
  connectCluster?: string;
}

const NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;

export function checkName(name: string): string {
  if (!NAME.test(name))
    throw new UsageError(
      `"${name}" is not a context name (letters, digits, _ . -)`,
    );
  return name;
}

/** `https://archon.example.com:8443` → `archon.example.com-8443`. */
export function nameFor(url: string): string {
  const u = new URL(url);
  return isLocalDefault(url)
    ? 'local'
    : `${u.hostname}${u.port ? `-${u.port}` : ''}`.replace(
        /[^A-Za-z0-9_.-]/g,
        '-',
      );
}

export async function tokenFrom(
  rt: CliRuntime,
  options: TokenOptions,
  url: string,
  prompt: boolean,
): Promise<string | undefined> {
  if (options.token && options.tokenStdin)
    throw new UsageError('use either --token or --token-stdin');
  if (options.token) return options.token.trim();
  if (options.tokenStdin) {
    const token = (await readStdin(rt.io.stdin)).trim();
    if (!token) throw new UsageError('--token-stdin: stdin was empty');
    return token;
  }
  if (!prompt) return undefined;
  if (isLocalDefault(url)) return undefined; // the local token file is used
  if (!canPrompt(rt.terminal)) {
    throw new UsageError(
      `no token for ${url}: pass --token-stdin (or --token) when there is no terminal to ask on`,
    );
  }
  const token = (
    await ask(rt.terminal, `Access token for ${url}: `, { hidden: true })
  ).trim();
  if (!token) throw new UsageError('no token given');
  return token;
}

export function defaultsOf(options: DefaultsOptions): Partial<ArchonContext> {
  return {
    ...(options.ensemble && { ensemble: options.ensemble }),
    ...(options.kafkaCluster && { kafkaCluster: options.kafkaCluster }),
    ...(options.connectCluster && { connectCluster: options.connectCluster }),
  };
}

/** Checks URL and token with one authenticated call (GET /health). */
export async function verify(
  rt: CliRuntime,
  url: string,
  token: string | undefined,
) {
  const localToken = !token && isLocalDefault(url) ? readLocal(rt) : undefined;
  let tokenSource: 'context' | 'local token file' | 'none' = 'none';
  if (token) tokenSource = 'context';
  else if (localToken) tokenSource = 'local token file';
  const target = {
    url,
    token: token ?? localToken,
    tokenSource,
    urlSource: 'context' as const,
    configFile: configFilePath(rt.env),
  };
  const session = new ApiSession(target, rt.env);
  return session.call((c, o) => c.getHealth({ query: {} }, o));
}

function readLocal(rt: CliRuntime): string | undefined {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return (
      (require('node:fs') as typeof import('node:fs'))
        .readFileSync(localTokenFile(rt.env), 'utf8')
        .trim() || undefined
    );
  } catch {
    return undefined;
  }
}

/** Who a context acts as: the signed-in user, or which kind of static token. */
export function identityLabel(c: ArchonContext): string {
  if (c.user) return c.user.userEntityRef;
  if (c.token) return 'static token (service)';
  return isLocalDefault(c.url) ? 'local token file (service)' : 'none';
}

export function addDefaultsOptions(cmd: Command): Command {
  return cmd
    .option(
      '--ensemble <name>',
      'default ZooKeeper ensemble for config and zk commands',
    )
    .option(
      '--kafka-cluster <name>',
      'default Kafka cluster for topics, groups and messages',
    )
    .option(
      '--connect-cluster <name>',
      'default Kafka Connect cluster for connectors',
    );
}

export function registerContextCommands(program: Command, io: CliIo) {
  const context = program
    .command('context')
    .description(
      `named archon backends (stored in ${'$XDG_CONFIG_HOME/archon/config.yaml'}, mode 600); ARCHON_URL and ARCHON_TOKEN override them`,
    );

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

  context
    .command('ls')
    .alias('list')
    .description('list contexts; * marks the current one')
    .action(
      action(io, async rt => {
        const file = configFilePath(rt.env);
        const config = readConfigFile(file);
        const items = Object.entries(config.contexts).map(([name, c]) => ({
          name,
          current: name === config.currentContext,
          url: c.url,
          identity: identityLabel(c),
          ensemble: c.ensemble,
          kafkaCluster: c.kafkaCluster,
          connectCluster: c.connectCluster,
        }));
        const notes: string[] = [];
        if (rt.env.ARCHON_URL)
          notes.push(
            `ARCHON_URL=${rt.env.ARCHON_URL} overrides the context's URL`,
          );
        if (rt.env.ARCHON_TOKEN)
          notes.push("ARCHON_TOKEN overrides the context's token");
        rt.out.result(
          {
            configFile: file,
            currentContext: config.currentContext ?? null,
            contexts: items,
          },
          () => {
            if (!items.length)
              return `No contexts in ${file}; sign in with: archon login [url]`;
            const table = formatTable(
              ['', 'name', 'url', 'identity', 'defaults'],
              items.map(i => [
                i.current ? '*' : '',
                i.name,
                i.url,
                i.identity,
                [
                  i.ensemble && `ensemble=${i.ensemble}`,
                  i.kafkaCluster && `kafka=${i.kafkaCluster}`,
                  i.connectCluster && `connect=${i.connectCluster}`,
                ]
                  .filter(Boolean)
                  .join(' '),
              ]),
              { colors: rt.out.colors },
            );
            return [table, ...notes.map(n => rt.out.colors.dim(n))].join('\n');
          },
        );
      }),
    );

  context
    .command('current')
    .description('show which backend and token the next command uses, and why')
    .action(
      action(io, async rt => {
        const t = rt.target;
        const user =
          t.tokenSource === 'signed-in user' ? t.context?.user : undefined;
        const data = {
          context: t.contextName ?? null,
          url: t.url,
          urlSource: t.urlSource,
          tokenSource: t.tokenSource,
          identity: user?.userEntityRef ?? null,
          configFile: t.configFile,
        };
        let identity = 'none';
        if (user)
          identity = `${user.userEntityRef} (signed in; archon whoami checks it)`;
        else if (t.tokenSource !== 'none')
          identity = `static token from ${t.tokenSource} (a service, not a person)`;
        rt.out.result(data, () =>
          [
            `context:  ${t.contextName ?? '(none)'}`,
            `url:      ${t.url}  (from ${t.urlSource})`,
            `identity: ${identity}`,
          ].join('\n'),
        );
      }),
    );

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
