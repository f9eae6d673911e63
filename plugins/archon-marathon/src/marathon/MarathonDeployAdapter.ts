import type {
  ArchonChangeHandle,
  ArchonChangeOptions,
  ArchonDeployAdapter,
  ArchonDeployTarget,
  ArchonRenderRequest,
  ArchonRenderedWorkload,
  ArchonWorkloadDiff,
  ArchonWorkloadRef,
  ArchonWorkloadStatus,
} from '@archon/plugin-archon-node';
import { ConflictError, InputError } from '@backstage/errors';
import type { MarathonChange } from '../client/MarathonClient';
import type { MarathonApp } from '../client/types';
import { appIdOf } from '../render/appId';
import { diffAgainstRunning } from '../render/definitionDiff';
import { ARCHON_LABELS, renderApp } from '../render/renderApp';
import { appState } from './appStatus';
import { Subscription } from './followDeployment';
import type { MarathonInstance, MarathonInstances } from './MarathonInstances';

/**
 * Marathon behind archon's orchestrator-neutral deploy flow: renders
 * configurations as app definitions (`renderApp`), diffs them against the
 * running app, PUTs them (`partialUpdate=false`, so the definition is exactly
 * what the configuration says) and follows the resulting deployment through
 * `/v2/events`, with `/v2/deployments` polling as the safety net.
 */
export class MarathonDeployAdapter implements ArchonDeployAdapter {
  readonly kind = 'marathon';
  readonly #instances: MarathonInstances;
  readonly #secretPatterns?: readonly string[];

  /** `secretPatterns`: `archon.secrets.keyPatterns` (archon-common's defaults when omitted). */
  constructor(
    instances: MarathonInstances,
    secretPatterns?: readonly string[],
  ) {
    this.#instances = instances;
    this.#secretPatterns = secretPatterns;
  }

