import type { ArchonGraphEdgeKind } from '@archon/plugin-archon-node';
import { InputError } from '@backstage/errors';
import type { EdgeRecord, GraphIndex } from './GraphIndex';
import {
  DATA_FLOW_EDGE_KINDS,
  kindOfNodeId,
  type GraphEdgeView,
  type GraphNodeView,
} from './graphModel';

/** Caps every query obeys; exceeding one is a 400 that says what to narrow. */
export interface GraphLimits {
  /** Deepest traversal a request may ask for. */
  maxDepth: number;
  /** Most nodes one response may hold. */
  maxNodes: number;
  /** Most paths `path` enumerates. */
  maxPaths: number;
}

export const DEFAULT_GRAPH_LIMITS: GraphLimits = {
  maxDepth: 12,
  maxNodes: 5000,
  maxPaths: 20,
};

export type LineageDirection = 'up' | 'down' | 'both';

export interface LineageNode extends GraphNodeView {
  /** Hops from the root (0 for the root itself). */
  distance: number;
  /** On which side of the root it was reached. */
  side: 'root' | 'up' | 'down';
}

export interface LineageResult {
  root: string;
  direction: LineageDirection;
  depth: number;
  nodes: LineageNode[];
  edges: GraphEdgeView[];
}

export interface ImpactItem {
  node: GraphNodeView;
  distance: number;
  /** The edges that link the root to it, in order (one shortest chain). */
  path: GraphEdgeView[];
}

export interface ImpactResult {
  root: string;
  depth: number;
  /** Every affected node except the root, nearest first. */
  affected: ImpactItem[];
  /** How many affected nodes of each kind. */
  counts: Record<string, number>;
  /** The root and the affected nodes with the linking edges, for rendering. */
  nodes: GraphNodeView[];
  edges: GraphEdgeView[];
}

export interface PathResult {
  from: string;
  to: string;
  /** `forward`: data flows from → to; `reverse`: only to → from; `none`: neither within maxDepth. */
  direction: 'forward' | 'reverse' | 'none';
  paths: Array<{ nodes: string[]; edges: GraphEdgeView[] }>;
  nodes: GraphNodeView[];
  edges: GraphEdgeView[];
}

export function checkDepth(
  depth: number,
  limits: GraphLimits,
  what: string,
): void {
  if (!Number.isInteger(depth) || depth < 0 || depth > limits.maxDepth) {
    throw new InputError(
      `${what} must be a whole number from 0 to ${limits.maxDepth} (it was ${depth})`,
    );
  }
}

function tooMany(what: string, limits: GraphLimits, advice: string): never {
  throw new InputError(
    `${what} reaches more than ${limits.maxNodes} nodes, the most one response holds; ${advice}`,
  );
}

const isDataFlow = (e: EdgeRecord) => DATA_FLOW_EDGE_KINDS.has(e.kind);

/**
 * Upstream and/or downstream data flow of a node through apps, topics,
 * connectors and consumer groups, breadth first to `depth` hops.
 */
export function lineage(
  graph: GraphIndex,
  root: string,
  direction: LineageDirection,
  depth: number,
  limits: GraphLimits,
): LineageResult {
  const distance = new Map<
    string,
    { distance: number; side: LineageNode['side'] }
  >([[root, { distance: 0, side: 'root' }]]);
  const edges = new Set<EdgeRecord>();
  const walk = (side: 'up' | 'down') => {
    let frontier = [root];
    for (let hop = 1; hop <= depth && frontier.length > 0; hop++) {
      const next: string[] = [];
      for (const id of frontier) {
        const around = side === 'down' ? graph.outEdges(id) : graph.inEdges(id);
        for (const e of around) {
          if (!isDataFlow(e)) continue;
          edges.add(e);
          const other = side === 'down' ? e.to : e.from;
          if (distance.has(other)) continue;
          distance.set(other, { distance: hop, side });
          next.push(other);
          if (distance.size > limits.maxNodes) {
            tooMany(
              `The lineage of ${root} to depth ${depth}`,
              limits,
              'ask for a smaller depth or one direction',
            );
          }
        }
      }
      frontier = next;
    }
  };
  if (direction !== 'up') walk('down');
  if (direction !== 'down') walk('up');
  return {
    root,
    direction,
    depth,
    nodes: [...distance].map(([id, d]) => ({ ...graph.node(id)!, ...d })),
    edges: [...edges].map(e => graph.edgeView(e)),
  };
}

