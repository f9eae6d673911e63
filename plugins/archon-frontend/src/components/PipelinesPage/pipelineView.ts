import type { GraphNode } from '@archon/plugin-archon-common';
import type { PipelineGraph } from './graphModel';

/**
 * Topics that carry a system's own bookkeeping, not an app's data: Kafka's
 * (`__consumer_offsets`, `__transaction_state`, anything `__*`), Kafka
 * Connect's config, offset and status topics (`connect-configs`,
 * `archon-connect-offsets`, ...), MirrorMaker's heartbeats and checkpoints,
 * and Schema Registry's `_schemas`.
 */
export function isInfrastructureTopic(node: GraphNode): boolean {
  if (node.kind !== 'topic') return false;
  const name = node.name;
  return (
    name.startsWith('__') ||
    name === '_schemas' ||
    /(^|[-_.])connect[-_.](.*[-_.])?(configs?|offsets?|status(es)?)$/.test(
      name,
    ) ||
    /^(mm2-(configs|offsets|status)\..*|heartbeats|.*\.checkpoints\.internal)$/.test(
      name,
    )
  );
}

/** What the diagram shows by default, and what it leaves out. */
export interface PipelineView {
  graph: PipelineGraph;
  /** Nodes of the whole answer. */
  total: number;
  /** Infrastructure topics and nodes without a data-flow edge, left out. */
  hidden: number;
  /** Connected pipelines among the shown nodes (largest first). */
  pipelines: number;
}

/**
 * The connected components of a graph (edges taken as undirected), largest
 * first; ties by the smallest node id, so the order is stable across polls.
 */
export function connectedComponents(graph: PipelineGraph): string[][] {
  const parent = new Map(graph.nodes.map(n => [n.id, n.id]));
  const find = (id: string): string => {
    let root = id;
    while (parent.get(root) !== root) root = parent.get(root)!;
    // Path compression keeps big graphs linear in practice.
    for (let at = id; at !== root; ) {
      const next = parent.get(at)!;
      parent.set(at, root);
      at = next;
    }
    return root;
  };
  for (const e of graph.edges) {
    if (!parent.has(e.from) || !parent.has(e.to)) continue;
    const [a, b] = [find(e.from), find(e.to)];
    if (a !== b) parent.set(a < b ? b : a, a < b ? a : b);
  }
  const members = new Map<string, string[]>();
  for (const n of graph.nodes) {
    const root = find(n.id);
    members.set(root, [...(members.get(root) ?? []), n.id]);
  }
  return [...members.values()]
    .map(ids => ids.sort())
    .sort((a, b) => b.length - a.length || a[0].localeCompare(b[0]));
}

/**
 * The default picture is one pipeline, not the whole cluster: infrastructure
 * topics and nodes without any edge are left out (counted in `hidden`), and
 * of what remains only the largest connected pipeline is shown unless
 * `scope` is `all`. `showHidden` shows everything the backend answered.
 */
export function pipelineView(
  graph: PipelineGraph,
  options: { showHidden: boolean; scope: 'largest' | 'all' },
): PipelineView {
  const total = graph.nodes.length;
  if (options.showHidden) {
    return {
      graph,
      total,
      hidden: 0,
      pipelines: connectedComponents(graph).length,
    };
  }
  const infrastructure = new Set(
    graph.nodes.filter(isInfrastructureTopic).map(n => n.id),
  );
  const edges = graph.edges.filter(
    e => !infrastructure.has(e.from) && !infrastructure.has(e.to),
  );
  const linked = new Set(edges.flatMap(e => [e.from, e.to]));
  const nodes = graph.nodes.filter(
    n => !infrastructure.has(n.id) && linked.has(n.id),
  );
  const shown = { nodes, edges };
  const components = connectedComponents(shown);
  if (options.scope === 'all' || components.length <= 1) {
    return {
      graph: shown,
      total,
      hidden: total - nodes.length,
      pipelines: components.length,
    };
  }
  const largest = new Set(components[0]);
  return {
    graph: {
      nodes: nodes.filter(n => largest.has(n.id)),
      edges: edges.filter(e => largest.has(e.from)),
    },
    total,
    hidden: total - nodes.length,
    pipelines: components.length,
  };
}
