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
import type { Release } from '../../database/ReleaseStore';
import {
  isSecretKey,
  parseConfigPath,
  transitiveReferencesOf,
  type EffectiveConfig,
} from '../config';
import type { ConfigService } from '../ConfigService';
import {
  DeployFlow,
  newOperationId,
  type DeployFlowKind,
  type DeployFlowView,
} from './DeployFlow';

/** Finished flows kept in memory for `GET /deployments/{id}` (releases outlive them in the database). */
const MAX_FINISHED_FLOWS = 500;

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
 * One change per workload at a time: a second one is refused with 409 naming
 * the one in progress (archon's id and the orchestrator's). No HTTP here;
 * permissions and masking are the router's.
 */
export class DeployService {
  readonly #config: ConfigService;
  readonly #targets = new Map<string, { target: ArchonDeployTarget; adapter: ArchonDeployAdapter }>();
  readonly #logger: LoggerService;
  readonly #defaultTimeoutMs: number;
  readonly #secretPatterns: readonly string[];
  /** Lock key (instance + workload) → the flow holding it. */
  readonly #active = new Map<string, DeployFlow>();
  /** Flow id → flow, newest last. */
  readonly #flows = new Map<string, DeployFlow>();

  constructor(options: {
    config: ConfigService;
    adapters: ArchonDeployAdapter[];
    logger: LoggerService;
    defaultTimeoutMs: number;
    secretPatterns: readonly string[];
  }) {
    this.#config = options.config;
    this.#logger = options.logger;
    this.#defaultTimeoutMs = options.defaultTimeoutMs;
    this.#secretPatterns = options.secretPatterns;
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
    const flow = this.#lock('deploy', adapter, options.instance, workloadId, options.configPath, options.actor);
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
      });
      await this.#ship(adapter, flow, release, options);
      return flow;
    } catch (error) {
      this.#discard(flow);
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
    const flow = this.#lock('rollback', adapter, instance, workloadId, from.path, options.actor);
    flow.rollbackOf = from.id;
    flow.ensemble = from.ensemble;
    try {
      this.#render(adapter, instance, from.path, from.ensemble, from);
      await this.#checkTarget(adapter, flow, options.force);
      const release = await this.#config.createReleaseFromSnapshot({
        from,
        actor: options.actor,
        target: { kind: adapter.kind, instance, workloadId, rollbackOf: from.id },
      });
      await this.#ship(adapter, flow, release, options);
      return flow;
    } catch (error) {
      this.#discard(flow);
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
    this.#flows.delete(flow.id);
    flow.id = release.id;
    this.#flows.set(flow.id, flow);
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
    flow.ref = handle.ref;
    await this.#config.setReleaseStatus(release.id, 'deploying', { ref: handle.ref });
    this.#follow(flow, handle, async outcome => {
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
   * Waits for the outcome, records it, unlocks, then ends the flow: whoever
   * awaits the flow sees the outcome stored and the app free for the next change.
   */
  #follow(
    flow: DeployFlow,
    handle: ArchonChangeHandle,
    record?: (outcome: Awaited<ArchonChangeHandle['done']>) => Promise<void>,
  ): void {
    handle.done
      .then(async outcome => {
        try {
          await record?.(outcome);
        } catch (error) {
          this.#logger.error(`archon: could not record the outcome of ${flow.kind} ${flow.id}: ${error}`);
        }
        this.#unlock(flow);
        flow.finish(outcome);
      })
      .catch(error => {
        this.#unlock(flow);
        flow.finish({ result: 'failed', reason: `archon lost track of the change: ${(error as Error).message}` });
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
    const flow = this.#lock(options.kind, adapter, options.instance, workloadId, options.configPath, options.actor);
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
      flow.ref = handle.ref;
      this.#follow(flow, handle);
      return flow;
    } catch (error) {
      this.#discard(flow);
      throw error;
    }
  }

  /** The app a path deployed to a target, plus the path's latest deployed release. */
  async status(options: { configPath: string; instance: string; ensemble?: string }) {
    parseConfigPath(options.configPath);
    const { adapter, target } = this.#target(options.instance);
    const id = adapter.workloadId(options.instance, options.configPath);
    const status = await adapter.status({ instance: options.instance, id });
    const active = this.#active.get(lockKey(options.instance, id));
    return { ...status, targetKind: target.kind, activeFlow: active?.id };
  }

  /**
   * Settles releases a previous run of archon left `created` or `deploying`
   * (it stopped while following them), from what the orchestrator shows now:
   * `deployed` only when the workload runs that very release with all its
   * instances up; `failed` when it runs something else or is gone. Releases
   * whose target cannot be asked now (unknown, unreachable, still deploying)
   * are left for the next start.
   */
  async reconcile(): Promise<{ deployed: string[]; failed: string[] }> {
    const result = { deployed: [] as string[], failed: [] as string[] };
    const open = [
      ...(await this.#config.listReleases({ status: 'deploying', limit: 500 })),
      ...(await this.#config.listReleases({ status: 'created', limit: 500 })),
    ];
    for (const release of open) {
      if ([...this.#active.values()].some(f => f.releaseId === release.id)) continue;
      const target = release.target as { instance?: string; workloadId?: string };
      const found = target.instance ? this.#targets.get(target.instance) : undefined;
      if (!found || !target.workloadId) continue;
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
        `archon: settled releases left open by a previous run: deployed ${result.deployed.join(', ') || 'none'}, failed ${result.failed.join(', ') || 'none'}`,
      );
    }
    return result;
  }

  // ---------------------------------------------------------------- flows

  #lock(
    kind: DeployFlowKind,
    adapter: ArchonDeployAdapter,
    instance: string,
    workloadId: string,
    configPath: string,
    actor: string,
  ): DeployFlow {
    const key = lockKey(instance, workloadId);
    const holder = this.#active.get(key);
    if (holder) {
      const orchestratorId = holder.ref?.deploymentId;
      throw new DeploymentInProgressError(
        `A ${holder.kind} of ${workloadId} on ${instance} is already in progress (${holder.id}, started by ${holder.actor} at ${holder.startedAt}); follow it at /api/archon/deployments/${holder.id} and retry when it is done`,
        [
          { id: holder.id, source: 'archon' },
          ...(typeof orchestratorId === 'string' ? [{ id: orchestratorId, source: holder.targetKind }] : []),
        ],
      );
    }
    // Deploys are named by their release; the id is set once the release exists.
    const flow = new DeployFlow({
      id: newOperationId(),
      kind,
      instance,
      targetKind: adapter.kind,
      workloadId,
      configPath,
      actor,
    });
    this.#active.set(key, flow);
    this.#remember(flow);
    return flow;
  }

  #unlock(flow: DeployFlow): void {
    const key = lockKey(flow.instance, flow.workloadId);
    if (this.#active.get(key) === flow) this.#active.delete(key);
  }

  /** A flow that never started (refused before the orchestrator accepted it). */
  #discard(flow: DeployFlow): void {
    this.#unlock(flow);
    if (this.#flows.get(flow.id) === flow) this.#flows.delete(flow.id);
  }

  #remember(flow: DeployFlow): void {
    this.#flows.set(flow.id, flow);
    const finished = [...this.#flows.values()].filter(f => !f.running);
    for (const old of finished.slice(0, Math.max(0, finished.length - MAX_FINISHED_FLOWS))) {
      this.#flows.delete(old.id);
    }
  }

  flow(id: string): DeployFlow | undefined {
    return this.#flows.get(id);
  }

  /** A flow by id; a deploy older than this process is rebuilt from its release. */
  async get(id: string): Promise<DeployFlowView> {
    const flow = this.#flows.get(id);
    if (flow) return flow.view(true);
    if (id.startsWith('rel-')) {
      const release = await this.#config.getRelease(id);
      return viewOfRelease(release);
    }
    throw new NotFoundError(`There is no deployment ${id} (operations are kept in memory until the backend restarts)`);
  }

  /** Flows this process knows, newest first. */
  list(filter: { configPath?: string; instance?: string; status?: string; limit: number }): DeployFlowView[] {
    return [...this.#flows.values()]
      .reverse()
      .filter(f => !filter.configPath || f.configPath === filter.configPath)
      .filter(f => !filter.instance || f.instance === filter.instance)
      .filter(f => !filter.status || f.status === filter.status)
      .slice(0, filter.limit)
      .map(f => f.view(false));
  }
}

function lockKey(instance: string, workloadId: string): string {
  return `${instance}\u0000${workloadId}`;
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
