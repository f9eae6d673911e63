import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import YAML from 'yaml';
import { CliError, UsageError } from './errors';
import { ExitCode } from './exitCodes';
import type { UserSession } from './oidc';

/** The backend of the local profile (`scripts/start.sh`). */
export const LOCAL_DEFAULT_URL = 'http://localhost:7007';

/**
 * One named backend: URL, the identity used there (a signed-in user from
 * `archon login`, or a static access token for automation) and per-context
 * defaults.
 */
export interface ArchonContext {
  url: string;
  /** The signed-in user (`archon login`); wins over `token`. */
  user?: UserSession;
  token?: string;
  /** Default ZooKeeper ensemble for `config` and `zk` commands. */
  ensemble?: string;
  /** Default Kafka cluster for `topics`, `groups` and `messages`. */
  kafkaCluster?: string;
  /** Default Kafka Connect cluster for `connectors`. */
  connectCluster?: string;
  /** Default deploy target (Marathon instance) for `deploy`, `rollback`, `apps`, `releases` and `deployments`. */
  deployTarget?: string;
}

export interface ArchonConfigFile {
  currentContext?: string;
  contexts: Record<string, ArchonContext>;
}

/** `$XDG_CONFIG_HOME/archon/config.yaml`, `~/.config/archon/config.yaml` by default. */
export function configFilePath(env: NodeJS.ProcessEnv = process.env): string {
  const base =
    env.XDG_CONFIG_HOME && path.isAbsolute(env.XDG_CONFIG_HOME)
      ? env.XDG_CONFIG_HOME
      : path.join(env.HOME || os.homedir(), '.config');
  return path.join(base, 'archon', 'config.yaml');
}

export function readConfigFile(file: string): ArchonConfigFile {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT')
      return { contexts: {} };
    throw new CliError(`cannot read ${file}: ${(error as Error).message}`);
  }
  let parsed: unknown;
  try {
    parsed = YAML.parse(text);
  } catch (error) {
    throw new CliError(
      `${file} is not valid YAML: ${(error as Error).message.split('\n')[0]}`,
    );
  }
  if (parsed === null || parsed === undefined) return { contexts: {} };
  if (typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new CliError(
      `${file} must hold a mapping with "currentContext" and "contexts"`,
    );
  }
  const raw = parsed as { currentContext?: unknown; contexts?: unknown };
  const contexts: Record<string, ArchonContext> = {};
  if (raw.contexts && typeof raw.contexts === 'object') {
    for (const [name, value] of Object.entries(
      raw.contexts as Record<string, unknown>,
    )) {
      const c = (value ?? {}) as Record<string, unknown>;
      if (typeof c.url !== 'string') continue;
      contexts[name] = {
        url: c.url,
        ...(isUserSession(c.user) && { user: c.user }),
        ...(typeof c.token === 'string' && { token: c.token }),
        ...(typeof c.ensemble === 'string' && { ensemble: c.ensemble }),
        ...(typeof c.kafkaCluster === 'string' && {
          kafkaCluster: c.kafkaCluster,
        }),
        ...(typeof c.connectCluster === 'string' && {
          connectCluster: c.connectCluster,
        }),
        ...(typeof c.deployTarget === 'string' && {
          deployTarget: c.deployTarget,
        }),
      };
    }
  }
  return {
    currentContext:
      typeof raw.currentContext === 'string' ? raw.currentContext : undefined,
    contexts,
  };
}

function isUserSession(value: unknown): value is UserSession {
  const u = value as Partial<UserSession> | undefined;
  return (
    !!u &&
    typeof u.userEntityRef === 'string' &&
    typeof u.accessToken === 'string' &&
    typeof u.expiresAt === 'string' &&
    typeof u.clientId === 'string' &&
    typeof u.tokenEndpoint === 'string'
  );
}

/** Writes the file with mode 600 (it holds tokens), atomically. */
export function writeConfigFile(file: string, config: ArchonConfigFile): void {
  const dir = path.dirname(file);
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const text = `# archon CLI contexts (archon context --help). Holds access tokens: keep it private.\n${YAML.stringify(
    { currentContext: config.currentContext, contexts: config.contexts },
  )}`;
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, text, { mode: 0o600 });
  fs.chmodSync(tmp, 0o600);
  fs.renameSync(tmp, file);
}

