import { connectorState } from '@archon/plugin-archon-common';
import {
  archonGraphNodeId as id,
  type ArchonGraphContribution,
  type ArchonGraphEdge,
  type ArchonGraphEdgeEvidence,
  type ArchonGraphNode,
} from '@archon/plugin-archon-node';
import { entityName } from '../catalog/entities';
import type { ConnectService } from '../connect/ConnectService';
import type { ConnectClusterConfig } from '../kafka/KafkaClusterConfig';
import {
  declaredConnectorEndpoints,
  declaredConnectorTopics,
} from './declaredConnectorTopics';
import { connectorMirror, type MirrorClusters } from './mirrorEdges';
import { plural } from './graphStatus';

/**
 * One Connect cluster's part of the graph: the cluster, its connectors, and
 * `source-writes` connector → topic / `sink-reads` topic → connector edges,
 * declared from each connector's config and observed from Connect's active
 * topics (`GET /connectors/{name}/topics`). Topics live on the Kafka cluster
 * the Connect cluster is configured with (`kafkaCluster`); without one the
 * topics cannot be placed and no topic edges are drawn. A MirrorMaker 2
 * source connector reads another cluster: its edges are `mirrors` edges
 * (see {@link connectorMirror}).
 */
export async function connectClusterPart(
  cluster: ConnectClusterConfig,
  connect: ConnectService,
  /** Topic names of the cluster's Kafka cluster, for `topics.regex` / `topic.prefix`. */
  existingTopics: readonly string[],
  catalogNamespace: string | undefined,
  sampledAt: string,
  mirrorClusters: MirrorClusters = { kafka: [], topics: new Map() },
): Promise<ArchonGraphContribution> {
  const { items } = await connect.list(cluster.name);
  const clusterId = id.cluster('connect', cluster.name);
  const failing = items.filter(
    c => c.state === 'FAILED' || c.failedTasks > 0,
  ).length;
  const nodes: ArchonGraphNode[] = [
    {
      id: clusterId,
      kind: 'cluster',
      name: cluster.name,
      system: 'connect',
      cluster: cluster.name,
      attributes: {
        kafkaCluster: cluster.kafkaCluster ?? null,
        connectors: items.length,
      },
      status: {
        state: failing ? 'degraded' : 'healthy',
        summary: `${plural(items.length, 'connector')}${
          failing ? `, ${failing} failing` : ''
        }`,
        sampledAt,
      },
    },
  ];
  const edges: ArchonGraphEdge[] = [];
  const active = await connect.activeTopicsOf(
    cluster.name,
    items.map(c => c.name),
  );

  for (const c of [...items].sort((a, b) => a.name.localeCompare(b.name))) {
    const connectorId = id.connector(cluster.name, c.name);
    const runningTasks = c.tasks.filter(t => t.state === 'RUNNING').length;
    const endpoints = declaredConnectorEndpoints(c.config, c.type);
    const mirror = connectorMirror(
      connectorId,
      c.name,
      c.config,
      cluster.kafkaCluster,
      mirrorClusters,
    );
    nodes.push({
      id: connectorId,
      kind: 'connector',
      name: c.name,
      system: 'connect',
      cluster: cluster.name,
      ...(catalogNamespace
        ? {
            entityRef: `component:${catalogNamespace}/${entityName(
              cluster.name,
              c.name,
            )}`,
          }
        : {}),
      attributes: {
        class: c.config['connector.class'] ?? null,
        type: c.type,
        tasks: c.tasks.length,
        kafkaCluster: cluster.kafkaCluster ?? null,
        ...(endpoints ? { endpoints } : {}),
        ...mirror?.attributes,
      },
      status: {
        state: connectorState(c.state, c.failedTasks),
        summary: `${c.state}, ${runningTasks}/${plural(
          c.tasks.length,
          'task',
        )} running`,
        metrics: {
          tasks: c.tasks.length,
          tasksRunning: runningTasks,
          tasksFailed: c.failedTasks,
        },
        sampledAt,
      },
    });
    edges.push({ from: connectorId, to: clusterId, kind: 'runs-on' });
    for (const e of mirror?.edges ?? [])
      if (e.kind === 'mirrors') edges.push(e);
    if (!cluster.kafkaCluster || (c.type !== 'source' && c.type !== 'sink'))
      continue;

    const evidence = new Map<string, ArchonGraphEdgeEvidence>();
    // A mirror's `topics` are the source cluster's, not what it writes here.
    if (mirror) {
      for (const e of mirror.edges)
        if (e.kind === 'source-writes')
          evidence.set(e.to.slice(e.to.indexOf('/') + 1), e.evidence!);
    } else {
      for (const [topic, reasons] of declaredConnectorTopics(
        c.config,
        existingTopics,
      )) {
        evidence.set(topic, { declared: reasons });
      }
    }
    for (const topic of active.get(c.name) ?? []) {
      const e = evidence.get(topic) ?? {};
      e.observed = [
        `active topic of connector ${c.name} (Connect's /connectors/${c.name}/topics)`,
      ];
      evidence.set(topic, e);
    }
    for (const [topic, e] of [...evidence].sort(([a], [b]) =>
      a.localeCompare(b),
    )) {
      const topicId = id.topic(cluster.kafkaCluster, topic);
      edges.push(
        c.type === 'source'
          ? {
              from: connectorId,
              to: topicId,
              kind: 'source-writes',
              evidence: e,
            }
          : { from: topicId, to: connectorId, kind: 'sink-reads', evidence: e },
      );
    }
  }
  return { nodes, edges };
}
