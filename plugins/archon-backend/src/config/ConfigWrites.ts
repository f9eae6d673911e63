import { NotFoundError } from '@backstage/errors';
import {
  parseConfigPath,
  type ConfigImpactAnalyzer,
  type ConfigProperties,
} from './core';
import type { ConfigEnsemble } from './ConfigService';
import type {
  ConfigHistoryEntry,
  ConfigHistoryStore,
} from './store/ConfigHistoryStore';
import type { ConfigWriteResult } from './store/ConfigSetWriter';
import { breakingWriteCheck, type BrokenPath } from './store/breakingWrites';

/** What a caller may say about a write. */
export interface ConfigWriteRequest {
  expectedVersion?: number;
  ensemble?: string;
  /** Write even when paths that resolve now would stop resolving. */
  force?: boolean;
}

/** A write to a configuration level's znode made through the raw ZooKeeper routes. */
export interface RawConfigWrite {
  ensemble: string;
  path: string;
  actor: string;
  before?: ConfigProperties;
  after?: ConfigProperties;
  version?: number;
}

/**
 * The writes of {@link ConfigService}: each is checked for breaking paths
 * below it right before it lands, a no-op writes nothing, and every change
 * gets one history entry saying who made it.
 */
export class ConfigWrites {
  readonly #history: ConfigHistoryStore;
  readonly #analyzer: ConfigImpactAnalyzer;
  readonly #ensemble: (name?: string) => Promise<ConfigEnsemble>;

  constructor(options: {
    history: ConfigHistoryStore;
    analyzer: ConfigImpactAnalyzer;
    /** A ready ensemble by name (503 while ZooKeeper is away). */
    ensemble: (name?: string) => Promise<ConfigEnsemble>;
  }) {
    this.#history = options.history;
    this.#analyzer = options.analyzer;
    this.#ensemble = options.ensemble;
  }

  async put(
    path: string,
    properties: unknown,
    actor: string,
    options: ConfigWriteRequest,
  ) {
    parseConfigPath(path);
    const ensemble = await this.#ready(path, options.ensemble);
    const guard = this.#guard(ensemble, path, options.force);
    const result = await ensemble.writer.put(path, properties, {
      expectedVersion: options.expectedVersion,
      check: guard.check,
    });
    return this.#record('put', actor, ensemble, result, guard.broken());
  }

  async patch(
    path: string,
    change: { set?: unknown; unset?: string[] },
    actor: string,
    options: ConfigWriteRequest,
  ) {
    parseConfigPath(path);
    const ensemble = await this.#ready(path, options.ensemble);
    const guard = this.#guard(ensemble, path, options.force);
    const result = await ensemble.writer.patch(path, change, {
      expectedVersion: options.expectedVersion,
      check: guard.check,
    });
    return this.#record('patch', actor, ensemble, result, guard.broken());
  }

  async delete(path: string, actor: string, options: ConfigWriteRequest) {
    parseConfigPath(path);
    const ensemble = await this.#ready(path, options.ensemble);
    const guard = this.#guard(ensemble, path, options.force);
    const result = await ensemble.writer.delete(path, {
      expectedVersion: options.expectedVersion,
      check: guard.check,
    });
    return this.#record('delete', actor, ensemble, result, guard.broken());
  }

