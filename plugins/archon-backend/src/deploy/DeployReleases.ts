import { ConflictError } from '@backstage/errors';
import {
  DeploymentInProgressError,
  type ArchonChangeHandle,
  type ArchonDeployAdapter,
  type ArchonDeployTarget,
  type ArchonRenderedWorkload,
  type ArchonWorkloadDiff,
  type ArchonWorkloadStatus,
} from '@archon/plugin-archon-node';
import { type Release } from './store/ReleaseStore';
import {
  isSecretKey,
  parseConfigPath,
  transitiveReferencesOf,
  type EffectiveConfig,
} from '../config/core';
import { newReleaseId } from '../config/ConfigService';
import { DeployFlow } from './DeployFlow';
import { instanceOf } from './releaseViews';
import {
  keptScale,
  scaleChangeSentence,
  type ScaleRecord,
} from './scaleRecord';
import { DeployCore } from './DeployCore';

export interface DeployPlan {
  workload: ArchonRenderedWorkload;
  diff: ArchonWorkloadDiff;
  target: ArchonDeployTarget;
  /** The configuration the plan was rendered from. */
  source: { properties: Record<string, string>; releaseId?: string };
  /** The scale through archon the deploy keeps, or changes (`change` says how). */
  scale?: ScaleRecord & { change?: string };
}

type Snapshot = Pick<EffectiveConfig, 'properties' | 'provenance'>;

