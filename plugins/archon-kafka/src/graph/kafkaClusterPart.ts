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
import { groupState, plural, topicState } from './graphStatus';

export interface KafkaPartSources {
  topology: KafkaTopology;
  groups: ConsumerGroupService;
  rates?: TopicRateSource;
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
  const [meta, usage, rates] = await Promise.all([
    kafka.metadata(),
    sources.topology.groupUsage(cluster),
    sources.rates?.topicRates(cluster).catch(() => undefined),
  ]);
  // One read of the committed offsets serves both the groups' topics and their lag.
  const lagRows = await sources.groups.lagOfCommitted(
    cluster,
    new Map([...usage].map(([g, u]) => [g, u.offsets])),
  );
  const clusterId = id.cluster('kafka', cluster);
  const nodes: ArchonGraphNode[] = [
    {
      id: clusterId,
      kind: 'cluster',
      name: cluster,
      system: 'kafka',
      cluster,
      attributes: { brokers: meta.brokers.length, clusterId: meta.clusterId },
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
    nodes.push({
      id: groupId,
      kind: 'consumer-group',
      name: g.groupId,
      system: 'kafka',
      cluster,
      attributes: { state, members, topics: g.topics },
      status: {
        state: groupState(state),
        summary: [
          state,
          plural(members, 'member'),
          totalLag !== undefined
            ? `lag ${totalLag.toLocaleString('en-US')}`
            : undefined,
        ]
          .filter(Boolean)
          .join(', '),
        metrics: {
          members,
          ...(totalLag !== undefined ? { lag: totalLag } : {}),
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
