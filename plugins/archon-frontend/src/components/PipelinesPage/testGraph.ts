import type { Graph, GraphEdge, GraphNode } from '@archon/plugin-archon-common';

/** A graph node as the backend answers it. */
export function node(
  id: string,
  kind: GraphNode['kind'],
  extra: Partial<GraphNode> = {},
): GraphNode {
  return {
    id,
    kind,
    name: id.replace(/^[a-z-]+:[^/]*\//, ''),
    system: kind === 'app' ? 'marathon' : 'kafka',
    cluster: 'local',
    contributors: ['test'],
    status: { state: 'healthy', sampledAt: '2026-11-24T00:00:00.000Z' },
    ...extra,
  };
}

export function edge(
  from: string,
  kind: GraphEdge['kind'],
  to: string,
  extra: Partial<GraphEdge> = {},
): GraphEdge {
  return { from, kind, to, contributors: ['test'], ...extra };
}

/** enricher reads sample.raw and writes sample.enriched; the write drifts. */
export function sampleGraph(): Graph {
  const nodes = [
    node('topic:local/sample.raw', 'topic'),
    node('app:local/sample/enricher', 'app', {
      entityRef: 'component:default/local.sample.enricher',
      status: {
        state: 'failed',
        summary: '0/1 tasks running',
        sampledAt: '2026-11-24T00:00:00.000Z',
      },
    }),
    node('topic:local/sample.enriched', 'topic'),
  ];
  const edges = [
    edge(
      'topic:local/sample.raw',
      'consumes-from',
      'app:local/sample/enricher',
      {
        evidence: {
          declared: ['config kafka.input.topic at /sample/enricher'],
          observed: ['group enricher committed offsets on 1 partitions'],
        },
      },
    ),
    edge(
      'app:local/sample/enricher',
      'produces-to',
      'topic:local/sample.enriched',
      {
        drift: 'declared-not-observed',
        evidence: {
          declared: ['config kafka.output.topic at /sample/enricher'],
        },
      },
    ),
  ];
  return {
    nodes,
    edges,
    totals: { nodes: nodes.length, edges: edges.length },
    contributors: [
      {
        id: 'kafka',
        nodes: 2,
        edges: 1,
        refreshedAt: '2026-11-24T00:00:00.000Z',
      },
    ],
  };
}
