import { NotFoundError } from '@backstage/errors';
import type { ArchonDefinitionChange } from '@archon/plugin-archon-node';
import { finishedTasksOf, sandboxOf } from '../client/mesosAgent';
import type { MarathonApp, MarathonAppInfo } from '../client/types';
import { diffJson } from '../render/definitionDiff';
import { ARCHON_LABELS } from '../render/renderApp';
import { appSummary, taskView } from './appStatus';
import { explainQueue } from './launchQueue';
import type { MarathonInstances } from './MarathonInstances';

/**
 * The read side of the Marathon module: app status, tasks, deployments,
 * versions and their diffs, the launch queue with its reasons, task logs
 * through the Mesos agent's sandbox files API. Masking is the router's.
 */
export class MarathonMonitor {
  readonly #instances: MarathonInstances;

  constructor(instances: MarathonInstances) {
    this.#instances = instances;
  }

  async info(instance: string) {
    const { config, client } = this.#instances.get(instance);
    const info = await client.info();
    return {
      name: config.name,
      url: config.url,
      version: info.version,
      leader: info.leader ?? undefined,
      frameworkId: info.frameworkId,
      elected: info.elected,
    };
  }

  async apps(
    instance: string,
    filter: { configPath?: string; label?: string } = {},
  ) {
    const { client } = this.#instances.get(instance);
    const label = filter.label ?? undefined;
    const apps = await client.listApps({
      embed: ['apps.counts', 'apps.deployments'],
      label,
    });
    return apps
      .filter(
        a =>
          !filter.configPath ||
          a.labels?.[ARCHON_LABELS.configPath] === filter.configPath,
      )
      .map(appSummary);
  }

  async app(instance: string, appId: string) {
    const { client } = this.#instances.get(instance);
    const app = await client.getApp(appId);
    const deployments = (await client.deployments()).filter(d =>
      d.affectedApps.includes(appId),
    );
    return {
      summary: appSummary(app),
      definition: definitionOf(app),
      tasks: (app.tasks ?? []).map(taskView),
      deployments,
      lastTaskFailure: app.lastTaskFailure,
    };
  }

  /** The app as stored (for the configuration path label and masking). */
  raw(instance: string, appId: string): Promise<MarathonAppInfo> {
    return this.#instances.get(instance).client.getApp(appId);
  }

  async tasks(instance: string, appId: string) {
    const app = await this.raw(instance, appId);
    return {
      items: (app.tasks ?? []).map(taskView),
      lastTaskFailure: app.lastTaskFailure,
    };
  }

  /**
   * The app's finished tasks whose sandboxes their agents still keep, newest
   * first: state, exit status and message, for `--previous` logs. Agents are
   * found from the hosts the app's tasks ran on (live tasks and the last failure).
   */
  async finishedTasks(instance: string, appId: string) {
    const { client } = this.#instances.get(instance);
    const app = await client.getApp(appId);
    const hosts = new Set(
      [...(app.tasks ?? []).map(t => t.host), app.lastTaskFailure?.host].filter(
        (h): h is string => !!h,
      ),
    );
    const byAgent = new Map<string, string>();
    for (const host of hosts) byAgent.set(client.agentUrl(host), host);
    const found = (
      await Promise.all(
        [...byAgent].map(async ([agentUrl, host]) =>
          finishedTasksOf(await client.agentState(agentUrl), appId, host),
        ),
      )
    ).flat();
    found.sort((a, b) =>
      (b.finishedAt ?? '').localeCompare(a.finishedAt ?? ''),
    );
    return { items: found, lastTaskFailure: app.lastTaskFailure };
  }

  async versions(instance: string, appId: string) {
    return {
      items: await this.#instances.get(instance).client.appVersions(appId),
    };
  }

  version(
    instance: string,
    appId: string,
    version: string,
  ): Promise<MarathonApp> {
    return this.#instances.get(instance).client.appVersion(appId, version);
  }

  /** Changes from `against` (default: the version before) to `version`. */
  async diffVersions(
    instance: string,
    appId: string,
    version: string,
    against = 'previous',
  ) {
    const { client } = this.#instances.get(instance);
    const versions = await client.appVersions(appId);
    if (!versions.includes(version)) {
      throw new NotFoundError(
        `App '${appId}' has no version ${version}; versions: ${versions
          .slice(0, 5)
          .join(', ')}${versions.length > 5 ? ', ...' : ''}`,
      );
    }
    let from: string;
    if (against === 'previous') {
      const older = versions[versions.indexOf(version) + 1];
      if (!older)
        return {
          from: '(none)',
          to: version,
          changes: diffJson(
            {},
            definitionOf(await client.appVersion(appId, version)),
          ),
        };
      from = older;
    } else if (against === 'current') {
      from = versions[0];
    } else {
      from = against;
    }
    const [before, after] = await Promise.all([
      client.appVersion(appId, from),
      client.appVersion(appId, version),
    ]);
    const changes: ArchonDefinitionChange[] = diffJson(
      definitionOf(before),
      definitionOf(after),
    );
    return { from, to: version, changes };
  }

