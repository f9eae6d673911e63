import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import { type LoggerService } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import {
  type ArchonChangeHandle,
  type ArchonChangeOptions,
  type ArchonDeployAdapter,
  type ArchonDeployTarget,
} from '@archon/plugin-archon-node';
import {
  type DeployFlowStore,
  type DeployListFilter,
} from './store/DeployFlowStore';
import { type DeployLockStore } from './store/DeployLockStore';
import { parseConfigPath } from '../config/core';
import { type ConfigService } from '../config/ConfigService';
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

/** Finished flows kept in memory (the database keeps them all). */
const MAX_FINISHED_FLOWS = 500;
/** How long a replica's deploy lock lasts unless it renews it (`archon.deploy.lockLeaseSeconds`). */
const DEFAULT_LOCK_LEASE_MS = 30_000;
/** How often a flow another replica runs is re-read while it is streamed. */
const DEFAULT_REMOTE_POLL_MS = 1000;
/** `archon.deploy.settleSeconds` unless configured (like Kubernetes' minReadySeconds). */
const DEFAULT_SETTLE_MS = 10_000;
const DEFAULT_CRASH_LOOP_FAILURES = 3;

/**
 * What the deploy flow's parts share: the targets and their adapters, the
 * database lock of each workload, the flows this replica runs, and the
 * queries, status and cancel of flows any replica ran. The shipping of
 * releases and the app operations build on it ({@link DeployReleases},
 * {@link DeployService}).
 */
export class DeployCore {
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
