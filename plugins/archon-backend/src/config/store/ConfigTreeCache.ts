import type { LoggerService } from '@backstage/backend-plugin-api';
import { ServiceUnavailableError } from '@backstage/errors';
import zookeeper, { type Event } from 'node-zookeeper-client';
import { EventEmitter } from 'node:events';
import {
  decodeConfigLevelData,
  type ConfigLevel,
  type ConfigSetCodec,
  type ConfigTreeSnapshot,
} from '../core';
import type { ZooKeeperSession } from '../../zookeeper/ZooKeeperSession';

const SEGMENT = /^[A-Za-z0-9_-]+$/;

/** A level whose znode data could not be decoded; resolution through it fails. */
export interface InvalidConfigLevel {
  version: number;
  message: string;
}

/**
 * An in-memory copy of one ensemble's configuration subtree, kept current by
 * ZooKeeper watches: every level's data watch and children watch is re-armed
 * whenever it fires, so edits made by any client (archon, zkCli, a deploy
 * script) show up here within a round trip. Resolution is then served from
 * memory.
 *
 * A new session (after expiry) loses every watch, so the cache reloads in
 * full; reads fail with 503 until it is current again. Znodes whose names are
 * not valid configuration path segments are left out (other tools may share
 * the tree).
 */
export class ConfigTreeCache extends EventEmitter {
  readonly #session: ZooKeeperSession;
  readonly #root: string;
  readonly #codec: ConfigSetCodec;
  readonly #logger: LoggerService;
  #levels = new Map<string, ConfigLevel>();
  #invalid = new Map<string, InvalidConfigLevel>();
  #children = new Map<string, Set<string>>();
  /** Levels whose data and children watches are armed in this session. */
  #watched = new Set<string>();
  #generation = 0;
  #loaded = false;

  constructor(options: {
    session: ZooKeeperSession;
    root: string;
    codec: ConfigSetCodec;
    logger: LoggerService;
  }) {
    super();
    this.setMaxListeners(0);
    this.#session = options.session;
    this.#root = options.root;
    this.#codec = options.codec;
    this.#logger = options.logger;
    this.#session.on('session', () => this.#reload());
  }

  get root(): string {
    return this.#root;
  }

  /** Starts the first load in the background; the backend must start even when ZooKeeper is down. */
  start(): void {
    this.#reload();
  }

