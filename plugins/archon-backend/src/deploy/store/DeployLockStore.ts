import type { Knex } from 'knex';
import { DatabaseDeadline } from '../../database/DatabaseDeadline';

/** Which app a lock is for: a workload on a deploy target. */
export interface DeployLockKey {
  instance: string;
  workloadId: string;
}

/** Who is changing an app now, and until when their lease runs. */
export interface DeployLock extends DeployLockKey {
  flowId: string;
  kind: string;
  targetKind: string;
  actor: string;
  /** The orchestrator's ids for the change, once it accepted it. */
  ref?: Record<string, unknown>;
  /** The replica running the flow. */
  holder: string;
  acquiredAt: string;
  expiresAt: string;
}

const TABLE = 'archon_deploy_locks';

/**
 * "One change per app at a time" across every backend replica sharing the
 * database. A lock is a row keyed by (instance, workload); the holder renews
 * its lease while the flow runs, so the lock of a replica that died frees
 * itself when the lease runs out. Every decision is one statement, which the
 * database makes atomic: the insert of a new row (the primary key refuses a
 * second), or the takeover of a row whose lease has expired.
 */
export class DeployLockStore {
  readonly #db: Knex;
  readonly #deadline: DatabaseDeadline;

  /** `deadline`: how long a request may wait for the database (see {@link DatabaseDeadline}). */
  constructor(db: Knex, deadline = new DatabaseDeadline()) {
    this.#db = db;
    this.#deadline = deadline;
  }

  /**
   * Takes the lock for `lock.flowId`, or returns the live lock that holds the
   * app (whoever's, this replica's included).
   */
  async acquire(
    lock: Omit<DeployLock, 'acquiredAt' | 'expiresAt' | 'ref'>,
    leaseMs: number,
  ): Promise<{ acquired: true } | { acquired: false; heldBy: DeployLock }> {
    const now = new Date();
    const row = {
      instance: lock.instance,
      workload_id: lock.workloadId,
      flow_id: lock.flowId,
      kind: lock.kind,
      target_kind: lock.targetKind,
      actor: lock.actor,
      ref: null,
      holder: lock.holder,
      acquired_at: now,
      expires_at: new Date(now.getTime() + leaseMs),
    };
    const key = { instance: row.instance, workload_id: row.workload_id };
    const insert = () =>
      this.#db(TABLE)
        .insert(row)
        .onConflict(['instance', 'workload_id'])
        .ignore();
    await this.#deadline.run('take a deploy lock', () => insert());
    const current = await this.get(lock);
    if (current?.flowId === lock.flowId) return { acquired: true };
    if (current && new Date(current.expiresAt) > now)
      return { acquired: false, heldBy: current };
    if (current) {
      // Its holder stopped renewing: take it over, unless another replica
      // took it over first (then the flow id no longer matches).
      await this.#deadline.run('take a deploy lock', () =>
        this.#db(TABLE)
          .where({ ...key, flow_id: current.flowId })
          .andWhere('expires_at', '<=', now)
          .update(row),
      );
    } else {
      // Released between the insert and the read.
      await this.#deadline.run('take a deploy lock', () => insert());
    }
    const after = await this.get(lock);
    if (after?.flowId === lock.flowId) return { acquired: true };
    if (after) return { acquired: false, heldBy: after };
    throw new Error(
      `the deploy lock of ${lock.workloadId} on ${lock.instance} changed hands twice while archon took it; retry`,
    );
  }

  /** The lock on an app, live or expired. */
  async get(key: DeployLockKey): Promise<DeployLock | undefined> {
    const row = await this.#deadline.run('read a deploy lock', () =>
      this.#db(TABLE)
        .where({ instance: key.instance, workload_id: key.workloadId })
        .first(),
    );
    return row ? toLock(row) : undefined;
  }

  /** The lock on an app if its lease has not run out. */
  async live(
    key: DeployLockKey,
    now = new Date(),
  ): Promise<DeployLock | undefined> {
    const lock = await this.get(key);
    return lock && new Date(lock.expiresAt) > now ? lock : undefined;
  }

  /** Names the orchestrator's ids for the change, so a 409 on any replica names them too. */
  async setRef(
    key: DeployLockKey,
    flowId: string,
    ref: Record<string, unknown>,
  ): Promise<void> {
    await this.#deadline.run("record a deploy lock's deployment", () =>
      this.#db(TABLE)
        .where({
          instance: key.instance,
          workload_id: key.workloadId,
          flow_id: flowId,
        })
        .update({ ref: JSON.stringify(ref) }),
    );
  }

  /**
   * Extends the leases of the flows a replica holds; returns the flow ids
   * whose lock it no longer holds (taken over after its lease ran out).
   */
  async renew(
    holder: string,
    flowIds: string[],
    leaseMs: number,
  ): Promise<string[]> {
    if (flowIds.length === 0) return [];
    await this.#deadline.run('renew deploy locks', () =>
      this.#db(TABLE)
        .where({ holder })
        .whereIn('flow_id', flowIds)
        .update({ expires_at: new Date(Date.now() + leaseMs) }),
    );
    const held = await this.#deadline.run('renew deploy locks', () =>
      this.#db(TABLE)
        .where({ holder })
        .whereIn('flow_id', flowIds)
        .select('flow_id'),
    );
    const still = new Set(held.map(r => r.flow_id as string));
    return flowIds.filter(id => !still.has(id));
  }

  /** Frees the app, if this flow still holds it. */
  async release(key: DeployLockKey, flowId: string): Promise<void> {
    await this.#deadline.run('free a deploy lock', () =>
      this.#db(TABLE)
        .where({
          instance: key.instance,
          workload_id: key.workloadId,
          flow_id: flowId,
        })
        .delete(),
    );
  }
}

function toLock(row: any): DeployLock {
  return {
    instance: row.instance,
    workloadId: row.workload_id,
    flowId: row.flow_id,
    kind: row.kind,
    targetKind: row.target_kind,
    actor: row.actor,
    ref: row.ref ? JSON.parse(row.ref) : undefined,
    holder: row.holder,
    acquiredAt: new Date(row.acquired_at).toISOString(),
    expiresAt: new Date(row.expires_at).toISOString(),
  };
}
