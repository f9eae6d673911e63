import type { Entity } from '@backstage/catalog-model';
import type {
  GraphEdge,
  GraphEdgeKind,
  GraphNode,
  GraphNodeKind,
} from '@archon/plugin-archon-common';
import { apiAppId, appRefOf } from '../../lib/appEntity';

/** The node kinds of the data-flow diagram (the page's default selection). */
export const PIPELINE_NODE_KINDS: GraphNodeKind[] = [
  'app',
  'topic',
  'connector',
  'consumer-group',
];

/**
 * The kinds the page starts with: consumer groups are left out because each
 * app's group repeats its topic → app edge (the group's lag is in the app's
 * details); the Node kinds filter adds them.
 */
export const DEFAULT_NODE_KINDS: GraphNodeKind[] = PIPELINE_NODE_KINDS.filter(
  k => k !== 'consumer-group',
);

/** Every edge kind except the structural `runs-on` and `configured-by`. */
export const PIPELINE_EDGE_KINDS: GraphEdgeKind[] = [
  'produces-to',
  'consumes-from',
  'source-writes',
  'sink-reads',
  'source-reads',
  'sink-writes',
  // A topic's replica on another Kafka cluster (MirrorMaker 2), drawn across clusters.
  'mirrors',
  'belongs-to',
  'routes-to',
];

export const NODE_KIND_LABELS: Record<GraphNodeKind, string> = {
  app: 'Apps',
  topic: 'Topics',
  connector: 'Connectors',
  'consumer-group': 'Consumer groups',
  'config-path': 'Configuration levels',
  route: 'Routes',
  cluster: 'Clusters',
};

/** Nodes and edges, whatever endpoint (graph, lineage) they came from. */
export interface PipelineGraph {
  nodes: GraphNode[];
  edges: GraphEdge[];
}

/** A stable key of an edge; the backend merges edges by (from, kind, to). */
export const edgeKey = (e: GraphEdge) => `${e.from}|${e.kind}|${e.to}`;

/** Whether an edge drifts (alone or, when collapsed, any of its members). */
export const isDrifting = (e: GraphEdge) =>
  Boolean(e.drift) || (e.driftCount ?? 0) > 0;

/**
 * The graph node id of an app Component (`app:<instance>/<app id>`) or a
 * kafka-topic Resource (`topic:<cluster>/<topic>`), as archonGraphNodeId in
 * @archon/plugin-archon-node builds it; undefined for anything else.
 */
export function graphNodeIdOf(entity: Entity): string | undefined {
  const kind = entity.kind.toLowerCase();
  const a = entity.metadata.annotations ?? {};
  if (kind === 'component') {
    const { instance, appId } = appRefOf(entity);
    return instance && appId ? `app:${instance}/${apiAppId(appId)}` : undefined;
  }
  if (kind === 'resource') {
    const cluster = a['archon.io/kafka-cluster'];
    const topic = a['archon.io/kafka-topic'];
    return cluster && topic ? `topic:${cluster}/${topic}` : undefined;
  }
  return undefined;
}

/** Whether an entity has a place in the data-flow graph (the tab's filter). */
export const hasPipelineNode = (entity: Entity) =>
  graphNodeIdOf(entity) !== undefined;
