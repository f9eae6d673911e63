/*
 * Graph benchmark. Prints figures; asserts nothing. Needs nothing running.
 *
 *   yarn workspace @archon/plugin-archon-backend bench:graph
 *
 * Builds a synthetic graph of 5,000 apps (50 Marathon groups of 100, each a
 * pipeline), 20,000 topics, 2,000 connectors, 10,000 consumer groups, 5,050
 * configuration levels and 1,000 routes, split into the parts the real
 * contributors own, and reports: the build time and the heap it holds; the
 * time to replace one part after a small change (incremental) against a
 * full rebuild; p50/p99 of lineage (both ways, depth 3) and impact (depth 6)
 * queries; and the same lineage queries answered by a naive baseline that
 * scans an unindexed edge list per hop, with the ratio, in the same run.
 */
import type { ArchonGraphEdge } from '@archon/plugin-archon-node';
import os from 'node:os';
import { GraphIndex } from '../src/graph/GraphIndex';
import { DATA_FLOW_EDGE_KINDS } from '../src/graph/graphModel';
import {
  DEFAULT_GRAPH_LIMITS,
  impact,
  lineage,
} from '../src/graph/graphTraversal';
import { searchGraph } from '../src/graph/graphSlice';
import {
  APPS_PER_TEAM,
  NAIVE_QUERIES,
  QUERIES,
  pick,
  random,
  sampledAt,
  syntheticParts,
} from './graphSyntheticParts';

function percentile(sorted: number[], p: number) {
  return sorted[
    Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))
  ];
}

