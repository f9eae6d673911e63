import zookeeper, {
  type ACL,
  type Client,
  type Event,
  type Stat,
} from 'node-zookeeper-client';
import { ServiceUnavailableError } from '@backstage/errors';
import type { LoggerService } from '@backstage/backend-plugin-api';
import { EventEmitter } from 'node:events';
import type { ZooKeeperEnsembleConfig } from './ZooKeeperEnsembleConfig';

// The runtime has ACL.OPEN_ACL_UNSAFE; its type declarations lack it.
const OPEN_ACL_UNSAFE = (zookeeper.ACL as unknown as { OPEN_ACL_UNSAFE: ACL[] })
  .OPEN_ACL_UNSAFE;

/** A znode's data and the parts of its stat archon uses. */
export interface ZNodeData {
  data: Buffer;
  stat: Stat;
}

/** One operation of a ZooKeeper multi (transaction). */
export type ZooKeeperOp =
  | { type: 'create'; path: string; data: Buffer; mode?: number }
  | { type: 'setData'; path: string; data: Buffer; version: number }
  | { type: 'remove'; path: string; version: number }
  | { type: 'check'; path: string; version: number };

/** A failed multi: which operation failed and ZooKeeper's error code. */
export class ZooKeeperOpError extends Error {
  readonly code: number;
  readonly index: number;
  readonly op?: ZooKeeperOp;
  constructor(cause: any, index: number, op?: ZooKeeperOp) {
    super(`ZooKeeper ${cause?.name ?? 'error'}${op ? ` at ${op.type} ${op.path}` : ''}`);
    this.name = 'ZooKeeperOpError';
    this.code = cause?.getCode?.() ?? 0;
    this.index = index;
    this.op = op;
  }
}

/**
 * One ZooKeeper session per ensemble, kept alive for the backend's life.
 *
 * node-zookeeper-client reconnects a dropped connection within the session
 * by itself, but an expired session is final for a client, so on expiry this
 * class builds a new client and emits `session` — watch-based caches listen
 * to it to re-arm their watches and reload. While no session is connected,
 * calls fail fast with a 503 instead of queueing behind an outage.
 */
export class ZooKeeperSession extends EventEmitter {
  readonly ensemble: ZooKeeperEnsembleConfig;
  readonly #logger: LoggerService;
  #client!: Client;
  #connected = false;
  #closed = false;
  #waiters: Array<() => void> = [];

  constructor(ensemble: ZooKeeperEnsembleConfig, logger: LoggerService) {
    super();
    this.setMaxListeners(0);
    this.ensemble = ensemble;
    this.#logger = logger.child({ zookeeper: ensemble.name });
    this.#open();
  }

  get connected(): boolean {
    return this.#connected;
  }

  #open() {
    const client = zookeeper.createClient(this.ensemble.connectionString, {
      sessionTimeout: this.ensemble.sessionTimeoutMs,
      spinDelay: 500,
      retries: 0,
    });
    this.#client = client;
    client.on('state', state => {
      if (client !== this.#client) return;
      if (state === zookeeper.State.SYNC_CONNECTED) {
        const first = !this.#connected;
        this.#connected = true;
        if (first) this.#logger.info('connected to ZooKeeper');
        const waiters = this.#waiters;
        this.#waiters = [];
        waiters.forEach(w => w());
        this.emit('connected');
      } else if (state === zookeeper.State.DISCONNECTED) {
        this.#connected = false;
        this.#logger.warn('lost the connection to ZooKeeper; reconnecting');
        this.emit('disconnected');
      } else if (state === zookeeper.State.EXPIRED) {
        this.#connected = false;
        this.#logger.warn('ZooKeeper session expired; opening a new one');
        client.close();
        if (!this.#closed) {
          this.#open();
          // Watches died with the old session: caches must reload.
          this.emit('session');
        }
      }
    });
    client.connect();
  }

