import type { Staleness } from '@archon/plugin-archon-node';
import type { GraphContributorState } from './GraphService';
import type { GraphNodeView } from './graphModel';

/**
 * What a graph answer says when some contributors could not read their
 * systems and the graph keeps their last good part (#22): each such node
 * gets `stale: true` and `asOf`, and the answer as a whole the staleness to
 * pass to `markStale` (the oldest `asOf`, naming the contributors and why).
 * A contributor whose whole refresh failed leaves every node it vouches for
 * as old as its part; one that kept part of its last read itself marks those
 * nodes (`asOf` on the node). Nothing when all are fresh.
 */
export function graphStaleness<N extends GraphNodeView>(
  nodes: N[],
  contributors: GraphContributorState[],
): {
  nodes: Array<N | (N & { stale: true; asOf: string })>;
  staleness?: Staleness;
} {
  const stale = contributors.filter(c => c.stale && c.asOf);
  if (stale.length === 0) return { nodes };
  const failed = new Map(stale.filter(c => c.error).map(c => [c.id, c.asOf!]));
  const marked = nodes.map(node => {
    const asOf = [node.asOf, ...node.contributors.map(id => failed.get(id))]
      .filter((t): t is string => !!t)
      .sort()[0];
    return asOf ? { ...node, stale: true as const, asOf } : node;
  });
  const oldest = stale.map(c => c.asOf!).sort()[0];
  // Nodes kept from an earlier read name where they live: `kafka cluster "local"`.
  const keptFrom = new Map<string, Set<string>>();
  for (const node of nodes) {
    if (!node.asOf) continue;
    for (const id of node.contributors) {
      if (!keptFrom.has(id)) keptFrom.set(id, new Set());
      keptFrom.get(id)!.add(`${node.system} cluster "${node.cluster ?? '?'}"`);
    }
  }
  const named = stale
    .map(c => {
      const why = c.error ?? [...(keptFrom.get(c.id) ?? [])].join(', ');
      return `"${c.id}"${why ? ` (${why})` : ''}`;
    })
    .join(', ');
  return {
    nodes: marked,
    staleness: {
      system: `the source of graph contributor ${named}`,
      asOf: Date.parse(oldest),
    },
  };
}
