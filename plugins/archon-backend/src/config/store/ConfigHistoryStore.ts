import type { Knex } from 'knex';
import type { ConfigProperties } from '../core';

/** One configuration write made through archon. */
export interface ConfigHistoryEntry {
  id: string;
  ensemble: string;
  path: string;
  action: 'put' | 'patch' | 'delete' | 'import';
  actor: string;
  createdAt: string;
  changedKeys: string[];
  before?: ConfigProperties;
  after?: ConfigProperties;
  version?: number;
}

/** Stores and lists configuration history in archon's database. */
export class ConfigHistoryStore {
  readonly #db: Knex;

  constructor(db: Knex) {
    this.#db = db;
  }

  async add(entry: Omit<ConfigHistoryEntry, 'id'>): Promise<void> {
    await this.#db('archon_config_history').insert({
      ensemble: entry.ensemble,
      path: entry.path,
      action: entry.action,
      actor: entry.actor,
      created_at: new Date(entry.createdAt),
      changed_keys: JSON.stringify(entry.changedKeys),
      before: entry.before ? JSON.stringify(entry.before) : null,
      after: entry.after ? JSON.stringify(entry.after) : null,
      version: entry.version ?? null,
    });
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
    const rows = await query;
    return rows.map(row => ({
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
    }));
  }
}
