import { markStale, type Staleness } from '@archon/plugin-archon-node';
import type { Response } from 'express';
import type { GraphContributorState } from './GraphService';
import type { GraphNodeView } from './graphModel';

/** How a kept node names where it lives, in the words archon's messages use. */
const SYSTEM_WORDS: Record<string, string> = {
  kafka: 'Kafka cluster',
  connect: 'Kafka Connect cluster',
  marathon: 'Marathon instance',
  gateway: 'gateway',
  config: 'ZooKeeper ensemble',
};

type Marked<N> = N | (N & { stale: true; asOf: string });

/** A system a contributor could not read, whose nodes it kept from an earlier read. */
export interface StaleSource {
  /** In archon's words: `Kafka cluster "local"`, `Marathon instance "local"`. */
  source: string;
  /** When that earlier read was taken (ISO 8601; the oldest of its nodes). */
  asOf: string;
}

/** The systems of the nodes a contributor kept from an earlier read (those with `asOf`), oldest read first. */
export function keptSources(
  nodes: Array<{ system: string; cluster?: string; asOf?: string }>,
): StaleSource[] {
  const oldest = new Map<string, string>();
  for (const node of nodes) {
    if (!node.asOf) continue;
    const source = `${SYSTEM_WORDS[node.system] ?? `${node.system} cluster`} "${
      node.cluster ?? '?'
    }"`;
    const known = oldest.get(source);
    if (!known || node.asOf < known) oldest.set(source, node.asOf);
  }
  return [...oldest]
    .map(([source, asOf]) => ({ source, asOf }))
    .sort(
      (a, b) =>
        a.asOf.localeCompare(b.asOf) || a.source.localeCompare(b.source),
    );
}

/**
 * What a graph answer says when some contributors could not read their
 * systems and the graph keeps their last good part (#22): each such node
 * gets `stale: true` and `asOf`, and the answer as a whole the staleness to
 * pass to `markStale` (the oldest `asOf`, naming the contributors and why).
 * A contributor whose whole refresh failed leaves every node it vouches for
 * as old as its part; one that kept part of its last read itself marks those
 * nodes (`asOf` on the node). Nothing when all are fresh.
 *
 * `scope: 'graph'` (GET /graph) names every stale contributor, as the answer
 * stands for the whole graph; `'nodes'` (lineage, impact, one node) only
 * those vouching for a node of the answer that is stale.
 */
export function graphStaleness<N extends GraphNodeView>(
  nodes: N[],
  contributors: GraphContributorState[],
  scope: 'graph' | 'nodes' = 'graph',
): { nodes: Array<Marked<N>>; staleness?: Staleness } {
  const allStale = contributors.filter(c => c.stale && c.asOf);
  if (allStale.length === 0) return { nodes };
  const failed = new Map(
    allStale.filter(c => c.error).map(c => [c.id, c.asOf!]),
  );
  const marked = nodes.map(node => {
    const asOf = [node.asOf, ...node.contributors.map(id => failed.get(id))]
      .filter((t): t is string => !!t)
      .sort()[0];
    return asOf ? { ...node, stale: true as const, asOf } : node;
  });
  const staleNodes = marked.filter(n => 'stale' in n && n.stale);
  const vouching = new Set(staleNodes.flatMap(n => n.contributors));
  const stale =
    scope === 'graph' ? allStale : allStale.filter(c => vouching.has(c.id));
  if (stale.length === 0) return { nodes: marked };
  const oldest =
    scope === 'graph'
      ? stale.map(c => c.asOf!).sort()[0]
      : staleNodes.map(n => n.asOf!).sort()[0];
  // Each names why: its failed refresh, or the systems it kept nodes of (`Kafka cluster "local"`).
  const named = stale
    .map(c => {
      const why =
        c.error ?? (c.staleSources ?? []).map(k => k.source).join(', ');
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

/**
 * A lineage, impact or node answer with its stale nodes marked (in `nodes`,
 * `affected[].node` and `node`) and, when any is stale, `stale`/`asOf` and
 * the `Warning` header naming their contributors (#22).
 */
export function markStaleGraphAnswer<
  T extends {
    nodes?: GraphNodeView[];
    node?: GraphNodeView;
    affected?: Array<{ node: GraphNodeView }>;
  },
>(res: Response, body: T, contributors: GraphContributorState[]) {
  const all = [
    ...(body.nodes ?? []),
    ...(body.node ? [body.node] : []),
    ...(body.affected ?? []).map(a => a.node),
  ];
  const { nodes, staleness } = graphStaleness(all, contributors, 'nodes');
  if (!staleness) return body;
  const byId = new Map(nodes.map(n => [n.id, n]));
  const mark = (n: GraphNodeView) => byId.get(n.id) ?? n;
  return markStale(
    res,
    {
      ...body,
      ...(body.nodes && { nodes: body.nodes.map(mark) }),
      ...(body.node && { node: mark(body.node) }),
      ...(body.affected && {
        affected: body.affected.map(a => ({ ...a, node: mark(a.node) })),
      }),
    },
    staleness,
  );
}
