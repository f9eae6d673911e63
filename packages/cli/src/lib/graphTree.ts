import type { Graph, GraphEdge, GraphNode } from '@archon/plugin-archon-common';
import { nodeState } from './graphFormat';
import type { Colors } from './output';

/** Which edges a walk from a node follows: out of it (down), into it (up), or both. */
export type GraphDirection = 'up' | 'down' | 'both';

interface Step {
  edge: GraphEdge;
  /** The node the step reaches. */
  other: string;
  /** The edge points away from the node walked from. */
  outgoing: boolean;
}

function stepsOf(
  graph: Graph,
  direction: GraphDirection,
): (id: string) => Step[] {
  const byNode = new Map<string, Step[]>();
  const add = (id: string, step: Step) =>
    byNode.set(id, [...(byNode.get(id) ?? []), step]);
  for (const edge of graph.edges) {
    if (direction !== 'up')
      add(edge.from, { edge, other: edge.to, outgoing: true });
    if (direction !== 'down')
      add(edge.to, { edge, other: edge.from, outgoing: false });
  }
  for (const steps of byNode.values())
    steps.sort(
      (a, b) =>
        a.other.localeCompare(b.other) ||
        a.edge.kind.localeCompare(b.edge.kind),
    );
  return id => byNode.get(id) ?? [];
}

/** The same walk as the server's neighbourhood: clusters are not walked through, except from the root. */
const walksOn = (node: GraphNode | undefined, root: string) =>
  node?.id === root || node?.kind !== 'cluster';

/** Hops from the root along edges of the direction, up to `depth` (breadth-first: each node at its nearest). */
function distances(
  graph: Graph,
  root: string,
  direction: GraphDirection,
  depth: number,
): Map<string, number> {
  const nodes = new Map(graph.nodes.map(n => [n.id, n]));
  const steps = stepsOf(graph, direction);
  const hops = new Map([[root, 0]]);
  let frontier = [root];
  for (let hop = 1; hop <= depth && frontier.length; hop++) {
    const next: string[] = [];
    for (const id of frontier) {
      if (!walksOn(nodes.get(id), root)) continue;
      for (const s of steps(id)) {
        if (hops.has(s.other)) continue;
        hops.set(s.other, hop);
        next.push(s.other);
      }
    }
    frontier = next;
  }
  return hops;
}

/**
 * The part of a neighbourhood (`GET /graph?around=`, which walks edges both
 * ways) reached from the root along one direction only: the nodes, and the
 * edges between them that point that way.
 */
export function directedSlice(
  graph: Graph,
  root: string,
  direction: GraphDirection,
  depth: number,
): Graph {
  if (direction === 'both') return graph;
  const reached = distances(graph, root, direction, depth);
  return {
    ...graph,
    nodes: graph.nodes.filter(n => reached.has(n.id)),
    edges: graph.edges.filter(e => reached.has(e.from) && reached.has(e.to)),
  };
}

/**
 * The graph around a node as an indented tree: each node under the node it
 * is nearest to, with the edge that leads there (`-kind->` out of the
 * parent, `<-kind-` into it). An edge to a node already placed elsewhere is
 * shown once, as a leaf marked `(above)`; clusters are leaves.
 */
export function formatGraphTree(
  graph: Graph,
  root: string,
  direction: GraphDirection,
  depth: number,
  colors: Colors,
): string {
  const nodes = new Map(graph.nodes.map(n => [n.id, n]));
  const steps = stepsOf(graph, direction);
  const hops = distances(graph, root, direction, depth);
  const placed = new Set([root]);
  const shownEdges = new Set<GraphEdge>();
  const label = (id: string) => {
    const node = nodes.get(id);
    const facts = [node?.kind, node ? nodeState(node, colors) : '']
      .filter(Boolean)
      .join(' ');
    return facts ? `${id}  ${colors.dim('(')}${facts}${colors.dim(')')}` : id;
  };
  const lines = [label(root)];
  const grow = (id: string, indent: string) => {
    const hop = hops.get(id)!;
    if (hop >= depth || !walksOn(nodes.get(id), root)) return;
    const children = steps(id).filter(s => {
      if (shownEdges.has(s.edge)) return false;
      // A child is placed under the first node at the hop before it; any other edge to it is a reference.
      return hops.get(s.other) === hop + 1 || placed.has(s.other);
    });
    children.forEach((s, i) => {
      shownEdges.add(s.edge);
      const last = i === children.length - 1;
      const arrow = s.outgoing
        ? colors.dim(`-${s.edge.kind}->`)
        : colors.dim(`<-${s.edge.kind}-`);
      const again = placed.has(s.other);
      placed.add(s.other);
      lines.push(
        `${indent}${last ? '└─ ' : '├─ '}${arrow} ${
          again ? `${s.other}  ${colors.dim('(above)')}` : label(s.other)
        }`,
      );
      if (!again) grow(s.other, `${indent}${last ? '   ' : '│  '}`);
    });
  };
  grow(root, '');
  return lines.join('\n');
}
