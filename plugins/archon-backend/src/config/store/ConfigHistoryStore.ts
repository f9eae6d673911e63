import type { LoggerService } from '@backstage/backend-plugin-api';
import type { Knex } from 'knex';
import { DatabaseDeadline } from '../../database/DatabaseDeadline';
import type { ConfigProperties } from '../core';
import { LandedHistory } from './LandedHistory';

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

/** A history entry as written, with the key that makes writing it again a no-op. */
export interface KeyedHistoryEntry {
  entry: Omit<ConfigHistoryEntry, 'id'>;
  key?: string;
}

/** Stores and lists configuration history in archon's database. */
export class ConfigHistoryStore {
  readonly #db: Knex;
  readonly #deadline: DatabaseDeadline;
  readonly #landed: LandedHistory;

  /** `deadline`: how long a request may wait for the database (see {@link DatabaseDeadline}). */
  constructor(
    db: Knex,
    deadline = new DatabaseDeadline(),
    logger?: LoggerService,
  ) {
    this.#db = db;
    this.#deadline = deadline;
    this.#landed = new LandedHistory({
      insert: entries => this.addAll(entries),
      logger,
    });
  }

  async add(entry: Omit<ConfigHistoryEntry, 'id'>): Promise<void> {
    await this.addAll([{ entry }]);
  }

  /** One statement: every entry or none; an entry whose key is already stored is skipped. */
  async addAll(entries: KeyedHistoryEntry[]): Promise<void> {
    if (entries.length === 0) return;
    const rows = entries.map(({ entry, key }) => ({
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
      entry_key: key ?? null,
    }));
    await this.#deadline.run('record a configuration history entry', () =>
      this.#db('archon_config_history')
        .insert(rows)
        .onConflict('entry_key')
        .ignore(),
    );
  }

  /**
   * Answers when the database would take a history entry now, else throws
   * 503/504 "archon's database …": asked before a write touches ZooKeeper,
   * so a database that is away refuses the write instead of leaving a change
   * without its history.
   */
  async ready(path: string): Promise<void> {
    await this.#deadline.run(`check it can record the history of ${path}`, () =>
      this.#db.raw('select 1'),
    );
  }

  /**
   * Records the history of a change that has landed in ZooKeeper (see
   * {@link LandedHistory}): when the database does not take it now, it is
   * kept and recorded once the database answers, and the caller gets a
   * 503/504 saying the change is written and its history pending.
   */
  recordLanded(
    entries: Array<Omit<ConfigHistoryEntry, 'id'>>,
    change: { path: string; version?: number },
  ): Promise<void> {
    return this.#landed.record(entries, change);
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