  /**
   * Removes a level and the empty levels below it (`recursive`: whatever they
   * hold). Every removed set gets a history entry. Nothing below is left to
   * break, so there is no breaking-write check.
   */
  async prune(
    path: string,
    actor: string,
    options: { recursive?: boolean; ensemble?: string },
  ) {
    parseConfigPath(path);
    const ensemble = await this.#ready(path, options.ensemble);
    const { removed } = await ensemble.writer.prune(path, {
      recursive: options.recursive,
    });
    const createdAt = new Date().toISOString();
    await this.#history.recordLanded(
      removed
        .filter(l => l.level.hasSet)
        .map(({ path: levelPath, level }) => ({
          ensemble: ensemble.config.name,
          path: levelPath,
          action: 'delete' as const,
          actor,
          createdAt,
          changedKeys: Object.keys(level.properties).sort(),
          before: { ...level.properties },
          note: levelPath === path ? `level removed` : `removed with ${path}`,
        })),
      { path },
    );
    return {
      path,
      removedLevels: removed.length,
      removedSets: removed.filter(l => l.level.hasSet).length,
      removed: removed.map(l => l.path),
    };
  }

  /**
   * Writes the properties an earlier version of the set had (from the
   * history) as a new version; the history says where it came from.
   */
  async restore(
    path: string,
    version: number,
    actor: string,
    options: ConfigWriteRequest,
  ) {
    parseConfigPath(path);
    // Reading the history is the database check of a restore.
    const ensemble = await this.#ensemble(options.ensemble);
    const entry = await this.#history.findVersion({
      ensemble: ensemble.config.name,
      path,
      version,
    });
    if (!entry?.after) {
      throw new NotFoundError(
        `The history of ${path} has no version ${version} to restore (only versions written through archon are kept)`,
      );
    }
    const guard = this.#guard(ensemble, path, options.force);
    const result = await ensemble.writer.put(path, entry.after, {
      expectedVersion: options.expectedVersion,
      check: guard.check,
    });
    return this.#record(
      'restore',
      actor,
      ensemble,
      result,
      guard.broken(),
      `restored from v${version}`,
    );
  }

  /**
   * The ensemble, once archon's database is known to answer: a write whose
   * history could not be recorded is refused before it touches ZooKeeper.
   */
  async #ready(path: string, ensembleName?: string) {
    const ensemble = await this.#ensemble(ensembleName);
    await this.#history.ready(path);
    return ensemble;
  }

  /** The breaking-write check of one write, and what it let through when forced. */
  #guard(ensemble: ConfigEnsemble, path: string, force?: boolean) {
    let broken: BrokenPath[] = [];
    const check = breakingWriteCheck({
      path,
      snapshot: () => ensemble.cache.snapshot(),
      analyzer: this.#analyzer,
      force,
      onForced: paths => {
        broken = paths;
      },
    });
    return { check, broken: () => broken };
  }

  async #record(
    action: ConfigHistoryEntry['action'],
    actor: string,
    ensemble: ConfigEnsemble,
    result: ConfigWriteResult,
    broken: BrokenPath[] = [],
    note?: string,
  ) {
    // A no-op leaves no trace in the history: nothing changed (the audit log still records the attempt).
    if (result.unchanged)
      return {
        ...result,
        changedKeys: [] as string[],
        unchanged: true,
        forcedBrokenPaths: [],
      };
    const before = result.before?.hasSet ? result.before.properties : undefined;
    const after = result.after?.hasSet ? result.after.properties : undefined;
    const changedKeys = changedKeysOf(before, after);
    const forcedNote =
      broken.length > 0
        ? `forced; broke ${broken.map(b => b.path).join(', ')}`
        : undefined;
    await this.#history.recordLanded(
      [
        {
          ensemble: ensemble.config.name,
          path: result.path,
          action,
          actor,
          createdAt: new Date().toISOString(),
          changedKeys,
          before: before && { ...before },
          after: after && { ...after },
          version: result.after?.version,
          note: [note, forcedNote].filter(Boolean).join('; ') || undefined,
        },
      ],
      { path: result.path, version: result.after?.version },
    );
    return {
      ...result,
      changedKeys,
      unchanged: false,
      forcedBrokenPaths: broken,
    };
  }

  /** Records a write made through the raw ZooKeeper routes to a configuration level. */
  async recordRaw(options: RawConfigWrite) {
    await this.#history.recordLanded(
      [
        {
          ensemble: options.ensemble,
          path: options.path,
          action: 'raw',
          actor: options.actor,
          createdAt: new Date().toISOString(),
          changedKeys: changedKeysOf(options.before, options.after),
          before: options.before && { ...options.before },
          after: options.after && { ...options.after },
          version: options.version,
          note: 'raw znode write',
        },
      ],
      { path: options.path, version: options.version },
    );
  }
}

export function changedKeysOf(
  before?: ConfigProperties,
  after?: ConfigProperties,
): string[] {
  const keys = new Set([
    ...Object.keys(before ?? {}),
    ...Object.keys(after ?? {}),
  ]);
  return [...keys].filter(k => before?.[k] !== after?.[k]).sort();
}
