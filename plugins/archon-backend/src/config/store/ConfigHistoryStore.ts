import type { Knex } from 'knex';
import { DatabaseDeadline } from '../../database/DatabaseDeadline';
import type { ConfigProperties } from '../core';

/** One configuration write made through archon. */
export interface ConfigHistoryEntry {
  id: string;
  ensemble: string;
  path: string;
  /** `restore`: an earlier version written again; `raw`: a write through the ZooKeeper routes. */
  action: 'put' | 'patch' | 'delete' | 'import' | 'restore' | 'raw';
  actor: string;
  createdAt: string;
  changedKeys: string[];
  before?: ConfigProperties;
  after?: ConfigProperties;
  version?: number;
  /** Where the write came from when the action does not say it, e.g. `restored from v3`. */
  note?: string;
}

/** Stores and lists configuration history in archon's database. */
export class ConfigHistoryStore {
  readonly #db: Knex;
  readonly #deadline: DatabaseDeadline;

  /** `deadline`: how long a request may wait for the database (see {@link DatabaseDeadline}). */
  constructor(db: Knex, deadline = new DatabaseDeadline()) {
    this.#db = db;
    this.#deadline = deadline;
  }

  async add(entry: Omit<ConfigHistoryEntry, 'id'>): Promise<void> {
    await this.#deadline.run('record a configuration history entry', () =>
      this.#db('archon_config_history').insert({
        ensemble: entry.ensemble,
        path: entry.path,
        action: entry.action,
        actor: entry.actor,
        created_at: new Date(entry.createdAt),
        changed_keys: JSON.stringify(entry.changedKeys),
        before: entry.before ? JSON.stringify(entry.before) : null,
        after: entry.after ? JSON.stringify(entry.after) : null,
        version: entry.version ?? null,
        note: entry.note ?? null,
      }),
    );
  }

  /** Newest first; `before` pages backwards by id. */
  async list(options: {
    ensemble: string;
    path: string;
    limit: number;
    before?: string;
  }): Promise<ConfigHistoryEntry[]> {
    const query = this.#db('archon_config_history')
      .where({ ensemble: options.ensemble, path: options.path })
      .orderBy('id', 'desc')
      .limit(options.limit);
    if (options.before) query.where('id', '<', Number(options.before));
    return (
      await this.#deadline.run('read configuration history', () => query)
    ).map(rowToEntry);
  }

  /** The newest entry of `path` that left the set at `version`. */
  async findVersion(options: {
    ensemble: string;
    path: string;
    version: number;
  }): Promise<ConfigHistoryEntry | undefined> {
    const row = await this.#deadline.run('read configuration history', () =>
      this.#db('archon_config_history')
        .where({
          ensemble: options.ensemble,
          path: options.path,
          version: options.version,
        })
        .whereNotNull('after')
        .orderBy('id', 'desc')
        .first(),
    );
    return row ? rowToEntry(row) : undefined;
  }
}

function rowToEntry(row: any): ConfigHistoryEntry {
  return {
    id: String(row.id),
    ensemble: row.ensemble,
    path: row.path,
    action: row.action,
    actor: row.actor,
    createdAt: new Date(row.created_at).toISOString(),
    changedKeys: JSON.parse(row.changed_keys),
    before: row.before ? JSON.parse(row.before) : undefined,
    after: row.after ? JSON.parse(row.after) : undefined,
    version: row.version ?? undefined,
    note: row.note ?? undefined,
  };
}
