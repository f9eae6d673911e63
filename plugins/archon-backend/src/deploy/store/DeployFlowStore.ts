import type { Knex } from 'knex';
import { DatabaseDeadline } from '../../database/DatabaseDeadline';
import type { DeployFlowView, DeployProgressEvent } from '../DeployFlow';

/** Events one read returns at most (as many as a flow keeps in memory). */
const MAX_EVENTS_PER_READ = 2000;

/**
 * Deploys and operations an orchestrator accepted, and their progress, so
 * that any backend replica can show a flow another one runs. The replica
 * running a flow is the only writer of its rows.
 */
/** Which deploy flows to list, and from where (a page's last flow). */
export interface DeployListFilter {
  configPath?: string;
  instance?: string;
  status?: string;
  limit: number;
  after?: { startedAt: string; id: string };
}

export class DeployFlowStore {
  readonly #db: Knex;
  readonly #deadline: DatabaseDeadline;

  /** `deadline`: how long a request may wait for the database (see {@link DatabaseDeadline}). */
  constructor(db: Knex, deadline = new DatabaseDeadline()) {
    this.#db = db;
    this.#deadline = deadline;
  }

  /** Writes the flow's state (without its progress), creating the row the first time. */
  async save(view: DeployFlowView, holder: string): Promise<void> {
    const { progress: _progress, ...rest } = view;
    await this.#deadline.run('record a deploy', () =>
      this.#db('archon_deploy_flows')
        .insert({
          id: view.id,
          kind: view.kind,
          status: view.status,
          instance: view.instance,
          config_path: view.configPath,
          holder,
          started_at: new Date(view.startedAt),
          updated_at: new Date(),
          view: JSON.stringify(rest),
        })
        .onConflict('id')
        .merge(['status', 'updated_at', 'view']),
    );
  }

  async addEvents(
    flowId: string,
    events: DeployProgressEvent[],
  ): Promise<void> {
    if (events.length === 0) return;
    await this.#deadline.run('record deploy progress', () =>
      this.#db('archon_deploy_events')
        .insert(
          events.map(e => ({
            flow_id: flowId,
            seq: e.seq,
            at: e.at,
            type: e.type,
            message: e.message,
            data: e.data ? JSON.stringify(e.data) : null,
          })),
        )
        .onConflict(['flow_id', 'seq'])
        .ignore(),
    );
  }

  async get(
    id: string,
  ): Promise<{ view: DeployFlowView; holder: string } | undefined> {
    const row = await this.#deadline.run('read a deploy', () =>
      this.#db('archon_deploy_flows').where({ id }).first(),
    );
    return row ? { view: JSON.parse(row.view), holder: row.holder } : undefined;
  }

  /** The events after `afterSeq`, oldest first (the latest ones when there are more). */
  async events(flowId: string, afterSeq = 0): Promise<DeployProgressEvent[]> {
    const rows = await this.#deadline.run('read deploy progress', () =>
      this.#db('archon_deploy_events')
        .where({ flow_id: flowId })
        .andWhere('seq', '>', afterSeq)
        .orderBy('seq', 'desc')
        .limit(MAX_EVENTS_PER_READ),
    );
    return rows.reverse().map(row => ({
      seq: row.seq,
      at: row.at,
      type: row.type,
      message: row.message,
      ...(row.data ? { data: JSON.parse(row.data) } : {}),
    }));
  }

  /** Newest first; `after` continues behind a flow shown last (its start, then its id). */
  async list(filter: DeployListFilter): Promise<DeployFlowView[]> {
    const query = this.#db('archon_deploy_flows')
      .orderBy('started_at', 'desc')
      .orderBy('id', 'desc')
      .limit(filter.limit);
    const after = filter.after;
    if (after) {
      const startedAt = new Date(after.startedAt);
      query.where(q =>
        q
          .where('started_at', '<', startedAt)
          .orWhere(q2 =>
            q2
              .where('started_at', '=', startedAt)
              .andWhere('id', '<', after.id),
          ),
      );
    }
    if (filter.configPath) query.where('config_path', filter.configPath);
    if (filter.instance) query.where('instance', filter.instance);
    if (filter.status) query.where('status', filter.status);
    return (await this.#deadline.run('list deploys', () => query)).map(row =>
      JSON.parse(row.view),
    );
  }

  /**
   * The newest scale or suspend of an app that succeeded: archon's record of
   * the instances someone wanted, by whom and when.
   */
  async lastScale(filter: {
    configPath: string;
    instance: string;
  }): Promise<DeployFlowView | undefined> {
    const row = await this.#deadline.run('read the last scale of an app', () =>
      this.#db('archon_deploy_flows')
        .whereIn('kind', ['scale', 'suspend'])
        .where({
          status: 'succeeded',
          config_path: filter.configPath,
          instance: filter.instance,
        })
        .orderBy('started_at', 'desc')
        .orderBy('id', 'desc')
        .first(),
    );
    return row ? JSON.parse(row.view) : undefined;
  }
}
