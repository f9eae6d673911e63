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
import type { DeployFlowStore } from './store/DeployFlowStore';
import type { DeployLock, DeployLockStore } from './store/DeployLockStore';
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
import { FlowRecorder } from './FlowRecorder';

/** Finished flows kept in memory (the database keeps them all). */
const MAX_FINISHED_FLOWS = 500;
/** How long a replica's deploy lock lasts unless it renews it (`archon.deploy.lockLeaseSeconds`). */
const DEFAULT_LOCK_LEASE_MS = 30_000;
/** How often a flow another replica runs is re-read while it is streamed. */
const DEFAULT_REMOTE_POLL_MS = 1000;

export interface DeployPlan {
  workload: ArchonRenderedWorkload;
  diff: ArchonWorkloadDiff;
  target: ArchonDeployTarget;
  /** The configuration the plan was rendered from. */
  source: { properties: Record<string, string>; releaseId?: string };
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
  readonly #config: ConfigService;
  readonly #targets = new Map<string, { target: ArchonDeployTarget; adapter: ArchonDeployAdapter }>();
  readonly #logger: LoggerService;
  readonly #defaultTimeoutMs: number;
  readonly #secretPatterns: readonly string[];
  readonly #locks: DeployLockStore;
  readonly #flowStore: DeployFlowStore;
  readonly #replicaId: string;
  readonly #lockLeaseMs: number;
  readonly #remotePollMs: number;
  /** The flows whose lock this replica holds (and renews). */
  readonly #held = new Set<DeployFlow>();
  /** Flows this replica runs or ran, by id, newest last. */
  readonly #flows = new Map<string, DeployFlow>();
  readonly #heartbeat: NodeJS.Timeout;

