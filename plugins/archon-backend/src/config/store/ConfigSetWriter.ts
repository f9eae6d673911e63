import { NotFoundError } from '@backstage/errors';
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
  put(path: string, properties: unknown, expectedVersion?: number) {
    const validated = validateConfigSet(path, properties, this.#limits);
    return this.#write(path, expectedVersion, () => validated);
  }

  /** Sets and unsets keys of one level's set, keeping the rest. */
  patch(
    path: string,
    change: { set?: unknown; unset?: string[] },
    expectedVersion?: number,
  ) {
    validateConfigSet(path, change.set ?? {}, this.#limits);
    return this.#write(path, expectedVersion, current => {
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
  async delete(path: string, expectedVersion?: number): Promise<ConfigWriteResult> {
    validateConfigSet(path, {}, this.#limits);
    const znode = this.#cache.znodeOf(path);
    for (let attempt = 1; ; attempt++) {
      const node = await this.#session.getData(znode);
      const before = node && this.#decode(path, node);
      if (!node || !before?.hasSet) {
        throw new NotFoundError(`There is no configuration set at ${path}`);
      }
      this.#checkExpected(path, expectedVersion, before);
      const hasChildren = node.stat.numChildren > 0;
      const op: ZooKeeperOp = hasChildren
        ? { type: 'setData', path: znode, data: Buffer.alloc(0), version: node.stat.version }
        : { type: 'remove', path: znode, version: node.stat.version };
      try {
        const results = await this.#session.multi([op]);
        const after: ConfigLevel | undefined = hasChildren
          ? { properties: {}, hasSet: false, version: results[0]?.stat?.version ?? node.stat.version + 1 }
          : undefined;
        this.#cache.applyLocalWrite(path, after);
        return { path, before, after };
      } catch (error) {
        if (!this.#isRace(error) || expectedVersion !== undefined || attempt >= MAX_ATTEMPTS) {
          throw this.#translate(error, path, expectedVersion);
        }
      }
    }
  }

  async #write(
    path: string,
    expectedVersion: number | undefined,
    compute: (current: ConfigLevel | undefined) => ConfigProperties,
  ): Promise<ConfigWriteResult> {
    const znode = this.#cache.znodeOf(path);
    for (let attempt = 1; ; attempt++) {
      const node = await this.#session.getData(znode);
      const before = node && this.#decode(path, node);
      this.#checkExpected(path, expectedVersion, before);
      const properties = compute(before?.hasSet ? before : undefined);
      const data = this.#codec.encode(properties);
      const ops: ZooKeeperOp[] = [];
      if (node) {
        ops.push({ type: 'setData', path: znode, data, version: node.stat.version });
      } else {
        for (const ancestor of ancestorsOf(path).slice(0, -1)) {
          const ancestorZnode = this.#cache.znodeOf(ancestor);
          if (!(await this.#session.exists(ancestorZnode))) {
            ops.push({ type: 'create', path: ancestorZnode, data: Buffer.alloc(0) });
          }
        }
        ops.push({ type: 'create', path: znode, data });
      }
      try {
        const results = await this.#session.multi(ops);
        const after: ConfigLevel = {
          properties,
          hasSet: true,
          version: node ? results[0]?.stat?.version ?? node.stat.version + 1 : 0,
        };
        this.#cache.applyLocalWrite(path, after);
        return { path, before: before ?? undefined, after };
      } catch (error) {
        // An ancestor that appeared meanwhile is no conflict with the caller's
        // expectedVersion (that concerns the target set only): read again, retry.
        const ancestorRace = error instanceof ZooKeeperOpError && !!error.op && error.op.path !== znode;
        if (!this.#isRace(error) || (expectedVersion !== undefined && !ancestorRace) || attempt >= MAX_ATTEMPTS) {
          throw this.#translate(error, path, expectedVersion);
        }
      }
    }
  }

  #decode(path: string, node: { data: Buffer; stat: { version: number } }): ConfigLevel {
    return { ...decodeConfigLevelData(this.#codec, node.data, path), version: node.stat.version };
  }

  #checkExpected(path: string, expectedVersion: number | undefined, current: ConfigLevel | undefined) {
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
        { path, exists: true, properties: { ...current.properties }, version: current.version },
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
        `The configuration set at ${path} changed while it was being written${expectedVersion !== undefined ? ` (you expected version ${expectedVersion})` : ''}; read it again and retry`,
        current
          ? { path, exists: true, properties: { ...current.properties }, version: current.version }
          : { path, exists: false },
      );
    }
    return error as Error;
  }
}