  async deployments(instance: string) {
    return { items: await this.#instances.get(instance).client.deployments() };
  }

  /** Cancels a deployment (Marathon rolls the affected apps back unless `force`). */
  async cancelDeployment(
    instance: string,
    deploymentId: string,
    force: boolean,
  ) {
    const result = await this.#instances
      .get(instance)
      .client.cancelDeployment(deploymentId, { force });
    return {
      deploymentId,
      cancelled: true,
      force,
      rollbackDeploymentId: result.deploymentId || undefined,
    };
  }

  async queue(instance: string) {
    const { client } = this.#instances.get(instance);
    const queue = await client.queue();
    return {
      items: queue.filter(q => q.app).map(q => explainQueue(q.app!.id, q)),
    };
  }

  async appQueue(instance: string, appId: string) {
    const { client } = this.#instances.get(instance);
    const [queue, app] = await Promise.all([
      client.queue(),
      client.getApp(appId),
    ]);
    return explainQueue(
      appId,
      queue.find(q => q.app?.id === appId),
      app.lastTaskFailure,
    );
  }

  async resetDelay(instance: string, appId: string) {
    await this.#instances.get(instance).client.resetDelay(appId);
    return { appId, reset: true };
  }

  async killTask(
    instance: string,
    appId: string,
    taskId: string,
    options: { scale?: boolean; force?: boolean },
  ) {
    const { task, deploymentId, version } = await this.#instances
      .get(instance)
      .client.killTask(appId, taskId, options);
    // Marathon answers the killed task, or with scale the deployment that scales the app down.
    return {
      appId,
      taskId,
      scaled: !!options.scale,
      ...(task ? { task } : {}),
      ...(deploymentId ? { deploymentId, version } : {}),
    };
  }

  /**
   * Finds a task's sandbox like a client of a real cluster does: the task's
   * host → its Mesos agent (`mesosAgentUrl`) → the agent's `/state` → the
   * executor's `directory`.
   */
  async sandbox(instance: string, appId: string, taskId: string) {
    const { client } = this.#instances.get(instance);
    const tasks = await client.appTasks(appId);
    let host = tasks.find(t => t.id === taskId)?.host;
    if (!host) {
      // An ended task is no longer listed: its agent may still keep its sandbox.
      const finished = await this.finishedTasks(instance, appId);
      host = finished.items.find(t => t.id === taskId)?.host;
    }
    if (!host)
      throw new NotFoundError(
        `Task '${taskId}' of ${appId} does not exist on "${instance}" (it may have ended)`,
      );
    const agentUrl = client.agentUrl(host);
    const directory = sandboxOf(await client.agentState(agentUrl), taskId);
    if (!directory)
      throw new NotFoundError(
        `The Mesos agent at ${agentUrl} has no sandbox for task '${taskId}'`,
      );
    return { agentUrl, host, directory };
  }

  /** Reads a sandbox file: the last `tail` bytes, or from `offset`. */
  async readLog(
    instance: string,
    sandbox: { agentUrl: string; host: string; directory: string },
    taskId: string,
    file: 'stdout' | 'stderr',
    options: { tail?: number; offset?: number },
  ) {
    const { client } = this.#instances.get(instance);
    const path = `${sandbox.directory}/${file}`;
    const { offset: size } = await client.filesRead(sandbox.agentUrl, path, -1);
    const start =
      options.offset !== undefined
        ? Math.min(options.offset, size)
        : Math.max(0, size - (options.tail ?? 16_384));
    let data = '';
    let at = start;
    // Agents cap one read (64 KiB on the local server); read on until the end as it was.
    while (at < size) {
      const chunk = await client.filesRead(
        sandbox.agentUrl,
        path,
        at,
        Math.min(65_536, size - at),
      );
      if (!chunk.data) break;
      data += chunk.data;
      at += Buffer.byteLength(chunk.data);
    }
    return {
      taskId,
      file,
      host: sandbox.host,
      directory: sandbox.directory,
      offset: start,
      nextOffset: at,
      size,
      data,
    };
  }
}

/** An app's definition without Marathon's status fields. */
export function definitionOf(app: MarathonApp): MarathonApp {
  const copy: Record<string, unknown> = { ...app };
  for (const key of [
    'tasksStaged',
    'tasksRunning',
    'tasksHealthy',
    'tasksUnhealthy',
    'deployments',
    'tasks',
    'lastTaskFailure',
    'readinessCheckResults',
    'taskStats',
  ]) {
    delete copy[key];
  }
  return copy as MarathonApp;
}
