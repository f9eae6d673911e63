import { randomBytes } from 'node:crypto';
import { isErrorWithName, NotFoundError } from '@backstage/errors';
import type { Release, ReleaseCursor } from '../deploy/store/ReleaseStore';
import {
  ConfigResolutionError,
  diffEffectiveConfigs,
  parseConfigPath,
  type ConfigDiff,
} from './core';
import { ConfigLevels } from './ConfigLevels';

export type { ConfigEnsemble, ConfigTreeNode } from './ConfigLevels';

/**
 * The Pheidippides configuration service: reads served from the ensembles'
 * watch-driven caches, writes through {@link ConfigSetWriter}, history and
 * releases in archon's database. No HTTP here; masking and permissions are
 * the router's.
 */
export class ConfigService extends ConfigLevels {
  /**
   * Snapshots the effective configuration of `path` as an immutable release
   * (used by the deploy flow). Fails with 422 when it does not resolve, so no
   * release ever holds a broken configuration.
   */
  async createRelease(options: {
    path: string;
    target: Record<string, unknown>;
    actor: string;
    ensemble?: string;
    /** A {@link newReleaseId} the deploy flow is already known by. */
    id?: string;
  }): Promise<Release> {
    const effective = await this.effective(options.path, options.ensemble);
    const now = new Date().toISOString();
    const release: Release = {
      id: options.id ?? newReleaseId(),
      ensemble: this.ensemble(options.ensemble).config.name,
      path: options.path,
      target: options.target,
      createdBy: options.actor,
      createdAt: now,
      properties: effective.properties,
      provenance: effective.provenance,
      versions: effective.versions,
      status: 'created',
      updatedAt: now,
    };
    await this.releases.create(release);
    return release;
  }

  /**
   * A new release that re-ships an earlier release's snapshot (a rollback):
   * the same properties, provenance and versions, not today's configuration.
   */
  async createReleaseFromSnapshot(options: {
    from: Release;
    target: Record<string, unknown>;
    actor: string;
    id?: string;
  }): Promise<Release> {
    const now = new Date().toISOString();
    const release: Release = {
      id: options.id ?? newReleaseId(),
      ensemble: options.from.ensemble,
      path: options.from.path,
      target: options.target,
      createdBy: options.actor,
      createdAt: now,
      properties: { ...options.from.properties },
      provenance: { ...options.from.provenance },
      versions: { ...options.from.versions },
      status: 'created',
      updatedAt: now,
    };
    await this.releases.create(release);
    return release;
  }

  listReleases(options: {
    path?: string;
    ensemble?: string;
    instance?: string;
    status?: Release['status'];
    until?: Date;
    after?: ReleaseCursor;
    limit: number;
  }) {
    if (options.path) parseConfigPath(options.path);
    return this.releases.list({
      ensemble: options.ensemble && this.ensemble(options.ensemble).config.name,
      path: options.path,
      instance: options.instance,
      status: options.status,
      until: options.until,
      after: options.after,
      limit: options.limit,
    });
  }

  async getRelease(id: string): Promise<Release> {
    const release = await this.releases.get(id);
    if (!release) throw new NotFoundError(`There is no release ${id}`);
    return release;
  }

  setReleaseStatus(
    id: string,
    status: Release['status'],
    outcome?: Record<string, unknown>,
  ) {
    return this.releases.setStatus(id, status, outcome);
  }

  /** A release against the current effective config of its path, or against another release. */
  async diffRelease(
    id: string,
    against: string,
  ): Promise<{ from: string; to: string; diff: ConfigDiff }> {
    const release = await this.getRelease(id);
    if (against === 'current') {
      const current = await this.effective(release.path, release.ensemble);
      return {
        from: release.id,
        to: 'current',
        diff: diffEffectiveConfigs(release, current),
      };
    }
    const other = await this.getRelease(against);
    return {
      from: release.id,
      to: other.id,
      diff: diffEffectiveConfigs(release, other),
    };
  }

  /** The paths of an ensemble apps were deployed from (a deployed release). */
  deployedPaths(ensembleName?: string): Promise<Set<string>> {
    return this.releases.deployedPaths(this.ensemble(ensembleName).config.name);
  }

  /**
   * What the next deploy of `path` would ship that the latest deployed
   * release (what runs now) did not. Releases whose deploy failed or is
   * still going on are not the baseline: they never (yet) ran. With
   * `instance`, what runs on that deploy target (a path deployed to two
   * targets has two baselines); without, the newest of any target.
   */
  async pending(
    path: string,
    ensembleName?: string,
    instance?: string,
  ): Promise<{ path: string; latestRelease?: Release; diff: ConfigDiff }> {
    const current = await this.effective(path, ensembleName);
    const [latest] = await this.releases.list({
      ensemble: this.ensemble(ensembleName).config.name,
      path,
      instance,
      status: 'deployed',
      limit: 1,
    });
    const base = latest ?? { properties: {}, provenance: {} };
    return {
      path,
      latestRelease: latest,
      diff: diffEffectiveConfigs(base, current),
    };
  }

  /**
   * {@link ConfigService.pending} of many paths that were deployed, per deploy
   * target (a path on two targets is two entries, each against what runs
   * there): one database read for all their latest deployed releases, then each path's
   * effective configuration from the cache. A path with no deployed release
   * is left out (there is no release to compare with), and so is a path
   * that does not resolve or whose level is gone (it cannot be deployed: a
   * failing level is counted as such).
   */
  async pendingOfDeployed(
    paths: readonly string[],
    ensembleName?: string,
  ): Promise<
    Array<{ path: string; latestRelease: Release; diff: ConfigDiff }>
  > {
    const latest = await this.releases.latestDeployed({
      ensemble: this.ensemble(ensembleName).config.name,
      paths,
    });
    const result = [];
    for (const release of latest) {
      const path = release.path;
      let current;
      try {
        current = await this.effective(path, ensembleName);
      } catch (e) {
        if (ConfigResolutionError.is(e) || isErrorWithName(e, 'NotFoundError'))
          continue;
        throw e;
      }
      result.push({
        path,
        latestRelease: release,
        diff: diffEffectiveConfigs(release, current),
      });
    }
    return result;
  }
}

/** Time-ordered ids sort the same way as creation. */
export function newReleaseId(): string {
  return `rel-${Date.now().toString(36).padStart(9, '0')}-${randomBytes(
    4,
  ).toString('hex')}`;
}
