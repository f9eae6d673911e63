import {
  archonGraphNodeId as id,
  type ArchonGraphContribution,
  type ArchonGraphEdge,
  type ArchonGraphNode,
} from '@archon/plugin-archon-node';
import type { KafkaTopology } from '../catalog/KafkaTopology';
import { topicEntityRef } from '../catalog/entities';
import type { ConsumerGroupService } from '../kafka/ConsumerGroupService';
import type { TopicRateSource } from '../kafka/KafkaService';
import type { SampleStore } from '../sampler/SampleStore';
import {
  DEFAULT_LAG_THRESHOLD_SECONDS,
  isGroupLagging,
} from '@archon/plugin-archon-common';
import { groupState, plural, topicState } from './graphStatus';

export interface KafkaPartSources {
  topology: KafkaTopology;
  groups: ConsumerGroupService;
  rates?: TopicRateSource;
  /** The groups' time lag, from the lag sampler's latest sample (never read from Kafka here). */
  lags?: Pick<SampleStore, 'groupLags'>;
  /** A group lags above this time lag (`archon.kafka.lagThresholdSeconds`; default 60). */
  lagThresholdSeconds?: number;
  /** Catalog namespace of the topic entities; undefined when archon registers none. */
  catalogNamespace?: string;
}

/**
 * One Kafka cluster's part of the graph: the cluster, its (non-internal)
 * topics, its consumer groups with their lag, and `consumes-from` edges
 * topic → group backed by what Kafka shows (committed offsets, member
 * assignments). Connect's worker groups (protocol `connect`) coordinate
 * workers and read no topics; they are left out.
 */
