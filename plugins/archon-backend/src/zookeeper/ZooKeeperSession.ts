import zookeeper, {
  type ACL,
  type Event,
  type Stat,
} from 'node-zookeeper-client';
import { ServiceUnavailableError } from '@backstage/errors';
import { UpstreamTimeoutError } from '@archon/plugin-archon-node';
import { ZooKeeperConnection } from './ZooKeeperConnection';
import { resolveWriteOutcome } from './writeOutcome';
import {
  commonParent,
  OPEN_ACL_UNSAFE,
  OUTCOME_UNKNOWN_CODES,
  ZooKeeperOpError,
  type ZNodeData,
  type ZooKeeperOp,
} from './zookeeperOps';

export {
  ZooKeeperOpError,
  type ZNodeData,
  type ZooKeeperOp,
} from './zookeeperOps';

/**
 * The ZooKeeper requests archon makes on an ensemble's session (see
 * ZooKeeperConnection for the session, its deadline and its heartbeat):
 * reads, and writes as one multi whose outcome is read back when the
 * connection drops during it.
 */
export class ZooKeeperSession extends ZooKeeperConnection {
  async getData(
    path: string,
    watcher?: (event: Event) => void,
  ): Promise<ZNodeData | undefined> {
    return this.request(`read ${path}`, (client, cb) => {
      const done = (error: any, data: Buffer | undefined, stat: Stat) => {
        if (error?.getCode?.() === zookeeper.Exception.NO_NODE)
          cb(undefined, undefined);
        else
          cb(
            error,
            error ? undefined : { data: data ?? Buffer.alloc(0), stat },
          );
      };
      if (watcher) client.getData(path, watcher, done);
      else client.getData(path, done);
    });
  }

  async getChildren(
    path: string,
    watcher?: (event: Event) => void,
  ): Promise<{ children: string[]; stat: Stat } | undefined> {
    return this.request(`list the children of ${path}`, (client, cb) => {
      const done = (error: any, children: string[], stat: Stat) => {
        if (error?.getCode?.() === zookeeper.Exception.NO_NODE)
          cb(undefined, undefined);
        else cb(error, error ? undefined : { children, stat });
      };
      if (watcher) client.getChildren(path, watcher, done);
      else client.getChildren(path, done);
    });
  }

  async exists(
    path: string,
    watcher?: (event: Event) => void,
  ): Promise<Stat | undefined> {
    return this.request(`look up ${path}`, (client, cb) => {
      const done = (error: any, stat: Stat | null) =>
        cb(error, stat ?? undefined);
      if (watcher) client.exists(path, watcher, done);
      else client.exists(path, done);
    });
  }

  async getACL(path: string): Promise<{ acls: ACL[]; stat: Stat } | undefined> {
    return this.request(`read the ACL of ${path}`, (client, cb) =>
      client.getACL(path, (error: any, acls: ACL[], stat: Stat) => {
        if (error?.getCode?.() === zookeeper.Exception.NO_NODE)
          cb(undefined, undefined);
        else cb(error, error ? undefined : { acls, stat });
      }),
    );
  }

