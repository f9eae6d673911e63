import type {
  ArchonGraphEdgeEvidence,
  ArchonGraphEdgeKind,
  ArchonGraphNode,
  ArchonGraphNodeKind,
} from '@archon/plugin-archon-node';

/** Every node kind, in display order. */
export const GRAPH_NODE_KINDS: readonly ArchonGraphNodeKind[] = [
  'app',
  'topic',
  'connector',
  'consumer-group',
  'config-path',
  'route',
  'cluster',
];

export const GRAPH_EDGE_KINDS: readonly ArchonGraphEdgeKind[] = [
  'produces-to',
  'consumes-from',
  'source-writes',
  'sink-reads',
  'source-reads',
  'sink-writes',
  'mirrors',
  'belongs-to',
  'routes-to',
  'configured-by',
  'runs-on',
];

/**
 * Edges along which data moves, each pointing downstream. `belongs-to`
 * (group → app) is one of them: a topic's records reach an app through its
 * consumer group; so are `source-reads` / `sink-writes`, the file or URL
 * between an app and a connector; `mirrors` carries a topic's records to
 * its replica on another Kafka cluster, so lineage and impact cross clusters.
 */
export const DATA_FLOW_EDGE_KINDS: ReadonlySet<ArchonGraphEdgeKind> = new Set([
  'produces-to',
  'consumes-from',
  'source-writes',
  'sink-reads',
  'source-reads',
  'sink-writes',
  'mirrors',
  'belongs-to',
]);

/** Edges that can be both declared (configuration) and observed (the systems); drift is judged on these. */
export const EVIDENCE_EDGE_KINDS: ReadonlySet<ArchonGraphEdgeKind> = new Set([
  'produces-to',
  'consumes-from',
  'source-writes',
  'sink-reads',
  'mirrors',
]);

/** The id prefix of each node kind (see `archonGraphNodeId`). */
const KIND_BY_PREFIX: Record<string, ArchonGraphNodeKind> = {
  app: 'app',
  topic: 'topic',
  connector: 'connector',
  group: 'consumer-group',
  config: 'config-path',
  route: 'route',
  cluster: 'cluster',
};

/** Default owning system of a placeholder, by kind. */
const SYSTEM_BY_KIND: Record<ArchonGraphNodeKind, string> = {
  app: 'unknown',
  topic: 'kafka',
  connector: 'connect',
  'consumer-group': 'kafka',
  'config-path': 'config',
  route: 'gateway',
  cluster: 'unknown',
};

/** The kind an id names by its prefix, or undefined for an id no contributor may use. */
export function kindOfNodeId(id: string): ArchonGraphNodeKind | undefined {
  const colon = id.indexOf(':');
  if (colon <= 0 || colon === id.length - 1) return undefined;
  return KIND_BY_PREFIX[id.slice(0, colon)];
}

export type GraphDrift = 'declared-not-observed' | 'observed-not-declared';

/** A node as the API shows it: merged across contributors, or a placeholder. */
export interface GraphNodeView extends ArchonGraphNode {
  /** The contributors that vouch for it; empty for a placeholder. */
  contributors: string[];
}

/** An edge as the API shows it: evidence merged across contributors and derivations. */
export interface GraphEdgeView {
  from: string;
  to: string;
  kind: ArchonGraphEdgeKind;
  evidence?: ArchonGraphEdgeEvidence;
  /** Set on a data-flow edge whose evidence is one-sided. */
  drift?: GraphDrift;
  /** True when (some of) the observed evidence was derived through a consumer group. */
  derived?: boolean;
  /** Figures of the edge: `timeLagMs` on a consumes-from edge whose consumer has one. */
  metrics?: Record<string, number>;
  /** On a consumes-from edge with a time lag: its consumer lags (the groups' rule). */
  lagging?: boolean;
  contributors: string[];
  /** On a collapsed edge: how many edges it stands for, and how many of them drift. */
  members?: number;
  driftCount?: number;
}

/** A set of nodes and the edges between them: what every export renders. */
export interface GraphView {
  nodes: GraphNodeView[];
  edges: GraphEdgeView[];
}

export function edgeKey(
  from: string,
  kind: ArchonGraphEdgeKind,
  to: string,
): string {
  return `${from}\u0000${kind}\u0000${to}`;
}

/**
 * What a node id says about itself, for placeholders: `topic:local/orders`
 * is the topic `orders` on cluster `local`; `app:local/shop/cart` is the app
 * `/shop/cart` on instance `local`; `config:/shop` the level `/shop`.
 */
export function placeholderNode(
  id: string,
  sampledAt: string,
): GraphNodeView | undefined {
  const kind = kindOfNodeId(id);
  if (!kind) return undefined;
  const rest = id.slice(id.indexOf(':') + 1);
  const slash = rest.indexOf('/');
  let name = rest;
  let cluster: string | undefined;
  let system = SYSTEM_BY_KIND[kind];
  if (kind === 'config-path') {
    name = rest;
  } else if (slash > 0) {
    cluster = rest.slice(0, slash);
    name = kind === 'app' ? `/${rest.slice(slash + 1)}` : rest.slice(slash + 1);
    if (kind === 'cluster') {
      system = cluster;
      cluster = undefined;
    }
  }
  return {
    id,
    kind,
    name,
    system,
    ...(cluster !== undefined ? { cluster } : {}),
    attributes: { placeholder: true },
    status: {
      state: 'unknown',
      summary: 'no contributor reports this node; an edge refers to it',
      sampledAt,
    },
    contributors: [],
  };
}

/** Drift of one edge from its merged evidence; undefined when it agrees or is not a drift-judged edge. */
export function driftOf(
  kind: ArchonGraphEdgeKind,
  from: string,
  to: string,
  evidence: ArchonGraphEdgeEvidence | undefined,
): GraphDrift | undefined {
  if (!EVIDENCE_EDGE_KINDS.has(kind) || !evidence) return undefined;
  // Edges into consumer groups only carry what was observed; declarations
  // name apps, so drift is judged on the topic → app edge the group feeds.
  if (
    kindOfNodeId(from) === 'consumer-group' ||
    kindOfNodeId(to) === 'consumer-group'
  )
    return undefined;
  const declared = (evidence.declared?.length ?? 0) > 0;
  const observed = (evidence.observed?.length ?? 0) > 0;
  if (declared && !observed) return 'declared-not-observed';
  if (observed && !declared) return 'observed-not-declared';
  return undefined;
}
