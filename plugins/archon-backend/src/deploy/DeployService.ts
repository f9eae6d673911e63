import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import type { LoggerService } from '@backstage/backend-plugin-api';
import { ConflictError, InputError, NotFoundError } from '@backstage/errors';
import {
  DeploymentInProgressError,
  type ArchonChangeHandle,
  type ArchonChangeOptions,
  type ArchonDeployAdapter,
  type ArchonDeployTarget,
  type ArchonRenderedWorkload,
  type ArchonWorkloadDiff,
  type ArchonWorkloadRef,
  type ArchonWorkloadStatus,
} from '@archon/plugin-archon-node';
import type {
  DeployFlowStore,
  DeployListFilter,
} from './store/DeployFlowStore';
import type { DeployLockStore } from './store/DeployLockStore';
import type { Release } from './store/ReleaseStore';
import {
  isSecretKey,
  parseConfigPath,
  transitiveReferencesOf,
  type EffectiveConfig,
} from '../config/core';
import { newReleaseId, type ConfigService } from '../config/ConfigService';
import {
  DeployFlow,
  newOperationId,
  type DeployFlowKind,
  type DeployFlowView,
  type DeployProgressEvent,
} from './DeployFlow';
import { followChange } from './followChange';
import { cancelFlow, type CancelResult } from './cancelFlow';
import { DeployLocks } from './DeployLocks';
import { FlowQueries } from './flowQueries';
import { reconcileReleases } from './reconcileReleases';
import { instanceOf } from './releaseViews';
import {
  keptScale,
  scaleChangeSentence,
  type ScaleRecord,
} from './scaleRecord';

/** Finished flows kept in memory (the database keeps them all). */
const MAX_FINISHED_FLOWS = 500;
/** How long a replica's deploy lock lasts unless it renews it (`archon.deploy.lockLeaseSeconds`). */
const DEFAULT_LOCK_LEASE_MS = 30_000;
/** How often a flow another replica runs is re-read while it is streamed. */
const DEFAULT_REMOTE_POLL_MS = 1000;
/** `archon.deploy.settleSeconds` unless configured (like Kubernetes' minReadySeconds). */
const DEFAULT_SETTLE_MS = 10_000;
const DEFAULT_CRASH_LOOP_FAILURES = 3;

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

/**
 * The orchestrator-neutral deploy flow: resolve the effective configuration,
 * render it through the target's adapter, record an immutable release, ship
 * it, follow it to success, failure or timeout and record that on the
 * release. Also rollback (re-ship a release's snapshot) and the operations on
 * deployed apps (scale, restart, suspend, destroy).
 *
 * One change per workload at a time, across every backend replica sharing
 * the database: a second one is refused with 409 naming the one in progress
 * (archon's id and the orchestrator's), whichever replica runs it. The lock
 * is a database row with a lease this replica renews while its flow runs
 * ({@link DeployLockStore}); the flow's state and progress are copied to the
 * database ({@link FlowRecorder}) so any replica can show and stream it. No
 * HTTP here; permissions and masking are the router's.
 */
export class DeployService {
  protected readonly config: ConfigService;
  readonly #targets = new Map<
    string,
    { target: ArchonDeployTarget; adapter: ArchonDeployAdapter }
  >();
  protected readonly logger: LoggerService;
  readonly #defaultTimeoutMs: number;
  readonly #settleMs: number;
  readonly #crashLoopFailures: number;
  protected readonly secretPatterns: readonly string[];
  readonly #lockStore: DeployLockStore;
  protected readonly locks: DeployLocks;
  protected readonly flowStore: DeployFlowStore;
  readonly #replicaId: string;
  /** Flows this replica runs or ran, by id, newest last. */
  readonly #flows = new Map<string, DeployFlow>();
  readonly #queries: FlowQueries;

