/**
 * What technology modules contribute to archon's cross-system graph.
 *
 * Each contributor owns a part of the graph (its nodes and the edges it can
 * vouch for) and hands it over whole; archon-backend's graph service merges
 * the parts, joins edges across systems by node id, and derives what no single
 * system knows (drift, observed app → topic edges through consumer groups).
 */

/** The kinds of node the graph knows. */
export type ArchonGraphNodeKind =
  | 'app'
  | 'topic'
  | 'connector'
  | 'consumer-group'
  | 'config-path'
  | 'route'
  | 'cluster';

/**
 * The kinds of edge, always written in the direction data or control flows:
 * `produces-to` app → topic; `consumes-from` topic → app or topic → group
 * (the edge points downstream, from the topic to its reader);
 * `source-writes` connector → topic; `sink-reads` topic → connector;
 * `belongs-to` group → app; `routes-to` route → app;
 * `configured-by` config-path level → app; `runs-on` node → cluster.
 */
export type ArchonGraphEdgeKind =
  | 'produces-to'
  | 'consumes-from'
  | 'source-writes'
  | 'sink-reads'
  | 'belongs-to'
  | 'routes-to'
  | 'configured-by'
  | 'runs-on';

/**
 * Live health of a node, as last sampled by its contributor. `running` is an
 * app whose wanted tasks all run but which has no health checks: nothing
 * says it serves, so it is not `healthy` (the app state words of
 * docs/glossary.md).
 */
export interface ArchonGraphNodeStatus {
  state: 'healthy' | 'running' | 'degraded' | 'failed' | 'stopped' | 'unknown';
  /** One line for tooltips, e.g. `2/2 tasks healthy` or `lag 1,204`. */
  summary?: string;
  /** Numbers for overlays: `lag`, `messagesPerSecond`, `tasksRunning`, ... */
  metrics?: Record<string, number>;
  /** ISO time the status was sampled. */
  sampledAt: string;
}

export interface ArchonGraphNode {
  /**
   * Stable, human-readable id, unique across systems:
   * `app:<orchestrator instance><app id>` (e.g. `app:local/shop/cart`),
   * `topic:<kafka cluster>/<topic>`, `connector:<connect cluster>/<name>`,
   * `group:<kafka cluster>/<group id>`, `config:<path>` (e.g. `config:/shop/cart`),
   * `route:<gateway instance>/<host><path>`, `cluster:<system>/<name>`.
   * Build them with {@link archonGraphNodeId} so contributors agree.
   */
  id: string;
  kind: ArchonGraphNodeKind;
  /** Display name (topic name, app id, ...). */
  name: string;
  /** The system that owns it: `kafka`, `connect`, `marathon`, `gateway`, `config`. */
  system: string;
  /** The cluster / instance / ensemble it lives on, when it has one. */
  cluster?: string;
  /** Its software catalog entity, when archon registers one. */
  entityRef?: string;
  /** Facts worth showing (partitions, instances, connector class, ...); no secrets. */
  attributes?: Record<string, unknown>;
  status?: ArchonGraphNodeStatus;
  /**
   * Set when the contributor could not read the node's system and reports
   * the node from its last good read: when that read was taken (ISO time).
   * The graph then serves the node marked stale (#22).
   */
  asOf?: string;
}

export interface ArchonGraphEdgeEvidence {
  /** Why the edge is declared, e.g. `config kafka.output.topics at /shop/cart`. */
  declared?: string[];
  /** What was seen, e.g. `group cart committed offsets on 3 partitions`. */
  observed?: string[];
}

export interface ArchonGraphEdge {
  from: string;
  to: string;
  kind: ArchonGraphEdgeKind;
  /** Data-flow edges carry evidence; structural ones (runs-on, configured-by) may omit it. */
  evidence?: ArchonGraphEdgeEvidence;
}

export interface ArchonGraphContribution {
  nodes: ArchonGraphNode[];
  /** Edges may point at nodes another contributor owns (joined by id). */
  edges: ArchonGraphEdge[];
}

export interface ArchonGraphContributor {
  /** Unique per contributor, e.g. `kafka`, `marathon`; its part is replaced as a whole. */
  id: string;
  /** Reads this contributor's whole part of the graph from its systems. */
  snapshot(options: { signal: AbortSignal }): Promise<ArchonGraphContribution>;
  /**
   * Optional push: the contributor calls `changed()` when its systems report
   * a change (Marathon events, a config write), so the graph service takes a
   * fresh snapshot soon instead of waiting for the next refresh.
   */
  onChange?(changed: () => void): () => void;
  /** How often the graph service refreshes this part without a push (default 30 s). */
  refreshIntervalMs?: number;
}

/** Builds node ids the way {@link ArchonGraphNode.id} documents them. */
export const archonGraphNodeId = {
  app: (instance: string, appId: string) =>
    `app:${instance}/${appId.replace(/^\/+/, '')}`,
  topic: (cluster: string, topic: string) => `topic:${cluster}/${topic}`,
  connector: (cluster: string, name: string) => `connector:${cluster}/${name}`,
  group: (cluster: string, groupId: string) => `group:${cluster}/${groupId}`,
  configPath: (path: string) => `config:${path}`,
  route: (instance: string, hostAndPath: string) =>
    `route:${instance}/${hostAndPath}`,
  cluster: (system: string, name: string) => `cluster:${system}/${name}`,
};
