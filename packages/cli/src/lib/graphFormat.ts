import type {
  Graph,
  GraphEdge,
  GraphImpact,
  GraphLineage,
  GraphNode,
  GraphPath,
} from '@archon/plugin-archon-common';
import { formatTable, type Colors } from './output';

/** A node's state, colored. */
export function nodeState(node: GraphNode, colors: Colors): string {
  const s = node.status?.state;
  if (!s) return '';
  if (s === 'healthy' || s === 'running') return colors.green(s);
  if (s === 'failed') return colors.red(s);
  if (s === 'degraded' || s === 'stopped') return colors.yellow(s);
  return s;
}

/** `a -produces-to-> b`, with the drift when the evidence is one-sided. */
export function formatEdge(edge: GraphEdge, colors: Colors): string {
  const drift = edge.drift ? colors.yellow(`  (${edge.drift})`) : '';
  return `${edge.from} ${colors.dim(`-${edge.kind}->`)} ${edge.to}${drift}`;
}

function edgeLines(edges: GraphEdge[], colors: Colors): string[] {
  return edges.length
    ? ['', colors.bold('EDGES'), ...edges.map(e => formatEdge(e, colors))]
    : [];
}

/** A slice of the graph: its nodes, then its edges. */
export function formatGraph(graph: Graph, colors: Colors): string {
  return [
    colors.dim(
      `${graph.nodes.length} nodes, ${graph.edges.length} edges (the whole graph: ${graph.totals.nodes} nodes, ${graph.totals.edges} edges)`,
    ),
    ...(graph.nodes.length
      ? [
          formatTable(
            ['node', 'kind', 'status', 'summary'],
            graph.nodes.map(n => [
              n.id,
              n.kind,
              nodeState(n, colors),
              n.status?.summary ?? '',
            ]),
            { colors },
          ),
        ]
      : []),
    ...edgeLines(graph.edges, colors),
  ].join('\n');
}

/** A lineage: nodes upstream and downstream of the root, nearest first. */
export function formatLineage(lineage: GraphLineage, colors: Colors): string {
  const side = { root: 0, up: 1, down: 2 } as Record<string, number>;
  const nodes = [...lineage.nodes].sort(
    (a, b) =>
      (side[a.side ?? 'root'] ?? 0) - (side[b.side ?? 'root'] ?? 0) ||
      (a.distance ?? 0) - (b.distance ?? 0) ||
      a.id.localeCompare(b.id),
  );
  return [
    colors.dim(
      `lineage of ${lineage.root} (${lineage.direction}, ${lineage.depth} hops)`,
    ),
    formatTable(
      ['side', 'hops', 'node', 'kind', 'status'],
      nodes.map(n => [
        n.side ?? '',
        n.distance ?? '',
        n.id,
        n.kind,
        nodeState(n, colors),
      ]),
      { colors, alignRight: [1] },
    ),
    ...edgeLines(lineage.edges, colors),
  ].join('\n');
}

/** What is affected if a node goes away: nearest first, with how. */
export function formatImpact(impact: GraphImpact, colors: Colors): string {
  const counts = Object.entries(impact.counts)
    .map(([kind, n]) => `${n} ${kind}`)
    .join(', ');
  if (!impact.affected.length)
    return `nothing depends on ${impact.root} (${impact.depth} hops)`;
  return [
    colors.dim(`${impact.root} affects ${counts} (${impact.depth} hops)`),
    formatTable(
      ['hops', 'node', 'kind', 'status', 'via'],
      impact.affected.map(a => [
        a.distance,
        a.node.id,
        a.node.kind,
        nodeState(a.node, colors),
        a.path.map(e => e.kind).join(' > '),
      ]),
      { colors, alignRight: [0] },
    ),
  ].join('\n');
}

/** Every shortest data-flow path, one line each: `a -kind-> b -kind-> c`. */
export function formatPath(result: GraphPath, colors: Colors): string {
  if (result.direction === 'none' || !result.paths.length)
    return `no data-flow path between ${result.from} and ${result.to}`;
  const lines = result.paths.map(p => {
    const parts = [p.nodes[0]];
    p.edges.forEach((e, i) =>
      parts.push(colors.dim(`-${e.kind}->`), p.nodes[i + 1]),
    );
    return parts.join(' ');
  });
  return [
    ...(result.direction === 'reverse'
      ? [
          colors.yellow(
            `nothing flows from ${result.from} to ${result.to}; these paths go the other way:`,
          ),
        ]
      : []),
    ...lines,
  ].join('\n');
}