/** Plans, deploys and rollbacks of releases: render, record, ship, follow. */
export class DeployReleases extends DeployCore {
  /** Keys whose values are secret, or were derived from a secret through `${}`. */
  #secretKeyTest(snapshot: Snapshot): (key: string) => boolean {
    const rawOf = (k: string) =>
      Object.hasOwn(snapshot.provenance, k)
        ? snapshot.provenance[k].raw
        : undefined;
    const secret = new Set(
      Object.keys(snapshot.properties).filter(
        key =>
          isSecretKey(key, this.secretPatterns) ||
          transitiveReferencesOf(key, rawOf).some(k =>
            isSecretKey(k, this.secretPatterns),
          ),
      ),
    );
    return key => secret.has(key) || isSecretKey(key, this.secretPatterns);
  }

  #render(
    adapter: ArchonDeployAdapter,
    instance: string,
    configPath: string,
    ensemble: string,
    snapshot: Snapshot,
    releaseId?: string,
    scale?: ScaleRecord,
  ): ArchonRenderedWorkload {
    return adapter.render({
      instance,
      configPath,
      ensemble,
      properties: snapshot.properties,
      releaseId,
      isSecretKey: this.#secretKeyTest(snapshot),
      scaledInstances: scale?.instances,
    });
  }

  #keptScale(
    adapter: ArchonDeployAdapter,
    instance: string,
    configPath: string,
  ): Promise<ScaleRecord | undefined> {
    const workloadId = adapter.workloadId(instance, configPath);
    return keptScale({
      flows: this.flowStore,
      adapter,
      instance,
      configPath,
      workloadId,
    });
  }

  async #planOf(
    adapter: ArchonDeployAdapter,
    target: ArchonDeployTarget,
    at: { instance: string; configPath: string; ensemble: string },
    snapshot: Snapshot,
    source: DeployPlan['source'],
  ): Promise<DeployPlan> {
    const scale = await this.#keptScale(adapter, at.instance, at.configPath);
    const workload = this.#render(
      adapter,
      at.instance,
      at.configPath,
      at.ensemble,
      snapshot,
      undefined,
      scale,
    );
    const change = scaleChangeSentence(scale, workload.instances);
    return {
      workload,
      diff: await adapter.diff(workload),
      target,
      source,
      ...(scale ? { scale: { ...scale, ...(change ? { change } : {}) } } : {}),
    };
  }

  // ---------------------------------------------------------------- plans (dry runs)

  /** Renders the path's effective configuration and diffs it against what runs now. Deploys nothing. */
  async plan(options: {
    configPath: string;
    instance: string;
    ensemble?: string;
  }): Promise<DeployPlan> {
    parseConfigPath(options.configPath);
    const { adapter, target } = this.target(options.instance);
    const effective = await this.config.effective(
      options.configPath,
      options.ensemble,
    );
    const ensemble = this.config.ensemble(options.ensemble).config.name;
    return this.#planOf(adapter, target, { ...options, ensemble }, effective, {
      properties: effective.properties,
    });
  }

  /** The same for re-shipping a release's snapshot. */
  async planRollback(options: {
    releaseId: string;
    instance?: string;
  }): Promise<DeployPlan> {
    const release = await this.config.getRelease(options.releaseId);
    const instance = options.instance ?? instanceOf(release);
    const { adapter, target } = this.target(instance);
    return this.#planOf(
      adapter,
      target,
      { instance, configPath: release.path, ensemble: release.ensemble },
      release,
      { properties: release.properties, releaseId: release.id },
    );
  }

  // ---------------------------------------------------------------- deploy and rollback

  /**
   * Deploys the path's effective configuration now. Resolves once the
   * orchestrator accepted the change (the flow then runs on); rejects without
   * deploying when the configuration does not resolve or render (422), the
   * target is busy (409) or unreachable (503/504).
   */
  async deploy(options: {
    configPath: string;
    instance: string;
    ensemble?: string;
    actor: string;
    force?: boolean;
    timeoutMs?: number;
  }): Promise<DeployFlow> {
    parseConfigPath(options.configPath);
    const { adapter } = this.target(options.instance);
    const workloadId = adapter.workloadId(options.instance, options.configPath);
    const flow = await this.lock(
      'deploy',
      adapter,
      options.instance,
      workloadId,
      options.configPath,
      options.actor,
      newReleaseId(),
    );
    try {
      const effective = await this.config.effective(
        options.configPath,
        options.ensemble,
      );
      const ensemble = this.config.ensemble(options.ensemble).config.name;
      flow.ensemble = ensemble;
      // Render once before anything is recorded: a configuration that cannot
      // be rendered never becomes a release.
      this.#render(
        adapter,
        options.instance,
        options.configPath,
        ensemble,
        effective,
      );
      await this.#checkTarget(adapter, flow, options.force);
      const release = await this.config.createRelease({
        path: options.configPath,
        ensemble: options.ensemble,
        actor: options.actor,
        target: { kind: adapter.kind, instance: options.instance, workloadId },
        id: flow.id,
      });
      await this.#ship(adapter, flow, release, options);
      return flow;
    } catch (error) {
      await this.discard(flow);
      throw error;
    }
  }

  /** Re-ships an earlier release's snapshot as a new release (`rollbackOf` in its target). */
  async rollback(options: {
    releaseId: string;
    instance?: string;
    actor: string;
    force?: boolean;
    timeoutMs?: number;
  }): Promise<DeployFlow> {
    const from = await this.config.getRelease(options.releaseId);
    const instance = options.instance ?? instanceOf(from);
    const { adapter } = this.target(instance);
    const workloadId = adapter.workloadId(instance, from.path);
    const flow = await this.lock(
      'rollback',
      adapter,
      instance,
      workloadId,
      from.path,
      options.actor,
      newReleaseId(),
    );
    flow.rollbackOf = from.id;
    flow.ensemble = from.ensemble;
    try {
      this.#render(adapter, instance, from.path, from.ensemble, from);
      const running = await this.#checkTarget(adapter, flow, options.force);
      const release = await this.config.createReleaseFromSnapshot({
        from,
        actor: options.actor,
        // What ran before the rollback (it becomes `rolled-back`), and what it rolls back to.
        target: {
          kind: adapter.kind,
          instance,
          workloadId,
          rollbackOf: from.id,
          ...(running.exists && running.releaseId
            ? { rolledBackFrom: running.releaseId }
            : {}),
        },
        id: flow.id,
      });
      await this.#ship(adapter, flow, release, options);
      return flow;
    } catch (error) {
      await this.discard(flow);
      throw error;
    }
  }

  /** Refuses when the orchestrator is busy with the workload, or it belongs to another path. */
  async #checkTarget(
    adapter: ArchonDeployAdapter,
    flow: DeployFlow,
    force?: boolean,
  ): Promise<ArchonWorkloadStatus> {
    const status = await adapter.status({
      instance: flow.instance,
      id: flow.workloadId,
    });
    if (
      status.exists &&
      status.configPath &&
      status.configPath !== flow.configPath
    ) {
      throw new ConflictError(
        `${status.id} on ${flow.instance} runs the configuration of ${status.configPath}, not ${flow.configPath}; two configuration paths map to the same app id`,
      );
    }
    if (status.exists && !status.configPath && !force) {
      throw new ConflictError(
        `${status.id} on ${flow.instance} exists but was not deployed by archon (it has no ARCHON_CONFIG_PATH label); deploy with "force": true to take it over`,
      );
    }
    if (status.deployments.length > 0 && !force) {
      throw new DeploymentInProgressError(
        `${status.id} on ${flow.instance} is locked by ${
          adapter.kind
        } deployment ${status.deployments.join(
          ', ',
        )}; wait for it to finish, or deploy with "force": true to cancel it`,
        status.deployments.map(id => ({ id, source: adapter.kind })),
      );
    }
    return status;
  }

  async #ship(
    adapter: ArchonDeployAdapter,
    flow: DeployFlow,
    release: Release,
    options: { force?: boolean; timeoutMs?: number },
  ): Promise<void> {
    flow.releaseId = release.id;
    let handle: ArchonChangeHandle;
    try {
      const scale = await this.#keptScale(adapter, flow.instance, release.path);
      const workload = this.#render(
        adapter,
        flow.instance,
        release.path,
        release.ensemble,
        release,
        release.id,
        scale,
      );
      flow.progress({
        type: 'info',
        message: `Release ${release.id} of ${release.path}: deploying ${workload.id} to ${flow.instance}`,
        data: { releaseId: release.id, workloadId: workload.id },
      });
      const change = scaleChangeSentence(scale, workload.instances);
      if (change)
        flow.progress({ type: 'info', message: change, data: { scale } });
      await this.config.setReleaseStatus(release.id, 'deploying');
      handle = await adapter.deploy(
        workload,
        this.changeOptions(flow, options),
      );
    } catch (error) {
      await this.config
        .setReleaseStatus(release.id, 'failed', {
          result: 'refused',
          reason: (error as Error).message,
          finishedAt: new Date().toISOString(),
        })
        .catch(e =>
          this.logger.error(
            `could not record the refusal of ${release.id}: ${e}`,
          ),
        );
      throw error;
    }
    // Accepted: the change runs whatever the database says now (the outcome's record carries the ref too).
    await this.config
      .setReleaseStatus(release.id, 'deploying', { ref: handle.ref })
      .catch(e =>
        this.logger.error(
          `archon: could not record the ref of ${release.id}: ${e}`,
        ),
      );
    await this.follow(flow, handle, async outcome => {
      await this.config.setReleaseStatus(
        release.id,
        outcome.result === 'succeeded' ? 'deployed' : 'failed',
        { ...outcome, ref: handle.ref, finishedAt: new Date().toISOString() },
      );
    });
  }
}
