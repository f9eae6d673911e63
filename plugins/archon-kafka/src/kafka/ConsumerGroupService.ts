import { ConflictError, InputError, NotFoundError } from '@backstage/errors';
import {
  type CommittedOffset,
  type KafkaAdapter,
  tpKey,
} from './adapter/KafkaAdapter';
import { EARLIEST, LATEST } from './adapter/wire';
import { computeLag, okOffset } from './consumerGroupLag';
import { ConsumerGroupReads } from './ConsumerGroupReads';
import {
  type LaggingPosition,
  type TimeLag,
  combineTimeLags,
  measureTimeLags,
  positionKey,
} from './timeLag';

export {
  type GroupSummary,
  type PartitionLag,
  computeLag,
} from './consumerGroupLag';

export type ResetTarget = 'earliest' | 'latest' | 'timestamp' | 'offset';

export interface ResetRequest {
  to: ResetTarget;
  timestamp?: number;
  offset?: number;
  topics?: string[];
  partitions?: Array<{ topic: string; partition: number; offset?: number }>;
  dryRun?: boolean;
}

/** One row of a lag snapshot: a group on a topic, in messages and in time. */
export interface GroupLagRow {
  groupId: string;
  topic: string;
  lag: number;
  /** The largest time lag of the group's partitions of the topic (a lower bound when some are unknown). */
  timeLagMs: number | null;
  /** Why some (or all) of those partitions' time lag is unknown. */
  timeLagUnknown: string | null;
}

export interface LagSnapshotOptions {
  /** Measure time lag (read the record at each lagging committed offset). */
  timeLag?: boolean;
  /** At most this many partition positions read per snapshot; the rest are unknown, "not sampled". */
  timeLagCap?: number;
}

/** Group states in which nothing consumes and offsets may be changed. */
const INACTIVE_STATES = new Set(['Empty', 'Dead']);
/** Consumer groups: offset resets and the lag of every group (reads in {@link ConsumerGroupReads}). */
export class ConsumerGroupService extends ConsumerGroupReads {
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
    return this.kafka.call(clusterName, async kafka => {
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

  /**
   * Lag of every group, per topic: one ListGroups, batched OffsetFetch, one
   * ListOffsets per leader. Used by the sampler and the benchmark.
   */
  async lagSnapshot(clusterName: string, options: LagSnapshotOptions = {}) {
    return this.kafka.call(clusterName, async kafka => {
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
    return this.kafka.call(clusterName, kafka =>
      this.#lagRows(kafka, committed, { timeLag: false }),
    );
  }

  async #lagRows(
    kafka: KafkaAdapter,
    committed: ReadonlyMap<string, CommittedOffset[]>,
    options: LagSnapshotOptions,
  ): Promise<GroupLagRow[]> {
    const meta = await kafka.metadata();
    const ends = await this.endOffsets(kafka, meta, committed.values());
    const rows: GroupLagRow[] = [];
    const lagging: Array<LaggingPosition & { groupId: string; lag: number }> =
      [];
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
        rows.push({
          groupId,
          topic,
          lag,
          timeLagMs: lag === 0 ? 0 : null,
          timeLagUnknown:
            lag === 0 ? null : 'time lag not measured (timeLag is off)',
        });
    }
    if (options.timeLag && lagging.length) {
      // The furthest behind first, so a cap leaves out the smallest lags.
      lagging.sort((a, b) => b.lag - a.lag);
      const measured = await measureTimeLags(kafka, meta, lagging, {
        cap: options.timeLagCap,
        capSetting: 'archon.kafka.sampler.timeLagMaxPartitions',
      });
      const byGroupTopic = new Map<string, TimeLag[]>();
      for (const l of lagging) {
        const k = `${l.groupId}\u0000${l.topic}`;
        const lag = measured.get(
          positionKey(l.topic, l.partition, l.committedOffset),
        ) ?? { unknown: 'not read' };
        byGroupTopic.set(k, [...(byGroupTopic.get(k) ?? []), lag]);
      }
      for (const row of rows) {
        const lags = byGroupTopic.get(`${row.groupId}\u0000${row.topic}`);
        if (row.lag > 0 && lags) Object.assign(row, combineTimeLags(lags));
      }
    }
    return rows;
  }
}
