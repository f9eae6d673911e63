import { cachedLayout, layoutGraph, topologyKey } from './graphLayout';
import { sampleGraph } from './testGraph';

describe('graph layout', () => {
  it('lays data flow out left to right with a route for every edge', () => {
    const graph = sampleGraph();
    const layout = layoutGraph(graph);
    const x = (id: string) => layout.nodes.get(id)!.x;
    expect(x('topic:local/sample.raw')).toBeLessThan(
      x('app:local/sample/enricher'),
    );
    expect(x('app:local/sample/enricher')).toBeLessThan(
      x('topic:local/sample.enriched'),
    );
    expect(layout.edges.size).toBe(graph.edges.length);
    for (const points of layout.edges.values()) {
      expect(points.length).toBeGreaterThanOrEqual(2);
    }
  });

  it('keys and caches by topology, not by status', () => {
    const graph = sampleGraph();
    const recoloured = sampleGraph();
    recoloured.nodes[0].status = {
      state: 'failed',
      sampledAt: '2026-11-24T00:01:00.000Z',
    };
    expect(topologyKey(recoloured)).toBe(topologyKey(graph));
    expect(cachedLayout(recoloured)).toBe(cachedLayout(graph));
    const grown = sampleGraph();
    grown.edges.pop();
    expect(topologyKey(grown)).not.toBe(topologyKey(graph));
  });
});
