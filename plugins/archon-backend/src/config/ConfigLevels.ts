import type { ConfigTreeNode } from '@archon/plugin-archon-common';
import type { LoggerService } from '@backstage/backend-plugin-api';
import { InputError, NotFoundError } from '@backstage/errors';
import type { ConfigHistoryStore } from './store/ConfigHistoryStore';
import {
  ConfigWrites,
  type ConfigWriteRequest,
  type RawConfigWrite,
} from './ConfigWrites';
import { redeployNeeds, type RedeployNeed } from './redeployNeeds';
import type { ReleaseStore } from '../deploy/store/ReleaseStore';
import {
  ConfigImpactAnalyzer,
  ConfigResolver,
  ResolutionCache,
  ancestorsOf,
  getConfigSetCodec,
  isPrefixOf,
  levelClassifier,
  openLevelReason,
  parseConfigPath,
  type ConfigImpactReport,
  type ConfigLevel,
  type ConfigProperties,
  type ConfigResolutionFailure,
  type EffectiveConfig,
} from './core';
import { ConfigSetWriter } from './store/ConfigSetWriter';
import { ConfigTreeCache } from './store/ConfigTreeCache';
import { ZooKeeperSession } from '../zookeeper/ZooKeeperSession';
import type { ZooKeeperEnsembleConfig } from '../zookeeper/ZooKeeperEnsembleConfig';

/** One ensemble's live parts. */
export interface ConfigEnsemble {
  config: ZooKeeperEnsembleConfig;
  session: ZooKeeperSession;
  cache: ConfigTreeCache;
  writer: ConfigSetWriter;
}

/**
 * A node of `GET /config/tree`: the API's own model (generated from the
 * OpenAPI spec); children present to the requested depth, `failing` or
 * `open` when the level's effective configuration does not resolve (the one
 * rule: {@link levelClassifier}).
 */
export type { ConfigTreeNode };

/**
 * The configuration levels of every ensemble: reads served from the
 * ensembles' watch-driven caches, writes through {@link ConfigSetWriter},
 * the tree, effective configurations, impact and history. The releases
 * build on it ({@link ConfigService}).
 */
export class ConfigLevels {
  readonly #ensembles: Map<string, ConfigEnsemble>;
  readonly #defaultEnsemble?: string;
  readonly #history: ConfigHistoryStore;
  protected readonly releases: ReleaseStore;
  readonly #resolver = new ConfigResolver();
  /** Effective configurations and the tree's failing marks, remembered per tree version. */
  readonly #resolutions = new ResolutionCache(this.#resolver);
  readonly #analyzer = new ConfigImpactAnalyzer();
  readonly #writes: ConfigWrites;

