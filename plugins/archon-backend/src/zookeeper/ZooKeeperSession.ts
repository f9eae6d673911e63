import zookeeper, {
  type ACL,
  type Client,
  type Event,
  type Stat,
} from 'node-zookeeper-client';
import { ServiceUnavailableError } from '@backstage/errors';
import type { LoggerService } from '@backstage/backend-plugin-api';
import { UpstreamTimeoutError } from '@archon/plugin-archon-node';
import { EventEmitter } from 'node:events';
import {
  DEFAULT_ZOOKEEPER_REQUEST_TIMEOUT_MS,
  type ZooKeeperEnsembleConfig,
} from './ZooKeeperEnsembleConfig';
import { resolveWriteOutcome } from './writeOutcome';

/**
 * A request to a session that is not connected waits this long (at most the
 * request deadline) for it to come back before answering 503, so requests do
 * not queue behind an outage.
 */
const CONNECT_WAIT_MS = 2000;

/** Codes after which a write may or may not have been applied. */
const OUTCOME_UNKNOWN_CODES = new Set<number>([
  zookeeper.Exception.CONNECTION_LOSS,
  zookeeper.Exception.SESSION_EXPIRED,
  zookeeper.Exception.OPERATION_TIMEOUT,
]);

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
    super(
      `ZooKeeper ${cause?.name ?? 'error'}${
        op ? ` at ${op.type} ${op.path}` : ''
      }`,
    );
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
 *
 * Every call has a deadline (`requestTimeoutMs`): the client library never
 * notices a server that keeps its socket open but stops answering (a frozen
 * process, a half-open partition) — it only sends pings and waits — so a
 * request would hang for as long as the server does. A heartbeat
 * (`exists /`) finds such a server and drops the connection, which makes the
 * client fail what is pending and reconnect (same session, watches re-sent).
 */
export class ZooKeeperSession extends EventEmitter {
  readonly ensemble: ZooKeeperEnsembleConfig;
  readonly requestTimeoutMs: number;
  readonly #logger: LoggerService;
  #client!: Client;
  #connected = false;
  #closed = false;
  #waiters: Array<() => void> = [];
  #heartbeat: NodeJS.Timeout;
  /** When the outstanding heartbeat was sent (undefined: none outstanding). */
  #heartbeatSentAt: number | undefined;
  /** When the current (re)connection attempt started, while not connected. */
  #connectingSince = Date.now();
  #disconnectedSince = Date.now();

