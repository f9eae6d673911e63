import { spawn } from 'node:child_process';
import type { Command } from 'commander';
import {
  configFilePath,
  LOCAL_DEFAULT_URL,
  normalizeUrl,
  readConfigFile,
  writeConfigFile,
} from '../../lib/contexts';
import { CliError } from '../../lib/errors';
import { ExitCode } from '../../lib/exitCodes';
import {
  authorizeUrl,
  cliClientId,
  createPkce,
  discoverProvider,
  exchangeCode,
  startCallbackServer,
  type UserSession,
} from '../../lib/oidc';
import { action, type CliIo, type CliRuntime } from '../../lib/runtime';
import {
  addDefaultsOptions,
  checkName,
  defaultsOf,
  nameFor,
  tokenFrom,
  verify,
  type DefaultsOptions,
  type TokenOptions,
} from '../context/shared';

/** How long `archon login` waits for the browser to come back. */
const SIGN_IN_TIMEOUT_MS = 5 * 60_000;

type LoginOptions = TokenOptions &
  DefaultsOptions & { name?: string; verify: boolean; browser: boolean };

/**
 * Signs a person in through the backend's Backstage auth (its OIDC
 * provider, see lib/oidc.ts): the sign-in page is the portal's own, with
 * whatever provider it offers (guest in the local profile).
 */
async function signIn(
  rt: CliRuntime,
  url: string,
  options: { browser: boolean },
): Promise<UserSession> {
  const metadata = await discoverProvider(url);
  const clientId = cliClientId(metadata);
  const { verifier, challenge, state } = createPkce();
  const callback = await startCallbackServer(state);
  try {
    const link = authorizeUrl(metadata, {
      clientId,
      redirectUri: callback.redirectUri,
      state,
      challenge,
    });
    if (options.browser) {
      rt.out.info(
        `Opening the sign-in page in your browser; if it does not open, visit:\n${link}`,
      );
      openBrowser(link, rt);
    } else {
      rt.out.info(`Open this URL in a browser to sign in:\n${link}`);
    }
    let timer: NodeJS.Timeout | undefined;
    const code = await Promise.race([
      callback.code,
      new Promise<never>((_, reject) => {
        timer = setTimeout(
          () =>
            reject(
              new CliError(
                `no sign-in within ${SIGN_IN_TIMEOUT_MS / 60_000} minutes`,
                ExitCode.Auth,
              ),
            ),
          SIGN_IN_TIMEOUT_MS,
        );
      }),
    ]).finally(() => clearTimeout(timer));
    return await exchangeCode(metadata, {
      clientId,
      code,
      redirectUri: callback.redirectUri,
      verifier,
    });
  } finally {
    await callback.close();
  }
}

/** The platform's "open this URL" command. */
function opener(link: string): [string, string[]] {
  if (process.platform === 'darwin') return ['open', [link]];
  if (process.platform === 'win32') return ['cmd', ['/c', 'start', '', link]];
  return ['xdg-open', [link]];
}

function openBrowser(link: string, rt: CliRuntime) {
  const [command, args] = opener(link);
  try {
    const child = spawn(command, args, { detached: true, stdio: 'ignore' });
    child.on('error', () =>
      rt.out.warn(
        `could not open a browser (${command}); open the URL above yourself`,
      ),
    );
    child.unref();
  } catch {
    rt.out.warn(
      `could not open a browser (${command}); open the URL above yourself`,
    );
  }
}

/** `archon login` */
export function addLoginCommand(program: Command, io: CliIo) {
  addDefaultsOptions(
    program
      .command('login')
      .description(
        `sign in to a backend as yourself (browser sign-in through the portal; ${LOCAL_DEFAULT_URL} signs in as guest) and make it the current context; --token/--token-stdin save a static automation token instead`,
      )
      .argument(
        '[url]',
        `backend URL (default: the current context's, else ${LOCAL_DEFAULT_URL})`,
      )
      .option('--name <context>', 'context name (default: from the host)')
      .option(
        '--no-browser',
        'print the sign-in URL instead of opening a browser',
      )
      .option(
        '--token <token>',
        'save this static token instead of signing in (visible in shell history; prefer --token-stdin)',
      )
      .option(
        '--token-stdin',
        'save a static token read from stdin instead of signing in',
      )
      .option(
        '--no-verify',
        'with a static token: save without checking URL and token',
      ),
  ).action(
    action(
      io,
      async (rt, urlArg: string | undefined, options: LoginOptions) => {
        // Without a URL or --name: into the current context (by default, its backend).
        const file = configFilePath(rt.env);
        const existing = readConfigFile(file);
        const current = existing.currentContext;
        const currentContext = current ? existing.contexts[current] : undefined;
        const url = normalizeUrl(
          urlArg ??
            rt.globals.url ??
            rt.env.ARCHON_URL ??
            currentContext?.url ??
            LOCAL_DEFAULT_URL,
        );
        const inCurrent =
          !!currentContext && normalizeUrl(currentContext.url) === url;
        const name = checkName(
          options.name ?? (inCurrent && current ? current : nameFor(url)),
        );
        const token =
          options.token || options.tokenStdin
            ? await tokenFrom(rt, options, url, false)
            : undefined;
        let user: UserSession | undefined;
        if (token) {
          if (options.verify) await verify(rt, url, token);
        } else {
          user = await signIn(rt, url, options);
        }
        const config = readConfigFile(file);
        const previous = config.contexts[name];
        config.contexts[name] = {
          url,
          ...(user ? { user } : { token }),
          ...(previous &&
            normalizeUrl(previous.url) === url && {
              ensemble: previous.ensemble,
              kafkaCluster: previous.kafkaCluster,
              connectCluster: previous.connectCluster,
              deployTarget: previous.deployTarget,
            }),
          ...defaultsOf(options),
        };
        config.currentContext = name;
        writeConfigFile(file, config);
        rt.out.result(
          {
            context: name,
            url,
            identity: user?.userEntityRef ?? 'static token',
            current: true,
            configFile: file,
          },
          () =>
            user
              ? `Signed in to ${url} as ${user.userEntityRef} (context "${name}", now current; saved in ${file})`
              : `Saved a static token for ${url} as context "${name}" (now current; saved in ${file})`,
        );
      },
    ),
  );
}