  /**
   * Runs the operations as one ZooKeeper multi: all apply or none does. The
   * error of the first failing operation is rethrown with its index, so the
   * caller can tell a version conflict from a missing parent.
   */
  async multi(
    ops: ZooKeeperOp[],
  ): Promise<Array<{ stat?: Stat; path?: string }>> {
    const deadline = Date.now() + this.requestTimeoutMs;
    const what =
      ops.length === 1
        ? `${ops[0].type} ${ops[0].path}`
        : `write ${ops.length} znodes under ${commonParent(ops)}`;
    let outcome: {
      error?: any;
      value?: Array<{ type: number; err?: number; stat?: Stat; path?: string }>;
    };
    try {
      outcome = await this.deadlined(what, deadline, (client, cb) => {
        const tx = client.transaction();
        // node-zookeeper-client's Transaction does `version = version || -1`, which
        // turns an expected version of 0 into "any version". Its queued ops are
        // plain objects, so the version actually asked for is put back.
        const queued = (tx as unknown as { ops: Array<{ version?: number }> })
          .ops;
        for (const op of ops) {
          if (op.type === 'create')
            tx.create(
              op.path,
              op.data,
              OPEN_ACL_UNSAFE,
              op.mode ?? zookeeper.CreateMode.PERSISTENT,
            );
          else if (op.type === 'setData')
            tx.setData(op.path, op.data, op.version);
          else if (op.type === 'remove') tx.remove(op.path, op.version);
          else tx.check(op.path, op.version);
          if (
            op.type !== 'create' &&
            Array.isArray(queued) &&
            queued.length > 0
          ) {
            queued[queued.length - 1].version = op.version;
          }
        }
        tx.commit(cb);
      });
    } catch (error) {
      // Not sent (503 before it left) is safe to report as is; sent but
      // unanswered at the deadline leaves the outcome unknown.
      if (error instanceof UpstreamTimeoutError)
        throw this.#unknownOutcome(ops, what, 'did not answer in time');
      throw error;
    }
    const { error, value: results } = outcome;
    if (!error) return results ?? [];
    const code = error?.getCode?.();
    if (OUTCOME_UNKNOWN_CODES.has(code)) {
      // The request may or may not have reached ZooKeeper before the
      // connection went: read back once reconnected, within the deadline,
      // behind a barrier so the read sees the write if it was ever applied.
      const resolved = await resolveWriteOutcome(ops, {
        barrier: until => this.#syncBarrier(until),
        read: (path, until) => this.#readBack(path, until),
        deadline,
      });
      if (resolved.outcome === 'landed') return resolved.results;
      if (resolved.outcome === 'not-written') {
        throw new ServiceUnavailableError(
          `${
            this.description
          } dropped the connection during the request to ${what} (${
            error.name ?? error.message
          }); archon read back after reconnecting: it was not written, nothing changed; retry`,
        );
      }
      throw this.#unknownOutcome(
        ops,
        what,
        `dropped the connection (${error.name ?? error.message})`,
      );
    }
    const failedAt = results?.findIndex(
      r =>
        r.err !== undefined &&
        r.err !== 0 &&
        r.err !== zookeeper.Exception.RUNTIME_INCONSISTENCY,
    );
    throw new ZooKeeperOpError(error, failedAt ?? -1, ops[failedAt ?? -1]);
  }

  /**
   * What ZooKeeper's `sync` is for, before a read-back: the server this
   * session now talks to (another one after a reconnect, or a new session
   * after expiry) may lag the leader, and a write committed there would
   * read as not written. node-zookeeper-client 1.1.3 has no `sync` (the
   * protocol's SYNC op code is defined, but its answer parser knows no SYNC
   * reply and drops the connection on one), so a multi with a single
   * `check` of `/` stands in: a multi is a write, ordered through the
   * leader like any, and a server answers it only once it has applied
   * everything committed before it, so the reads this session sends next
   * see at least that. Any answer of ZooKeeper's, an error one included
   * (`/` missing under a chroot), has gone through that order; only a lost
   * connection or the deadline leave the barrier unpassed (then the
   * outcome is unknown).
   */
  async #syncBarrier(deadline: number): Promise<void> {
    const what = 'sync with the leader before reading back';
    await this.ready(deadline - Date.now(), what);
    const { error } = await this.deadlined<unknown>(
      what,
      deadline,
      (client, cb) => {
        const tx = client.transaction();
        tx.check('/', -1);
        tx.commit(cb);
      },
    );
    if (error && OUTCOME_UNKNOWN_CODES.has(error?.getCode?.()))
      throw this.wrap(error, what);
  }

  /** One read for the write read-back: the node, `null` when absent. */
  async #readBack(path: string, deadline: number): Promise<ZNodeData | null> {
    // After a dropped connection the client reconnects by itself: wait for
    // it as long as the deadline allows, not just the usual fail-fast wait.
    await this.ready(deadline - Date.now(), `read ${path} back`);
    const node = await this.request<ZNodeData | undefined>(
      `read ${path} back`,
      (client, cb) =>
        client.getData(
          path,
          (error: any, data: Buffer | undefined, stat: Stat) => {
            if (error?.getCode?.() === zookeeper.Exception.NO_NODE)
              cb(undefined, undefined);
            else
              cb(
                error,
                error ? undefined : { data: data ?? Buffer.alloc(0), stat },
              );
          },
        ),
      deadline,
    );
    return node ?? null;
  }

  #unknownOutcome(ops: ZooKeeperOp[], what: string, why: string): Error {
    const paths = [
      ...new Set(ops.filter(o => o.type !== 'check').map(o => o.path)),
    ];
    return new ServiceUnavailableError(
      `${
        this.description
      } ${why} during the request to ${what}, and could not be read back within ${
        this.requestTimeoutMs / 1000
      } s: the outcome is unknown. Check before retrying: read ${paths
        .slice(0, 3)
        .join(', ')}${
        paths.length > 3 ? ', …' : ''
      } again and compare the version (for a configuration set: GET it and compare "version")`,
    );
  }
}
