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
 * `source-reads` app → source connector (the connector reads a file or URL
 * the app writes); `sink-writes` sink connector → app (the app reads a file
 * or URL the connector writes) — both matched from declared endpoints (see
 * {@link ArchonGraphEndpoints});
 * `mirrors` topic → its replica on another Kafka cluster (MirrorMaker 2);
 * `belongs-to` group → app; `routes-to` route → app;
 * `configured-by` config-path level → app; `runs-on` node → cluster.
 */
export type ArchonGraphEdgeKind =
  | 'produces-to'
  | 'consumes-from'
  | 'source-writes'
  | 'sink-reads'
  | 'source-reads'
  | 'sink-writes'
  | 'mirrors'
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

/**
 * What a node reads or writes outside Kafka, as its contributor declares it
 * in `attributes.endpoints`: files (`file:<absolute path>`) and HTTP URLs,
 * each with the declaration it comes from (an app's `archon.writes.files`,
 * a connector's `file`). archon-backend matches them across contributors:
 * an app that writes what a source connector reads feeds it (`source-reads`
 * app → connector); a sink connector that writes what an app reads feeds
 * the app (`sink-writes` connector → app). Build the endpoint strings with
 * {@link archonGraphEndpoint} so both sides compare equal.
 */
export interface ArchonGraphEndpoints {
  writes?: ArchonGraphEndpointUse[];
  reads?: ArchonGraphEndpointUse[];
}

export interface ArchonGraphEndpointUse {
  /** `file:/abs/path` or a normalized `http(s)://` URL. */
  endpoint: string;
  /** Where it is declared, e.g. `label ARCHON_WRITES_FILES (config archon.writes.files)`. */
  declared: string;
}

/**
 * Endpoint strings one way for every contributor; undefined for a value that
 * names no absolute file or http(s) URL (it cannot be matched, so it is left
 * out rather than guessed).
 */
export const archonGraphEndpoint = {
  file(path: string): string | undefined {
    const p = path.trim();
    if (!p.startsWith('/')) return undefined;
    // Collapse `//`, `/./` and `x/../` so two spellings of a path meet.
    const out: string[] = [];
    for (const segment of p.split('/')) {
      if (segment === '' || segment === '.') continue;
      if (segment === '..') out.pop();
      else out.push(segment);
    }
    return `file:/${out.join('/')}`;
  },
  url(value: string): string | undefined {
    let url: URL;
    try {
      url = new URL(value.trim());
    } catch {
      return undefined;
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
    url.hash = '';
    // Credentials in a URL are no part of where it points (and no secret goes into the graph).
    url.username = '';
    url.password = '';
    // `http://h/x/` and `http://h/x` name one endpoint.
    return url.href.replace(/\/$/, '');
  },
  /** A comma-separated list of paths or URLs, each taken by its shape. */
  list(value: string): string[] {
    return value
      .split(',')
      .map(v => v.trim())
      .filter(Boolean)
      .map(v =>
        v.startsWith('/')
          ? archonGraphEndpoint.file(v)
          : archonGraphEndpoint.url(v),
      )
      .filter((v): v is string => v !== undefined);
  },
};
