import type { Knex } from 'knex';
import { DatabaseDeadline } from '../database/DatabaseDeadline';

/** One mutation made through archon, as stored (summaries already masked). */
export interface AuditEntry {
  id: string;
  time: string;
  actor: string;
  action: string;
  target: {
    system: string;
    cluster?: string;
    resource: string;
    configPath?: string;
  };
  outcome: 'success' | 'failure';
  error?: string;
  before?: Record<string, unknown>;
  after?: Record<string, unknown>;
  meta?: Record<string, unknown>;
  requestId?: string;
}

/** Entries of these systems (any when absent) with one of these configuration paths and/or resources. */
export interface AuditMatch {
  systems?: string[];
  configPaths?: string[];
  resources?: string[];
}

export interface AuditQuery {
  actor?: string;
  action?: string;
  system?: string;
  cluster?: string;
  /** Matches resources that start with it (`/team-a` finds `/team-a/app`). */
  targetPrefix?: string;
  /** Entries matching any of these (for timelines); none matches nothing. */
  anyOf?: AuditMatch[];
  outcome?: 'success' | 'failure';
  since?: Date;
  until?: Date;
  /** Entries older than this id (the cursor of the previous page). */
  before?: string;
  /**
   * `id` (default): insertion order, paged with `before`. `time`: by time,
   * then id, paged with `after`; for views that merge the log with other
   * time-ordered records (timelines).
   */
  order?: 'id' | 'time';
  /** With `order: 'time'`: entries listed after this one (older, or as old with a smaller id). */
  after?: { time: Date; id: string };
  limit: number;
}

/** archon's persistent audit log (SQLite or PostgreSQL), newest first. */
export class AuditStore {
  readonly #db: Knex;
  readonly #deadline: DatabaseDeadline;

  /** `deadline`: how long a request may wait for the database (see {@link DatabaseDeadline}). */
  constructor(db: Knex, deadline = new DatabaseDeadline()) {
    this.#db = db;
    this.#deadline = deadline;
  }

  async add(entry: Omit<AuditEntry, 'id'>): Promise<void> {
    await this.#deadline.run('record an audit entry', () =>
      this.#db('archon_audit_log').insert({
        created_at: new Date(entry.time),
        actor: entry.actor,
        action: entry.action,
        system: entry.target.system,
        cluster: entry.target.cluster ?? null,
        resource: entry.target.resource,
        config_path: entry.target.configPath ?? null,
        outcome: entry.outcome,
        error: entry.error ?? null,
        before: entry.before ? JSON.stringify(entry.before) : null,
        after: entry.after ? JSON.stringify(entry.after) : null,
        meta: entry.meta ? JSON.stringify(entry.meta) : null,
        request_id: entry.requestId ?? null,
      }),
    );
  }

  /** Newest first (by id, which follows insertion); page on with `before`. */
  async list(query: AuditQuery): Promise<AuditEntry[]> {
    const q = this.#db('archon_audit_log').limit(query.limit);
    if (query.order === 'time') q.orderBy('created_at', 'desc');
    q.orderBy('id', 'desc');
    if (query.actor) q.where('actor', query.actor);
    if (query.action) q.where('action', query.action);
    if (query.system) q.where('system', query.system);
    if (query.cluster) q.where('cluster', query.cluster);
    if (query.outcome) q.where('outcome', query.outcome);
    if (query.targetPrefix) {
      // Not LIKE: no wildcards to escape, and case-sensitive on SQLite as on PostgreSQL.
      q.whereRaw('substr(resource, 1, ?) = ?', [
        query.targetPrefix.length,
        query.targetPrefix,
      ]);
    }
    if (query.since) q.where('created_at', '>=', query.since);
    if (query.until) q.where('created_at', '<', query.until);
    if (query.before) q.where('id', '<', Number(query.before));
    const after = query.after;
    if (after) {
      // Keyset paging on (time, id): entries of the same millisecond are neither skipped nor repeated.
      q.where(older =>
        older
          .where('created_at', '<', after.time)
          .orWhere(same =>
            same
              .where('created_at', after.time)
              .andWhere('id', '<', Number(after.id)),
          ),
      );
    }
    if (query.anyOf) {
      const matches = query.anyOf;
      q.where(inner => {
        inner.whereRaw('1 = 0');
        for (const m of matches) {
          inner.orWhere(all => {
            if (m.systems) all.whereIn('system', m.systems);
            if (m.configPaths) all.whereIn('config_path', m.configPaths);
            if (m.resources) all.whereIn('resource', m.resources);
          });
        }
      });
    }
    return (await this.#deadline.run('read the audit log', () => q)).map(
      toEntry,
    );
  }
}

function toEntry(row: any): AuditEntry {
  const json = (text: string | null) => (text ? JSON.parse(text) : undefined);
  return {
    id: String(row.id),
    time: new Date(row.created_at).toISOString(),
    actor: row.actor,
    action: row.action,
    target: {
      system: row.system,
      ...(row.cluster ? { cluster: row.cluster } : {}),
      resource: row.resource,
      ...(row.config_path ? { configPath: row.config_path } : {}),
    },
    outcome: row.outcome,
    ...(row.error ? { error: row.error } : {}),
    ...(row.before ? { before: json(row.before) } : {}),
    ...(row.after ? { after: json(row.after) } : {}),
    ...(row.meta ? { meta: json(row.meta) } : {}),
    ...(row.request_id ? { requestId: row.request_id } : {}),
  };
}