export async function kafkaClusterPart(
  cluster: string,
  sources: KafkaPartSources,
  sampledAt: string,
): Promise<ArchonGraphContribution> {
  const kafka = sources.topology.adapter(cluster);
  const [meta, usage, rates, timeLags] = await Promise.all([
    kafka.metadata(),
    sources.topology.groupUsage(cluster),
    sources.rates?.topicRates(cluster).catch(() => undefined),
    timeLagSample(sources, cluster),
  ]);
  // One read of the committed offsets serves both the groups' topics and their lag.
  const lagRows = await sources.groups.lagOfCommitted(
    cluster,
    new Map([...usage].map(([g, u]) => [g, u.offsets])),
  );
  const clusterId = id.cluster('kafka', cluster);
  const lagThresholdSeconds =
    sources.lagThresholdSeconds ?? DEFAULT_LAG_THRESHOLD_SECONDS;
  const nodes: ArchonGraphNode[] = [
    {
      id: clusterId,
      kind: 'cluster',
      name: cluster,
      system: 'kafka',
      cluster,
      attributes: {
        brokers: meta.brokers.length,
        clusterId: meta.clusterId,
        lagThresholdSeconds,
        ...('unknown' in timeLags
          ? { timeLagUnknown: timeLags.unknown }
          : { timeLagAsOf: new Date(timeLags.sampledAt).toISOString() }),
      },
      status: {
        state: 'healthy',
        summary: plural(meta.brokers.length, 'broker'),
        sampledAt,
      },
    },
  ];
  const edges: ArchonGraphEdge[] = [];

  const lagByGroup = new Map<string, number>();
  const lagByTopic = new Map<string, number>();
  for (const row of lagRows) {
    lagByGroup.set(row.groupId, (lagByGroup.get(row.groupId) ?? 0) + row.lag);
    lagByTopic.set(row.topic, (lagByTopic.get(row.topic) ?? 0) + row.lag);
  }

  for (const t of [...meta.topics]
    .filter(x => !x.internal)
    .sort((a, b) => a.name.localeCompare(b.name))) {
    const offline = t.partitions.filter(p => p.leader < 0).length;
    const underReplicated = t.partitions.filter(
      p => p.isr.length < p.replicas.length,
    ).length;
    const rate = rates?.get(t.name);
    const topicLag = lagByTopic.get(t.name);
    const metrics: Record<string, number> = { partitions: t.partitions.length };
    if (rate !== undefined) metrics.messagesPerSecond = rate;
    if (topicLag !== undefined) metrics.lag = topicLag;
    const replication = offline
      ? `${offline} offline`
      : `${underReplicated} under-replicated`;
    const summary = [
      offline || underReplicated ? replication : undefined,
      rate !== undefined ? `${rate.toFixed(1)} msg/s` : undefined,
      topicLag !== undefined
        ? `lag ${topicLag.toLocaleString('en-US')}`
        : undefined,
    ].filter(Boolean);
    const topicId = id.topic(cluster, t.name);
    nodes.push({
      id: topicId,
      kind: 'topic',
      name: t.name,
      system: 'kafka',
      cluster,
      ...(sources.catalogNamespace
        ? {
            entityRef: topicEntityRef(
              sources.catalogNamespace,
              cluster,
              t.name,
            ),
          }
        : {}),
      attributes: {
        partitions: t.partitions.length,
        replicationFactor: Math.max(
          0,
          ...t.partitions.map(p => p.replicas.length),
        ),
      },
      status: {
        state: topicState(offline, underReplicated),
        ...(summary.length ? { summary: summary.join(', ') } : {}),
        metrics,
        sampledAt,
      },
    });
    edges.push({ from: topicId, to: clusterId, kind: 'runs-on' });
  }

  for (const g of [...usage.values()].sort((a, b) =>
    a.groupId.localeCompare(b.groupId),
  )) {
    if (
      g.protocolType === 'connect' ||
      g.description?.protocolType === 'connect'
    )
      continue;
    const groupId = id.group(cluster, g.groupId);
    const state = g.description?.state ?? 'Unknown';
    const members = g.description?.members.length ?? 0;
    const totalLag = lagByGroup.get(g.groupId);
    const timeLag: {
      timeLagMs: number | null;
      timeLagUnknown: string | null;
      topics: Record<string, { timeLagMs: number | null }>;
    } =
      'unknown' in timeLags
        ? { timeLagMs: null, timeLagUnknown: timeLags.unknown, topics: {} }
        : timeLags.byGroup.get(g.groupId) ?? {
            timeLagMs: null,
            timeLagUnknown: 'not in the latest lag sample',
            topics: {},
          };
    const lagging = isGroupLagging(timeLag.timeLagMs, lagThresholdSeconds);
    // Per topic, for the time lag on each consumes-from edge (the graph
    // reads it there): the group's figure is the largest of these.
    const timeLagByTopic: Record<string, { ms: number; lagging: boolean }> = {};
    for (const [topic, t] of Object.entries(timeLag.topics))
      if (t.timeLagMs !== null)
        timeLagByTopic[topic] = {
          ms: t.timeLagMs,
          lagging: isGroupLagging(t.timeLagMs, lagThresholdSeconds),
        };
    nodes.push({
      id: groupId,
      kind: 'consumer-group',
      name: g.groupId,
      system: 'kafka',
      cluster,
      attributes: {
        state,
        members,
        topics: g.topics,
        lagging,
        ...(timeLag.timeLagUnknown
          ? { timeLagUnknown: timeLag.timeLagUnknown }
          : {}),
        ...(Object.keys(timeLagByTopic).length ? { timeLagByTopic } : {}),
      },
      status: {
        state: groupState(state),
        summary: [
          state,
          plural(members, 'member'),
          totalLag !== undefined
            ? `lag ${totalLag.toLocaleString('en-US')}`
            : undefined,
          timeLagSummary(timeLag.timeLagMs, lagging, totalLag),
        ]
          .filter(Boolean)
          .join(', '),
        metrics: {
          members,
          ...(totalLag !== undefined ? { lag: totalLag } : {}),
          ...(timeLag.timeLagMs !== null
            ? { timeLagMs: timeLag.timeLagMs }
            : {}),
        },
        sampledAt,
      },
    });
    edges.push({ from: groupId, to: clusterId, kind: 'runs-on' });
    for (const topic of g.topics) {
      const observed: string[] = [];
      const committed = g.committed.get(topic);
      if (committed)
        observed.push(
          `group ${g.groupId} committed offsets on ${plural(
            committed,
            'partition',
          )}`,
        );
      const onTopic = timeLag.topics[topic];
      if (onTopic?.timeLagMs !== null && onTopic?.timeLagMs !== undefined)
        observed.push(
          `group ${g.groupId} is ${behind(
            onTopic.timeLagMs,
          )} on ${topic} (time lag in the lag sample)`,
        );
      const assigned = g.assigned.get(topic);
      if (assigned) {
        observed.push(
          `${plural(assigned.members, 'member')} of group ${
            g.groupId
          } assigned ${plural(assigned.partitions, 'partition')}`,
        );
      }
      edges.push({
        from: id.topic(cluster, topic),
        to: groupId,
        kind: 'consumes-from',
        evidence: { observed },
      });
    }
  }
  return { nodes, edges };
}

/** The time lag part of a group's summary: "125 s behind (lagging)", or unknown while it lags in messages. */
function timeLagSummary(
  ms: number | null,
  lagging: boolean,
  totalLag: number | undefined,
): string | undefined {
  if (ms !== null) return `${behind(ms)}${lagging ? ' (lagging)' : ''}`;
  return totalLag ? 'time lag unknown' : undefined;
}

/** "125 s behind": the time lag in the graph's one-line summaries. */
function behind(ms: number): string {
  return `${Math.round(ms / 1000).toLocaleString('en-US')} s behind`;
}

/** The latest lag sample's group figures, or why there is none. */
async function timeLagSample(
  sources: KafkaPartSources,
  cluster: string,
): Promise<
  | NonNullable<Awaited<ReturnType<SampleStore['groupLags']>>>
  | { unknown: string }
> {
  if (!sources.lags) return { unknown: 'lag sampling is not set up' };
  try {
    return (
      (await sources.lags.groupLags(cluster)) ?? {
        unknown:
          'no lag sample of this cluster yet (the sampler records one a minute, unless archon.kafka.sampler.enabled is false)',
      }
    );
  } catch (error) {
    return {
      unknown: `the lag samples could not be read: ${(error as Error).message}`,
    };
  }
}
