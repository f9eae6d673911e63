import { ConflictError, NotFoundError } from '@backstage/errors';
import zookeeper from 'node-zookeeper-client';
import {
  ancestorsOf,
  decodeConfigLevelData,
  validateConfigSet,
  type ConfigLevel,
  type ConfigProperties,
  type ConfigSetCodec,
  type ConfigSetLimits,
} from '../core';
import {
  ZooKeeperOpError,
  type ZooKeeperOp,
  type ZooKeeperSession,
} from '../../zookeeper/ZooKeeperSession';
import type { ConfigTreeCache } from './ConfigTreeCache';
import { ConfigVersionConflictError } from './ConfigVersionConflictError';

/** What a write changed: the level before and after (undefined = absent). */
export interface ConfigWriteResult {
  path: string;
  before?: ConfigLevel;
  after?: ConfigLevel;
  /** The result equalled the stored set, so nothing was written (same version). */
  unchanged?: boolean;
}

/**
 * Called with the level as just read and the set about to be written (null:
 * the set is being removed), before anything is written; it throws to refuse
 * the write (e.g. because it would break resolution below the level). Runs
 * again on every retry, so it always judges what is really there.
 */
/** The levels a prune removed, parents first, as they were just before. */
export interface ConfigPruneResult {
  path: string;
  removed: Array<{ path: string; level: ConfigLevel }>;
}

export type ConfigWriteCheck = (
  before: ConfigLevel | undefined,
  proposed: ConfigProperties | null,
) => void;

export interface ConfigWriteOptions {
  expectedVersion?: number;
  check?: ConfigWriteCheck;
}

const MAX_ATTEMPTS = 5;

/**
 * Writes configuration sets to ZooKeeper with optimistic concurrency. Every
 * write is one ZooKeeper multi (creating missing levels and the set together),
 * so nothing is ever half-applied. With `expectedVersion`, a stale version is
 * a 409; without it, a concurrent change makes the write re-read and retry
 * (a patch is re-applied on top of what is there now).
 */
export class ConfigSetWriter {
  readonly #session: ZooKeeperSession;
  readonly #cache: ConfigTreeCache;
  readonly #codec: ConfigSetCodec;
  readonly #limits: ConfigSetLimits;

  constructor(options: {
    session: ZooKeeperSession;
    cache: ConfigTreeCache;
    codec: ConfigSetCodec;
    limits?: ConfigSetLimits;
  }) {
    this.#session = options.session;
    this.#cache = options.cache;
    this.#codec = options.codec;
    this.#limits = { ...options.limits, codec: options.codec };
  }

