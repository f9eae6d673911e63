import {
  ArchonApiClient,
  type RequestOptions,
  type TypedResponse,
} from '@archon/plugin-archon-common';
import {
  ApiError,
  CliError,
  describeNetworkError,
  type ApiErrorBody,
} from './errors';
import { ExitCode } from './exitCodes';
import {
  isLocalDefault,
  localTokenFile,
  readConfigFile,
  writeConfigFile,
  type ResolvedTarget,
} from './contexts';
import { isDue, refreshSession, type UserSession } from './oidc';
import { parseSse, type SseEvent } from './sse';

/** Seconds a request may take before the CLI gives up (ARCHON_REQUEST_TIMEOUT). */
const DEFAULT_TIMEOUT_SECONDS = 60;

/**
 * The typed API client bound to one backend and token. Every call the
 * OpenAPI spec documents goes through `ArchonApiClient`; this adds the
 * token, a timeout, and turns failures into CliErrors with exit codes.
 */
export class ApiSession {
  readonly client: ArchonApiClient;
  readonly target: ResolvedTarget;
  readonly #timeoutMs: number;
  #renewal?: Promise<void>;

  /** Where a stale answer's one-line warning goes (stderr, through the command's output). */
  readonly #warn: (text: string) => void;
  /** Each distinct warning once per command, even when it makes many calls. */
  readonly #warned = new Set<string>();

