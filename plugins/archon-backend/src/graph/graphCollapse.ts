import type { ArchonGraphNodeStatus } from '@archon/plugin-archon-node';
import type { GraphIndex } from './GraphIndex';
import {
  edgeKey,
  type GraphEdgeView,
  type GraphNodeView,
  type GraphView,
} from './graphModel';

/**
 * `group`: apps fold into their Marathon group (`app:local/shop/*`);
 * `config-prefix`: configuration levels fold into their path prefix
 * (`config:/shop/*`) and take the apps they configure with them. Either way
 * an app's consumer groups go where the app goes.
 */
export type GraphCollapse = 'group' | 'config-prefix';

/** Evidence lists of a collapsed edge keep this many entries; the count says how many edges it stands for. */
const EVIDENCE_SAMPLE = 5;

const STATE_RANK: Record<ArchonGraphNodeStatus['state'], number> = {
  failed: 5,
  degraded: 4,
  stopped: 3,
  unknown: 2,
  running: 1,
  healthy: 0,
};

/**
 * The segments of a path-like name kept by a bucket: `depth` of them, or all
 * but the last when `depth` is absent (an app's own group).
 */
function prefixOf(path: string, depth: number | undefined): string {
  const segments = path.split('/').filter(Boolean);
  const keep =
    depth === undefined
      ? segments.length - 1
      : Math.min(depth, segments.length - 1);
  return `/${segments.slice(0, Math.max(keep, 0)).join('/')}`;
}

/** The bucket id of each node that folds, by the chosen rule. */
function bucketsOf(
  graph: GraphIndex,
  ids: ReadonlySet<string>,
  mode: GraphCollapse,
  depth: number | undefined,
) {
  const bucket = new Map<string, string>();
  for (const id of ids) {
    const node = graph.node(id)!;
    if (mode === 'group' && node.kind === 'app') {
      const rest = id.slice('app:'.length);
      const slash = rest.indexOf('/');
      const instance = rest.slice(0, slash);
      const group = prefixOf(rest.slice(slash), depth);
      bucket.set(id, `app:${instance}${group === '/' ? '/' : `${group}/`}*`);
    } else if (mode === 'config-prefix' && node.kind === 'config-path') {
      const prefix = prefixOf(`${node.name}/x`, depth ?? 1);
      bucket.set(id, `config:${prefix === '/' ? '/' : `${prefix}/`}*`);
    }
  }
  if (mode === 'config-prefix') {
    // An app goes with the deepest level that configures it.
    for (const id of ids) {
      if (graph.node(id)!.kind !== 'app') continue;
      let deepest: string | undefined;
      for (const e of graph.inEdges(id)) {
        if (
          e.kind === 'configured-by' &&
          bucket.has(e.from) &&
          (!deepest || e.from.length > deepest.length)
        )
          deepest = e.from;
      }
      if (deepest) bucket.set(id, bucket.get(deepest)!);
    }
  }
  // A consumer group goes with the one app it belongs to.
  for (const id of ids) {
    if (graph.node(id)!.kind !== 'consumer-group') continue;
    const apps = [...graph.outEdges(id)].filter(
      e => e.kind === 'belongs-to' && bucket.has(e.to),
    );
    if (apps.length === 1) bucket.set(id, bucket.get(apps[0].to)!);
  }
  return bucket;
}

/**
 * Folds a slice of the graph: nodes into buckets (one node each, with member
 * counts and the worst member status), edges between buckets into one edge
 * per (from, kind, to) with a member count, a drift count and a sample of
 * the evidence. Edges inside a bucket disappear.
 */
