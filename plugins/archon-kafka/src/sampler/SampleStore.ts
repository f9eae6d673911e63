import {
  resolvePackagePath,
  type DatabaseService,
} from '@backstage/backend-plugin-api';
import type { Knex } from 'knex';
import type {
  TopicGroupSource,
  TopicGroupStats,
  TopicRateSource,
} from '../kafka/kafkaSources';

const TOPICS = 'archon_kafka_topic_samples';
const GROUPS = 'archon_kafka_group_samples';

export interface TopicSample {
  topic: string;
  endOffsetSum: number;
  startOffsetSum: number;
}

export interface GroupSample {
  groupId: string;
  topic: string;
  lag: number;
  timeLagMs: number | null;
  /** Why (part of) the time lag is unknown; timeLagMs is then null or a lower bound. */
  timeLagUnknown?: string | null;
}

/** A group's lag on one topic, or over all its topics, in a sample. */
export interface GroupLagFigures {
  lag: number;
  timeLagMs: number | null;
  timeLagUnknown: string | null;
}

/** A group's lag as of a sample: in total (time lag: the largest of its topics) and per topic. */
export interface GroupLagSample extends GroupLagFigures {
  topics: Record<string, GroupLagFigures>;
}

const emptyGroupLag = (): GroupLagSample => ({
  lag: 0,
  timeLagMs: null,
  timeLagUnknown: null,
  topics: {},
});

/** Adds one (group, topic) row to the group's figures: lags add up, the time lag is the largest, unknowns are named by topic. */
function addTopicRow(
  g: GroupLagSample,
  r: {
    topic: string;
    lag: unknown;
    time_lag_ms: unknown;
    time_lag_unknown?: string | null;
  },
) {
  const lag = Number(r.lag);
  const timeLagMs = r.time_lag_ms === null ? null : Number(r.time_lag_ms);
  const timeLagUnknown = r.time_lag_unknown ?? null;
  g.lag += lag;
  if (timeLagMs !== null) g.timeLagMs = Math.max(g.timeLagMs ?? 0, timeLagMs);
  if (timeLagUnknown) {
    const named = `${r.topic}: ${timeLagUnknown}`;
    g.timeLagUnknown = g.timeLagUnknown
      ? `${g.timeLagUnknown}; ${named}`
      : named;
  }
  g.topics[r.topic] = { lag, timeLagMs, timeLagUnknown };
}

/** The sampler's rows in archon's database (SQLite in tests, PostgreSQL in production). */
export class SampleStore implements TopicRateSource, TopicGroupSource {
  readonly #db: Knex;

  private constructor(db: Knex) {
    this.#db = db;
  }

  static async create(database: DatabaseService): Promise<SampleStore> {
    const db = await database.getClient();
    if (!database.migrations?.skip) {
      await db.migrate.latest({
        directory: resolvePackagePath(
          '@archon/plugin-archon-kafka',
          'migrations',
        ),
        // archon-backend keeps its own migrations in the same database.
        tableName: 'archon_kafka_knex_migrations',
      });
    }
    return new SampleStore(db);
  }

  async insertTopicSamples(cluster: string, at: number, rows: TopicSample[]) {
    const records = rows.map(r => ({
      cluster,
      topic: r.topic,
      sampled_at: at,
      end_offset_sum: r.endOffsetSum,
      start_offset_sum: r.startOffsetSum,
    }));
    await this.#db.batchInsert(TOPICS, records, 500);
  }

  async insertGroupSamples(cluster: string, at: number, rows: GroupSample[]) {
    const records = rows.map(r => ({
      cluster,
      group_id: r.groupId,
      topic: r.topic,
      sampled_at: at,
      lag: r.lag,
      time_lag_ms: r.timeLagMs,
      time_lag_unknown: r.timeLagUnknown ?? null,
    }));
    await this.#db.batchInsert(GROUPS, records, 500);
  }

  async prune(olderThan: number) {
    await this.#db(TOPICS).where('sampled_at', '<', olderThan).delete();
    await this.#db(GROUPS).where('sampled_at', '<', olderThan).delete();
  }

  /**
   * Messages per second per topic between the two latest samples of the
   * cluster; only of `topics` when given (a page of the topic list asks for
   * its own 100, not for every topic of a 10,000-topic cluster: that read of
   * two samples' rows was most of a page's time in the scale benchmark).
   */
  async topicRates(
    cluster: string,
    topics?: string[],
  ): Promise<Map<string, number>> {
    const out = new Map<string, number>();
    // Two index seeks on (cluster, sampled_at), not a DISTINCT over a day of samples.
    const newer = await this.#latestSampleTime(cluster);
    const older =
      newer === undefined
        ? undefined
        : await this.#latestSampleTime(cluster, newer);
    if (newer === undefined || older === undefined) return out;
    if (topics?.length === 0) return out;
    const rows = await this.#db(TOPICS)
      .where({ cluster })
      .whereIn('sampled_at', [newer, older])
      .modify(query => {
        if (topics) query.whereIn('topic', topics);
      })
      .select('topic', 'sampled_at', 'end_offset_sum');
    const byTopic = new Map<string, { newer?: number; older?: number }>();
    for (const r of rows) {
      const e = byTopic.get(r.topic) ?? {};
      if (Number(r.sampled_at) === newer) e.newer = Number(r.end_offset_sum);
      else e.older = Number(r.end_offset_sum);
      byTopic.set(r.topic, e);
    }
    const seconds = (newer - older) / 1000;
    for (const [topic, e] of byTopic) {
      if (e.newer !== undefined && e.older !== undefined && seconds > 0) {
        out.set(topic, Math.max(0, (e.newer - e.older) / seconds));
      }
    }
    return out;
  }

