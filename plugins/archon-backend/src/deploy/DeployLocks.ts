import type { LoggerService } from '@backstage/backend-plugin-api';
import { DeploymentInProgressError } from '@archon/plugin-archon-node';
import type { DeployFlow } from './DeployFlow';
import type { DeployLock, DeployLockStore } from './store/DeployLockStore';
import { lockOf } from './releaseViews';

/**
 * The "one change per app" lock of one backend replica: a database row per
 * app ({@link DeployLockStore}) with a lease this replica renews while its
 * flows run, so a replica that dies frees its apps when the lease runs out.
 */
export class DeployLocks {
  readonly #store: DeployLockStore;
  readonly #replicaId: string;
  readonly #leaseMs: number;
  readonly #logger: LoggerService;
  /** The flows whose lock this replica holds (and renews). */
  readonly #held = new Set<DeployFlow>();
  readonly #heartbeat: NodeJS.Timeout;

  constructor(options: {
    store: DeployLockStore;
    replicaId: string;
    leaseMs: number;
    logger: LoggerService;
  }) {
    this.#store = options.store;
    this.#replicaId = options.replicaId;
    this.#leaseMs = options.leaseMs;
    this.#logger = options.logger;
    if (!(this.#leaseMs >= 1000)) {
      throw new Error(
        `archon: archon.deploy.lockLeaseSeconds must be at least 1, not ${
          this.#leaseMs / 1000
        }`,
      );
    }
    // Renewed three times per lease, so one slow or failed renewal does not lose the lock.
    this.#heartbeat = setInterval(() => void this.#renew(), this.#leaseMs / 3);
    this.#heartbeat.unref();
  }

  /** Takes the app's lock in the database for a new flow, or refuses with 409 naming the flow that holds it. */
  async acquire(flow: DeployFlow): Promise<void> {
    const taken = await this.#store.acquire(
      {
        instance: flow.instance,
        workloadId: flow.workloadId,
        flowId: flow.id,
        kind: flow.kind,
        targetKind: flow.targetKind,
        actor: flow.actor,
        holder: this.#replicaId,
      },
      this.#leaseMs,
    );
    if (!taken.acquired) throw this.#inProgress(taken.heldBy);
    this.#held.add(flow);
  }

  /** Names the orchestrator's ids in the lock, so a 409 on any replica names them. */
  setRef(flow: DeployFlow, ref: Record<string, unknown>): Promise<void> {
    return this.#store.setRef(lockOf(flow), flow.id, ref);
  }

  #inProgress(holder: DeployLock): DeploymentInProgressError {
    const orchestratorId = holder.ref?.deploymentId;
    const where =
      holder.holder === this.#replicaId
        ? ''
        : ` on backend replica ${holder.holder}`;
    return new DeploymentInProgressError(
      `A ${holder.kind} of ${holder.workloadId} on ${holder.instance} is already in progress (${holder.flowId}, started by ${holder.actor} at ${holder.acquiredAt}${where}); follow it at /api/archon/deployments/${holder.flowId} and retry when it is done`,
      [
        { id: holder.flowId, source: 'archon' },
        ...(typeof orchestratorId === 'string'
          ? [{ id: orchestratorId, source: holder.targetKind }]
          : []),
      ],
    );
  }

  /** Frees the app. Never throws: a lock that cannot be deleted now expires with its lease. */
  async unlock(flow: DeployFlow): Promise<void> {
    this.#held.delete(flow);
    try {
      await this.#store.release(lockOf(flow), flow.id);
    } catch (error) {
      this.#logger.error(
        `archon: could not release the deploy lock of ${flow.workloadId} on ${flow.instance}; it frees itself when its lease runs out: ${error}`,
      );
    }
  }

  async #renew(): Promise<void> {
    const held = [...this.#held];
    try {
      const lost = await this.#store.renew(
        this.#replicaId,
        held.map(f => f.id),
        this.#leaseMs,
      );
      for (const flow of held.filter(
        f => lost.includes(f.id) && this.#held.has(f),
      )) {
        this.#logger.error(
          `archon: the deploy lock of ${flow.workloadId} on ${flow.instance} (${flow.id}) was taken over after its lease ran out; another change of the app may run alongside this one`,
        );
        this.#held.delete(flow);
      }
    } catch (error) {
      this.#logger.warn(
        `archon: could not renew ${held.length} deploy lock(s); retrying: ${error}`,
      );
    }
  }

  /** Stops renewing and frees the apps this replica holds. */
  async close(): Promise<void> {
    clearInterval(this.#heartbeat);
    await Promise.all([...this.#held].map(flow => this.unlock(flow)));
  }
}
