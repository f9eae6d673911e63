import { edge, node, sampleGraph } from './testGraph';
import {
  connectedComponents,
  isInfrastructureTopic,
  pipelineView,
} from './pipelineView';

/** The sample chain plus what a real cluster has around it. */
function clusterGraph() {
  const graph = sampleGraph();
  graph.nodes.push(
    node('topic:local/__consumer_offsets', 'topic'),
    node('topic:local/archon-connect-offsets', 'topic'),
    node('topic:local/stray', 'topic'),
    node('topic:local/other.in', 'topic'),
    node('app:local/other', 'app'),
  );
  graph.edges.push(
    edge('topic:local/other.in', 'consumes-from', 'app:local/other'),
    // Infrastructure topics with an edge are still infrastructure.
    edge('app:local/other', 'produces-to', 'topic:local/__consumer_offsets'),
  );
  return graph;
}

describe('pipeline view', () => {
  it('knows infrastructure topics by name', () => {
    const topic = (name: string) =>
      isInfrastructureTopic(node(`topic:local/${name}`, 'topic'));
    expect(topic('__consumer_offsets')).toBe(true);
    expect(topic('connect-configs')).toBe(true);
    expect(topic('archon-connect-offsets')).toBe(true);
    expect(topic('connect-cluster-a-status')).toBe(true);
    expect(topic('_schemas')).toBe(true);
    expect(topic('east.checkpoints.internal')).toBe(true);
    expect(topic('sample.raw')).toBe(false);
    expect(topic('connected-cars')).toBe(false);
    expect(topic('orders-status')).toBe(false);
  });

  it('finds connected pipelines, largest first', () => {
    const components = connectedComponents(clusterGraph());
    // Two of three nodes: ties go to the smallest id.
    expect(components[0][0]).toBe('app:local/other');
    expect(components[1]).toEqual([
      'app:local/sample/enricher',
      'topic:local/sample.enriched',
      'topic:local/sample.raw',
    ]);
    expect(components.map(c => c.length)).toEqual([3, 3, 1, 1]);
  });

  it('shows the largest pipeline, hiding infrastructure and unconnected nodes', () => {
    const view = pipelineView(clusterGraph(), {
      showHidden: false,
      scope: 'largest',
    });
    expect(view.graph.nodes.map(n => n.id).sort()).toEqual([
      'app:local/sample/enricher',
      'topic:local/sample.enriched',
      'topic:local/sample.raw',
    ]);
    expect(view.graph.edges).toHaveLength(2);
    expect(view.total).toBe(8);
    // __consumer_offsets, archon-connect-offsets and stray.
    expect(view.hidden).toBe(3);
    expect(view.pipelines).toBe(2);
  });

  it('shows every pipeline, or everything, on request', () => {
    const all = pipelineView(clusterGraph(), {
      showHidden: false,
      scope: 'all',
    });
    expect(all.graph.nodes).toHaveLength(5);
    expect(all.graph.edges).toHaveLength(3);
    const everything = pipelineView(clusterGraph(), {
      showHidden: true,
      scope: 'largest',
    });
    expect(everything.graph.nodes).toHaveLength(8);
    expect(everything.hidden).toBe(0);
  });
});