export function collapseView(
  graph: GraphIndex,
  view: GraphView,
  mode: GraphCollapse,
  depth: number | undefined,
): GraphView {
  const ids = new Set(view.nodes.map(n => n.id));
  const bucket = bucketsOf(graph, ids, mode, depth);
  const members = new Map<string, GraphNodeView[]>();
  const nodes: GraphNodeView[] = [];
  for (const node of view.nodes) {
    const b = bucket.get(node.id);
    if (!b) nodes.push(node);
    else members.set(b, [...(members.get(b) ?? []), node]);
  }
  for (const [id, list] of members) nodes.push(bucketNode(id, mode, list));

  const merged = new Map<string, GraphEdgeView>();
  for (const edge of view.edges) {
    const from = bucket.get(edge.from) ?? edge.from;
    const to = bucket.get(edge.to) ?? edge.to;
    if (from === to) continue;
    if (from === edge.from && to === edge.to) {
      merged.set(edgeKey(from, edge.kind, to), edge);
      continue;
    }
    const key = edgeKey(from, edge.kind, to);
    const existing = merged.get(key);
    const drifts = edge.driftCount ?? (edge.drift ? 1 : 0);
    if (!existing) {
      merged.set(key, {
        ...edge,
        from,
        to,
        evidence: sample(edge.evidence),
        members: edge.members ?? 1,
        driftCount: drifts,
        contributors: [...edge.contributors],
      });
      continue;
    }
    existing.members = (existing.members ?? 1) + (edge.members ?? 1);
    existing.driftCount = (existing.driftCount ?? 0) + drifts;
    existing.drift ??= edge.drift;
    if (edge.derived) existing.derived = true;
    existing.evidence = sample({
      declared: [
        ...(existing.evidence?.declared ?? []),
        ...(edge.evidence?.declared ?? []),
      ],
      observed: [
        ...(existing.evidence?.observed ?? []),
        ...(edge.evidence?.observed ?? []),
      ],
    });
    existing.contributors = [
      ...new Set([...existing.contributors, ...edge.contributors]),
    ];
  }
  return { nodes, edges: [...merged.values()] };
}

function sample(
  evidence: GraphEdgeView['evidence'],
): GraphEdgeView['evidence'] {
  if (!evidence) return undefined;
  const declared = evidence.declared?.length
    ? [...new Set(evidence.declared)].slice(0, EVIDENCE_SAMPLE)
    : undefined;
  const observed = evidence.observed?.length
    ? [...new Set(evidence.observed)].slice(0, EVIDENCE_SAMPLE)
    : undefined;
  if (!declared && !observed) return undefined;
  return {
    ...(declared ? { declared } : {}),
    ...(observed ? { observed } : {}),
  };
}

function bucketNode(
  id: string,
  mode: GraphCollapse,
  list: GraphNodeView[],
): GraphNodeView {
  const byKind: Record<string, number> = {};
  const byState: Record<string, number> = {};
  let worst: ArchonGraphNodeStatus | undefined;
  let sampledAt = '';
  for (const m of list) {
    byKind[m.kind] = (byKind[m.kind] ?? 0) + 1;
    const state = m.status?.state ?? 'unknown';
    byState[state] = (byState[state] ?? 0) + 1;
    if (m.status && m.status.sampledAt > sampledAt)
      sampledAt = m.status.sampledAt;
    if (!worst || STATE_RANK[state] > STATE_RANK[worst.state])
      worst = m.status ?? { state: 'unknown', sampledAt: '' };
  }
  const name = id.slice(id.indexOf(':') + 1);
  const first = list[0];
  return {
    id,
    kind: mode === 'group' ? 'app' : 'config-path',
    name: mode === 'group' ? name.slice(name.indexOf('/')) : name,
    system: mode === 'group' ? first.system : 'config',
    ...(mode === 'group' && first.cluster ? { cluster: first.cluster } : {}),
    attributes: { collapsed: true, members: list.length, memberKinds: byKind },
    status: {
      state: worst?.state ?? 'unknown',
      summary: Object.entries(byState)
        .map(([state, n]) => `${n} ${state}`)
        .join(', '),
      metrics: Object.fromEntries(
        Object.entries(byState).map(([state, n]) => [state, n]),
      ),
      sampledAt: sampledAt || new Date(0).toISOString(),
    },
    contributors: [...new Set(list.flatMap(m => m.contributors))],
  };
}
