import type { LoggerService } from '@backstage/backend-plugin-api';
import { InputError, NotFoundError } from '@backstage/errors';
import {
  parsePageQuery,
  type ArchonGraphContribution,
  type ArchonGraphContributor,
  type ArchonGraphNodeKind,
} from '@archon/plugin-archon-node';
import { GraphIndex } from './GraphIndex';
import {
  ENDPOINT_PART,
  endpointLinks,
  endpointLinksKey,
} from './endpointLinks';
import type { GraphEdgeView, GraphNodeView } from './graphModel';
import { graphSlice, searchGraph, type GraphSliceQuery } from './graphSlice';
import { keptSources, type StaleSource } from './graphStaleness';
import {
  checkDepth,
  DEFAULT_GRAPH_LIMITS,
  impact,
  lineage,
  paths,
  type GraphLimits,
  type LineageDirection,
} from './graphTraversal';

const DEFAULT_REFRESH_MS = 30_000;

/** How each contributor's part is doing, for `GET /graph` and for operators. */
export interface GraphContributorState {
  id: string;
  nodes: number;
  edges: number;
  /** When the part now in the graph was taken. */
  refreshedAt?: string;
  /** The last refresh's failure; the previous part stays in the graph meanwhile. */
  error?: string;
  /** Items of the last snapshot refused as malformed. */
  rejected?: number;
  /** True while the last refresh failed (the graph keeps an earlier part) or the contributor reports nodes from an earlier read, as of `asOf` (#22). */
  stale?: boolean;
  /** With `stale`: when the oldest data still in the graph was read. */
  asOf?: string;
  /** The systems whose nodes the contributor kept from an earlier read, each as of when (#22). */
  staleSources?: StaleSource[];
}

interface Refresher {
  contributor: ArchonGraphContributor;
  state: GraphContributorState;
  inFlight?: Promise<void>;
  again: boolean;
  timer?: NodeJS.Timeout;
  debounce?: NodeJS.Timeout;
  unsubscribe?: () => void;
}

/**
 * archon's cross-system graph: each contributor's part is taken on its own
 * refresh loop (and soon after it pushes a change) and replaces that part
 * alone in the {@link GraphIndex}; queries are answered from the indexes.
 * One slow or failing contributor keeps its last good part and never holds
 * up the others. No HTTP here.
 */
export class GraphService {
  readonly #graph = new GraphIndex();
  readonly #refreshers: Refresher[];
  readonly #logger: LoggerService;
  readonly limits: GraphLimits;
  readonly #snapshotTimeoutMs: number;
  readonly #debounceMs: number;
  #endpointLinksKey = '';
  /** Per part, the endpoints its nodes declared at its last refresh. */
  readonly #endpointDeclarations = new Map<string, string>();
  #closed = false;

