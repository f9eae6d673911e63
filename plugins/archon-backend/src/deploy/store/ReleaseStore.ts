import type { Knex } from 'knex';
import { DatabaseDeadline } from '../../database/DatabaseDeadline';
import type { ConfigProperties, ConfigProvenance } from '../../config/core';

export type ReleaseStatus = 'created' | 'deploying' | 'deployed' | 'failed';

/** An immutable snapshot of a path's effective configuration, made for one deploy. */
export interface Release {
  id: string;
  ensemble: string;
  path: string;
  /** Where it is deployed, e.g. `{ kind: 'marathon', instance: 'local', workloadId: '/foo/bar' }`. */
  target: Record<string, unknown>;
  createdBy: string;
  createdAt: string;
  properties: ConfigProperties;
  provenance: Record<string, ConfigProvenance>;
  versions: Record<string, number>;
  status: ReleaseStatus;
  outcome?: Record<string, unknown>;
  updatedAt: string;
}

/** Where a page of releases ended: the last release's creation time and id (the list's sort key). */
export interface ReleaseCursor {
  createdAt: string;
  id: string;
}

/**
 * Releases in archon's database. The snapshot columns are written once; only
 * status and outcome change as the deploy goes on.
 */
export class ReleaseStore {
  readonly #db: Knex;
  readonly #deadline: DatabaseDeadline;

  /** `deadline`: how long a request may wait for the database (see {@link DatabaseDeadline}). */
  constructor(db: Knex, deadline = new DatabaseDeadline()) {
    this.#db = db;
    this.#deadline = deadline;
  }

  async create(release: Release): Promise<void> {
    await this.#deadline.run('record a release', () =>
      this.#db('archon_releases').insert({
        id: release.id,
        ensemble: release.ensemble,
        path: release.path,
        target: JSON.stringify(release.target),
        instance: instanceOfTarget(release.target) ?? null,
        created_by: release.createdBy,
        created_at: new Date(release.createdAt),
        properties: JSON.stringify(release.properties),
        provenance: JSON.stringify(release.provenance),
        versions: JSON.stringify(release.versions),
        status: release.status,
        outcome: release.outcome ? JSON.stringify(release.outcome) : null,
        updated_at: new Date(release.updatedAt),
      }),
    );
  }

  async setStatus(
    id: string,
    status: ReleaseStatus,
    outcome?: Record<string, unknown>,
  ): Promise<void> {
    await this.#deadline.run("record a release's status", () =>
      this.#db('archon_releases')
        .where({ id })
        .update({
          status,
          outcome: outcome ? JSON.stringify(outcome) : null,
          updated_at: new Date(),
        }),
    );
  }

  async get(id: string): Promise<Release | undefined> {
    const row = await this.#deadline.run('read a release', () =>
      this.#db('archon_releases').where({ id }).first(),
    );
    return row ? toRelease(row) : undefined;
  }

  /** Newest first. */
  async list(options: {
    ensemble?: string;
    path?: string;
    /** Only releases to this deploy target (`target.instance`). */
    instance?: string;
    status?: ReleaseStatus;
    /** Only releases created before this (paging back through a timeline). */
    until?: Date;
    /** Only releases listed after this one (keyset paging: older, or as old with a smaller id). */
    after?: ReleaseCursor;
    limit: number;
  }): Promise<Release[]> {
    const query = this.#db('archon_releases')
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .limit(options.limit);
    if (options.ensemble) query.where('ensemble', options.ensemble);
    if (options.path) query.where('path', options.path);
    if (options.instance) query.where('instance', options.instance);
    if (options.status) query.where('status', options.status);
    if (options.until) query.where('created_at', '<', options.until);
    const after = options.after;
    if (after) {
      const at = new Date(after.createdAt);
      query.where(older =>
        older
          .where('created_at', '<', at)
          .orWhere(same =>
            same.where('created_at', at).andWhere('id', '<', after.id),
          ),
      );
    }
    return (await this.#deadline.run('list releases', () => query)).map(
      toRelease,
    );
  }

  /**
   * The latest deployed release of each path of the ensemble on each deploy
   * target (what runs there now), in one query however many paths: the
   * newest `created_at` per (path, instance) among the deployed releases,
   * ties broken by the larger id (ids sort by creation). Two targets of one
   * path are two entries: neither hides the other. `paths` limits the answer
   * to those paths. Newest first.
   */
  async latestDeployed(options: {
    ensemble: string;
    paths?: readonly string[];
  }): Promise<Release[]> {
    const { ensemble, paths } = options;
    if (paths && paths.length === 0) return [];
    const newest = this.#db('archon_releases')
      .select('path', 'instance')
      .max({ newest: 'created_at' })
      .where({ ensemble, status: 'deployed' })
      .groupBy('path', 'instance');
    if (paths) newest.whereIn('path', paths);
    const rows = await this.#deadline.run('read the deployed releases', () =>
      this.#db('archon_releases as r')
        .select('r.*')
        .join(newest.as('n'), join =>
          join
            .on('r.path', 'n.path')
            .andOn('r.created_at', 'n.newest')
            // A release that names no instance is its own group (null = null is not true in SQL).
            .andOn(same =>
              same
                .on('r.instance', 'n.instance')
                .orOn(none =>
                  none.onNull('r.instance').andOnNull('n.instance'),
                ),
            ),
        )
        .where({ 'r.ensemble': ensemble, 'r.status': 'deployed' }),
    );
    const latest = new Map<string, Release>();
    for (const row of rows) {
      const release = toRelease(row);
      const key = `${instanceOfTarget(release.target) ?? ''}\u0000${
        release.path
      }`;
      const seen = latest.get(key);
      if (!seen || seen.id < release.id) latest.set(key, release);
    }
    return [...latest.values()].sort((a, b) => (a.id < b.id ? 1 : -1));
  }

  /** The paths of the ensemble with a deployed release (the paths apps were deployed from). */
  async deployedPaths(ensemble: string): Promise<Set<string>> {
    const rows = await this.#deadline.run('read the deployed paths', () =>
      this.#db('archon_releases')
        .distinct('path')
        .where({ ensemble, status: 'deployed' }),
    );
    return new Set(rows.map((r: { path: string }) => r.path));
  }
}

/** The deploy target a release's target names (`{ kind, instance, ... }`). */
function instanceOfTarget(target: Record<string, unknown>): string | undefined {
  return typeof target.instance === 'string' ? target.instance : undefined;
}

function toRelease(row: any): Release {
  return {
    id: row.id,
    ensemble: row.ensemble,
    path: row.path,
    target: JSON.parse(row.target),
    createdBy: row.created_by,
    createdAt: new Date(row.created_at).toISOString(),
    properties: JSON.parse(row.properties),
    provenance: JSON.parse(row.provenance),
    versions: JSON.parse(row.versions),
    status: row.status,
    outcome: row.outcome ? JSON.parse(row.outcome) : undefined,
    updatedAt: new Date(row.updated_at).toISOString(),
  };
}