/**
 * Whether following `e` away from `id` spreads an outage: downstream data
 * flow and configuration; from an app to the routes and consumer groups that
 * serve it; from a cluster to what runs on it.
 */
function impactSteps(
  graph: GraphIndex,
  id: string,
): Array<{ edge: EdgeRecord; next: string }> {
  const steps: Array<{ edge: EdgeRecord; next: string }> = [];
  for (const e of graph.outEdges(id)) {
    if (isDataFlow(e) || e.kind === 'configured-by')
      steps.push({ edge: e, next: e.to });
  }
  const kind = kindOfNodeId(id);
  for (const e of graph.inEdges(id)) {
    if (kind === 'app' && (e.kind === 'routes-to' || e.kind === 'belongs-to'))
      steps.push({ edge: e, next: e.from });
    if (kind === 'cluster' && e.kind === 'runs-on')
      steps.push({ edge: e, next: e.from });
  }
  return steps;
}

/**
 * What is affected if `root` goes away or stops: everything downstream of it,
 * the routes and consumer groups of every affected app, and, for a
 * configuration level, the apps configured at or below it. Each affected
 * node comes with one shortest chain of edges from the root.
 */
export function impact(
  graph: GraphIndex,
  root: string,
  depth: number,
  limits: GraphLimits,
): ImpactResult {
  const parent = new Map<
    string,
    { edge?: EdgeRecord; from?: string; distance: number }
  >([[root, { distance: 0 }]]);
  let frontier = [root];
  // A configuration level configures the apps of every level at or below it.
  if (kindOfNodeId(root) === 'config-path') {
    const prefix = root.slice('config:'.length);
    for (const id of graph.nodeIdsOfKind('config-path')) {
      const path = id.slice('config:'.length);
      if (id !== root && (prefix === '/' || path.startsWith(`${prefix}/`))) {
        parent.set(id, { distance: 0, from: root });
        frontier.push(id);
      }
    }
  }
  for (let hop = 1; hop <= depth && frontier.length > 0; hop++) {
    const next: string[] = [];
    for (const id of frontier) {
      for (const { edge, next: other } of impactSteps(graph, id)) {
        if (parent.has(other)) continue;
        parent.set(other, { edge, from: id, distance: hop });
        next.push(other);
        if (parent.size > limits.maxNodes) {
          tooMany(
            `The impact of ${root} to depth ${depth}`,
            limits,
            'ask for a smaller depth',
          );
        }
      }
    }
    frontier = next;
  }
  const pathTo = (id: string): EdgeRecord[] => {
    const chain: EdgeRecord[] = [];
    for (let at = parent.get(id); at?.edge; at = parent.get(at.from!))
      chain.unshift(at.edge);
    return chain;
  };
  const affected: ImpactItem[] = [];
  const counts: Record<string, number> = {};
  const edges = new Set<EdgeRecord>();
  for (const [id, at] of parent) {
    if (id === root || !at.edge) continue; // the levels below a config root link through their apps
    const chain = pathTo(id);
    chain.forEach(e => edges.add(e));
    const node = graph.node(id)!;
    affected.push({
      node,
      distance: chain.length,
      path: chain.map(e => graph.edgeView(e)),
    });
    counts[node.kind] = (counts[node.kind] ?? 0) + 1;
  }
  affected.sort(
    (a, b) => a.distance - b.distance || a.node.id.localeCompare(b.node.id),
  );
  const nodeIds = new Set<string>([root]);
  for (const e of edges) nodeIds.add(e.from).add(e.to);
  return {
    root,
    depth,
    affected,
    counts,
    nodes: [...nodeIds].map(id => graph.node(id)!),
    edges: [...edges].map(e => graph.edgeView(e)),
  };
}

/**
 * How data gets from one node to another: every shortest data-flow path (up
 * to `limit`). When none leads from → to, the reverse direction is tried, so
 * a caller who swapped the ends still learns how the two are linked.
 */
