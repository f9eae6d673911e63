import { Agent, request, type Dispatcher } from 'undici';
import type { MarathonInstanceConfig } from '../marathon/config';
import { httpError, safeJson, transportError } from './marathonErrors';
import type { MesosAgentState } from './mesosAgent';
import type {
  MarathonGroup,
  MarathonAppInfo,
  MarathonApp,
  MarathonDeployment,
  MarathonDeploymentResult,
  MarathonInfo,
  MarathonQueueItem,
  MarathonTask,
} from './types';

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** The result of a change Marathon carries out as a deployment. */
export interface MarathonChange extends MarathonDeploymentResult {
  /** PUT created the app (201) rather than updating it. */
  created?: boolean;
}

/**
 * An undici client for one Marathon instance's v2 REST API. Marathon's
 * answers become archon's errors, always naming the instance: 404 →
 * NotFoundError, 409 "locked by deployment" → DeploymentInProgressError with
 * the blocking deployment ids, other 409 → ConflictError, 422 →
 * UnprocessableError with Marathon's field details, 400 → InputError,
 * unreachable / 5xx → 503, no answer in time → 504.
 */
export class MarathonClient {
  readonly instance: MarathonInstanceConfig;
  readonly #dispatcher: Dispatcher;

  constructor(instance: MarathonInstanceConfig) {
    this.instance = instance;
    this.#dispatcher = new Agent({
      connect: { timeout: Math.min(instance.requestTimeoutMs, 10_000) },
      keepAliveTimeout: 10_000,
    });
  }

  get name(): string {
    return this.instance.name;
  }

  close(): Promise<void> {
    return this.#dispatcher.close();
  }

  /** Headers every request carries (auth). */
  authHeaders(): Record<string, string> {
    const auth = this.instance.auth;
    if (auth?.token) return { authorization: `token=${auth.token}` };
    if (auth?.username) {
      return {
        authorization: `Basic ${Buffer.from(
          `${auth.username}:${auth.password ?? ''}`,
        ).toString('base64')}`,
      };
    }
    return {};
  }

  get dispatcher(): Dispatcher {
    return this.#dispatcher;
  }

  // ------------------------------------------------------------------ info

  info(signal?: AbortSignal): Promise<MarathonInfo> {
    return this.#json('GET', '/v2/info', { signal });
  }

  /** The current leader (`host:port`); 404 when there is none. */
  async leader(): Promise<string> {
    const body = await this.#json<{ leader: string }>('GET', '/v2/leader');
    return body.leader;
  }

  // ------------------------------------------------------------------ groups

  /** The group tree (default the root), with apps and sub-groups. */
  group(
    groupId = '/',
    embed: string[] = ['group.groups', 'group.apps'],
  ): Promise<MarathonGroup> {
    const query = new URLSearchParams();
    for (const e of embed) query.append('embed', e);
    const segments = groupId.split('/').filter(Boolean).map(encodeURIComponent);
    return this.#json(
      'GET',
      `/v2/groups${segments.length ? `/${segments.join('/')}` : ''}${qs(
        query,
      )}`,
    );
  }

  // ------------------------------------------------------------------ apps

  async listApps(
    options: { embed?: string[]; label?: string; id?: string } = {},
  ): Promise<MarathonAppInfo[]> {
    const query = new URLSearchParams();
    for (const e of options.embed ?? []) query.append('embed', e);
    if (options.label) query.set('label', options.label);
    if (options.id) query.set('id', options.id);
    const body = await this.#json<{ apps: MarathonAppInfo[] }>(
      'GET',
      `/v2/apps${qs(query)}`,
    );
    return body.apps;
  }

  /** The app with counts, tasks, deployments and last task failure; undefined when it does not exist. */
  async findApp(appId: string): Promise<MarathonAppInfo | undefined> {
    try {
      return await this.getApp(appId);
    } catch (error) {
      if ((error as Error).name === 'NotFoundError') return undefined;
      throw error;
    }
  }

  async getApp(appId: string): Promise<MarathonAppInfo> {
    const query = new URLSearchParams();
    for (const e of [
      'app.tasks',
      'app.counts',
      'app.deployments',
      'app.lastTaskFailure',
    ])
      query.append('embed', e);
    const body = await this.#json<{ app: MarathonAppInfo }>(
      'GET',
      `${appPath(appId)}${qs(query)}`,
    );
    return body.app;
  }

  /** Creates or replaces the app (`partialUpdate=false`: fields left out get their defaults). */
  async putApp(
    app: MarathonApp,
    options: { force?: boolean; partialUpdate?: boolean } = {},
  ): Promise<MarathonChange> {
    const query = new URLSearchParams();
    if (options.force) query.set('force', 'true');
    if (options.partialUpdate === false) query.set('partialUpdate', 'false');
    const { status, body, headers } = await this.#call(
      'PUT',
      `${appPath(app.id)}${qs(query)}`,
      { body: app },
    );
    return changeOf(status, body, headers);
  }

  async scaleApp(
    appId: string,
    instances: number,
    options: { force?: boolean } = {},
  ): Promise<MarathonChange> {
    const query = new URLSearchParams();
    if (options.force) query.set('force', 'true');
    const { status, body, headers } = await this.#call(
      'PUT',
      `${appPath(appId)}${qs(query)}`,
      {
        body: { instances },
      },
    );
    return changeOf(status, body, headers);
  }

  async restartApp(
    appId: string,
    options: { force?: boolean } = {},
  ): Promise<MarathonChange> {
    // Marathon's default for restart is force=false; say it explicitly.
    const { status, body, headers } = await this.#call(
      'POST',
      `${appPath(appId)}/restart?force=${options.force ? 'true' : 'false'}`,
      { body: {} },
    );
    return changeOf(status, body, headers);
  }

  /** Destroys the app. Marathon defaults DELETE to force=true; archon only forces on request. */
  async deleteApp(
    appId: string,
    options: { force?: boolean } = {},
  ): Promise<MarathonChange> {
    const { status, body, headers } = await this.#call(
      'DELETE',
      `${appPath(appId)}?force=${options.force ? 'true' : 'false'}`,
    );
    return changeOf(status, body, headers);
  }

  /** Rolls the app back to a stored version (`PUT {version}`), as a deployment. */
  async restoreVersion(
    appId: string,
    version: string,
    options: { force?: boolean } = {},
  ): Promise<MarathonChange> {
    const query = new URLSearchParams();
    if (options.force) query.set('force', 'true');
    const { status, body, headers } = await this.#call(
      'PUT',
      `${appPath(appId)}${qs(query)}`,
      {
        body: { id: appId, version },
      },
    );
    return changeOf(status, body, headers);
  }

  async appVersions(appId: string): Promise<string[]> {
    const body = await this.#json<{ versions: string[] }>(
      'GET',
      `${appPath(appId)}/versions`,
    );
    // Marathon promises no order.
    return [...body.versions].sort().reverse();
  }

  appVersion(appId: string, version: string): Promise<MarathonApp> {
    return this.#json(
      'GET',
      `${appPath(appId)}/versions/${encodeURIComponent(version)}`,
    );
  }

  // ------------------------------------------------------------------ tasks

  async appTasks(appId: string): Promise<MarathonTask[]> {
    const body = await this.#json<{ tasks: MarathonTask[] }>(
      'GET',
      `${appPath(appId)}/tasks`,
    );
    return body.tasks;
  }

  /** Kills one task: replaced by Marathon, or with `scale` the app shrinks by one (a deployment). */
  async killTask(
    appId: string,
    taskId: string,
    options: { scale?: boolean; force?: boolean } = {},
  ): Promise<{ task?: MarathonTask } & Partial<MarathonChange>> {
    const query = new URLSearchParams();
    if (options.scale) query.set('scale', 'true');
    if (options.force) query.set('force', 'true');
    const { body, headers } = await this.#call(
      'DELETE',
      `${appPath(appId)}/tasks/${encodeURIComponent(taskId)}${qs(query)}`,
    );
    const deploymentId = headers['marathon-deployment-id'];
    return {
      ...(body as object),
      ...(typeof deploymentId === 'string' ? { deploymentId } : {}),
    };
  }

  /** Kills several tasks (of any apps); with `scale` their apps shrink (a deployment). */
  async killTasks(
    taskIds: string[],
    options: { scale?: boolean; force?: boolean } = {},
  ): Promise<unknown> {
    const query = new URLSearchParams();
    if (options.scale) query.set('scale', 'true');
    if (options.force) query.set('force', 'true');
    const { body } = await this.#call('POST', `/v2/tasks/delete${qs(query)}`, {
      body: { ids: taskIds },
    });
    return body;
  }

  // ------------------------------------------------------------------ deployments and queue

  deployments(): Promise<MarathonDeployment[]> {
    return this.#json('GET', '/v2/deployments');
  }

  /**
   * Cancels a deployment. Without `force`, Marathon starts a rollback
   * deployment (its id is returned); with `force`, it just stops (202, may
   * leave tasks of mixed versions).
   */
  async cancelDeployment(
    deploymentId: string,
    options: { force?: boolean } = {},
  ): Promise<Partial<MarathonChange>> {
    const { status, body, headers } = await this.#call(
      'DELETE',
      `/v2/deployments/${encodeURIComponent(deploymentId)}${
        options.force ? '?force=true' : ''
      }`,
    );
    return status === 202 ? {} : changeOf(status, body, headers);
  }

  async queue(): Promise<MarathonQueueItem[]> {
    const body = await this.#json<{ queue: MarathonQueueItem[] }>(
      'GET',
      '/v2/queue?embed=lastUnusedOffers',
    );
    return body.queue;
  }

  async resetDelay(appId: string): Promise<void> {
    await this.#call(
      'DELETE',
      `/v2/queue/${appPath(appId).slice('/v2/apps/'.length)}/delay`,
    );
  }

  // ------------------------------------------------------------------ Mesos agent (sandbox files)

  /** The agent URL serving a task's sandbox. */
  agentUrl(host: string): string {
    return this.instance.mesosAgentUrl.replace('{host}', host);
  }

  agentState(agentUrl: string): Promise<MesosAgentState> {
    return this.#json('GET', '/state', {
      base: agentUrl,
      what: `the Mesos agent at ${agentUrl}`,
    });
  }

  filesRead(
    agentUrl: string,
    file: string,
    offset: number,
    length?: number,
  ): Promise<{ data: string; offset: number }> {
    const query = new URLSearchParams({ path: file, offset: String(offset) });
    if (length !== undefined) query.set('length', String(length));
    return this.#json('GET', `/files/read?${query}`, {
      base: agentUrl,
      what: `the Mesos agent at ${agentUrl}`,
    });
  }

  // ------------------------------------------------------------------ plumbing

  async #json<T>(
    method: Method,
    path: string,
    options: { signal?: AbortSignal; base?: string; what?: string } = {},
  ): Promise<T> {
    const { body } = await this.#call(method, path, options);
    return body as T;
  }

  /** What to call the other side in messages. */
  describe(base = this.instance.url): string {
    return base === this.instance.url
      ? `Marathon instance "${this.instance.name}" (${this.instance.url})`
      : base;
  }

  async #call(
    method: Method,
    path: string,
    options: {
      body?: unknown;
      signal?: AbortSignal;
      base?: string;
      what?: string;
    } = {},
  ): Promise<{
    status: number;
    body: unknown;
    headers: Record<string, string | string[] | undefined>;
  }> {
    const base = options.base ?? this.instance.url;
    const what =
      options.what ??
      `Marathon instance "${this.instance.name}" (${this.instance.url})`;
    const headers: Record<string, string> = {
      accept: 'application/json',
      ...this.authHeaders(),
    };
    if (options.body !== undefined)
      headers['content-type'] = 'application/json';
    let response: Dispatcher.ResponseData;
    let text: string;
    try {
      response = await request(`${base}${path}`, {
        method,
        headers,
        body:
          options.body === undefined ? undefined : JSON.stringify(options.body),
        signal: options.signal,
        dispatcher: this.#dispatcher,
        headersTimeout: this.instance.requestTimeoutMs,
        bodyTimeout: this.instance.requestTimeoutMs,
      });
      text = await response.body.text();
    } catch (error) {
      throw transportError(error, what, this.instance.requestTimeoutMs);
    }
    const parsed = text ? safeJson(text) : undefined;
    if (response.statusCode >= 400) {
      throw httpError(
        response.statusCode,
        parsed,
        what,
        `${method} ${path.split('?')[0]}`,
      );
    }
    return {
      status: response.statusCode,
      body: parsed,
      headers: response.headers,
    };
  }
}

/** `/v2/apps/foo/bar` for `/foo/bar` (segments encoded). */
export function appPath(appId: string): string {
  const segments = appId.split('/').filter(Boolean).map(encodeURIComponent);
  return `/v2/apps/${segments.join('/')}`;
}

function qs(query: URLSearchParams): string {
  const text = query.toString();
  return text ? `?${text}` : '';
}

function changeOf(
  status: number,
  body: unknown,
  headers: Record<string, string | string[] | undefined>,
): MarathonChange {
  const result = (body ?? {}) as Partial<MarathonDeploymentResult> & {
    deployments?: Array<{ id: string }>;
  };
  const header = headers['marathon-deployment-id'];
  return {
    deploymentId:
      result.deploymentId ??
      (typeof header === 'string' ? header : result.deployments?.[0]?.id ?? ''),
    version: result.version ?? '',
    created: status === 201,
  };
}
