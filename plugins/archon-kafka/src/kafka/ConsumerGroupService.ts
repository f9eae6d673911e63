import { ConflictError, InputError, NotFoundError } from '@backstage/errors';
import {
  type Page,
  type PageQuery,
  pageList,
} from '@archon/plugin-archon-node';
import type { KafkaService, GroupUsageSource } from './KafkaService';
import {
  type CommittedOffset,
  type GroupDescription,
  type KafkaAdapter,
  type KafkaClusterMetadata,
  type ListedOffset,
  tpKey,
} from './adapter/KafkaAdapter';
import { EARLIEST, LATEST } from './adapter/wire';
import { LastAnswers } from './lastAnswers';

export interface PartitionLag {
  topic: string;
  partition: number;
  committedOffset: number | null;
  startOffset: number | null;
  endOffset: number | null;
  /** end − committed (never negative); null without a commit. */
  lag: number | null;
  /** How far behind in time: now − timestamp of the next record to consume. */
  timeLagMs?: number | null;
  memberId?: string;
  clientId?: string;
  host?: string;
}

export interface GroupSummary {
  groupId: string;
  state: string;
  protocolType: string;
  members: number;
  topics: string[];
  totalLag: number | null;
}

export type ResetTarget = 'earliest' | 'latest' | 'timestamp' | 'offset';

export interface ResetRequest {
  to: ResetTarget;
  timestamp?: number;
  offset?: number;
  topics?: string[];
  partitions?: Array<{ topic: string; partition: number; offset?: number }>;
  dryRun?: boolean;
}

/** Group states in which nothing consumes and offsets may be changed. */
const INACTIVE_STATES = new Set(['Empty', 'Dead']);

export function computeLag(
  committed: number | null,
  end: number | null,
): number | null {
  if (committed === null || end === null || committed < 0 || end < 0)
    return null;
  return Math.max(0, end - committed);
}

/** Consumer groups: state, members, lag (messages and time) and offset resets. */
export class ConsumerGroupService implements GroupUsageSource {
  readonly #kafka: KafkaService;
  /** The last answer per group-list query, served marked stale while the cluster is unreachable (#22). */
  readonly #lastLists = new LastAnswers<
    Awaited<ReturnType<ConsumerGroupService['list']>>
  >();

  constructor(kafka: KafkaService) {
    this.#kafka = kafka;
  }

