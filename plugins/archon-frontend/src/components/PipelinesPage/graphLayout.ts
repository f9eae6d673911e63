import dagre from '@dagrejs/dagre';
import type { PipelineGraph } from './graphModel';
import { edgeKey } from './graphModel';

// Compact boxes (a 17-character name at 13 px); a chain too long for the
// view at 11 px labels is folded into rows (foldLayout).
export const NODE_WIDTH = 150;
export const NODE_HEIGHT = 40;

export interface Point {
  x: number;
  y: number;
}

/** Node centres and edge polylines in diagram coordinates. */
export interface Layout {
  nodes: Map<string, Point>;
  edges: Map<string, Point[]>;
  width: number;
  height: number;
}

/**
 * A key that changes only when the shape of the graph changes (which nodes,
 * which edges), not when statuses change: the page refreshes statuses every
 * few seconds and must not re-run the layout (nor move anything) for that.
 */
export function topologyKey(graph: PipelineGraph): string {
  const nodes = graph.nodes.map(n => n.id).sort();
  const edges = graph.edges.map(edgeKey).sort();
  return `${nodes.join('\n')}\n--\n${edges.join('\n')}`;
}

// Recent layouts by topology: switching a filter back, or opening the tab of
// an entity seen before, reuses the layout instead of running dagre again.
const CACHE_SIZE = 8;
const cache = new Map<string, Layout>();

/** A layout computed for this topology recently, if any. */
export function recentLayout(key: string): Layout | undefined {
  const hit = cache.get(key);
  if (hit) {
    // Most recently used last, so the oldest is evicted first.
    cache.delete(key);
    cache.set(key, hit);
  }
  return hit;
}

export function rememberLayout(key: string, layout: Layout) {
  cache.set(key, layout);
  if (cache.size > CACHE_SIZE) cache.delete(cache.keys().next().value!);
}

/** {@link layoutGraph}, remembered for the last few topologies. */
export function cachedLayout(
  graph: PipelineGraph,
  key = topologyKey(graph),
): Layout {
  const layout = recentLayout(key) ?? layoutGraph(graph);
  rememberLayout(key, layout);
  return layout;
}

/** Left-to-right layered layout (data flows left to right) by dagre. */
export function layoutGraph(graph: PipelineGraph): Layout {
  const g = new dagre.graphlib.Graph({ multigraph: true });
  g.setGraph({
    rankdir: 'LR',
    nodesep: 16,
    // Room between stages for an edge's label ("1.5 h lag" at 11 px, bold
    // when lagging: ~60 units).
    ranksep: 64,
    marginx: 20,
    marginy: 20,
  });
  g.setDefaultEdgeLabel(() => ({}));
  for (const n of graph.nodes) {
    g.setNode(n.id, { width: NODE_WIDTH, height: NODE_HEIGHT });
  }
  for (const e of graph.edges) {
    if (g.hasNode(e.from) && g.hasNode(e.to)) {
      g.setEdge(e.from, e.to, {}, edgeKey(e));
    }
  }
  dagre.layout(g);
  const nodes = new Map<string, Point>();
  for (const id of g.nodes()) {
    const { x, y } = g.node(id);
    nodes.set(id, { x, y });
  }
  const edges = new Map<string, Point[]>();
  for (const ref of g.edges()) {
    edges.set(ref.name!, g.edge(ref).points ?? []);
  }
  const { width = 0, height = 0 } = g.graph();
  return { nodes, edges, width, height };
}