  /** Waits up to `ms` for a connected session, else throws 503. */
  async ready(ms = 2000): Promise<Client> {
    if (this.#closed) throw new ServiceUnavailableError('archon is shutting down');
    if (this.#connected) return this.#client;
    await new Promise<void>((resolve, reject) => {
      let timer: NodeJS.Timeout | undefined = undefined;
      const done = () => {
        clearTimeout(timer);
        resolve();
      };
      timer = setTimeout(() => {
        this.#waiters = this.#waiters.filter(w => w !== done);
        reject(
          new ServiceUnavailableError(
            `ZooKeeper ensemble "${this.ensemble.name}" (${this.ensemble.connectionString}) is not reachable; retry when it is back`,
          ),
        );
      }, ms);
      this.#waiters.push(done);
    });
    return this.#client;
  }

  async getData(path: string, watcher?: (event: Event) => void): Promise<ZNodeData | undefined> {
    const client = await this.ready();
    return new Promise((resolve, reject) => {
      const cb = (error: any, data: Buffer | undefined, stat: Stat) => {
        if (error?.getCode?.() === zookeeper.Exception.NO_NODE) resolve(undefined);
        else if (error) reject(this.#wrap(error, path));
        else resolve({ data: data ?? Buffer.alloc(0), stat });
      };
      if (watcher) client.getData(path, watcher, cb);
      else client.getData(path, cb);
    });
  }

  async getChildren(path: string, watcher?: (event: Event) => void): Promise<{ children: string[]; stat: Stat } | undefined> {
    const client = await this.ready();
    return new Promise((resolve, reject) => {
      const cb = (error: any, children: string[], stat: Stat) => {
        if (error?.getCode?.() === zookeeper.Exception.NO_NODE) resolve(undefined);
        else if (error) reject(this.#wrap(error, path));
        else resolve({ children, stat });
      };
      if (watcher) client.getChildren(path, watcher, cb);
      else client.getChildren(path, cb);
    });
  }

  async exists(path: string, watcher?: (event: Event) => void): Promise<Stat | undefined> {
    const client = await this.ready();
    return new Promise((resolve, reject) => {
      const cb = (error: any, stat: Stat | null) => {
        if (error) reject(this.#wrap(error, path));
        else resolve(stat ?? undefined);
      };
      if (watcher) client.exists(path, watcher, cb);
      else client.exists(path, cb);
    });
  }

  async getACL(path: string): Promise<{ acls: ACL[]; stat: Stat } | undefined> {
    const client = await this.ready();
    return new Promise((resolve, reject) =>
      client.getACL(path, (error: any, acls: ACL[], stat: Stat) => {
        if (error?.getCode?.() === zookeeper.Exception.NO_NODE) resolve(undefined);
        else if (error) reject(this.#wrap(error, path));
        else resolve({ acls, stat });
      }),
    );
  }

  /**
   * Runs the operations as one ZooKeeper multi: all apply or none does. The
   * error of the first failing operation is rethrown with its index, so the
   * caller can tell a version conflict from a missing parent.
   */
  async multi(ops: ZooKeeperOp[]): Promise<Array<{ stat?: Stat; path?: string }>> {
    const client = await this.ready();
    const tx = client.transaction();
    // node-zookeeper-client's Transaction does `version = version || -1`, which
    // turns an expected version of 0 into "any version". Its queued ops are
    // plain objects, so the version actually asked for is put back.
    const queued = (tx as unknown as { ops: Array<{ version?: number }> }).ops;
    for (const op of ops) {
      if (op.type === 'create') tx.create(op.path, op.data, OPEN_ACL_UNSAFE, op.mode ?? zookeeper.CreateMode.PERSISTENT);
      else if (op.type === 'setData') tx.setData(op.path, op.data, op.version);
      else if (op.type === 'remove') tx.remove(op.path, op.version);
      else tx.check(op.path, op.version);
      if (op.type !== 'create' && Array.isArray(queued) && queued.length > 0) {
        queued[queued.length - 1].version = op.version;
      }
    }
    return new Promise((resolve, reject) =>
      tx.commit((error: any, results: Array<{ type: number; err?: number; stat?: Stat; path?: string }>) => {
        const code = error?.getCode?.();
        if (!error) {
          resolve(results);
        } else if (code === zookeeper.Exception.CONNECTION_LOSS || code === zookeeper.Exception.SESSION_EXPIRED || code === zookeeper.Exception.OPERATION_TIMEOUT) {
          // The request may or may not have reached ZooKeeper before the connection went.
          reject(
            new ServiceUnavailableError(
              `ZooKeeper ensemble "${this.ensemble.name}" dropped a transaction of ${ops.length} operation(s) (${error.name ?? error.message}); it may or may not have been applied: read the znodes again before retrying`,
            ),
          );
        } else {
          const failedAt = results?.findIndex(r => r.err !== undefined && r.err !== 0 && r.err !== zookeeper.Exception.RUNTIME_INCONSISTENCY);
          reject(new ZooKeeperOpError(error, failedAt ?? -1, ops[failedAt ?? -1]));
        }
      }),
    );
  }

  #wrap(error: any, path: string): Error {
    const code = error?.getCode?.();
    if (code === zookeeper.Exception.CONNECTION_LOSS || code === zookeeper.Exception.SESSION_EXPIRED || code === zookeeper.Exception.OPERATION_TIMEOUT) {
      return new ServiceUnavailableError(
        `ZooKeeper ensemble "${this.ensemble.name}" dropped the request for ${path} (${error.name ?? error.message}); retry`,
      );
    }
    return error instanceof Error ? error : new Error(String(error));
  }

  close() {
    this.#closed = true;
    this.#client.close();
    this.removeAllListeners();
  }
}