  /**
   * Per topic, how many consumer groups had committed offsets on it and the
   * largest lag (and time lag) among them, as of the cluster's latest
   * sample with group rows (only of `topics` when given; absent topics had
   * no group). Undefined when the cluster has no sample yet.
   */
  async topicGroups(
    cluster: string,
    topics?: string[],
  ): Promise<
    { sampledAt: number; byTopic: Map<string, TopicGroupStats> } | undefined
  > {
    const at = await this.#groupSampleTime(cluster);
    if (at === undefined) return undefined;
    const rows = await this.#db(GROUPS)
      .where({ cluster, sampled_at: at })
      .modify(query => {
        if (topics) query.whereIn('topic', topics);
      })
      .select('topic', 'group_id', 'lag', 'time_lag_ms');
    const byTopic = new Map<string, TopicGroupStats>();
    for (const r of rows) {
      const e = byTopic.get(r.topic) ?? {
        groups: 0,
        maxLag: 0,
        maxTimeLagMs: null,
      };
      e.groups += 1;
      e.maxLag = Math.max(e.maxLag, Number(r.lag));
      if (r.time_lag_ms !== null)
        e.maxTimeLagMs = Math.max(e.maxTimeLagMs ?? 0, Number(r.time_lag_ms));
      byTopic.set(r.topic, e);
    }
    return { sampledAt: at, byTopic };
  }

  /**
   * The sample whose group rows describe the cluster now: the latest one, or
   * the one before it while the latest has its topic rows only (the sampler
   * writes those first); the latest when neither has any (no group then).
   */
  async #groupSampleTime(cluster: string): Promise<number | undefined> {
    const newer = await this.#latestSampleTime(cluster);
    if (newer === undefined) return undefined;
    const older = await this.#latestSampleTime(cluster, newer);
    for (const at of older === undefined ? [newer] : [newer, older]) {
      const any = await this.#db(GROUPS)
        .where({ cluster, sampled_at: at })
        .first('group_id');
      if (any !== undefined) return at;
    }
    return newer;
  }

  /** When the cluster was last sampled (before `before`, if given). */
  async #latestSampleTime(
    cluster: string,
    before?: number,
  ): Promise<number | undefined> {
    const row = await this.#db(TOPICS)
      .where({ cluster })
      .modify(query => {
        if (before !== undefined) query.where('sampled_at', '<', before);
      })
      .max({ at: 'sampled_at' })
      .first();
    return row?.at === null || row?.at === undefined
      ? undefined
      : Number(row.at);
  }

  /** Throughput series: messages per second between consecutive samples. */
  async topicSeries(cluster: string, topic: string, since: number) {
    const rows = await this.#db(TOPICS)
      .where({ cluster, topic })
      .andWhere('sampled_at', '>=', since)
      .orderBy('sampled_at', 'asc')
      .select('sampled_at', 'end_offset_sum', 'start_offset_sum');
    return rows.map((r, i) => {
      const at = Number(r.sampled_at);
      const end = Number(r.end_offset_sum);
      const prev = rows[i - 1];
      const rate =
        prev && at > Number(prev.sampled_at)
          ? Math.max(
              0,
              (end - Number(prev.end_offset_sum)) /
                ((at - Number(prev.sampled_at)) / 1000),
            )
          : null;
      return {
        time: new Date(at).toISOString(),
        endOffsetSum: end,
        messages: end - Number(r.start_offset_sum),
        messagesPerSecond: rate,
      };
    });
  }

  /**
   * Each group's lag in messages and time as of the cluster's latest sample
   * with group rows (of `groupIds` when given); undefined when the cluster
   * has no sample yet.
   */
  async groupLags(
    cluster: string,
    groupIds?: string[],
  ): Promise<
    { sampledAt: number; byGroup: Map<string, GroupLagSample> } | undefined
  > {
    const at = await this.#groupSampleTime(cluster);
    if (at === undefined) return undefined;
    const rows = await this.#db(GROUPS)
      .where({ cluster, sampled_at: at })
      .modify(query => {
        if (groupIds) query.whereIn('group_id', groupIds);
      })
      .select('group_id', 'topic', 'lag', 'time_lag_ms', 'time_lag_unknown');
    const byGroup = new Map<string, GroupLagSample>();
    for (const r of rows) {
      const g = byGroup.get(r.group_id) ?? emptyGroupLag();
      addTopicRow(g, r);
      byGroup.set(r.group_id, g);
    }
    return { sampledAt: at, byGroup };
  }

  /** Lag series of one group: total and per topic, in messages and time. */
  async groupSeries(cluster: string, groupId: string, since: number) {
    const rows = await this.#db(GROUPS)
      .where({ cluster, group_id: groupId })
      .andWhere('sampled_at', '>=', since)
      .orderBy('sampled_at', 'asc')
      .select('sampled_at', 'topic', 'lag', 'time_lag_ms', 'time_lag_unknown');
    const points = new Map<number, GroupLagSample>();
    for (const r of rows) {
      const at = Number(r.sampled_at);
      const p = points.get(at) ?? emptyGroupLag();
      addTopicRow(p, r);
      points.set(at, p);
    }
    return [...points.entries()].map(([at, p]) => ({
      time: new Date(at).toISOString(),
      ...p,
    }));
  }
}
