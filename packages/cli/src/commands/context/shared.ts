import type { Command } from 'commander';
import { ApiSession } from '../../lib/api';
import {
  isLocalDefault,
  localTokenFile,
  configFilePath,
  type ArchonContext,
} from '../../lib/contexts';
import { UsageError } from '../../lib/errors';
import { ask, canPrompt, readStdin } from '../../lib/prompt';
import type { CliRuntime } from '../../lib/runtime';

export interface TokenOptions {
  token?: string;
  tokenStdin?: boolean;
}

export interface DefaultsOptions {
  ensemble?: string;
  kafkaCluster?: string;
  connectCluster?: string;
  target?: string;
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
    ...(options.target && { deployTarget: options.target }),
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

export function readLocal(rt: CliRuntime): string | undefined {
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
    )
    .option(
      '--target <name>',
      'default deploy target (Marathon instance) for deploy, rollback, apps, releases and deployments',
    );
}
