import {
  pageList,
  type ArchonGraphEdgeKind,
  type ArchonGraphNodeKind,
  type Page,
  type PageQuery,
} from '@archon/plugin-archon-node';
import { InputError, NotFoundError } from '@backstage/errors';
import type { GraphIndex } from './GraphIndex';
import { collapseView, type GraphCollapse } from './graphCollapse';
import type { GraphNodeView, GraphView } from './graphModel';
import { checkDepth, neighbourhood, type GraphLimits } from './graphTraversal';

/** Filters of `GET /graph`; every one optional. */
export interface GraphSliceQuery {
  kinds?: ArchonGraphNodeKind[];
  edgeKinds?: ArchonGraphEdgeKind[];
  clusters?: string[];
  /** Case-insensitive substring of a node's name or id. */
  q?: string;
  /** Only edges that drift, and the nodes at their ends. */
  drift?: boolean;
  /** Only the k-hop neighbourhood of this node. */
  around?: string;
  depth?: number;
  collapse?: GraphCollapse;
  /** Path segments a bucket keeps (default: an app's own group; 1 for config prefixes). */
  collapseDepth?: number;
}

export const DEFAULT_AROUND_DEPTH = 2;

/**
 * A filtered, optionally k-hop and collapsed slice of the graph. Node filters
 * select nodes (the `around` node always stays); edges are those between
 * selected nodes of the selected kinds. The result must fit `maxNodes`
 * after collapsing, else a 400 says how to narrow it.
 */
export function graphSlice(
  graph: GraphIndex,
  query: GraphSliceQuery,
  limits: GraphLimits,
): GraphView {
  const edgeKinds = query.edgeKinds?.length
    ? new Set(query.edgeKinds)
    : undefined;
  let candidates: Iterable<string>;
  if (query.around !== undefined) {
    if (!graph.has(query.around)) {
      throw new NotFoundError(
        `There is no node ${query.around} in the graph; find ids with /graph/search?q=`,
      );
    }
    const depth = query.depth ?? DEFAULT_AROUND_DEPTH;
    checkDepth(depth, limits, 'depth');
    candidates = neighbourhood(graph, query.around, depth, edgeKinds, limits);
  } else {
    if (query.depth !== undefined)
      throw new InputError('depth only applies with around=<nodeId>');
    candidates = query.kinds?.length
      ? query.kinds.flatMap(kind => [...graph.nodeIdsOfKind(kind)])
      : graph.nodeIds();
  }
  const kinds = query.kinds?.length ? new Set<string>(query.kinds) : undefined;
  const clusters = query.clusters?.length ? new Set(query.clusters) : undefined;
  const needle = query.q?.toLowerCase();
  const keep = (id: string, node: GraphNodeView) =>
    id === query.around ||
    ((!kinds || kinds.has(node.kind)) &&
      (!clusters ||
        (node.cluster !== undefined && clusters.has(node.cluster)) ||
        (node.kind === 'cluster' && clusters.has(node.name))) &&
      (!needle || graph.searchKey(id)!.includes(needle)));

  const selected = new Set<string>();
  for (const id of candidates) {
    if (keep(id, graph.node(id)!)) selected.add(id);
  }
  const edges = [];
  const ends = new Set<string>();
  for (const id of selected) {
    for (const e of graph.outEdges(id)) {
      if (!selected.has(e.to) || (edgeKinds && !edgeKinds.has(e.kind)))
        continue;
      const view = graph.edgeView(e);
      if (query.drift && !view.drift) continue;
      edges.push(view);
      ends.add(e.from).add(e.to);
    }
  }
  const nodeIds = query.drift ? ends : selected;
  // Count before building views: a whole large graph fails fast, unless collapsing may shrink it.
  if (!query.collapse && nodeIds.size > limits.maxNodes)
    throw sliceTooBig(nodeIds.size, limits);
  let view: GraphView = {
    nodes: [...nodeIds].map(id => graph.node(id)!),
    edges,
  };
  if (query.collapse) {
    if (
      query.collapseDepth !== undefined &&
      (query.collapseDepth < 0 || query.collapseDepth > limits.maxDepth)
    ) {
      throw new InputError(
        `collapseDepth must be from 0 to ${limits.maxDepth}`,
      );
    }
    view = collapseView(graph, view, query.collapse, query.collapseDepth);
    if (view.nodes.length > limits.maxNodes)
      throw sliceTooBig(view.nodes.length, limits, true);
  } else if (query.collapseDepth !== undefined) {
    throw new InputError(
      'collapseDepth only applies with collapse=group or collapse=config-prefix',
    );
  }
  return view;
}

function sliceTooBig(
  count: number,
  limits: GraphLimits,
  collapsed = false,
): InputError {
  return new InputError(
    `This slice of the graph has ${count} nodes${
      collapsed ? ' even collapsed' : ''
    }, more than the ${limits.maxNodes} one response holds; ` +
      'narrow it with kinds=, clusters=, q= or drift=true, take a neighbourhood with around=<nodeId>&depth=, ' +
      `or collapse=group / collapse=config-prefix${
        collapsed ? ' with a smaller collapseDepth' : ''
      }`,
  );
}

export interface GraphSearchHit extends GraphNodeView {
  /** 3 exact name, 2 name prefix, 1 substring of name or id. */
  score: number;
}

/** One search across every cluster and system: by name or id, best matches first. */
export function searchGraph(
  graph: GraphIndex,
  q: string,
  options: {
    kinds?: ArchonGraphNodeKind[];
    clusters?: string[];
    page: PageQuery<'relevance'>;
  },
): Page<GraphSearchHit> & { total: number } {
  const needle = q.trim().toLowerCase();
  if (!needle) throw new InputError('q must contain something to search for');
  const kinds = options.kinds?.length
    ? new Set<string>(options.kinds)
    : undefined;
  const clusters = options.clusters?.length
    ? new Set(options.clusters)
    : undefined;
  const hits: Array<{ id: string; score: number; name: string }> = [];
  const entries: Iterable<[string, string]> = kinds
    ? [...kinds].flatMap(k =>
        [...graph.nodeIdsOfKind(k as ArchonGraphNodeKind)].map(
          id => [id, graph.searchKey(id)!] as [string, string],
        ),
      )
    : graph.searchEntries();
  for (const [id, key] of entries) {
    if (!key.includes(needle)) continue;
    const node = graph.node(id)!;
    if (clusters && !(node.cluster !== undefined && clusters.has(node.cluster)))
      continue;
    const name = node.name.toLowerCase();
    let score = 1;
    if (name === needle) score = 3;
    else if (name.startsWith(needle) || name.split(/[/._-]/).includes(needle))
      score = 2;
    hits.push({ id, score, name });
  }
  // Best first: score, then the shorter name, then id. One number carries the first two, so the page cursor holds it.
  const { items, nextCursor } = pageList(hits, options.page, {
    id: h => h.id,
    value: h => h.name.length - h.score * 1e6,
  });
  return {
    items: items.map(h => ({ ...graph.node(h.id)!, score: h.score })),
    ...(nextCursor && { nextCursor }),
    total: hits.length,
  };
}