  /** Replaces the set of one level (creating the level and its parents as needed). */
  put(path: string, properties: unknown, options: ConfigWriteOptions = {}) {
    const validated = validateConfigSet(path, properties, this.#limits);
    return this.#write(path, options, () => validated);
  }

  /** Sets and unsets keys of one level's set, keeping the rest. */
  patch(
    path: string,
    change: { set?: unknown; unset?: string[] },
    options: ConfigWriteOptions = {},
  ) {
    validateConfigSet(path, change.set ?? {}, this.#limits);
    return this.#write(path, options, current => {
      const next: ConfigProperties = { ...(current?.properties ?? {}) };
      for (const key of change.unset ?? []) delete next[key];
      Object.assign(next, change.set ?? {});
      return validateConfigSet(path, next, this.#limits);
    });
  }

  /**
   * Deletes the set of one level. A level with children stays as an
   * intermediate level (empty data); a leaf level is removed.
   */
  async delete(
    path: string,
    options: ConfigWriteOptions = {},
  ): Promise<ConfigWriteResult> {
    const { expectedVersion } = options;
    validateConfigSet(path, {}, this.#limits);
    const znode = this.#cache.znodeOf(path);
    for (let attempt = 1; ; attempt++) {
      const node = await this.#session.getData(znode);
      const before = node && this.#decode(path, node);
      if (!node || !before?.hasSet) {
        throw new NotFoundError(`There is no configuration set at ${path}`);
      }
      this.#checkExpected(path, expectedVersion, before);
      options.check?.(before, null);
      const hasChildren = node.stat.numChildren > 0;
      const op: ZooKeeperOp = hasChildren
        ? {
            type: 'setData',
            path: znode,
            data: Buffer.alloc(0),
            version: node.stat.version,
          }
        : { type: 'remove', path: znode, version: node.stat.version };
      try {
        const results = await this.#session.multi([op]);
        const after: ConfigLevel | undefined = hasChildren
          ? {
              properties: {},
              hasSet: false,
              version: results[0]?.stat?.version ?? node.stat.version + 1,
            }
          : undefined;
        this.#cache.applyLocalWrite(path, after);
        return { path, before, after };
      } catch (error) {
        if (
          !this.#isRace(error) ||
          expectedVersion !== undefined ||
          attempt >= MAX_ATTEMPTS
        ) {
          throw this.#translate(error, path, expectedVersion);
        }
      }
    }
  }

  /**
   * Removes a level and every level below it in one multi (deepest first,
   * each at the version just read, so nothing is half-removed). Without
   * `recursive` it refuses (409, naming them) when a level below still holds
   * a set: only the level's own set and empty intermediate levels go.
   */
  async prune(
    path: string,
    options: { recursive?: boolean } = {},
  ): Promise<ConfigPruneResult> {
    validateConfigSet(path, {}, this.#limits);
    for (let attempt = 1; ; attempt++) {
      const levels = await this.#readSubtree(path);
      if (levels.length === 0)
        throw new NotFoundError(`There is no configuration level ${path}`);
      const withSets = levels
        .filter(l => l.path !== path && l.level.hasSet)
        .map(l => l.path);
      if (withSets.length > 0 && !options.recursive) {
        throw new ConflictError(
          `${withSets.length} level${
            withSets.length === 1 ? '' : 's'
          } below ${path} still hold${
            withSets.length === 1 ? 's' : ''
          } a configuration set (${withSets.slice(0, 5).join(', ')}${
            withSets.length > 5 ? ', …' : ''
          }); remove ${
            withSets.length === 1 ? 'it' : 'them'
          } first, or remove recursively (${levels.length} levels, ${
            levels.filter(l => l.level.hasSet).length
          } sets)`,
        );
      }
      // Deepest first: ZooKeeper removes only childless znodes.
      const ops: ZooKeeperOp[] = [...levels].reverse().map(l => ({
        type: 'remove',
        path: this.#cache.znodeOf(l.path),
        version: l.level.version,
      }));
      try {
        await this.#session.multi(ops);
        this.#cache.applyLocalWrite(path, undefined);
        return { path, removed: levels };
      } catch (error) {
        if (!this.#isRace(error) || attempt >= MAX_ATTEMPTS)
          throw this.#translate(error, path);
      }
    }
  }

  /** The level and its descendants as ZooKeeper has them now, parents first. */
  async #readSubtree(
    path: string,
  ): Promise<Array<{ path: string; level: ConfigLevel }>> {
    const found: Array<{ path: string; level: ConfigLevel }> = [];
    const visit = async (levelPath: string) => {
      const znode = this.#cache.znodeOf(levelPath);
      const node = await this.#session.getData(znode);
      if (!node) return;
      let level: ConfigLevel;
      try {
        level = this.#decode(levelPath, node);
      } catch {
        // Data another tool wrote that is no set archon can read still counts as a set: removing it needs recursive.
        level = {
          properties: {},
          hasSet: node.data.length > 0,
          version: node.stat.version,
        };
      }
      found.push({ path: levelPath, level });
      const children = (await this.#session.getChildren(znode))?.children ?? [];
      for (const child of [...children].sort())
        await visit(`${levelPath}/${child}`);
    };
    await visit(path);
    return found;
  }

  async #write(
    path: string,
    options: ConfigWriteOptions,
    compute: (current: ConfigLevel | undefined) => ConfigProperties,
  ): Promise<ConfigWriteResult> {
    const { expectedVersion } = options;
    const znode = this.#cache.znodeOf(path);
    for (let attempt = 1; ; attempt++) {
      const node = await this.#session.getData(znode);
      const before = node && this.#decode(path, node);
      this.#checkExpected(path, expectedVersion, before);
      const properties = compute(before?.hasSet ? before : undefined);
      // Writing the same set again would bump the version (a false 409 for
      // everyone holding it) and wake every watcher for nothing.
      if (before?.hasSet && sameProperties(before.properties, properties)) {
        return { path, before, after: before, unchanged: true };
      }
      options.check?.(before ?? undefined, properties);
      const data = this.#codec.encode(properties);
      const ops: ZooKeeperOp[] = [];
      if (node) {
        ops.push({
          type: 'setData',
          path: znode,
          data,
          version: node.stat.version,
        });
      } else {
        for (const ancestor of ancestorsOf(path).slice(0, -1)) {
          const ancestorZnode = this.#cache.znodeOf(ancestor);
          if (!(await this.#session.exists(ancestorZnode))) {
            ops.push({
              type: 'create',
              path: ancestorZnode,
              data: Buffer.alloc(0),
            });
          }
        }
        ops.push({ type: 'create', path: znode, data });
      }
      try {
        const results = await this.#session.multi(ops);
        const after: ConfigLevel = {
          properties,
          hasSet: true,
          version: node
            ? results[0]?.stat?.version ?? node.stat.version + 1
            : 0,
        };
        this.#cache.applyLocalWrite(path, after);
        return { path, before: before ?? undefined, after };
      } catch (error) {
        // An ancestor that appeared meanwhile is no conflict with the caller's
        // expectedVersion (that concerns the target set only): read again, retry.
        const ancestorRace =
          error instanceof ZooKeeperOpError &&
          !!error.op &&
          error.op.path !== znode;
        if (
          !this.#isRace(error) ||
          (expectedVersion !== undefined && !ancestorRace) ||
          attempt >= MAX_ATTEMPTS
        ) {
          throw this.#translate(error, path, expectedVersion);
        }
      }
    }
  }

  #decode(
    path: string,
    node: { data: Buffer; stat: { version: number } },
  ): ConfigLevel {
    return {
      ...decodeConfigLevelData(this.#codec, node.data, path),
      version: node.stat.version,
    };
  }

  #checkExpected(
    path: string,
    expectedVersion: number | undefined,
    current: ConfigLevel | undefined,
  ) {
    if (expectedVersion === undefined) return;
    if (!current) {
      if (expectedVersion === -1) return;
      throw new ConfigVersionConflictError(
        `The configuration set at ${path} no longer exists (you expected version ${expectedVersion}); write without expectedVersion (or with -1) to create it`,
        { path, exists: false },
      );
    }
    if (current.version !== expectedVersion) {
      throw new ConfigVersionConflictError(
        `The configuration set at ${path} is at version ${current.version}, not ${expectedVersion}: someone changed it since you read it. Merge with the current set and retry with expectedVersion ${current.version}`,
        {
          path,
          exists: true,
          properties: { ...current.properties },
          version: current.version,
        },
      );
    }
  }

  /** Someone else wrote between our read and our write. */
  #isRace(error: unknown): boolean {
    const code = (error as ZooKeeperOpError)?.code;
    return (
      error instanceof ZooKeeperOpError &&
      (code === zookeeper.Exception.BAD_VERSION ||
        code === zookeeper.Exception.NODE_EXISTS ||
        code === zookeeper.Exception.NO_NODE ||
        code === zookeeper.Exception.NOT_EMPTY)
    );
  }

  #translate(error: unknown, path: string, expectedVersion?: number): Error {
    if (this.#isRace(error)) {
      const current = this.#cache.snapshot().get(path);
      return new ConfigVersionConflictError(
        `The configuration set at ${path} changed while it was being written${
          expectedVersion !== undefined
            ? ` (you expected version ${expectedVersion})`
            : ''
        }; read it again and retry`,
        current
          ? {
              path,
              exists: true,
              properties: { ...current.properties },
              version: current.version,
            }
          : { path, exists: false },
      );
    }
    return error as Error;
  }
}

function sameProperties(
  a: Readonly<ConfigProperties>,
  b: Readonly<ConfigProperties>,
): boolean {
  const keys = Object.keys(a);
  return (
    keys.length === Object.keys(b).length &&
    keys.every(k => Object.prototype.hasOwnProperty.call(b, k) && a[k] === b[k])
  );
}