/** `http://host:7007/` and `http://host:7007/api/archon` both mean `http://host:7007`. */
export function normalizeUrl(input: string): string {
  let url: URL;
  try {
    url = new URL(input.includes('://') ? input : `http://${input}`);
  } catch {
    throw new UsageError(`"${input}" is not a URL (e.g. ${LOCAL_DEFAULT_URL})`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new UsageError(`"${input}" is not an http(s) URL`);
  }
  let pathname = url.pathname.replace(/\/+$/, '');
  pathname = pathname.replace(/\/api\/archon$/, '');
  return `${url.protocol}//${url.host}${pathname}`;
}

/** Whether the URL is the local profile's backend (port 7007 on this machine). */
export function isLocalDefault(url: string): boolean {
  try {
    const u = new URL(url);
    return (
      u.protocol === 'http:' &&
      ['localhost', '127.0.0.1', '[::1]'].includes(u.hostname) &&
      u.port === '7007' &&
      (u.pathname === '/' || u.pathname === '')
    );
  } catch {
    return false;
  }
}

/**
 * The repository this CLI runs from: ARCHON_ROOT, else the nearest folder
 * above this file whose package.json declares workspaces (the monorepo root).
 */
export function repoRoot(env: NodeJS.ProcessEnv = process.env): string {
  if (env.ARCHON_ROOT) return env.ARCHON_ROOT;
  // eslint-disable-next-line no-restricted-syntax -- the CLI runs from the repo's sources (bin/archon); only the start point of the search
  let dir = __dirname;
  for (;;) {
    try {
      const pkg = JSON.parse(
        fs.readFileSync(path.join(dir, 'package.json'), 'utf8'),
      ) as { workspaces?: unknown };
      if (pkg.workspaces) return dir;
    } catch {
      // no package.json here
    }
    const parent = path.dirname(dir);
    if (parent === dir) return process.cwd();
    dir = parent;
  }
}

/** The local profile's token file, made by scripts/start.sh. */
export function localTokenFile(env: NodeJS.ProcessEnv = process.env): string {
  return (
    env.ARCHON_TOKEN_FILE || path.join(repoRoot(env), '.archon', 'api-token')
  );
}

function readLocalToken(env: NodeJS.ProcessEnv): string | undefined {
  try {
    return fs.readFileSync(localTokenFile(env), 'utf8').trim() || undefined;
  } catch {
    return undefined;
  }
}

/** Where the URL and token in use came from, for messages and `context ls`. */
export interface ResolvedTarget {
  url: string;
  token?: string;
  tokenSource:
    | 'ARCHON_TOKEN'
    | 'signed-in user'
    | 'context'
    | 'local token file'
    | 'none';
  urlSource: '--url' | 'ARCHON_URL' | 'context' | 'local default';
  contextName?: string;
  context?: ArchonContext;
  configFile: string;
}

/**
 * Which backend to talk to and with which token:
 * URL: `--url` > `ARCHON_URL` > the context (`--context` > `ARCHON_CONTEXT` > current) > the local default.
 * Token: `ARCHON_TOKEN` > the context's signed-in user > the context's
 * static token (both only while the URL is the context's own, so a token
 * never goes to another host) > the local token file when the URL is the
 * local default.
 */
export function resolveTarget(
  options: { url?: string; context?: string },
  env: NodeJS.ProcessEnv = process.env,
): ResolvedTarget {
  const configFile = configFilePath(env);
  const file = readConfigFile(configFile);
  const contextName =
    options.context || env.ARCHON_CONTEXT || file.currentContext;
  const context = contextName ? file.contexts[contextName] : undefined;
  if ((options.context || env.ARCHON_CONTEXT) && !context) {
    const known = Object.keys(file.contexts);
    throw new CliError(
      `there is no context "${contextName}" in ${configFile}${
        known.length ? ` (known: ${known.join(', ')})` : ''
      }`,
      ExitCode.Usage,
      ['  add it with: archon context add <name> --url <url>'],
    );
  }

  let url: string;
  let urlSource: ResolvedTarget['urlSource'];
  if (options.url) {
    url = normalizeUrl(options.url);
    urlSource = '--url';
  } else if (env.ARCHON_URL) {
    url = normalizeUrl(env.ARCHON_URL);
    urlSource = 'ARCHON_URL';
  } else if (context) {
    url = normalizeUrl(context.url);
    urlSource = 'context';
  } else {
    url = LOCAL_DEFAULT_URL;
    urlSource = 'local default';
  }

  let token: string | undefined;
  let tokenSource: ResolvedTarget['tokenSource'] = 'none';
  if (env.ARCHON_TOKEN) {
    token = env.ARCHON_TOKEN.trim();
    tokenSource = 'ARCHON_TOKEN';
  } else if (context?.user && normalizeUrl(context.url) === url) {
    token = context.user.accessToken;
    tokenSource = 'signed-in user';
  } else if (context?.token && normalizeUrl(context.url) === url) {
    token = context.token;
    tokenSource = 'context';
  } else if (isLocalDefault(url)) {
    token = readLocalToken(env);
    if (token) tokenSource = 'local token file';
  }
  return {
    url,
    token,
    tokenSource,
    urlSource,
    contextName: context ? contextName : undefined,
    context: context && normalizeUrl(context.url) === url ? context : undefined,
    configFile,
  };
}