  constructor(ensemble: ZooKeeperEnsembleConfig, logger: LoggerService) {
    super();
    this.setMaxListeners(0);
    this.ensemble = ensemble;
    this.requestTimeoutMs =
      ensemble.requestTimeoutMs ?? DEFAULT_ZOOKEEPER_REQUEST_TIMEOUT_MS;
    this.#logger = logger.child({ zookeeper: ensemble.name });
    this.#open();
    // ZooKeeper's own clients give up on a server after 2/3 of the session
    // timeout without an answer; the request deadline caps that further.
    const unresponsiveMs = Math.min(
      this.requestTimeoutMs,
      Math.floor((ensemble.sessionTimeoutMs * 2) / 3),
    );
    this.#heartbeat = setInterval(
      () => this.#beat(unresponsiveMs),
      Math.max(250, Math.floor(unresponsiveMs / 4)),
    );
    this.#heartbeat.unref();
  }

  get connected(): boolean {
    return this.#connected;
  }

  /**
   * Since when no connection has been known good (ms since the epoch), or
   * undefined while connected: what a watch-driven cache last saw of
   * ZooKeeper is as of then.
   */
  get disconnectedSince(): number | undefined {
    return this.#connected ? undefined : this.#disconnectedSince;
  }

  /** `ZooKeeper ensemble "local" (127.0.0.1:2181)`: how messages name the system. */
  get description(): string {
    return `ZooKeeper ensemble "${this.ensemble.name}" (${this.ensemble.connectionString})`;
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
        this.#heartbeatSentAt = undefined;
        if (first) this.#logger.info('connected to ZooKeeper');
        const waiters = this.#waiters;
        this.#waiters = [];
        waiters.forEach(w => w());
        this.emit('connected');
      } else if (state === zookeeper.State.DISCONNECTED) {
        this.#markDisconnected(
          'lost the connection to ZooKeeper; reconnecting',
        );
      } else if (state === zookeeper.State.EXPIRED) {
        if (this.#connected) this.#disconnectedSince = Date.now();
        this.#connected = false;
        this.#connectingSince = Date.now();
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

  /** Waits up to `ms` for a connected session, else throws 503 (naming `what` was asked). */
  async ready(ms = CONNECT_WAIT_MS, what?: string): Promise<Client> {
    if (this.#closed)
      throw new ServiceUnavailableError('archon is shutting down');
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
            `${this.description} is not reachable; retry when it is back${
              what ? ` (archon was trying to ${what})` : ''
            }`,
          ),
        );
      }, Math.max(0, ms));
      this.#waiters.push(done);
    });
    return this.#client;
  }

  async getData(
    path: string,
    watcher?: (event: Event) => void,
  ): Promise<ZNodeData | undefined> {
    return this.#request(`read ${path}`, (client, cb) => {
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
    return this.#request(`list the children of ${path}`, (client, cb) => {
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
    return this.#request(`look up ${path}`, (client, cb) => {
      const done = (error: any, stat: Stat | null) =>
        cb(error, stat ?? undefined);
      if (watcher) client.exists(path, watcher, done);
      else client.exists(path, done);
    });
  }

  async getACL(path: string): Promise<{ acls: ACL[]; stat: Stat } | undefined> {
    return this.#request(`read the ACL of ${path}`, (client, cb) =>
      client.getACL(path, (error: any, acls: ACL[], stat: Stat) => {
        if (error?.getCode?.() === zookeeper.Exception.NO_NODE)
          cb(undefined, undefined);
        else cb(error, error ? undefined : { acls, stat });
      }),
    );
  }

  /**
   * Sends one request under the deadline: 503 when no connected session
   * comes within it, 504 when the server takes the request but does not
   * answer in time. ZooKeeper's own errors are wrapped by #wrap.
   */
  #request<T>(
    what: string,
    send: (
      client: Client,
      cb: (error: any, value: T | undefined) => void,
    ) => void,
    deadline = Date.now() + this.requestTimeoutMs,
  ): Promise<T> {
    return this.#deadlined(what, deadline, send).then(({ error, value }) => {
      if (error) throw this.#wrap(error, what);
      return value as T;
    });
  }

  /** The raw outcome of one request: its error or value, or a 503/504 thrown at the deadline. */
  async #deadlined<T>(
    what: string,
    deadline: number,
    send: (
      client: Client,
      cb: (error: any, value: T | undefined) => void,
    ) => void,
  ): Promise<{ error?: any; value?: T }> {
    const client = await this.ready(
      Math.min(CONNECT_WAIT_MS, deadline - Date.now()),
      what,
    );
    return new Promise((resolve, reject) => {
      let settled = false;
      const timer = setTimeout(() => {
        settled = true;
        reject(this.#timedOut(what));
      }, Math.max(0, deadline - Date.now()));
      send(client, (error, value) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        resolve({ error, value });
      });
    });
  }

  #timedOut(what: string): Error {
    return new UpstreamTimeoutError(
      `${this.description} did not answer within ${
        this.requestTimeoutMs / 1000
      } s (while trying to ${what}); it may be overloaded or cut off, retry later`,
    );
  }

  /**
   * Sends a heartbeat while connected; one left unanswered for
   * `unresponsiveMs` means the server stopped answering with the socket
   * still open. Dropping the socket makes the client fail what is pending
   * (callers get 503 now, not at their deadline) and reconnect. A connection
   * attempt stuck as long (a frozen server's kernel still accepts TCP) is
   * dropped the same way, so the next server of the ensemble is tried.
   */
  #beat(unresponsiveMs: number) {
    if (this.#closed) return;
    const now = Date.now();
    if (!this.#connected) {
      if (now - this.#connectingSince > unresponsiveMs) {
        this.#connectingSince = now;
        this.#dropSocket();
      }
      return;
    }
    if (this.#heartbeatSentAt !== undefined) {
      if (now - this.#heartbeatSentAt > unresponsiveMs) {
        this.#markDisconnected(
          `ZooKeeper did not answer for ${unresponsiveMs} ms; reconnecting`,
        );
        this.#dropSocket();
      }
      return;
    }
    const client = this.#client;
    this.#heartbeatSentAt = now;
    client.exists('/', error => {
      if (client !== this.#client) return;
      // A lost connection is handled by the state events; any answer means the server is alive.
      if (
        !error ||
        !OUTCOME_UNKNOWN_CODES.has(
          (error as { getCode?: () => number }).getCode?.() ?? 0,
        )
      )
        this.#heartbeatSentAt = undefined;
    });
  }

  #markDisconnected(message: string) {
    this.#heartbeatSentAt = undefined;
    this.#connectingSince = Date.now();
    if (!this.#connected) return;
    this.#connected = false;
    // The last answer came at most one heartbeat earlier; now is a safe upper bound.
    this.#disconnectedSince = Date.now();
    this.#logger.warn(message);
    this.emit('disconnected');
  }

  /** The client library has no public way to drop a connection that is open but dead. */
  #dropSocket() {
    const manager = (
      this.#client as unknown as {
        connectionManager?: { socket?: { destroy(): void } };
      }
    ).connectionManager;
    manager?.socket?.destroy();
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
      outcome = await this.#deadlined(what, deadline, (client, cb) => {
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
    const { error } = await this.#deadlined<unknown>(
      what,
      deadline,
      (client, cb) => {
        const tx = client.transaction();
        tx.check('/', -1);
        tx.commit(cb);
      },
    );
    if (error && OUTCOME_UNKNOWN_CODES.has(error?.getCode?.()))
      throw this.#wrap(error, what);
  }

  /** One read for the write read-back: the node, `null` when absent. */
  async #readBack(path: string, deadline: number): Promise<ZNodeData | null> {
    // After a dropped connection the client reconnects by itself: wait for
    // it as long as the deadline allows, not just the usual fail-fast wait.
    await this.ready(deadline - Date.now(), `read ${path} back`);
    const node = await this.#request<ZNodeData | undefined>(
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

  #wrap(error: any, what: string): Error {
    const code = error?.getCode?.();
    if (OUTCOME_UNKNOWN_CODES.has(code)) {
      return new ServiceUnavailableError(
        `${this.description} dropped the request to ${what} (${
          error.name ?? error.message
        }); retry`,
      );
    }
    return error instanceof Error ? error : new Error(String(error));
  }

  close() {
    this.#closed = true;
    clearInterval(this.#heartbeat);
    this.#client.close();
    this.removeAllListeners();
  }
}

/** The deepest znode path all ops share, for messages. */
function commonParent(ops: ZooKeeperOp[]): string {
  const split = ops.map(o => o.path.split('/'));
  const common: string[] = [];
  for (
    let i = 0;
    split.every(parts => i < parts.length && parts[i] === split[0][i]);
    i++
  )
    common.push(split[0][i]);
  return common.join('/') || '/';
}