export function paths(
  graph: GraphIndex,
  from: string,
  to: string,
  maxDepth: number,
  limit: number,
  limits: GraphLimits,
): PathResult {
  let direction: PathResult['direction'] = 'forward';
  let found = shortestPaths(graph, from, to, maxDepth, limit, limits);
  if (found.length === 0) {
    found = shortestPaths(graph, to, from, maxDepth, limit, limits);
    direction = found.length > 0 ? 'reverse' : 'none';
  }
  const nodeIds = new Set<string>([from, to]);
  const edges = new Set<EdgeRecord>();
  for (const p of found) {
    p.nodes.forEach(id => nodeIds.add(id));
    p.edges.forEach(e => edges.add(e));
  }
  return {
    from,
    to,
    direction,
    paths: found.map(p => ({
      nodes: p.nodes,
      edges: p.edges.map(e => graph.edgeView(e)),
    })),
    nodes: [...nodeIds].map(id => graph.node(id)!),
    edges: [...edges].map(e => graph.edgeView(e)),
  };
}

function shortestPaths(
  graph: GraphIndex,
  from: string,
  to: string,
  maxDepth: number,
  limit: number,
  limits: GraphLimits,
) {
  // Breadth first, remembering every predecessor edge at the shortest distance.
  const distance = new Map<string, number>([[from, 0]]);
  const preds = new Map<string, EdgeRecord[]>();
  let frontier = [from];
  for (
    let hop = 1;
    hop <= maxDepth && frontier.length > 0 && !distance.has(to);
    hop++
  ) {
    const next: string[] = [];
    for (const id of frontier) {
      for (const e of graph.outEdges(id)) {
        if (!isDataFlow(e)) continue;
        const seen = distance.get(e.to);
        if (seen === undefined) {
          distance.set(e.to, hop);
          next.push(e.to);
          if (distance.size > limits.maxNodes * 20) {
            // The search itself (not the answer) is bounded so a hub cannot make it run away.
            throw new InputError(
              `Searching a path from ${from} visits more than ${
                limits.maxNodes * 20
              } nodes; ask for a smaller maxDepth`,
            );
          }
        }
        if ((seen ?? hop) === hop) {
          const list = preds.get(e.to) ?? [];
          list.push(e);
          preds.set(e.to, list);
        }
      }
    }
    frontier = next;
  }
  if (!distance.has(to)) return [];
  const result: Array<{ nodes: string[]; edges: EdgeRecord[] }> = [];
  const back = (id: string, suffix: EdgeRecord[]) => {
    if (result.length >= limit) return;
    if (id === from) {
      result.push({ nodes: [from, ...suffix.map(e => e.to)], edges: suffix });
      return;
    }
    for (const e of preds.get(id) ?? []) back(e.from, [e, ...suffix]);
  };
  back(to, []);
  return result;
}

/**
 * The nodes within `depth` hops of `center`, along edges of the given kinds
 * in either direction. Clusters are not walked through (everything runs on
 * one, so they would pull in the whole graph) unless they are the center.
 */
export function neighbourhood(
  graph: GraphIndex,
  center: string,
  depth: number,
  edgeKinds: ReadonlySet<ArchonGraphEdgeKind> | undefined,
  limits: GraphLimits,
): Set<string> {
  const seen = new Set<string>([center]);
  let frontier = [center];
  for (let hop = 1; hop <= depth && frontier.length > 0; hop++) {
    const next: string[] = [];
    for (const id of frontier) {
      if (id !== center && kindOfNodeId(id) === 'cluster') continue;
      const visit = (e: EdgeRecord, other: string) => {
        if (edgeKinds && !edgeKinds.has(e.kind)) return;
        if (seen.has(other)) return;
        seen.add(other);
        next.push(other);
        if (seen.size > limits.maxNodes) {
          tooMany(
            `The ${depth}-hop neighbourhood of ${center}`,
            limits,
            'ask for a smaller depth, fewer edgeKinds, or collapse',
          );
        }
      };
      for (const e of graph.outEdges(id)) visit(e, e.to);
      for (const e of graph.inEdges(id)) visit(e, e.from);
    }
    frontier = next;
  }
  return seen;
}
