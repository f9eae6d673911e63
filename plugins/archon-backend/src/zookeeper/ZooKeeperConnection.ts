import zookeeper, { type Client } from 'node-zookeeper-client';
import { ServiceUnavailableError } from '@backstage/errors';
import type { LoggerService } from '@backstage/backend-plugin-api';
import { UpstreamTimeoutError } from '@archon/plugin-archon-node';
import { EventEmitter } from 'node:events';
import {
  DEFAULT_ZOOKEEPER_REQUEST_TIMEOUT_MS,
  type ZooKeeperEnsembleConfig,
} from './ZooKeeperEnsembleConfig';
import { OUTCOME_UNKNOWN_CODES } from './zookeeperOps';

/**
 * A request to a session that is not connected waits this long (at most the
 * request deadline) for it to come back before answering 503, so requests do
 * not queue behind an outage.
 */
const CONNECT_WAIT_MS = 2000;

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
export class ZooKeeperConnection extends EventEmitter {
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

  /** True once close() was called: nothing waits for this session any more. */
  get closed(): boolean {
    return this.#closed;
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

  /**
   * Sends one request under the deadline: 503 when no connected session
   * comes within it, 504 when the server takes the request but does not
   * answer in time. ZooKeeper's own errors are wrapped by wrap().
   */
  protected request<T>(
    what: string,
    send: (
      client: Client,
      cb: (error: any, value: T | undefined) => void,
    ) => void,
    deadline = Date.now() + this.requestTimeoutMs,
  ): Promise<T> {
    return this.deadlined(what, deadline, send).then(({ error, value }) => {
      if (error) throw this.wrap(error, what);
      return value as T;
    });
  }

  /** The raw outcome of one request: its error or value, or a 503/504 thrown at the deadline. */
  protected async deadlined<T>(
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

  protected wrap(error: any, what: string): Error {
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