  constructor(options: {
    ensembles: ZooKeeperEnsembleConfig[];
    defaultEnsemble?: string;
    history: ConfigHistoryStore;
    releases: ReleaseStore;
    logger: LoggerService;
  }) {
    this.#history = options.history;
    this.releases = options.releases;
    this.#defaultEnsemble =
      options.defaultEnsemble ?? options.ensembles[0]?.name;
    this.#writes = new ConfigWrites({
      history: options.history,
      analyzer: this.#analyzer,
      ensemble: name => this.#ready(name),
    });
    this.#ensembles = new Map(
      options.ensembles.map(config => {
        const logger = options.logger.child({ zookeeper: config.name });
        const session = new ZooKeeperSession(config, logger);
        const codec = getConfigSetCodec(config.encoding);
        const cache = new ConfigTreeCache({
          session,
          root: config.root,
          codec,
          logger,
        });
        const writer = new ConfigSetWriter({ session, cache, codec });
        return [config.name, { config, session, cache, writer }];
      }),
    );
  }

  start(): void {
    for (const e of this.#ensembles.values()) e.cache.start();
  }

  close(): void {
    for (const e of this.#ensembles.values()) e.session.close();
  }

  ensembleNames(): string[] {
    return [...this.#ensembles.keys()];
  }

  /** The named ensemble, or the default; 400 naming the known ones otherwise. */
  ensemble(name?: string): ConfigEnsemble {
    const key = name ?? this.#defaultEnsemble;
    const ensemble = key ? this.#ensembles.get(key) : undefined;
    if (!ensemble) {
      throw new InputError(
        key
          ? `Unknown ZooKeeper ensemble "${key}"; configured: ${
              this.ensembleNames().join(', ') || 'none'
            }`
          : 'No ZooKeeper ensemble is configured (archon.zookeeper.ensembles)',
      );
    }
    return ensemble;
  }

  /** A ready cache (503 while ZooKeeper is away, unless `allowStale` and it was loaded before). */
  async #ready(
    name?: string,
    options: { allowStale?: boolean } = {},
  ): Promise<ConfigEnsemble> {
    const ensemble = this.ensemble(name);
    await ensemble.cache.ready(undefined, options);
    return ensemble;
  }

  /** Set while reads are served from a cache ZooKeeper cannot confirm (see ConfigTreeCache.staleness). */
  staleness(
    ensembleName?: string,
  ): { system: string; asOf: number } | undefined {
    const { cache, session } = this.ensemble(ensembleName);
    const stale = cache.staleness();
    return stale && { system: session.description, asOf: stale.asOf };
  }

  async getSet(path: string, ensembleName?: string) {
    parseConfigPath(path);
    const { cache } = await this.#ready(ensembleName);
    const level = cache.snapshot().get(path);
    const invalid = cache.invalidLevel(path);
    if (invalid) {
      throw new InputError(
        `The znode of ${path} cannot be read as a configuration set: ${invalid.message}`,
      );
    }
    if (!level || !level.hasSet) {
      throw new NotFoundError(
        level
          ? `${path} exists but holds no configuration set (an intermediate level)`
          : `There is no configuration level ${path}`,
      );
    }
    return {
      path,
      properties: { ...level.properties },
      version: level.version,
    };
  }

  putSet(
    path: string,
    properties: unknown,
    actor: string,
    options: ConfigWriteRequest,
  ) {
    return this.#writes.put(path, properties, actor, options);
  }

  patchSet(
    path: string,
    change: { set?: unknown; unset?: string[] },
    actor: string,
    options: ConfigWriteRequest,
  ) {
    return this.#writes.patch(path, change, actor, options);
  }

  deleteSet(path: string, actor: string, options: ConfigWriteRequest) {
    return this.#writes.delete(path, actor, options);
  }

  pruneLevel(
    path: string,
    actor: string,
    options: { recursive?: boolean; ensemble?: string },
  ) {
    return this.#writes.prune(path, actor, options);
  }

  restoreSet(
    path: string,
    version: number,
    actor: string,
    options: ConfigWriteRequest,
  ) {
    return this.#writes.restore(path, version, actor, options);
  }

  recordRawWrite(entry: RawConfigWrite) {
    return this.#writes.recordRaw(entry);
  }

  /** The levels under `prefix` to `depth` levels (1 = direct children). */
  async tree(options: {
    prefix?: string;
    depth: number;
    ensemble?: string;
    /** Hides text taken from secret values in the reasons of failing levels. */
    maskFailure?: (failure: ConfigResolutionFailure) => ConfigResolutionFailure;
  }): Promise<ConfigTreeNode> {
    const prefix =
      options.prefix && options.prefix !== '/' ? options.prefix : '/';
    if (prefix !== '/') parseConfigPath(prefix);
    const ensemble = await this.#ready(options.ensemble);
    const { cache } = ensemble;
    const levels = cache.snapshot();
    if (prefix !== '/' && !levels.has(prefix)) {
      throw new NotFoundError(`There is no configuration level ${prefix}`);
    }
    const classify = levelClassifier(
      this.#resolutions,
      levels,
      await this.releases.deployedPaths(ensemble.config.name),
    );
    const build = (path: string, depth: number): ConfigTreeNode => {
      const level = levels.get(path);
      const children = cache.childrenOf(path);
      const resolution = path === '/' ? undefined : classify(path);
      return {
        ...(resolution?.state === 'failing' && {
          failing: {
            keys: resolution.failure.unresolvedKeys,
            reason: (
              options.maskFailure?.(resolution.failure) ?? resolution.failure
            ).problems
              .map(p => p.message)
              .join('; '),
          },
        }),
        ...(resolution?.state === 'open' && {
          open: {
            keys: resolution.openKeys,
            reason: openLevelReason(resolution),
          },
        }),
        path,
        hasSet: level?.hasSet ?? false,
        version: level?.version,
        keyCount: level?.hasSet ? Object.keys(level.properties).length : 0,
        childCount: children.length,
        children:
          depth > 0
            ? children.map(name =>
                build(path === '/' ? `/${name}` : `${path}/${name}`, depth - 1),
              )
            : undefined,
      };
    };
    return build(prefix, options.depth);
  }

  /** Effective configuration with provenance; 404 for a level that does not exist, 422 when it does not resolve. */
  async effective(
    path: string,
    ensembleName?: string,
  ): Promise<EffectiveConfig> {
    const { levels } = await this.#resolvable(path, ensembleName);
    return this.#resolutions.resolve(levels, path);
  }

  /** Like {@link ConfigService.effective}, but keys that do not resolve come back in `errors` instead of a 422. */
  async effectivePartial(path: string, ensembleName?: string) {
    const { levels } = await this.#resolvable(path, ensembleName);
    return this.#resolver.resolvePartial(levels, path);
  }

  /** The snapshot to resolve `path` in: 404 when the level does not exist, 400 when a level on the way is unreadable. */
  async #resolvable(path: string, ensembleName?: string) {
    parseConfigPath(path);
    // Effective config is served from the cache while ZooKeeper is away, marked stale by the route.
    const { cache } = await this.#ready(ensembleName, { allowStale: true });
    const levels = cache.snapshot();
    if (!levels.has(path)) {
      const existing = ancestorsOf(path)
        .filter(p => levels.has(p))
        .pop();
      throw new NotFoundError(
        `There is no configuration level ${path}${
          existing ? ` (the deepest existing level is ${existing})` : ''
        }`,
      );
    }
    for (const level of ancestorsOf(path)) {
      const invalid = cache.invalidLevel(level);
      if (invalid) {
        throw new InputError(
          `The znode of ${level} cannot be read as a configuration set: ${invalid.message}`,
        );
      }
    }
    return { cache, levels };
  }

  /**
   * What an edit of one level would do to every path at or below it, before
   * anything is written. `basedOnVersion` is the level's version the analysis
   * used: save with it as `expectedVersion` to be sure nothing changed since.
   */
  async impact(
    path: string,
    proposal: {
      properties?: ConfigProperties;
      set?: ConfigProperties;
      unset?: string[];
      delete?: boolean;
    },
    ensembleName?: string,
  ): Promise<
    ConfigImpactReport & { basedOnVersion?: number; redeploy: RedeployNeed[] }
  > {
    parseConfigPath(path);
    const { cache } = await this.#ready(ensembleName);
    const levels = cache.snapshot();
    const current: ConfigLevel | undefined = levels.get(path);
    let proposed: ConfigProperties | null;
    if (proposal.delete) proposed = null;
    else if (proposal.properties) proposed = proposal.properties;
    else {
      proposed = { ...(current?.hasSet ? current.properties : {}) };
      for (const key of proposal.unset ?? []) delete proposed[key];
      Object.assign(proposed, proposal.set ?? {});
    }
    // Copy first: the live map may change while the analysis runs.
    const report = this.#analyzer.analyze(new Map(levels), path, proposed);
    const touched = [...report.changed, ...report.startsFailing].map(
      entry => entry.path,
    );
    const redeploy = await redeployNeeds(
      this.releases,
      this.ensemble(ensembleName).config.name,
      touched,
    );
    return { ...report, basedOnVersion: current?.version, redeploy };
  }

  async history(
    path: string,
    options: { ensemble?: string; limit: number; before?: string },
  ) {
    parseConfigPath(path);
    return this.#history.list({
      ensemble: this.ensemble(options.ensemble).config.name,
      path,
      limit: options.limit,
      before: options.before,
    });
  }

  /** All levels at or below `prefix`, for the graph and for batch tools. */
  async listPaths(prefix: string, ensembleName?: string): Promise<string[]> {
    const { cache } = await this.#ready(ensembleName);
    return [...cache.snapshot().keys()]
      .filter(p => prefix === '/' || isPrefixOf(prefix, p))
      .sort();
  }
}