  constructor(options: {
    config: ConfigService;
    adapters: ArchonDeployAdapter[];
    logger: LoggerService;
    defaultTimeoutMs: number;
    secretPatterns: readonly string[];
    locks: DeployLockStore;
    flows: DeployFlowStore;
    /** Names this backend replica in locks and flows; unique per process by default. */
    replicaId?: string;
    lockLeaseMs?: number;
    remotePollMs?: number;
  }) {
    this.#config = options.config;
    this.#logger = options.logger;
    this.#defaultTimeoutMs = options.defaultTimeoutMs;
    this.#secretPatterns = options.secretPatterns;
    this.#locks = options.locks;
    this.#flowStore = options.flows;
    this.#replicaId = options.replicaId ?? `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
    this.#lockLeaseMs = options.lockLeaseMs ?? DEFAULT_LOCK_LEASE_MS;
    if (!(this.#lockLeaseMs >= 1000)) {
      throw new Error(`archon: archon.deploy.lockLeaseSeconds must be at least 1, not ${this.#lockLeaseMs / 1000}`);
    }
    this.#remotePollMs = options.remotePollMs ?? DEFAULT_REMOTE_POLL_MS;
    // Renewed three times per lease, so one slow or failed renewal does not lose the lock.
    this.#heartbeat = setInterval(() => void this.#renewLocks(), this.#lockLeaseMs / 3);
    this.#heartbeat.unref();
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

  #target(instance: string) {
    const found = this.#targets.get(instance);
    if (!found) {
      const known = [...this.#targets.keys()];
      throw new InputError(
        `Unknown deploy target "${instance}"; configured: ${known.join(', ') || 'none (add archon.marathon.instances)'}`,
      );
    }
    return found;
  }

  /** Keys whose values are secret, or were derived from a secret through `${}`. */
  #secretKeyTest(snapshot: Snapshot): (key: string) => boolean {
    const rawOf = (k: string) =>
      Object.hasOwn(snapshot.provenance, k) ? snapshot.provenance[k].raw : undefined;
    const secret = new Set(
      Object.keys(snapshot.properties).filter(
        key =>
          isSecretKey(key, this.#secretPatterns) ||
          transitiveReferencesOf(key, rawOf).some(k => isSecretKey(k, this.#secretPatterns)),
      ),
    );
    return key => secret.has(key) || isSecretKey(key, this.#secretPatterns);
  }

  #render(
    adapter: ArchonDeployAdapter,
    instance: string,
    configPath: string,
    ensemble: string,
    snapshot: Snapshot,
    releaseId?: string,
  ): ArchonRenderedWorkload {
    return adapter.render({
      instance,
      configPath,
      ensemble,
      properties: snapshot.properties,
      releaseId,
      isSecretKey: this.#secretKeyTest(snapshot),
    });
  }

  // ---------------------------------------------------------------- plans (dry runs)

  /** Renders the path's effective configuration and diffs it against what runs now. Deploys nothing. */
  async plan(options: { configPath: string; instance: string; ensemble?: string }): Promise<DeployPlan> {
    parseConfigPath(options.configPath);
    const { adapter, target } = this.#target(options.instance);
    const effective = await this.#config.effective(options.configPath, options.ensemble);
    const ensemble = this.#config.ensemble(options.ensemble).config.name;
    const workload = this.#render(adapter, options.instance, options.configPath, ensemble, effective);
    return { workload, diff: await adapter.diff(workload), target, source: { properties: effective.properties } };
  }

  /** The same for re-shipping a release's snapshot. */
  async planRollback(options: { releaseId: string; instance?: string }): Promise<DeployPlan> {
    const release = await this.#config.getRelease(options.releaseId);
    const instance = options.instance ?? instanceOf(release);
    const { adapter, target } = this.#target(instance);
    const workload = this.#render(adapter, instance, release.path, release.ensemble, release);
    return {
      workload,
      diff: await adapter.diff(workload),
      target,
      source: { properties: release.properties, releaseId: release.id },
    };
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
    const { adapter } = this.#target(options.instance);
    const workloadId = adapter.workloadId(options.instance, options.configPath);
    const flow = await this.#lock('deploy', adapter, options.instance, workloadId, options.configPath, options.actor, newReleaseId());
    try {
      const effective = await this.#config.effective(options.configPath, options.ensemble);
      const ensemble = this.#config.ensemble(options.ensemble).config.name;
      flow.ensemble = ensemble;
      // Render once before anything is recorded: a configuration that cannot
      // be rendered never becomes a release.
      this.#render(adapter, options.instance, options.configPath, ensemble, effective);
      await this.#checkTarget(adapter, flow, options.force);
      const release = await this.#config.createRelease({
        path: options.configPath,
        ensemble: options.ensemble,
        actor: options.actor,
        target: { kind: adapter.kind, instance: options.instance, workloadId },
        id: flow.id,
      });
      await this.#ship(adapter, flow, release, options);
      return flow;
    } catch (error) {
      await this.#discard(flow);
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
    const from = await this.#config.getRelease(options.releaseId);
    const instance = options.instance ?? instanceOf(from);
    const { adapter } = this.#target(instance);
    const workloadId = adapter.workloadId(instance, from.path);
    const flow = await this.#lock('rollback', adapter, instance, workloadId, from.path, options.actor, newReleaseId());
    flow.rollbackOf = from.id;
    flow.ensemble = from.ensemble;
    try {
      this.#render(adapter, instance, from.path, from.ensemble, from);
      await this.#checkTarget(adapter, flow, options.force);
      const release = await this.#config.createReleaseFromSnapshot({
        from,
        actor: options.actor,
        target: { kind: adapter.kind, instance, workloadId, rollbackOf: from.id },
        id: flow.id,
      });
      await this.#ship(adapter, flow, release, options);
      return flow;
    } catch (error) {
      await this.#discard(flow);
      throw error;
    }
  }

  /** Refuses when the orchestrator is busy with the workload, or it belongs to another path. */
  async #checkTarget(adapter: ArchonDeployAdapter, flow: DeployFlow, force?: boolean): Promise<ArchonWorkloadStatus> {
    const status = await adapter.status({ instance: flow.instance, id: flow.workloadId });
    if (status.exists && status.configPath && status.configPath !== flow.configPath) {
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
        `${status.id} on ${flow.instance} is locked by ${adapter.kind} deployment ${status.deployments.join(', ')}; wait for it to finish, or deploy with "force": true to cancel it`,
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
      const workload = this.#render(adapter, flow.instance, release.path, release.ensemble, release, release.id);
      flow.progress({
        type: 'info',
        message: `Release ${release.id} of ${release.path}: deploying ${workload.id} to ${flow.instance}`,
        data: { releaseId: release.id, workloadId: workload.id },
      });
      await this.#config.setReleaseStatus(release.id, 'deploying');
      handle = await adapter.deploy(workload, this.#changeOptions(flow, options));
    } catch (error) {
      await this.#config
        .setReleaseStatus(release.id, 'failed', {
          result: 'refused',
          reason: (error as Error).message,
          finishedAt: new Date().toISOString(),
        })
        .catch(e => this.#logger.error(`could not record the refusal of ${release.id}: ${e}`));
      throw error;
    }
    await this.#config.setReleaseStatus(release.id, 'deploying', { ref: handle.ref });
    await this.#follow(flow, handle, async outcome => {
      await this.#config.setReleaseStatus(
        release.id,
        outcome.result === 'succeeded' ? 'deployed' : 'failed',
        { ...outcome, ref: handle.ref, finishedAt: new Date().toISOString() },
      );
    });
  }

  #changeOptions(flow: DeployFlow, options: { force?: boolean; timeoutMs?: number }): ArchonChangeOptions {
    return {
      force: options.force,
      timeoutMs: options.timeoutMs ?? this.#defaultTimeoutMs,
      onProgress: progress => flow.progress(progress),
    };
  }

  /**
   * The orchestrator accepted the change: names its ids in the lock (so a 409
   * on any replica names them) and stores the flow (so any replica can show
   * it). Then, in the background, waits for the outcome, records it on the
   * release and the stored flow, unlocks, and only then ends the flow: whoever
   * awaits the flow, on any replica, sees the outcome stored and the app free
   * for the next change.
   */
  async #follow(
    flow: DeployFlow,
    handle: ArchonChangeHandle,
    record?: (outcome: Awaited<ArchonChangeHandle['done']>) => Promise<void>,
  ): Promise<void> {
    flow.ref = handle.ref;
    const recorder = new FlowRecorder({ store: this.#flowStore, flow, holder: this.#replicaId, logger: this.#logger });
    try {
      await this.#locks.setRef(lockOf(flow), flow.id, handle.ref);
      await recorder.start();
    } catch (error) {
      // The change is under way whatever the database says; this replica still follows it.
      this.#logger.error(`archon: could not store ${flow.kind} ${flow.id} for other replicas: ${error}`);
    }
    const end = async (outcome: Awaited<ArchonChangeHandle['done']>) => {
      const finishedAt = new Date().toISOString();
      try {
        await record?.(outcome);
      } catch (error) {
        this.#logger.error(`archon: could not record the outcome of ${flow.kind} ${flow.id}: ${error}`);
      }
      try {
        await recorder.finish({ ...flow.view(false), status: outcome.result, outcome, finishedAt });
      } catch (error) {
        this.#logger.error(`archon: could not store the outcome of ${flow.kind} ${flow.id}: ${error}`);
      }
      await this.#unlock(flow);
      flow.finish(outcome, finishedAt);
    };
    handle.done
      .then(end, error => end({ result: 'failed', reason: `archon lost track of the change: ${(error as Error).message}` }))
      .catch(error => this.#logger.error(`archon: could not end ${flow.kind} ${flow.id}: ${error}`));
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
    const { adapter } = this.#target(options.instance);
    const workloadId = adapter.workloadId(options.instance, options.configPath);
    if (options.kind === 'scale' && (!Number.isInteger(options.instances) || options.instances! < 0)) {
      throw new InputError('"instances" must be a whole number of at least 0');
    }
    if (options.kind === 'destroy' && options.confirm !== options.configPath && options.confirm !== workloadId) {
      throw new InputError(
        `Destroying ${workloadId} on ${options.instance} stops all its tasks and drops its version history: confirm with "confirm": "${options.configPath}"`,
      );
    }
    const flow = await this.#lock(options.kind, adapter, options.instance, workloadId, options.configPath, options.actor);
    try {
      const status = await adapter.status({ instance: options.instance, id: workloadId });
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
          `${workloadId} on ${options.instance} is locked by ${adapter.kind} deployment ${status.deployments.join(', ')}; wait for it to finish, or retry with "force": true to cancel it`,
          status.deployments.map(id => ({ id, source: adapter.kind })),
        );
      }
      const ref: ArchonWorkloadRef = { instance: options.instance, id: workloadId };
      const change = this.#changeOptions(flow, options);
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
      await this.#follow(flow, handle);
      return flow;
    } catch (error) {
      await this.#discard(flow);
      throw error;
    }
  }

  /** The app a path deployed to a target, plus the path's latest deployed release. */
  async status(options: { configPath: string; instance: string; ensemble?: string }) {
    parseConfigPath(options.configPath);
    const { adapter, target } = this.#target(options.instance);
    const id = adapter.workloadId(options.instance, options.configPath);
    const status = await adapter.status({ instance: options.instance, id });
    const active = await this.#locks.live({ instance: options.instance, workloadId: id });
    return { ...status, targetKind: target.kind, activeFlow: active?.flowId };
  }

  /**
   * Settles releases a stopped run of archon left `created` or `deploying`
   * (it stopped while following them), from what the orchestrator shows now:
   * `deployed` only when the workload runs that very release with all its
   * instances up; `failed` when it runs something else or is gone. Releases
   * whose app is locked by a live replica (this one or another, whose lease
   * has not run out) are that replica's to finish; those whose target cannot
   * be asked now (unknown, unreachable, still deploying) are left for the
   * next start. Stored flows that no live replica follows any more are
   * settled too.
   */
  async reconcile(): Promise<{ deployed: string[]; failed: string[] }> {
    const result = { deployed: [] as string[], failed: [] as string[] };
    const open = [
      ...(await this.#config.listReleases({ status: 'deploying', limit: 500 })),
      ...(await this.#config.listReleases({ status: 'created', limit: 500 })),
    ];
    for (const release of open) {
      const target = release.target as { instance?: string; workloadId?: string };
      const found = target.instance ? this.#targets.get(target.instance) : undefined;
      if (!found || !target.workloadId) continue;
      if (await this.#locks.live({ instance: target.instance!, workloadId: target.workloadId })) continue;
      let status: ArchonWorkloadStatus;
      try {
        status = await found.adapter.status({ instance: target.instance!, id: target.workloadId });
      } catch (error) {
        this.#logger.warn(`archon: cannot settle release ${release.id} now: ${(error as Error).message}`);
        continue;
      }
      const finishedAt = new Date().toISOString();
      if (status.exists && status.releaseId === release.id) {
        if (status.deployments.length > 0) continue;
        const up = status.running >= status.instances && status.unhealthy === 0;
        await this.#config.setReleaseStatus(release.id, up ? 'deployed' : 'failed', {
          ...(release.outcome ?? {}),
          result: up ? 'succeeded' : 'failed',
          reason: up
            ? 'confirmed after archon restarted while following it'
            : `archon restarted while following it; now ${status.running} of ${status.instances} running, ${status.unhealthy} unhealthy`,
          finishedAt,
        });
        (up ? result.deployed : result.failed).push(release.id);
      } else {
        await this.#config.setReleaseStatus(release.id, 'failed', {
          ...(release.outcome ?? {}),
          result: 'failed',
          reason: status.exists
            ? `archon restarted while following it, and ${status.id} now runs ${status.releaseId ? `release ${status.releaseId}` : 'a definition archon did not deploy'}`
            : `archon restarted while following it, and ${status.id} no longer exists`,
          finishedAt,
        });
        result.failed.push(release.id);
      }
    }
    if (result.deployed.length || result.failed.length) {
      this.#logger.info(
        `archon: settled releases left open by a stopped run: deployed ${result.deployed.join(', ') || 'none'}, failed ${result.failed.join(', ') || 'none'}`,
      );
    }
    await this.#settleAbandonedFlows();
    return result;
  }

  /** Stored flows still `running` whose lock no live replica holds: a deploy takes its settled release's outcome, an operation fails. */
  async #settleAbandonedFlows(): Promise<void> {
    for (const view of await this.#flowStore.list({ status: 'running', limit: 500 })) {
      const lock = await this.#locks.live({ instance: view.instance, workloadId: view.workloadId });
      if (lock?.flowId === view.id) continue;
      let settled: DeployFlowView;
      if (view.releaseId) {
        const release = await this.#config.getRelease(view.releaseId).catch(() => undefined);
        if (!release || release.status === 'created' || release.status === 'deploying') continue;
        const fromRelease = viewOfRelease(release);
        settled = { ...view, status: fromRelease.status, outcome: fromRelease.outcome, finishedAt: fromRelease.finishedAt };
      } else {
        settled = {
          ...view,
          status: 'failed',
          finishedAt: new Date().toISOString(),
          outcome: {
            result: 'failed',
            reason: `the backend replica that followed this ${view.kind} stopped before it finished; see the app's status for what happened`,
          },
        };
      }
      await this.#flowStore.save(settled, this.#replicaId);
    }
  }

  // ---------------------------------------------------------------- flows and locks

  /** Takes the app's lock in the database for a new flow, or refuses with 409 naming the flow that holds it. */
  async #lock(
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
    const taken = await this.#locks.acquire(
      { instance, workloadId, flowId: flow.id, kind, targetKind: adapter.kind, actor, holder: this.#replicaId },
      this.#lockLeaseMs,
    );
    if (!taken.acquired) throw this.#inProgress(taken.heldBy);
    this.#held.add(flow);
    this.#remember(flow);
    return flow;
  }

  #inProgress(holder: DeployLock): DeploymentInProgressError {
    const orchestratorId = holder.ref?.deploymentId;
    const where = holder.holder === this.#replicaId ? '' : ` on backend replica ${holder.holder}`;
    return new DeploymentInProgressError(
      `A ${holder.kind} of ${holder.workloadId} on ${holder.instance} is already in progress (${holder.flowId}, started by ${holder.actor} at ${holder.acquiredAt}${where}); follow it at /api/archon/deployments/${holder.flowId} and retry when it is done`,
      [
        { id: holder.flowId, source: 'archon' },
        ...(typeof orchestratorId === 'string' ? [{ id: orchestratorId, source: holder.targetKind }] : []),
      ],
    );
  }

  /** Frees the app. Never throws: a lock that cannot be deleted now expires with its lease. */
  async #unlock(flow: DeployFlow): Promise<void> {
    this.#held.delete(flow);
    try {
      await this.#locks.release(lockOf(flow), flow.id);
    } catch (error) {
      this.#logger.error(`archon: could not release the deploy lock of ${flow.workloadId} on ${flow.instance}; it frees itself when its lease runs out: ${error}`);
    }
  }

  async #renewLocks(): Promise<void> {
    const held = [...this.#held];
    try {
      const lost = await this.#locks.renew(this.#replicaId, held.map(f => f.id), this.#lockLeaseMs);
      for (const flow of held.filter(f => lost.includes(f.id) && this.#held.has(f))) {
        this.#logger.error(
          `archon: the deploy lock of ${flow.workloadId} on ${flow.instance} (${flow.id}) was taken over after its lease ran out; another change of the app may run alongside this one`,
        );
        this.#held.delete(flow);
      }
    } catch (error) {
      this.#logger.warn(`archon: could not renew ${held.length} deploy lock(s); retrying: ${error}`);
    }
  }

  /** A flow that never started (refused before the orchestrator accepted it). */
  async #discard(flow: DeployFlow): Promise<void> {
    await this.#unlock(flow);
    if (this.#flows.get(flow.id) === flow) this.#flows.delete(flow.id);
  }

  #remember(flow: DeployFlow): void {
    this.#flows.set(flow.id, flow);
    const finished = [...this.#flows.values()].filter(f => !f.running);
    for (const old of finished.slice(0, Math.max(0, finished.length - MAX_FINISHED_FLOWS))) {
      this.#flows.delete(old.id);
    }
  }

  /**
   * Stops renewing and frees the apps this replica holds (the changes go on in
   * the orchestrator; a replica's next start settles their releases).
   */
  async close(): Promise<void> {
    clearInterval(this.#heartbeat);
    await Promise.all([...this.#held].map(flow => this.#unlock(flow)));
  }

  /** A flow by id, with its progress: this replica's, or another's from the database, or a deploy rebuilt from its release. */
  async get(id: string): Promise<DeployFlowView> {
    const flow = this.#flows.get(id);
    if (flow) return flow.view(true);
    const stored = await this.#flowStore.get(id);
    if (stored) return { ...stored.view, progress: await this.#flowStore.events(id) };
    return this.#viewFromRelease(id);
  }

  async #viewFromRelease(id: string): Promise<DeployFlowView> {
    if (id.startsWith('rel-')) {
      const release = await this.#config.getRelease(id);
      return viewOfRelease(release);
    }
    throw new NotFoundError(`There is no deployment ${id}`);
  }

  /**
   * Streams a flow's progress after `afterSeq`, then its final state. A flow
   * another replica runs is re-read from the database every `remotePollMs`
   * until it ends. Returns the unsubscribe function; 404 for an unknown id.
   */
  async watch(
    id: string,
    afterSeq: number,
    onProgress: (event: DeployProgressEvent) => void,
    onEnd: (view: DeployFlowView) => void,
  ): Promise<() => void> {
    const flow = this.#flows.get(id);
    if (flow) return flow.subscribe(afterSeq, onProgress, () => onEnd(flow.view(false)));
    const storedView = async () => (await this.#flowStore.get(id))?.view ?? this.#viewFromRelease(id);
    await storedView();
    let last = afterSeq;
    let stopped = false;
    let timer: NodeJS.Timeout | undefined;
    const poll = async () => {
      try {
        // The state first: a finished flow's events were all stored before its final state.
        const view = await storedView();
        for (const event of await this.#flowStore.events(id, last)) {
          if (stopped) return;
          onProgress(event);
          last = event.seq;
        }
        if (view.status !== 'running' && !stopped) {
          stopped = true;
          onEnd(view);
        }
      } catch (error) {
        this.#logger.warn(`archon: could not read the progress of ${id}; retrying: ${error}`);
      }
      if (!stopped) {
        timer = setTimeout(poll, this.#remotePollMs);
        // A stream left open must not keep the process up at shutdown.
        timer.unref();
      }
    };
    await poll();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }

  /** Flows any replica ran, newest first (those the orchestrator accepted). */
  list(filter: { configPath?: string; instance?: string; status?: string; limit: number }): Promise<DeployFlowView[]> {
    return this.#flowStore.list(filter);
  }
}

function lockOf(flow: DeployFlow) {
  return { instance: flow.instance, workloadId: flow.workloadId };
}

function instanceOf(release: Release): string {
  const instance = release.target?.instance;
  if (typeof instance !== 'string') {
    throw new InputError(`Release ${release.id} does not say where it was deployed; give "instance"`);
  }
  return instance;
}

function viewOfRelease(release: Release): DeployFlowView {
  const outcome = release.outcome as
    | { result?: 'succeeded' | 'failed' | 'timeout' | 'refused'; reason?: string; details?: Record<string, unknown>; ref?: Record<string, unknown>; finishedAt?: string }
    | undefined;
  const statuses: Record<Release['status'], DeployFlowView['status']> = {
    created: 'running',
    deploying: 'running',
    deployed: 'succeeded',
    failed: 'failed',
  };
  const status = statuses[release.status];
  const target = release.target as { kind?: string; instance?: string; workloadId?: string; rollbackOf?: string };
  return {
    id: release.id,
    kind: target.rollbackOf ? 'rollback' : 'deploy',
    status: status === 'failed' && outcome?.result === 'timeout' ? 'timeout' : status,
    instance: target.instance ?? '',
    targetKind: target.kind ?? '',
    workloadId: target.workloadId ?? '',
    configPath: release.path,
    ensemble: release.ensemble,
    releaseId: release.id,
    rollbackOf: target.rollbackOf,
    actor: release.createdBy,
    startedAt: release.createdAt,
    finishedAt: outcome?.finishedAt,
    ref: outcome?.ref,
    outcome: outcome?.result
      ? {
          result: outcome.result === 'refused' ? 'failed' : outcome.result,
          reason: outcome.reason,
          details: outcome.details,
        }
      : undefined,
  };
}
