import { NotFoundError } from '@backstage/errors';
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
  tpKey,
} from './adapter/KafkaAdapter';
import { EARLIEST, LATEST } from './adapter/wire';
import { LastAnswers } from './lastAnswers';
import {
  type LaggingPosition,
  type TimeLag,
  combineTimeLags,
  measureTimeLags,
  positionKey,
} from './timeLag';
import {
  type GroupSummary,
  type PartitionLag,
  computeLag,
  okOffset,
  sumLag,
} from './consumerGroupLag';

/** Consumer groups: state, members, lag (messages and time) and offset resets. */
export class ConsumerGroupReads implements GroupUsageSource {
  protected readonly kafka: KafkaService;
  /** The last answer per group-list query, served marked stale while the cluster is unreachable (#22). */
  readonly #lastLists = new LastAnswers<
    Awaited<ReturnType<ConsumerGroupReads['list']>>
  >();

  constructor(kafka: KafkaService) {
    this.kafka = kafka;
  }

  protected async endOffsets(
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

  /** {@link ConsumerGroupReads.list}, or its last answer for the same query with its staleness when the cluster is unreachable. */
  listOrLast(
    clusterName: string,
    options: Parameters<ConsumerGroupReads['list']>[1],
  ) {
    return this.#lastLists.answer(
      `${clusterName}\n${JSON.stringify(options)}`,
      () => this.kafka.systemName(clusterName),
      () => this.list(clusterName, options),
    );
  }

  async list(
    clusterName: string,
    options: {
      filter?: string;
      state?: string;
      /** Only these groups (e.g. those lagging in the latest lag sample). */
      only?: string[];
      page: PageQuery<'groupId'>;
    },
  ): Promise<Page<GroupSummary> & { total: number }> {
    return this.kafka.call(clusterName, async kafka => {
      const needle = options.filter?.toLowerCase();
      const only = options.only && new Set(options.only);
      let groups = (await kafka.listGroups()).filter(
        g =>
          (!needle || g.groupId.toLowerCase().includes(needle)) &&
          (!only || only.has(g.groupId)),
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
      const ends = await this.endOffsets(kafka, meta, committed.values());
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
    return this.kafka.call(clusterName, async kafka => {
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
      let groupTimeLag: ReturnType<typeof combineTimeLags> | undefined;
      if (options.timeLag !== false) {
        const times = await this.timeLags(kafka, meta, partitions);
        const known: TimeLag[] = [];
        for (const p of partitions) {
          const lag = times.get(tpKey(p.topic, p.partition));
          p.timeLagMs = lag && 'ms' in lag ? lag.ms : null;
          if (lag && 'unknown' in lag) p.timeLagUnknown = lag.unknown;
          if (lag) known.push(lag);
        }
        groupTimeLag = combineTimeLags(known);
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
        maxTimeLagMs: groupTimeLag?.timeLagMs ?? null,
        ...(groupTimeLag?.timeLagUnknown
          ? { timeLagUnknown: groupTimeLag.timeLagUnknown }
          : {}),
      };
    });
  }

  /**
   * Time lag per partition (lag 0 is 0 ms; a lag > 0 reads the record at the
   * committed offset, one Fetch per leader for all, see {@link measureTimeLags}).
   */
  async timeLags(
    kafka: KafkaAdapter,
    meta: KafkaClusterMetadata,
    partitions: Array<
      Pick<PartitionLag, 'topic' | 'partition' | 'committedOffset' | 'lag'>
    >,
  ): Promise<Map<string, TimeLag>> {
    const out = new Map<string, TimeLag>();
    const lagging: LaggingPosition[] = [];
    for (const p of partitions) {
      if (p.lag === 0) out.set(tpKey(p.topic, p.partition), { ms: 0 });
      else if (p.lag !== null && p.committedOffset !== null)
        lagging.push({ ...p, committedOffset: p.committedOffset });
    }
    const measured = await measureTimeLags(kafka, meta, lagging);
    for (const p of lagging) {
      const lag = measured.get(
        positionKey(p.topic, p.partition, p.committedOffset),
      );
      if (lag) out.set(tpKey(p.topic, p.partition), lag);
    }
    return out;
  }
  /** The group's state and member count now (`Dead` when Kafka does not know it). */
  async state(
    clusterName: string,
    groupId: string,
  ): Promise<{ state: string; members: number }> {
    return this.kafka.call(clusterName, async kafka => {
      const [description] = await kafka.describeGroups([groupId]);
      return {
        state: description?.state ?? 'Dead',
        members: description?.members.length ?? 0,
      };
    });
  }

  async delete(clusterName: string, groupId: string) {
    return this.kafka.call(clusterName, async kafka => {
      await kafka.deleteGroup(groupId);
      return { deleted: groupId };
    });
  }

  async groupsUsingTopic(clusterName: string, topic: string) {
    return this.kafka.call(clusterName, async kafka => {
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
      const ends = await this.endOffsets(kafka, meta, relevant);
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
}