  /**
   * Resolves once the cache is loaded and the session is connected, so what
   * it serves is current. Throws 503 when that does not happen in time.
   */
  async ready(
    timeoutMs = 2000,
    options: { allowStale?: boolean } = {},
  ): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!this.#loaded || (!this.#session.connected && !options.allowStale)) {
      if (Date.now() >= deadline) {
        throw new ServiceUnavailableError(
          `ZooKeeper ensemble "${this.#session.ensemble.name}" (${
            this.#session.ensemble.connectionString
          }) is not reachable, so configuration cannot be served; retry when it is back`,
        );
      }
      await new Promise(r => setTimeout(r, 50));
    }
  }

  /**
   * When the cache is loaded but ZooKeeper is not reachable: what it serves
   * is as of `asOf` (ms since the epoch), and changes made since are unseen.
   */
  staleness(): { asOf: number } | undefined {
    const since = this.#session.disconnectedSince;
    return this.#loaded && since !== undefined ? { asOf: since } : undefined;
  }

  /** The live map of levels (read-only view); callers must not hold it across awaits. */
  snapshot(): ConfigTreeSnapshot {
    return this.#levels;
  }

  invalidLevel(path: string): InvalidConfigLevel | undefined {
    return this.#invalid.get(path);
  }

  /** Child segment names of a level (`/` for the top level). */
  childrenOf(path: string): string[] {
    return [...(this.#children.get(path) ?? [])].sort();
  }

  /** The znode that holds a configuration path's set. */
  znodeOf(path: string): string {
    return `${this.#root}${path}`;
  }

  /**
   * Records a write archon itself made, so the writer reads its own write at
   * once; the watch that follows confirms it. Older versions never overwrite
   * newer ones.
   */
  applyLocalWrite(path: string, level: ConfigLevel | undefined): void {
    const current = this.#levels.get(path);
    if (level === undefined) {
      if (current) this.#removeSubtree(path);
    } else if (!current || level.version >= current.version) {
      this.#ensureAncestors(path);
      this.#levels.set(path, level);
      this.#invalid.delete(path);
    }
    this.emit('change', path);
  }

  #ensureAncestors(path: string) {
    let child = path;
    while (child !== '/') {
      const at = child.lastIndexOf('/');
      const parent = at === 0 ? '/' : child.slice(0, at);
      const set = this.#children.get(parent) ?? new Set<string>();
      set.add(child.slice(at + 1));
      this.#children.set(parent, set);
      if (parent !== '/' && !this.#levels.has(parent)) {
        this.#levels.set(parent, { properties: {}, version: 0, hasSet: false });
      }
      child = parent;
    }
  }

  #reload() {
    const generation = ++this.#generation;
    this.#loaded = false;
    const started = Date.now();
    const run = async () => {
      for (;;) {
        if (generation !== this.#generation) return;
        try {
          await this.#session.ready(60_000);
          this.#levels = new Map();
          this.#invalid = new Map();
          this.#children = new Map();
          this.#watched = new Set();
          await this.#ensureRoot();
          await this.#loadChildren('/', generation);
          if (generation !== this.#generation) return;
          this.#loaded = true;
          this.#logger.info(
            `loaded ${this.#levels.size} configuration levels under ${
              this.#root
            } in ${Date.now() - started} ms`,
          );
          this.emit('change', '/');
          return;
        } catch (error) {
          this.#logger.warn(
            `could not load the configuration tree under ${this.#root}: ${
              (error as Error).message
            }; retrying`,
          );
          await new Promise(r => setTimeout(r, 1000));
        }
      }
    };
    void run();
  }

  async #ensureRoot() {
    const segments = this.#root.split('/').filter(Boolean);
    let path = '';
    for (const segment of segments) {
      path += `/${segment}`;
      if (!(await this.#session.exists(path))) {
        try {
          await this.#session.multi([
            { type: 'create', path, data: Buffer.alloc(0) },
          ]);
        } catch (error) {
          // Another replica may have created it at the same moment.
          if (!(await this.#session.exists(path))) throw error;
        }
      }
    }
  }

  #watcher(path: string, generation: number) {
    return (event: Event) => {
      if (generation !== this.#generation) return;
      void this.#refreshUntilDone(path, event.getType(), generation);
    };
  }

  /**
   * A watch is one-shot and the read that follows it re-arms it, so a read
   * that fails (the connection dropped while it was in flight) is retried once
   * the session is back. Given up, the level would never be watched again in
   * this session, and the cache would serve its old value as current.
   */
  async #refreshUntilDone(path: string, type: number, generation: number) {
    for (let attempt = 1; ; attempt++) {
      if (generation !== this.#generation || this.#session.closed) return;
      try {
        await this.#refresh(path, type, generation);
        this.emit('change', path);
        return;
      } catch (error) {
        this.#logger.warn(
          `could not refresh ${path} after a ZooKeeper event (attempt ${attempt}): ${
            (error as Error).message
          }; retrying once ZooKeeper answers`,
        );
        await this.#session.ready(60_000).catch(() => undefined);
        await new Promise(r => setTimeout(r, Math.min(250 * attempt, 2000)));
      }
    }
  }

  /** Re-reads what a fired watch says changed (and so re-arms that watch). */
  async #refresh(
    path: string,
    type: number,
    generation: number,
  ): Promise<void> {
    if (type === zookeeper.Event.NODE_DELETED) this.#removeSubtree(path);
    else if (type === zookeeper.Event.NODE_DATA_CHANGED)
      await this.#loadData(path, generation);
    else if (type === zookeeper.Event.NODE_CHILDREN_CHANGED)
      await this.#loadChildren(path, generation);
  }

  async #loadData(path: string, generation: number): Promise<void> {
    const node = await this.#session.getData(
      this.znodeOf(path),
      this.#watcher(path, generation),
    );
    if (generation !== this.#generation) return;
    if (!node) {
      this.#removeSubtree(path);
      return;
    }
    const current = this.#levels.get(path);
    if (current && current.version > node.stat.version) return;
    try {
      this.#levels.set(path, {
        ...decodeConfigLevelData(this.#codec, node.data, path),
        version: node.stat.version,
      });
      this.#invalid.delete(path);
    } catch (error) {
      // Keep the level (its children still count) but remember why its set is unusable.
      this.#levels.set(path, {
        properties: {},
        version: node.stat.version,
        hasSet: false,
      });
      this.#invalid.set(path, {
        version: node.stat.version,
        message: (error as Error).message,
      });
    }
  }

  async #loadChildren(path: string, generation: number): Promise<void> {
    const result = await this.#session.getChildren(
      path === '/' ? this.#root : this.znodeOf(path),
      this.#watcher(path === '/' ? '/' : path, generation),
    );
    if (generation !== this.#generation || !result) return;
    const names = result.children.filter(name => SEGMENT.test(name));
    const previous = this.#children.get(path) ?? new Set<string>();
    const next = new Set(names);
    this.#children.set(path, next);
    for (const name of previous) {
      if (!next.has(name)) this.#removeSubtree(join(path, name));
    }
    // A level archon created itself is already in the map (read-your-writes)
    // but has no watches yet: what counts is whether they are armed.
    await Promise.all(
      names
        .filter(name => !this.#watched.has(join(path, name)))
        .map(async name => {
          const child = join(path, name);
          this.#watched.add(child);
          try {
            await Promise.all([
              this.#loadData(child, generation),
              this.#loadChildren(child, generation),
            ]);
          } catch (error) {
            // Not armed after all: the retried parent read must load it again.
            this.#watched.delete(child);
            throw error;
          }
        }),
    );
  }

  #removeSubtree(path: string) {
    for (const name of this.#children.get(path) ?? []) {
      this.#removeSubtree(join(path, name));
    }
    this.#children.delete(path);
    this.#levels.delete(path);
    this.#invalid.delete(path);
    this.#watched.delete(path);
    const at = path.lastIndexOf('/');
    const parent = at === 0 ? '/' : path.slice(0, at);
    this.#children.get(parent)?.delete(path.slice(at + 1));
  }
}

function join(parent: string, name: string): string {
  return parent === '/' ? `/${name}` : `${parent}/${name}`;
}