  async #endOffsets(
    kafka: KafkaAdapter,
    meta: KafkaClusterMetadata,
    offsets: Iterable<CommittedOffset[]>,
    spec = LATEST,
  ) {
    const seen = new Set<string>();
    const tps: Array<{ topic: string; partition: number }> = [];
    for (const list of offsets) {
      for (const o of list) {
        const k = tpKey(o.topic, o.partition);
        if (!seen.has(k)) {
          seen.add(k);
          tps.push({ topic: o.topic, partition: o.partition });
        }
      }
    }
    return kafka.listOffsets(tps, spec, meta);
  }

  /** {@link ConsumerGroupService.list}, or its last answer for the same query with its staleness when the cluster is unreachable. */
  listOrLast(
    clusterName: string,
    options: Parameters<ConsumerGroupService['list']>[1],
  ) {
    return this.#lastLists.answer(
      `${clusterName}\n${JSON.stringify(options)}`,
      () => this.#kafka.systemName(clusterName),
      () => this.list(clusterName, options),
    );
  }

  async list(
    clusterName: string,
    options: { filter?: string; state?: string; page: PageQuery<'groupId'> },
  ): Promise<Page<GroupSummary> & { total: number }> {
    return this.#kafka.call(clusterName, async kafka => {
      const needle = options.filter?.toLowerCase();
      let groups = (await kafka.listGroups()).filter(
        g => !needle || g.groupId.toLowerCase().includes(needle),
      );
      let descriptions = new Map<string, GroupDescription>();
      if (options.state) {
        // Filtering by state needs every group's state (one DescribeGroups per coordinator).
        descriptions = new Map(
          (await kafka.describeGroups(groups.map(g => g.groupId))).map(d => [
            d.groupId,
            d,
          ]),
        );
        const wanted = options.state.toLowerCase();
        groups = groups.filter(
          g => descriptions.get(g.groupId)?.state.toLowerCase() === wanted,
        );
      }
      const { items: page, nextCursor } = pageList(groups, options.page, {
        id: g => g.groupId,
      });
      const ids = page.map(g => g.groupId);
      const missing = ids.filter(id => !descriptions.has(id));
      for (const d of await kafka.describeGroups(missing))
        descriptions.set(d.groupId, d);
      const meta = await kafka.metadata();
      const committed = await kafka.committedOffsets(ids);
      const ends = await this.#endOffsets(kafka, meta, committed.values());
      return {
        total: groups.length,
        ...(nextCursor && { nextCursor }),
        items: page.map(g => {
          const d = descriptions.get(g.groupId);
          const offsets = committed.get(g.groupId) ?? [];
          return {
            groupId: g.groupId,
            state: d?.state ?? 'Unknown',
            protocolType: d?.protocolType || g.protocolType,
            members: d?.members.length ?? 0,
            topics: [...new Set(offsets.map(o => o.topic))].sort(),
            totalLag: sumLag(offsets, ends),
          };
        }),
      };
    });
  }

  async describe(
    clusterName: string,
    groupId: string,
    options: { timeLag?: boolean } = {},
  ) {
    return this.#kafka.call(clusterName, async kafka => {
      const [description] = await kafka.describeGroups([groupId]);
      const committed =
        (await kafka.committedOffsets([groupId])).get(groupId) ?? [];
      if (
        (!description || description.state === 'Dead') &&
        committed.length === 0
      ) {
        throw new NotFoundError(
          `consumer group "${groupId}" does not exist in Kafka cluster "${clusterName}"`,
        );
      }
      const meta = await kafka.metadata();
      const owners = new Map<
        string,
        { memberId: string; clientId: string; host: string }
      >();
      for (const m of description?.members ?? []) {
        for (const a of m.assignment ?? []) {
          for (const p of a.partitions) {
            owners.set(tpKey(a.topic, p), {
              memberId: m.memberId,
              clientId: m.clientId,
              host: m.clientHost,
            });
          }
        }
      }
      // Every partition the group commits to or is assigned.
      const all = new Map<
        string,
        { topic: string; partition: number; committed: number | null }
      >();
      for (const o of committed)
        all.set(tpKey(o.topic, o.partition), { ...o, committed: o.offset });
      for (const [key, _owner] of owners) {
        if (!all.has(key)) {
          const [topic, partition] = key.split('\u0000');
          all.set(key, {
            topic,
            partition: Number(partition),
            committed: null,
          });
        }
      }
      const tps = [...all.values()].map(({ topic, partition }) => ({
        topic,
        partition,
      }));
      const [starts, ends] = await Promise.all([
        kafka.listOffsets(tps, EARLIEST, meta),
        kafka.listOffsets(tps, LATEST, meta),
      ]);
      const partitions: PartitionLag[] = [...all.values()]
        .sort(
          (a, b) => a.topic.localeCompare(b.topic) || a.partition - b.partition,
        )
        .map(p => {
          const key = tpKey(p.topic, p.partition);
          const endOffset = okOffset(ends.get(key));
          return {
            topic: p.topic,
            partition: p.partition,
            committedOffset: p.committed,
            startOffset: okOffset(starts.get(key)),
            endOffset,
            lag: computeLag(p.committed, endOffset),
            ...owners.get(key),
          };
        });
      if (options.timeLag !== false) {
        const times = await this.timeLags(kafka, meta, partitions);
        for (const p of partitions)
          p.timeLagMs = times.get(tpKey(p.topic, p.partition)) ?? null;
      }
      const topics = new Map<
        string,
        { topic: string; lag: number | null; partitions: number }
      >();
      for (const p of partitions) {
        const t = topics.get(p.topic) ?? {
          topic: p.topic,
          lag: 0,
          partitions: 0,
        };
        t.partitions += 1;
        t.lag = t.lag === null || p.lag === null ? null : t.lag + p.lag;
        topics.set(p.topic, t);
      }
      const lags = partitions
        .map(p => p.lag)
        .filter((l): l is number => l !== null);
      const timeLags = partitions
        .map(p => p.timeLagMs)
        .filter((l): l is number => typeof l === 'number');
      return {
        groupId,
        state: description?.state ?? 'Unknown',
        protocolType: description?.protocolType ?? '',
        protocol: description?.protocol ?? '',
        members: (description?.members ?? []).map(m => ({
          memberId: m.memberId,
          clientId: m.clientId,
          host: m.clientHost,
          assignment: m.assignment ?? null,
        })),
        partitions,
        topics: [...topics.values()],
        totalLag: lags.reduce((a, b) => a + b, 0),
        maxTimeLagMs: timeLags.length ? Math.max(...timeLags) : null,
      };
    });
  }

  /**
   * Time lag per lagging partition: now minus the timestamp of the first
   * record at or after the committed offset (one Fetch per leader for all).
   */
  async timeLags(
    kafka: KafkaAdapter,
    meta: KafkaClusterMetadata,
    partitions: Array<
      Pick<PartitionLag, 'topic' | 'partition' | 'committedOffset' | 'lag'>
    >,
  ): Promise<Map<string, number | null>> {
    const out = new Map<string, number | null>();
    const lagging = partitions.filter(
      p => p.lag !== null && p.lag > 0 && p.committedOffset !== null,
    );
    for (const p of partitions)
      if (p.lag === 0) out.set(tpKey(p.topic, p.partition), 0);
    if (lagging.length === 0) return out;
    const now = Date.now();
    const CHUNK = 500;
    for (let i = 0; i < lagging.length; i += CHUNK) {
      const chunk = lagging.slice(i, i + CHUNK);
      const results = await kafka.fetch(
        chunk.map(p => ({
          topic: p.topic,
          partition: p.partition,
          offset: p.committedOffset!,
        })),
        { maxWaitMs: 0, maxBytes: 16 << 20, partitionMaxBytes: 16 << 10 },
        meta,
      );
      for (const r of results) {
        const wanted = chunk.find(
          p => p.topic === r.topic && p.partition === r.partition,
        )!;
        const record = r.records.find(m => m.offset >= wanted.committedOffset!);
        out.set(
          tpKey(r.topic, r.partition),
          record ? Math.max(0, now - record.timestamp) : null,
        );
      }
    }
    return out;
  }

  /**
   * Plans (dry run) or applies an offset reset. Refused while the group has
   * members: they would overwrite the new offsets with their next commit.
   */
  async resetOffsets(
    clusterName: string,
    groupId: string,
    request: ResetRequest,
  ) {
    if (
      request.to === 'timestamp' &&
      (request.timestamp === undefined || request.timestamp < 0)
    ) {
      throw new InputError(
        'to=timestamp needs "timestamp" (milliseconds since the epoch, ≥ 0)',
      );
    }
    if (
      request.to === 'offset' &&
      request.offset === undefined &&
      !(
        request.partitions?.length &&
        request.partitions.every(p => p.offset !== undefined)
      )
    ) {
      throw new InputError(
        'to=offset needs "offset", or an "offset" on every entry of "partitions"',
      );
    }
    return this.#kafka.call(clusterName, async kafka => {
      const [description] = await kafka.describeGroups([groupId]);
      const committed =
        (await kafka.committedOffsets([groupId])).get(groupId) ?? [];
      const meta = await kafka.metadata();
      const topicsByName = new Map(meta.topics.map(t => [t.name, t]));

      let targets: Array<{ topic: string; partition: number; offset?: number }>;
      if (request.partitions?.length) {
        targets = request.partitions;
      } else if (request.topics?.length) {
        targets = request.topics.flatMap(topic => {
          const t = topicsByName.get(topic);
          if (!t)
            throw new NotFoundError(
              `topic "${topic}" does not exist in Kafka cluster "${clusterName}"`,
            );
          return t.partitions.map(p => ({ topic, partition: p.partition }));
        });
      } else {
        targets = committed.map(o => ({
          topic: o.topic,
          partition: o.partition,
        }));
      }
      if (targets.length === 0) {
        throw new InputError(
          `consumer group "${groupId}" has no committed offsets; name the "topics" or "partitions" to set`,
        );
      }
      for (const t of targets) {
        const topic = topicsByName.get(t.topic);
        if (!topic)
          throw new NotFoundError(
            `topic "${t.topic}" does not exist in Kafka cluster "${clusterName}"`,
          );
        if (!topic.partitions.some(p => p.partition === t.partition)) {
          throw new InputError(
            `topic "${t.topic}" has no partition ${t.partition}`,
          );
        }
      }

      const [starts, ends] = await Promise.all([
        kafka.listOffsets(targets, EARLIEST, meta),
        kafka.listOffsets(targets, LATEST, meta),
      ]);
      const byTime =
        request.to === 'timestamp'
          ? await kafka.listOffsets(targets, request.timestamp!, meta)
          : undefined;
      const current = new Map(
        committed.map(o => [tpKey(o.topic, o.partition), o.offset]),
      );

      const plan = targets.map(t => {
        const key = tpKey(t.topic, t.partition);
        const start = okOffset(starts.get(key)) ?? 0;
        const end = okOffset(ends.get(key)) ?? 0;
        let wanted: number;
        switch (request.to) {
          case 'earliest':
            wanted = start;
            break;
          case 'latest':
            wanted = end;
            break;
          case 'timestamp': {
            const found = byTime!.get(key);
            // No record at or after the timestamp: the end of the partition.
            wanted =
              found && !found.errorCode && found.offset >= 0
                ? found.offset
                : end;
            break;
          }
          default:
            wanted = t.offset ?? request.offset!;
        }
        const newOffset = Math.min(Math.max(wanted, start), end);
        const currentOffset = current.get(key) ?? null;
        return {
          topic: t.topic,
          partition: t.partition,
          currentOffset,
          newOffset,
          clamped: newOffset !== wanted,
          startOffset: start,
          endOffset: end,
          lagBefore: computeLag(currentOffset, end),
          lagAfter: end - newOffset,
        };
      });

      const members = description?.members.length ?? 0;
      const state = description?.state ?? 'Unknown';
      const blocked = members > 0 || !INACTIVE_STATES.has(state);
      const reason = blocked
        ? `consumer group "${groupId}" is ${state} with ${members} active member(s); stop its consumers before resetting offsets, or send "coordinated": true to have archon suspend the app that owns the group, reset and restore it`
        : undefined;
      if (!request.dryRun) {
        if (blocked) throw new ConflictError(reason);
        await kafka.commitOffsets(
          groupId,
          plan.map(p => ({
            topic: p.topic,
            partition: p.partition,
            offset: p.newOffset,
          })),
        );
      }
      return {
        groupId,
        state,
        dryRun: !!request.dryRun,
        applied: !request.dryRun,
        canApply: !blocked,
        reason: reason ?? null,
        partitions: plan,
        totalLagBefore: plan.reduce((s, p) => s + (p.lagBefore ?? 0), 0),
        totalLagAfter: plan.reduce((s, p) => s + p.lagAfter, 0),
      };
    });
  }

  /** The group's state and member count now (`Dead` when Kafka does not know it). */
  async state(
    clusterName: string,
    groupId: string,
  ): Promise<{ state: string; members: number }> {
    return this.#kafka.call(clusterName, async kafka => {
      const [description] = await kafka.describeGroups([groupId]);
      return {
        state: description?.state ?? 'Dead',
        members: description?.members.length ?? 0,
      };
    });
  }

  async delete(clusterName: string, groupId: string) {
    return this.#kafka.call(clusterName, async kafka => {
      await kafka.deleteGroup(groupId);
      return { deleted: groupId };
    });
  }

  async groupsUsingTopic(clusterName: string, topic: string) {
    return this.#kafka.call(clusterName, async kafka => {
      const groups = (await kafka.listGroups()).map(g => g.groupId);
      const committed = await kafka.committedOffsets(groups);
      const descriptions = await kafka.describeGroups(groups);
      const users = new Set<string>();
      for (const [g, offsets] of committed)
        if (offsets.some(o => o.topic === topic)) users.add(g);
      for (const d of descriptions) {
        if (d.members.some(m => m.assignment?.some(a => a.topic === topic)))
          users.add(d.groupId);
      }
      const meta = await kafka.metadata();
      const relevant = [...users].map(g =>
        (committed.get(g) ?? []).filter(o => o.topic === topic),
      );
      const ends = await this.#endOffsets(kafka, meta, relevant);
      return [...users].sort().map(g => {
        const d = descriptions.find(x => x.groupId === g);
        return {
          groupId: g,
          state: d?.state ?? 'Unknown',
          lag: sumLag(
            (committed.get(g) ?? []).filter(o => o.topic === topic),
            ends,
          ),
          members: (d?.members ?? []).map(m => ({
            clientId: m.clientId,
            host: m.clientHost,
          })),
        };
      });
    });
  }

  /**
   * Lag of every group, per topic: one ListGroups, batched OffsetFetch, one
   * ListOffsets per leader. Used by the sampler and the benchmark.
   */
  async lagSnapshot(clusterName: string, options: { timeLag?: boolean } = {}) {
    return this.#kafka.call(clusterName, async kafka => {
      const groups = (await kafka.listGroups()).map(g => g.groupId);
      const committed = await kafka.committedOffsets(groups);
      return {
        groups: groups.length,
        rows: await this.#lagRows(kafka, committed, options),
      };
    });
  }

  /**
   * The same rows from committed offsets the caller has already read (the
   * graph reads them once for group usage and lag): one ListOffsets per leader.
   */
  async lagOfCommitted(
    clusterName: string,
    committed: ReadonlyMap<string, CommittedOffset[]>,
  ) {
    return this.#kafka.call(clusterName, kafka =>
      this.#lagRows(kafka, committed, { timeLag: false }),
    );
  }

  async #lagRows(
    kafka: KafkaAdapter,
    committed: ReadonlyMap<string, CommittedOffset[]>,
    options: { timeLag?: boolean },
  ): Promise<
    Array<{
      groupId: string;
      topic: string;
      lag: number;
      timeLagMs: number | null;
    }>
  > {
    const meta = await kafka.metadata();
    const ends = await this.#endOffsets(kafka, meta, committed.values());
    const rows: Array<{
      groupId: string;
      topic: string;
      lag: number;
      timeLagMs: number | null;
    }> = [];
    const lagging: Array<{
      groupId: string;
      topic: string;
      partition: number;
      committedOffset: number;
      lag: number;
    }> = [];
    for (const [groupId, offsets] of committed) {
      const perTopic = new Map<string, number>();
      for (const o of offsets) {
        const lag =
          computeLag(
            o.offset,
            okOffset(ends.get(tpKey(o.topic, o.partition))),
          ) ?? 0;
        perTopic.set(o.topic, (perTopic.get(o.topic) ?? 0) + lag);
        if (lag > 0)
          lagging.push({
            groupId,
            topic: o.topic,
            partition: o.partition,
            committedOffset: o.offset,
            lag,
          });
      }
      for (const [topic, lag] of perTopic)
        rows.push({ groupId, topic, lag, timeLagMs: lag === 0 ? 0 : null });
    }
    if (options.timeLag && lagging.length) {
      // Distinct committed offsets per partition; round i fetches the i-th of each.
      const offsetsByPartition = new Map<string, Set<number>>();
      for (const l of lagging) {
        const k = tpKey(l.topic, l.partition);
        const set = offsetsByPartition.get(k) ?? new Set<number>();
        set.add(l.committedOffset);
        offsetsByPartition.set(k, set);
      }
      const times = new Map<string, number | null>();
      const lists = [...offsetsByPartition.entries()].map(([k, set]) => {
        const [topic, partition] = k.split('\u0000');
        return { topic, partition: Number(partition), offsets: [...set] };
      });
      const rounds = Math.max(...lists.map(l => l.offsets.length));
      for (let i = 0; i < rounds; i++) {
        const round = lists
          .filter(l => l.offsets.length > i)
          .map(l => ({
            topic: l.topic,
            partition: l.partition,
            committedOffset: l.offsets[i],
            lag: 1,
          }));
        const found = await this.timeLags(kafka, meta, round);
        for (const r of round) {
          times.set(
            `${tpKey(r.topic, r.partition)}\u0000${r.committedOffset}`,
            found.get(tpKey(r.topic, r.partition)) ?? null,
          );
        }
      }
      const byGroupTopic = new Map<string, number>();
      for (const l of lagging) {
        const t = times.get(
          `${tpKey(l.topic, l.partition)}\u0000${l.committedOffset}`,
        );
        if (typeof t !== 'number') continue;
        const k = `${l.groupId}\u0000${l.topic}`;
        byGroupTopic.set(k, Math.max(byGroupTopic.get(k) ?? 0, t));
      }
      for (const row of rows) {
        if (row.lag > 0)
          row.timeLagMs =
            byGroupTopic.get(`${row.groupId}\u0000${row.topic}`) ?? null;
      }
    }
    return rows;
  }
}

function okOffset(o: ListedOffset | undefined): number | null {
  return o && !o.errorCode && o.offset >= 0 ? o.offset : null;
}

function sumLag(
  offsets: CommittedOffset[],
  ends: Map<string, ListedOffset>,
): number | null {
  let total = 0;
  for (const o of offsets) {
    const lag = computeLag(
      o.offset,
      okOffset(ends.get(tpKey(o.topic, o.partition))),
    );
    if (lag === null) return null;
    total += lag;
  }
  return total;
}