  targets(): ArchonDeployTarget[] {
    return this.#instances.all().map(i => ({
      name: i.config.name,
      kind: this.kind,
      endpoint: i.config.url,
    }));
  }

  workloadId(instance: string, configPath: string): string {
    return appIdOf(
      configPath,
      this.#instances.get(instance).config.appIdPrefix,
    );
  }

  render(request: ArchonRenderRequest): ArchonRenderedWorkload {
    const instance = this.#instances.get(request.instance);
    const { app, secretFields } = renderApp({
      instance: instance.config,
      configPath: request.configPath,
      ensemble: request.ensemble,
      properties: request.properties,
      releaseId: request.releaseId,
      isSecretKey: request.isSecretKey,
      scaledInstances: request.scaledInstances,
    });
    return {
      instance: request.instance,
      id: app.id,
      configPath: request.configPath,
      definition: app,
      secretFields,
      instances: app.instances ?? 0,
    };
  }

  async diff(workload: ArchonRenderedWorkload): Promise<ArchonWorkloadDiff> {
    const { client } = this.#instances.get(workload.instance);
    const running = await client.findApp(workload.id);
    return {
      exists: !!running,
      changes: diffAgainstRunning(running, workload.definition as MarathonApp),
      running: running
        ? {
            configPath: running.labels?.[ARCHON_LABELS.configPath],
            releaseId: running.labels?.[ARCHON_LABELS.release],
            version: running.version,
          }
        : undefined,
    };
  }

  async status(ref: ArchonWorkloadRef): Promise<ArchonWorkloadStatus> {
    const { client } = this.#instances.get(ref.instance);
    const app = await client.findApp(ref.id);
    if (!app) {
      return {
        instance: ref.instance,
        id: ref.id,
        exists: false,
        state: 'missing',
        instances: 0,
        staged: 0,
        running: 0,
        healthy: 0,
        unhealthy: 0,
        deployments: [],
      };
    }
    const failure = app.lastTaskFailure;
    return {
      instance: ref.instance,
      id: ref.id,
      exists: true,
      state: appState(app),
      instances: app.instances ?? 0,
      staged: app.tasksStaged ?? 0,
      running: app.tasksRunning ?? 0,
      healthy: app.tasksHealthy ?? 0,
      unhealthy: app.tasksUnhealthy ?? 0,
      configPath: app.labels?.[ARCHON_LABELS.configPath],
      releaseId: app.labels?.[ARCHON_LABELS.release],
      version: app.version,
      deployments: (app.deployments ?? []).map(d => d.id),
      lastFailure: failure
        ? {
            message: failure.message,
            at: failure.timestamp,
            taskId: failure.taskId,
            host: failure.host,
          }
        : undefined,
    };
  }

  deploy(
    workload: ArchonRenderedWorkload,
    options: ArchonChangeOptions,
  ): Promise<ArchonChangeHandle> {
    const instance = this.#instances.get(workload.instance);
    const app = workload.definition as MarathonApp;
    return this.#change(instance, app.id, options, 'deploy', () =>
      instance.client.putApp(app, {
        force: options.force,
        partialUpdate: false,
      }),
    );
  }

  scale(
    ref: ArchonWorkloadRef,
    instances: number,
    options: ArchonChangeOptions,
  ): Promise<ArchonChangeHandle> {
    const instance = this.#instances.get(ref.instance);
    const max = instance.config.limits.instances;
    if (instances > max) {
      // Same limit the renderer applies to marathon.instances.
      return Promise.reject(
        new InputError(
          `${instances} instances is more than the limit of ${max} for "${ref.instance}" (archon.marathon.instances[].limits.instances)`,
        ),
      );
    }
    return this.#change(
      instance,
      ref.id,
      options,
      `scale to ${instances}`,
      () =>
        instance.client.scaleApp(ref.id, instances, { force: options.force }),
    );
  }

  restart(
    ref: ArchonWorkloadRef,
    options: ArchonChangeOptions,
  ): Promise<ArchonChangeHandle> {
    const instance = this.#instances.get(ref.instance);
    return this.#change(instance, ref.id, options, 'restart', () =>
      instance.client.restartApp(ref.id, { force: options.force }),
    );
  }

  destroy(
    ref: ArchonWorkloadRef,
    options: ArchonChangeOptions,
  ): Promise<ArchonChangeHandle> {
    const instance = this.#instances.get(ref.instance);
    return this.#change(
      instance,
      ref.id,
      options,
      'destroy',
      () => instance.client.deleteApp(ref.id, { force: options.force }),
      true,
    );
  }

  async cancel(
    instance: string,
    ref: Record<string, unknown>,
    options: { force?: boolean },
  ) {
    const { client, config } = this.#instances.get(instance);
    const deploymentId =
      typeof ref.deploymentId === 'string' ? ref.deploymentId : undefined;
    if (!deploymentId)
      throw new ConflictError(
        `This change has no Marathon deployment on "${config.name}" to cancel`,
      );
    if (!(await client.deployments()).some(d => d.id === deploymentId)) {
      throw new ConflictError(
        `Marathon deployment ${deploymentId} on "${config.name}" is not running any more: nothing to cancel`,
      );
    }
    const result = await client.cancelDeployment(deploymentId, {
      force: options.force,
    });
    return {
      rollbackRef: result.deploymentId
        ? { deploymentId: result.deploymentId, version: result.version }
        : undefined,
    };
  }

  /** Subscribes to events, sends the change, then follows the deployment it started. */
  async #change(
    instance: MarathonInstance,
    appId: string,
    options: ArchonChangeOptions,
    what: string,
    send: () => Promise<MarathonChange>,
    expectGone = false,
  ): Promise<ArchonChangeHandle> {
    const subscription = await Subscription.open(instance.events);
    let change: MarathonChange;
    try {
      change = await send();
    } catch (error) {
      subscription.close();
      throw error;
    }
    options.onProgress({
      type: 'info',
      message: `Marathon "${
        instance.config.name
      }" accepted the ${what} of ${appId}: deployment ${
        change.deploymentId || '(none)'
      }${change.version ? `, version ${change.version}` : ''}${
        change.created ? ' (new app)' : ''
      }`,
      data: {
        deploymentId: change.deploymentId,
        version: change.version,
        created: !!change.created,
      },
    });
    const done = subscription.follow({
      client: instance.client,
      appId,
      deploymentId: change.deploymentId,
      version: change.version,
      expectGone,
      timeoutMs: options.timeoutMs,
      settleMs: options.settleMs,
      crashLoopFailures: options.crashLoopFailures,
      secretPatterns: this.#secretPatterns,
      onProgress: options.onProgress,
    });
    return {
      ref: {
        deploymentId: change.deploymentId,
        version: change.version,
        appId,
        instance: instance.config.name,
      },
      done,
    };
  }
}
