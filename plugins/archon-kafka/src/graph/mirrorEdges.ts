import {
  archonGraphNodeId as id,
  type ArchonGraphEdge,
} from '@archon/plugin-archon-node';
import {
  clusterOfBrokers,
  mirroredTopics,
  mirrorSpecOf,
  type MirrorSpec,
} from './mirrorTopics';

/** What the Kafka parts of the same snapshot know, to place a mirror's two ends. */
export interface MirrorClusters {
  /** archon's Kafka clusters (`archon.kafka.clusters`), matched by broker address. */
  kafka: ReadonlyArray<{ name: string; brokers: readonly string[] }>;
  /** Each Kafka cluster's topics and their write rate (msg/s; undefined when not sampled). */
  topics: ReadonlyMap<string, ReadonlyMap<string, number | undefined>>;
}

export interface ConnectorMirror {
  /** `mirrors` source topic → replica, and `source-writes` connector → replica. */
  edges: ArchonGraphEdge[];
  /** For the connector node's attributes. */
  attributes: Record<string, unknown>;
}

/**
 * A MirrorMaker 2 source connector's part of the graph: one `mirrors` edge
 * per replicated topic, declared from its configuration, from the source
 * cluster's topic to the replica on the target cluster (each cluster found
 * by its bootstrap servers among archon's Kafka clusters; the target, when
 * unmatched, is the Kafka cluster of the Connect cluster, where the worker
 * writes). What MirrorMaker's heartbeats and checkpoints show is observed;
 * whether the replica grows is judged by the graph from the topics' rates.
 * Undefined for any other connector.
 */
export function connectorMirror(
  connectorId: string,
  connector: string,
  config: Record<string, string | undefined>,
  connectKafkaCluster: string | undefined,
  clusters: MirrorClusters,
): ConnectorMirror | undefined {
  const spec = mirrorSpecOf(config);
  if (!spec) return undefined;
  if ('problem' in spec)
    return { edges: [], attributes: { mirror: { problem: spec.problem } } };
  const { source, target } = mirrorEnds(
    spec,
    connectKafkaCluster,
    clusters.kafka,
  );
  const summary = {
    sourceAlias: spec.sourceAlias,
    targetAlias: spec.targetAlias,
    sourceCluster: source ?? null,
    targetCluster: target ?? null,
    policy: spec.policy,
  };
  if (!source || !target)
    return {
      edges: [],
      attributes: {
        mirror: {
          ...summary,
          problem: `the ${
            source ? 'target' : 'source'
          } cluster's bootstrap servers match no Kafka cluster archon knows`,
        },
      },
    };
  const sourceTopics = [...(clusters.topics.get(source)?.keys() ?? [])];
  const observed = liveness(spec, target, clusters);
  const edges: ArchonGraphEdge[] = [];
  for (const m of mirroredTopics(spec, sourceTopics).sort((a, b) =>
    a.topic.localeCompare(b.topic),
  )) {
    const declared = [`connector ${connector}: ${m.declared}`];
    const replicaId = id.topic(target, m.replica);
    edges.push({
      from: id.topic(source, m.topic),
      to: replicaId,
      kind: 'mirrors',
      evidence: { declared, ...(observed.length ? { observed } : {}) },
    });
    // The worker writes the replica to its own Kafka cluster.
    if (target === connectKafkaCluster)
      edges.push({
        from: connectorId,
        to: replicaId,
        kind: 'source-writes',
        evidence: { declared: [`${m.declared}, replica of ${m.topic}`] },
      });
  }
  return { edges, attributes: { mirror: summary } };
}

/**
 * The archon Kafka clusters a mirror reads and writes: each found by its
 * bootstrap servers, else the cluster named like its alias; the target,
 * when neither matches, is the Kafka cluster of the Connect cluster, where
 * the worker writes. The graph's edges and the catalog's relations place
 * both ends with this one rule.
 */
export function mirrorEnds(
  spec: MirrorSpec,
  connectKafkaCluster: string | undefined,
  kafka: MirrorClusters['kafka'],
): { source?: string; target?: string } {
  const byAlias = (alias: string) => kafka.find(c => c.name === alias)?.name;
  return {
    source:
      clusterOfBrokers(spec.sourceBrokers, kafka) ?? byAlias(spec.sourceAlias),
    target:
      clusterOfBrokers(spec.targetBrokers, kafka) ??
      byAlias(spec.targetAlias) ??
      connectKafkaCluster,
  };
}

/**
 * MirrorMaker's own traffic on the target: the source's heartbeats
 * replicated (`<source alias>.heartbeats`, written by this flow) and the
 * checkpoints of the source's groups (`<source alias>.checkpoints.internal`),
 * each when its end offsets move.
 */
function liveness(
  spec: MirrorSpec,
  target: string,
  clusters: MirrorClusters,
): string[] {
  const topics = clusters.topics.get(target);
  const out: string[] = [];
  const sep = spec.policy === 'default' ? spec.separator : '';
  const prefix = spec.policy === 'default' ? spec.sourceAlias : '';
  for (const [name, what] of [
    [`${prefix}${sep}heartbeats`, 'heartbeats'],
    [`${spec.sourceAlias}.checkpoints.internal`, 'checkpoints'],
  ]) {
    const rate = topics?.get(name);
    if (rate !== undefined && rate > 0)
      out.push(
        `MirrorMaker's ${what} reach ${target}: ${name} moves (${rate.toFixed(
          1,
        )} msg/s)`,
      );
  }
  return out;
}