  constructor(
    target: ResolvedTarget,
    env: NodeJS.ProcessEnv = process.env,
    options: { warn?: (text: string) => void } = {},
  ) {
    this.target = target;
    this.#warn =
      options.warn ?? (text => process.stderr.write(`warning: ${text}\n`));
    const seconds = Number(env.ARCHON_REQUEST_TIMEOUT);
    this.#timeoutMs =
      (Number.isFinite(seconds) && seconds > 0
        ? seconds
        : DEFAULT_TIMEOUT_SECONDS) * 1000;
    const baseUrl = `${target.url}/api`;
    this.client = new ArchonApiClient({
      discoveryApi: { getBaseUrl: async pluginId => `${baseUrl}/${pluginId}` },
      fetchApi: {
        fetch: ((input: string, init?: RequestInit) =>
          this.#fetch(input, init)) as typeof fetch,
      },
    });
  }

  get requestOptions(): RequestOptions {
    return this.target.token ? { token: this.target.token } : {};
  }

  /**
   * Node's fetch (undici inside; the undici package itself is only loaded by
   * streaming commands, it costs startup time), with a timeout and a failure
   * that names the URL tried.
   */
  async #fetch(input: string, init?: RequestInit): Promise<Response> {
    const token = await this.token();
    const headers = new Headers(init?.headers);
    if (token) headers.set('Authorization', `Bearer ${token}`);
    let response: Response;
    try {
      response = await fetch(input, {
        ...init,
        headers,
        signal: init?.signal ?? AbortSignal.timeout(this.#timeoutMs),
      });
    } catch (error) {
      throw this.networkError(input, error);
    }
    this.#warnIfStale(response);
    return response;
  }

  /**
   * An answer archon served from a cache while the system behind it was
   * unreachable carries `Warning: 110 archon "<text>"`: one line on stderr,
   * so scripts reading stdout get the data and people see how old it is.
   */
  #warnIfStale(response: Response) {
    const header = response.headers.get('warning');
    const text = header?.match(/^110 \S+ "(.*)"/)?.[1];
    if (!text || this.#warned.has(text)) return;
    this.#warned.add(text);
    this.#warn(text);
  }

  /**
   * The token for the next request. A signed-in user's access token is
   * short-lived: when it is due, it is renewed with the refresh token first
   * (silently) and the renewal saved in the context, as the next command
   * needs it (the provider rotates refresh tokens: the old one is spent).
   */
  async token(): Promise<string | undefined> {
    const user =
      this.target.tokenSource === 'signed-in user'
        ? this.target.context?.user
        : undefined;
    if (user && isDue(user)) {
      this.#renewal ??= this.#renew(user).finally(() => {
        this.#renewal = undefined;
      });
      await this.#renewal;
    }
    return this.target.token;
  }

  async #renew(user: UserSession): Promise<void> {
    const fresh = await refreshSession(user);
    const { configFile, contextName } = this.target;
    const config = readConfigFile(configFile);
    const stored = contextName ? config.contexts[contextName] : undefined;
    if (stored) {
      stored.user = fresh;
      writeConfigFile(configFile, config);
    }
    this.target.token = fresh.accessToken;
    if (this.target.context) this.target.context.user = fresh;
  }

  networkError(url: string, error: unknown): CliError {
    if (error instanceof CliError) return error;
    const reason = describeNetworkError(error);
    const hints: string[] = [];
    if (isLocalDefault(this.target.url)) {
      hints.push(
        '  is the local portal running? start it with: scripts/start.sh --detach',
      );
    } else {
      hints.push(
        `  check the URL (from ${this.target.urlSource}) or pick another context: archon context ls`,
      );
    }
    return new CliError(
      `cannot reach archon at ${url}: ${reason}`,
      ExitCode.Unreachable,
      hints,
    );
  }

  /**
   * Runs one client call with the token and returns the parsed body, or
   * throws an ApiError (exit code by status) for a non-2xx answer.
   */
  async call<T>(
    fn: (
      client: ArchonApiClient,
      options: RequestOptions,
    ) => Promise<TypedResponse<T>>,
  ): Promise<T> {
    const response = await fn(this.client, this.requestOptions);
    return this.unwrap(response);
  }

  /**
   * Like `call()`, for answers that are text rather than JSON (a graph as
   * Graphviz DOT or Mermaid): returns the body as it came.
   */
  async text(
    fn: (
      client: ArchonApiClient,
      options: RequestOptions,
    ) => Promise<TypedResponse<unknown>>,
  ): Promise<string> {
    const response = (await fn(
      this.client,
      this.requestOptions,
    )) as unknown as Response;
    if (!response.ok) throw await this.errorOf(response);
    return response.text();
  }

  async unwrap<T>(response: TypedResponse<T>): Promise<T> {
    if (!response.ok) throw await this.errorOf(response as unknown as Response);
    const text = await (response as unknown as Response).text();
    if (!text) return undefined as T;
    try {
      return JSON.parse(text) as T;
    } catch {
      throw new CliError(
        `archon answered ${
          response.url
        } with something that is not JSON: ${text.slice(0, 120)}`,
      );
    }
  }

  /** The ApiError for a failed response, with a login hint for 401. */
  async errorOf(response: Response): Promise<ApiError> {
    const text = await response.text().catch(() => '');
    let body: ApiErrorBody | undefined;
    try {
      const parsed = JSON.parse(text);
      if (parsed && typeof parsed === 'object' && 'error' in parsed)
        body = parsed as ApiErrorBody;
    } catch {
      // Not JSON: a proxy's page; the first line is shown.
    }
    let hint: string | undefined;
    if (response.status === 401) hint = this.loginHint();
    return new ApiError({
      status: response.status,
      statusText: response.statusText,
      body,
      text,
      url: response.url,
      hint,
    });
  }

  /**
   * A streaming call (`Accept: text/event-stream`), e.g. a deploy's progress.
   * Uses undici directly because the generated client cannot express it: it
   * always asks for JSON and hands back the whole response, while the CLI
   * must read the events as they arrive. `path` is below /api/archon, as in
   * the spec. Non-2xx answers throw the same errors as `call()`. Aborting
   * `signal` (Ctrl-C) ends the stream quietly: the generator just returns.
   */
  async *stream(
    path: string,
    init: { method?: string; body?: unknown; signal?: AbortSignal } = {},
  ): AsyncGenerator<SseEvent> {
    // Loaded here, not at start-up: only streaming commands need it.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { fetch: undiciFetch } = require('undici') as typeof import('undici');
    const url = `${this.target.url}/api/archon${
      path.startsWith('/') ? path : `/${path}`
    }`;
    const token = await this.token();
    let response;
    try {
      response = await undiciFetch(url, {
        method: init.method ?? 'GET',
        headers: {
          Accept: 'text/event-stream',
          ...(init.body !== undefined && {
            'Content-Type': 'application/json',
          }),
          ...(token && { Authorization: `Bearer ${token}` }),
        },
        body: init.body === undefined ? undefined : JSON.stringify(init.body),
        signal: init.signal,
      });
    } catch (error) {
      if (init.signal?.aborted) return;
      throw this.networkError(url, error);
    }
    if (!response.ok) throw await this.errorOf(response as unknown as Response);
    if (!response.body) return;
    try {
      yield* parseSse(response.body);
    } catch (error) {
      if (init.signal?.aborted) return;
      throw this.networkError(url, error);
    }
  }

  loginHint(): string {
    const { url, tokenSource } = this.target;
    const lines = [
      `  archon at ${url} did not accept ${
        tokenSource === 'none'
          ? 'a request without a token'
          : `the token from ${tokenSource}`
      }.`,
    ];
    if (isLocalDefault(url)) {
      lines.push(
        `  Sign in with: archon login   (scripts use the token in ${localTokenFile()}, which scripts/start.sh creates)`,
      );
    } else {
      lines.push(`  Log in with: archon login ${url}   (or set ARCHON_TOKEN)`);
    }
    return lines.join('\n');
  }
}