  constructor(options: {
    contributors: ArchonGraphContributor[];
    logger: LoggerService;
    limits?: Partial<GraphLimits>;
    /** How long one snapshot may take (default 60 s). */
    snapshotTimeoutMs?: number;
    /** How long after a pushed change the part is re-taken, so bursts make one refresh (default 250 ms). */
    debounceMs?: number;
  }) {
    this.#logger = options.logger;
    const given = Object.entries(options.limits ?? {}).filter(
      ([, v]) => v !== undefined,
    );
    this.limits = { ...DEFAULT_GRAPH_LIMITS, ...Object.fromEntries(given) };
    const seen = new Set<string>();
    for (const c of options.contributors) {
      // A part is replaced by contributor id, so two with one id would erase each other.
      if (seen.has(c.id))
        throw new Error(
          `archon: two graph contributors are both called "${c.id}"`,
        );
      seen.add(c.id);
    }
    // The derived part of endpoint links is replaced under its own id.
    if (seen.has(ENDPOINT_PART))
      throw new Error(
        `archon: the graph contributor id "${ENDPOINT_PART}" is archon's own`,
      );
    this.#snapshotTimeoutMs = options.snapshotTimeoutMs ?? 60_000;
    this.#debounceMs = options.debounceMs ?? 250;
    this.#refreshers = options.contributors.map(contributor => ({
      contributor,
      state: { id: contributor.id, nodes: 0, edges: 0 },
      again: false,
    }));
  }

  /** Takes every part now and then on each contributor's interval and pushes. */
  start(): void {
    for (const r of this.#refreshers) {
      void this.#refresh(r);
      r.timer = setInterval(
        () => void this.#refresh(r),
        r.contributor.refreshIntervalMs ?? DEFAULT_REFRESH_MS,
      );
      r.timer.unref();
      r.unsubscribe = r.contributor.onChange?.(() => {
        if (this.#closed) return;
        clearTimeout(r.debounce);
        r.debounce = setTimeout(() => void this.#refresh(r), this.#debounceMs);
        r.debounce.unref();
      });
    }
  }

  close(): void {
    this.#closed = true;
    for (const r of this.#refreshers) {
      clearInterval(r.timer);
      clearTimeout(r.debounce);
      r.unsubscribe?.();
    }
  }

  /** Re-takes one part (or all) and resolves when it is in the graph. */
  async refresh(contributorId?: string): Promise<void> {
    const chosen = this.#refreshers.filter(
      r => contributorId === undefined || r.contributor.id === contributorId,
    );
    if (contributorId !== undefined && chosen.length === 0) {
      throw new NotFoundError(
        `There is no graph contributor "${contributorId}"`,
      );
    }
    await Promise.all(chosen.map(r => this.#refresh(r)));
  }

  /** A refresh asked for while one runs makes one more run after it, never two at once. */
  #refresh(r: Refresher): Promise<void> {
    if (r.inFlight) {
      r.again = true;
      return r.inFlight;
    }
    r.inFlight = (async () => {
      do {
        r.again = false;
        await this.#takeSnapshot(r);
      } while (r.again && !this.#closed);
    })().finally(() => {
      r.inFlight = undefined;
    });
    return r.inFlight;
  }

  async #takeSnapshot(r: Refresher) {
    const { contributor, state } = r;
    const signal = AbortSignal.timeout(this.#snapshotTimeoutMs);
    try {
      const sampledAt = new Date().toISOString();
      const part = await contributor.snapshot({ signal });
      if (this.#closed) return;
      const result = this.#graph.replacePart(contributor.id, part, sampledAt);
      this.#linkEndpoints(contributor.id, part, sampledAt);
      Object.assign(state, {
        nodes: result.nodes,
        edges: result.edges,
        refreshedAt: sampledAt,
        error: undefined,
      });
      // A contributor may keep part of its last read itself (nodes with asOf): then it is stale as of the oldest.
      const kept = keptSources(part.nodes);
      state.stale = kept.length ? true : undefined;
      state.asOf = kept.map(k => k.asOf).sort()[0];
      state.staleSources = kept.length ? kept : undefined;
      state.rejected = result.rejected || undefined;
      if (result.rejected > 0) {
        this.#logger.warn(
          `graph contributor ${contributor.id}: ${
            result.rejected
          } malformed items skipped, e.g. ${result.reasons.join('; ')}`,
        );
      }
    } catch (error) {
      state.error = signal.aborted
        ? `the snapshot took longer than ${this.#snapshotTimeoutMs} ms`
        : String((error as Error)?.message ?? error);
      // The part kept is as old as its refresh: the graph says so until a refresh works again.
      if (state.refreshedAt) {
        state.stale = true;
        state.asOf = state.refreshedAt;
      }
      this.#logger.warn(
        `graph contributor ${contributor.id} could not refresh; keeping its last part: ${state.error}`,
      );
    }
  }

  /**
   * Re-matches the endpoints the parts declare when a part's declarations
   * changed (an app's file may now meet a connector another part reports).
   * The match scans every app and connector (~150 ms at 5,000 apps and 2,000
   * connectors), so a refresh that declares what it declared before, the
   * common case, skips it; a match equal to the last replaces nothing.
   */
  #linkEndpoints(
    partId: string,
    contribution: ArchonGraphContribution,
    sampledAt: string,
  ) {
    const declared = (contribution?.nodes ?? [])
      .filter(n => n?.attributes?.endpoints)
      .map(n => `${n.id} ${JSON.stringify(n.attributes!.endpoints)}`)
      .join('\n');
    if (declared === (this.#endpointDeclarations.get(partId) ?? '')) return;
    this.#endpointDeclarations.set(partId, declared);
    const part = endpointLinks(this.#graph);
    const key = endpointLinksKey(part);
    if (key === this.#endpointLinksKey) return;
    this.#endpointLinksKey = key;
    this.#graph.replacePart(ENDPOINT_PART, part, sampledAt);
  }

  contributors(): GraphContributorState[] {
    return this.#refreshers.map(r => ({ ...r.state }));
  }

  /** The index itself, for tests and the benchmark. */
  get index(): GraphIndex {
    return this.#graph;
  }

  totals() {
    return { nodes: this.#graph.nodeCount, edges: this.#graph.edgeCount };
  }

  #require(id: string, what = 'node'): void {
    if (!id) throw new InputError(`A ${what} id is required`);
    if (!this.#graph.has(id)) {
      throw new NotFoundError(
        `There is no ${what} ${id} in the graph; find ids with /graph/search?q=`,
      );
    }
  }

  graph(query: GraphSliceQuery) {
    return graphSlice(this.#graph, query, this.limits);
  }

  /** One node with every edge that touches it. */
  node(id: string): { node: GraphNodeView; edges: GraphEdgeView[] } {
    this.#require(id);
    const edges = [...this.#graph.outEdges(id), ...this.#graph.inEdges(id)].map(
      e => this.#graph.edgeView(e),
    );
    return { node: this.#graph.node(id)!, edges };
  }

  lineage(
    id: string,
    options: { direction?: LineageDirection; depth?: number },
  ) {
    const depth = options.depth ?? 3;
    checkDepth(depth, this.limits, 'depth');
    this.#require(id);
    return lineage(
      this.#graph,
      id,
      options.direction ?? 'both',
      depth,
      this.limits,
    );
  }

  impact(id: string, options: { depth?: number }) {
    const depth = options.depth ?? 6;
    checkDepth(depth, this.limits, 'depth');
    this.#require(id);
    return impact(this.#graph, id, depth, this.limits);
  }

  path(
    from: string,
    to: string,
    options: { maxDepth?: number; limit?: number },
  ) {
    const maxDepth = options.maxDepth ?? this.limits.maxDepth;
    checkDepth(maxDepth, this.limits, 'maxDepth');
    const limit = options.limit ?? 5;
    if (!Number.isInteger(limit) || limit < 1 || limit > this.limits.maxPaths) {
      throw new InputError(`limit must be from 1 to ${this.limits.maxPaths}`);
    }
    this.#require(from);
    this.#require(to);
    if (from === to)
      throw new InputError('from and to name the same node; a path needs two');
    return paths(this.#graph, from, to, maxDepth, limit, this.limits);
  }

  /** Nodes whose name or id contains `q`, best first, one page (`limit` + `cursor`, the API's paging). */
  search(
    q: string,
    options: {
      kinds?: ArchonGraphNodeKind[];
      clusters?: string[];
      limit?: number;
      cursor?: string;
    },
  ) {
    const page = parsePageQuery(
      { limit: options.limit, cursor: options.cursor },
      { defaultLimit: 50, sortFields: ['relevance'], what: 'search results' },
    );
    return searchGraph(this.#graph, q, { ...options, page });
  }
}