function timeEach<T>(inputs: T[], fn: (input: T) => unknown) {
  const times: number[] = [];
  let errors = 0;
  for (const input of inputs) {
    const t = performance.now();
    try {
      fn(input);
    } catch {
      errors++;
    }
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  const total = times.reduce((s, x) => s + x, 0);
  return {
    p50: percentile(times, 50),
    p99: percentile(times, 99),
    total,
    errors,
  };
}

const fmt = (r: { p50: number; p99: number; errors: number }) =>
  `p50 ${r.p50.toFixed(2)} ms, p99 ${r.p99.toFixed(2)} ms${
    r.errors ? `, ${r.errors} over the size cap (400)` : ''
  }`;

function heapMb() {
  (globalThis as { gc?: () => void }).gc?.();
  return process.memoryUsage().heapUsed / 1024 / 1024;
}

/** The baseline: data-flow lineage by scanning the whole edge list once per hop and direction. */
function naiveLineage(
  edges: ArchonGraphEdge[],
  root: string,
  depth: number,
): number {
  const seen = new Set([root]);
  for (const down of [true, false]) {
    let frontier = new Set([root]);
    for (let hop = 0; hop < depth && frontier.size > 0; hop++) {
      const next = new Set<string>();
      for (const e of edges) {
        if (!DATA_FLOW_EDGE_KINDS.has(e.kind)) continue;
        const [here, there] = down ? [e.from, e.to] : [e.to, e.from];
        if (frontier.has(here) && !seen.has(there)) {
          seen.add(there);
          next.add(there);
        }
      }
      frontier = next;
    }
  }
  return seen.size;
}

function main() {
  if (!(globalThis as { gc?: () => void }).gc)
    console.log('(run with --expose-gc for heap figures)');
  const parts = syntheticParts();
  const counts = Object.fromEntries(
    Object.entries(parts).map(([id, p]) => [
      id,
      `${p.nodes.length} nodes, ${p.edges.length} edges`,
    ]),
  );
  console.log('parts:', counts);

  const heapBefore = heapMb();
  let t = performance.now();
  const cpu = process.cpuUsage();
  const graph = new GraphIndex();
  for (const [id, part] of Object.entries(parts))
    graph.replacePart(id, part, sampledAt);
  const buildMs = performance.now() - t;
  const buildCpu = process.cpuUsage(cpu);
  const heapHeld = heapMb() - heapBefore;
  console.log(
    `build: ${buildMs.toFixed(0)} ms wall (${(
      (buildCpu.user + buildCpu.system) /
      1000
    ).toFixed(0)} ms CPU, load average ${os.loadavg()[0].toFixed(1)} on ${
      os.cpus().length
    } cores) ` +
      `for ${graph.nodeCount} nodes and ${
        graph.edgeCount
      } merged edges; heap held ${heapHeld.toFixed(0)} MB`,
  );

  // One consumer group stops reading one topic, and every status is sampled anew: the Kafka part is re-taken.
  const later = new Date(Date.now() + 1000).toISOString();
  const changed = structuredClone(parts.kafka);
  changed.nodes = changed.nodes.map(n => ({
    ...n,
    status: { ...n.status!, sampledAt: later },
  }));
  const dropped = changed.edges.findIndex(e => e.kind === 'consumes-from');
  changed.edges.splice(dropped, 1);
  t = performance.now();
  const refreshCpu = process.cpuUsage();
  graph.replacePart('kafka', changed, sampledAt);
  const incrementalMs = performance.now() - t;
  const incrementalCpu = process.cpuUsage(refreshCpu);
  const marathonChanged = structuredClone(parts.marathon);
  marathonChanged.nodes[1] = {
    ...marathonChanged.nodes[1],
    status: { state: 'failed', sampledAt },
  };
  t = performance.now();
  graph.replacePart('marathon', marathonChanged, sampledAt);
  const marathonMs = performance.now() - t;
  t = performance.now();
  const rebuilt = new GraphIndex();
  for (const [id, part] of Object.entries({ ...parts, kafka: changed }))
    rebuilt.replacePart(id, part, sampledAt);
  const rebuildMs = performance.now() - t;
  console.log(
    `refresh of one part (one edge gone, every status new): kafka (${
      parts.kafka.nodes.length
    } nodes, ${parts.kafka.edges.length} edges) ${incrementalMs.toFixed(
      0,
    )} ms wall (${(
      (incrementalCpu.user + incrementalCpu.system) /
      1000
    ).toFixed(0)} ms CPU), ` +
      `marathon (one app failed) ${marathonMs.toFixed(
        0,
      )} ms; full rebuild ${rebuildMs.toFixed(0)} ms`,
  );

  const apps = [...graph.nodeIdsOfKind('app')];
  const topics = [...graph.nodeIdsOfKind('topic')];
  const roots = Array.from({ length: QUERIES }, () =>
    random() < 0.5 ? pick(apps) : pick(topics),
  );
  const limits = DEFAULT_GRAPH_LIMITS;
  const lin = timeEach(roots, id => lineage(graph, id, 'both', 3, limits));
  console.log(`lineage both, depth 3 (${QUERIES} roots): ${fmt(lin)}`);
  const imp = timeEach(roots, id => impact(graph, id, 6, limits));
  console.log(`impact depth 6 (${QUERIES} roots): ${fmt(imp)}`);
  const sizes = roots.slice(0, 100).map(id => {
    try {
      return impact(graph, id, 6, limits).affected.length;
    } catch {
      return limits.maxNodes;
    }
  });
  sizes.sort((a, b) => a - b);
  console.log(
    `  impact sizes: median ${percentile(
      sizes,
      50,
    )} affected nodes, p99 ${percentile(sizes, 99)}`,
  );
  const searches = Array.from(
    { length: 200 },
    () => `app-${Math.floor(random() * APPS_PER_TEAM)}`,
  );
  console.log(
    `search across ${graph.nodeCount} nodes (200 queries, limit 50): ${fmt(
      timeEach(searches, q =>
        searchGraph(graph, q, {
          page: { limit: 50, sort: 'relevance', order: 'asc' },
        }),
      ),
    )}`,
  );

  const edgeList = Object.values(parts).flatMap(p => p.edges);
  const naiveRoots = roots.slice(0, NAIVE_QUERIES);
  const naive = timeEach(naiveRoots, id => naiveLineage(edgeList, id, 3));
  const indexed = timeEach(naiveRoots, id =>
    lineage(graph, id, 'both', 3, limits),
  );
  console.log(
    `naive lineage (unindexed edge list of ${
      edgeList.length
    }, ${NAIVE_QUERIES} roots): ${fmt(naive)}`,
  );
  console.log(
    `ratio naive / indexed (same ${NAIVE_QUERIES} roots): p50 ${(
      naive.p50 / indexed.p50
    ).toFixed(0)}x, total ${(naive.total / indexed.total).toFixed(0)}x`,
  );
  // Keep both alive until here so the heap figure above is what they hold.
  if (rebuilt.nodeCount !== graph.nodeCount)
    console.log(`(rebuilt graph differs: ${rebuilt.nodeCount} nodes)`);
}

main();