  constructor(options: {
    config: ConfigService;
    adapters: ArchonDeployAdapter[];
    logger: LoggerService;
    defaultTimeoutMs: number;
    /** `archon.deploy.settleSeconds`: how long a change's app must stay up before it counts as succeeded. Default 10 s. */
    settleMs?: number;
    /** `archon.deploy.crashLoopFailures`: failed tasks that fail a change as a crash loop. Default 3. */
    crashLoopFailures?: number;
    secretPatterns: readonly string[];
    locks: DeployLockStore;
    flows: DeployFlowStore;
    /** Names this backend replica in locks and flows; unique per process by default. */
    replicaId?: string;
    lockLeaseMs?: number;
    remotePollMs?: number;
  }) {
    this.config = options.config;
    this.logger = options.logger;
    this.#defaultTimeoutMs = options.defaultTimeoutMs;
    this.#settleMs = options.settleMs ?? DEFAULT_SETTLE_MS;
    this.#crashLoopFailures =
      options.crashLoopFailures ?? DEFAULT_CRASH_LOOP_FAILURES;
    if (!(this.#settleMs >= 0))
      throw new Error(
        `archon: archon.deploy.settleSeconds must be 0 or more, not ${
          this.#settleMs / 1000
        }`,
      );
    if (
      !(
        Number.isInteger(this.#crashLoopFailures) &&
        this.#crashLoopFailures >= 1
      )
    ) {
      throw new Error(
        `archon: archon.deploy.crashLoopFailures must be a whole number of at least 1, not ${
          this.#crashLoopFailures
        }`,
      );
    }
    this.secretPatterns = options.secretPatterns;
    this.#lockStore = options.locks;
    this.flowStore = options.flows;
    this.#replicaId =
      options.replicaId ??
      `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
    this.locks = new DeployLocks({
      store: options.locks,
      replicaId: this.#replicaId,
      leaseMs: options.lockLeaseMs ?? DEFAULT_LOCK_LEASE_MS,
      logger: options.logger,
    });
    this.#queries = new FlowQueries({
      flows: this.#flows,
      flowStore: options.flows,
      config: options.config,
      remotePollMs: options.remotePollMs ?? DEFAULT_REMOTE_POLL_MS,
      logger: options.logger,
    });
    for (const adapter of options.adapters) {
      for (const target of adapter.targets()) {
        const existing = this.#targets.get(target.name);
        if (existing) {
          throw new Error(
            `archon: deploy target "${target.name}" is served by both ${existing.adapter.kind} and ${adapter.kind}; target names must be unique`,
          );
        }
        this.#targets.set(target.name, { target, adapter });
      }
    }
  }

  targets(): ArchonDeployTarget[] {
    return [...this.#targets.values()].map(t => t.target);
  }

  protected target(instance: string) {
    const found = this.#targets.get(instance);
    if (!found) {
      const known = [...this.#targets.keys()];
      throw new InputError(
        `Unknown deploy target "${instance}"; configured: ${
          known.join(', ') || 'none (add archon.marathon.instances)'
        }`,
      );
    }
    return found;
  }

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

  protected changeOptions(
    flow: DeployFlow,
    options: { force?: boolean; timeoutMs?: number },
  ): ArchonChangeOptions {
    return {
      force: options.force,
      timeoutMs: options.timeoutMs ?? this.#defaultTimeoutMs,
      settleMs: this.#settleMs,
      crashLoopFailures: this.#crashLoopFailures,
      onProgress: progress => flow.progress(progress),
    };
  }

  /** See {@link followChange}. */
  protected follow(
    flow: DeployFlow,
    handle: ArchonChangeHandle,
    record?: (outcome: Awaited<ArchonChangeHandle['done']>) => Promise<void>,
  ): Promise<void> {
    return followChange({
      flow,
      handle,
      record,
      flowStore: this.flowStore,
      locks: this.locks,
      replicaId: this.#replicaId,
      logger: this.logger,
    });
  }

  // ---------------------------------------------------------------- operations

  /**
   * Scale, restart, suspend (0 instances) or destroy the app a configuration
   * path deployed. Destroy needs `confirm` equal to the path or the workload id.
   */
  async operate(options: {
    kind: Extract<DeployFlowKind, 'scale' | 'restart' | 'suspend' | 'destroy'>;
    configPath: string;
    instance: string;
    instances?: number;
    confirm?: string;
    actor: string;
    force?: boolean;
    timeoutMs?: number;
  }): Promise<DeployFlow> {
    parseConfigPath(options.configPath);
    const { adapter } = this.target(options.instance);
    const workloadId = adapter.workloadId(options.instance, options.configPath);
    if (
      options.kind === 'scale' &&
      (!Number.isInteger(options.instances) || options.instances! < 0)
    ) {
      throw new InputError('"instances" must be a whole number of at least 0');
    }
    if (
      options.kind === 'destroy' &&
      options.confirm !== options.configPath &&
      options.confirm !== workloadId
    ) {
      throw new InputError(
        `Destroying ${workloadId} on ${options.instance} stops all its tasks and drops its version history: confirm with "confirm": "${options.configPath}"`,
      );
    }
    const flow = await this.lock(
      options.kind,
      adapter,
      options.instance,
      workloadId,
      options.configPath,
      options.actor,
    );
    try {
      const status = await adapter.status({
        instance: options.instance,
        id: workloadId,
      });
      if (!status.exists) {
        throw new NotFoundError(
          `There is no app ${workloadId} on ${options.instance}: ${options.configPath} was never deployed there, or was destroyed`,
        );
      }
      if (status.configPath && status.configPath !== options.configPath) {
        throw new ConflictError(
          `${workloadId} on ${options.instance} runs the configuration of ${status.configPath}, not ${options.configPath}`,
        );
      }
      if (status.deployments.length > 0 && !options.force) {
        throw new DeploymentInProgressError(
          `${workloadId} on ${options.instance} is locked by ${
            adapter.kind
          } deployment ${status.deployments.join(
            ', ',
          )}; wait for it to finish, or retry with "force": true to cancel it`,
          status.deployments.map(id => ({ id, source: adapter.kind })),
        );
      }
      const wanted = options.kind === 'suspend' ? 0 : options.instances;
      if (
        (options.kind === 'scale' || options.kind === 'suspend') &&
        status.instances === wanted &&
        status.deployments.length === 0
      ) {
        // Marathon would start a deployment that changes nothing; say so instead.
        flow.instances = wanted;
        await this.locks.unlock(flow);
        flow.finish({
          result: 'succeeded',
          reason: `${workloadId} on ${options.instance} already wants ${wanted} instance(s): nothing to change, no deployment started`,
          details: { unchanged: true },
        });
        return flow;
      }
      const ref: ArchonWorkloadRef = {
        instance: options.instance,
        id: workloadId,
      };
      const change = this.changeOptions(flow, options);
      let handle: ArchonChangeHandle;
      switch (options.kind) {
        case 'scale':
          flow.instances = options.instances;
          handle = await adapter.scale(ref, options.instances!, change);
          break;
        case 'suspend':
          flow.instances = 0;
          handle = await adapter.scale(ref, 0, change);
          break;
        case 'restart':
          handle = await adapter.restart(ref, change);
          break;
        default:
          handle = await adapter.destroy(ref, change);
      }
      await this.follow(flow, handle);
      return flow;
    } catch (error) {
      await this.discard(flow);
      throw error;
    }
  }

  /** The app a path deployed to a target, plus the path's latest deployed release. */
  async status(options: {
    configPath: string;
    instance: string;
    ensemble?: string;
  }) {
    parseConfigPath(options.configPath);
    const { adapter, target } = this.target(options.instance);
    const id = adapter.workloadId(options.instance, options.configPath);
    const status = await adapter.status({ instance: options.instance, id });
    const active = await this.#lockStore.live({
      instance: options.instance,
      workloadId: id,
    });
    return { ...status, targetKind: target.kind, activeFlow: active?.flowId };
  }

  /** Cancels the orchestrator's change behind a flow (see {@link cancelFlow}). */
  async cancel(options: {
    id: string;
    actor: string;
    force?: boolean;
  }): Promise<CancelResult> {
    const view = await this.get(options.id);
    return cancelFlow({
      view,
      flow: this.#flows.get(options.id),
      adapter: this.target(view.instance).adapter,
      actor: options.actor,
      force: options.force,
    });
  }

  /** See {@link reconcileReleases}. */
  reconcile(): Promise<{ deployed: string[]; failed: string[] }> {
    return reconcileReleases({
      config: this.config,
      targets: this.#targets,
      locks: this.#lockStore,
      flowStore: this.flowStore,
      logger: this.logger,
      replicaId: this.#replicaId,
    });
  }

  // ---------------------------------------------------------------- flows and locks

  /** Takes the app's lock in the database for a new flow, or refuses with 409 naming the flow that holds it. */
  protected async lock(
    kind: DeployFlowKind,
    adapter: ArchonDeployAdapter,
    instance: string,
    workloadId: string,
    configPath: string,
    actor: string,
    /** Deploys and rollbacks are named by the release they will record (a 409 can name it before it exists). */
    id = newOperationId(),
  ): Promise<DeployFlow> {
    const flow = new DeployFlow({
      id,
      kind,
      instance,
      targetKind: adapter.kind,
      workloadId,
      configPath,
      actor,
    });
    await this.locks.acquire(flow);
    this.#remember(flow);
    return flow;
  }

  /** A flow that never started (refused before the orchestrator accepted it). */
  protected async discard(flow: DeployFlow): Promise<void> {
    await this.locks.unlock(flow);
    if (this.#flows.get(flow.id) === flow) this.#flows.delete(flow.id);
  }

  #remember(flow: DeployFlow): void {
    this.#flows.set(flow.id, flow);
    const finished = [...this.#flows.values()].filter(f => !f.running);
    for (const old of finished.slice(
      0,
      Math.max(0, finished.length - MAX_FINISHED_FLOWS),
    )) {
      this.#flows.delete(old.id);
    }
  }

  /**
   * Stops renewing and frees the apps this replica holds (the changes go on in
   * the orchestrator; a replica's next start settles their releases).
   */
  async close(): Promise<void> {
    await this.locks.close();
  }

  /** A flow by id, with its progress (see {@link FlowQueries.get}). */
  get(id: string): Promise<DeployFlowView> {
    return this.#queries.get(id);
  }

  /** Streams a flow's progress after `afterSeq`, then its final state (see {@link FlowQueries.watch}). */
  watch(
    id: string,
    afterSeq: number,
    onProgress: (event: DeployProgressEvent) => void,
    onEnd: (view: DeployFlowView) => void,
  ): Promise<() => void> {
    return this.#queries.watch(id, afterSeq, onProgress, onEnd);
  }

  /** Flows any replica ran, newest first (those the orchestrator accepted). */
  list(filter: DeployListFilter): Promise<DeployFlowView[]> {
    return this.#queries.list(filter);
  }
}
