import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { registerMswTestHooks } from '@backstage/frontend-test-utils';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { BASE, healthHandler, renderArchon } from '../../__testUtils__';
import { PipelinesPage } from './PipelinesPage';
import { MIRROR_COLOR } from './statusColors';
import { edge, node, sampleGraph } from './testGraph';

const mounted = { '/catalog/:namespace/:kind/:name': entityRouteRef };
const REPLICA = 'topic:dr/local.sample.enriched';
const ARCHIVER = 'app:dr/sample/archiver';

/** The sample on local, mirrored to dr where an archiver reads the replica. */
function twoClusters() {
  const graph = sampleGraph();
  graph.nodes.push(
    node(REPLICA, 'topic', { cluster: 'dr' }),
    node(ARCHIVER, 'app', { cluster: 'dr' }),
  );
  graph.edges.push(
    edge('topic:local/sample.enriched', 'mirrors', REPLICA, {
      evidence: { declared: ['connector mirror-source on dr'] },
    }),
    edge(REPLICA, 'consumes-from', ARCHIVER),
  );
  return graph;
}

// #20: more than one cluster on one picture.
describe('PipelinesPage with more than one cluster', () => {
  const server = setupServer();
  registerMswTestHooks(server);

  it('draws mirrors across clusters, names each node its cluster, and filters by cluster', async () => {
    const user = userEvent.setup({ delay: null });
    const requests: URL[] = [];
    server.use(
      healthHandler(),
      http.get(`${BASE}/graph`, ({ request }) => {
        const url = new URL(request.url);
        requests.push(url);
        const graph = twoClusters();
        const only = url.searchParams.get('clusters');
        if (only) {
          graph.nodes = graph.nodes.filter(n => n.cluster === only);
          const kept = new Set(graph.nodes.map(n => n.id));
          graph.edges = graph.edges.filter(
            e => kept.has(e.from) && kept.has(e.to),
          );
        }
        return HttpResponse.json(graph);
      }),
    );
    await renderArchon(<PipelinesPage />, { mountedRoutes: mounted });
    await screen.findByRole('button', { name: 'app sample/archiver, healthy' });
    expect(requests[0].searchParams.get('edgeKinds')).toContain('mirrors');
    expect(requests[0].searchParams.get('clusters')).toBeNull();
    const mirror = document.querySelector(
      `path[data-edge="topic:local/sample.enriched|mirrors|${REPLICA}"]`,
    )!;
    expect(mirror).toHaveAttribute('stroke', MIRROR_COLOR);
    expect(mirror).toHaveAttribute('stroke-dasharray', '2 3');
    expect(screen.getByLabelText('Legend')).toHaveTextContent(
      "mirror: a topic's replica on another Kafka cluster",
    );
    // Two clusters: each node's kind line names its cluster (drawn from
    // zoom 1, where it is 11 px).
    await user.click(screen.getByRole('button', { name: 'Zoom in' }));
    const kindLine = (id: string) =>
      document.querySelector(`g[data-node-id="${id}"] text`)?.textContent;
    expect(kindLine(REPLICA)).toBe('topic · dr');
    expect(kindLine('topic:local/sample.raw')).toBe('topic · local');

    // The cluster filter asks the backend for that cluster only.
    await user.click(screen.getByLabelText('Cluster'));
    await user.click(await screen.findByRole('option', { name: 'dr' }));
    await waitFor(() =>
      expect(
        screen.getByRole('status', { name: 'Diagram contents' }),
      ).toHaveTextContent(/^2 nodes, 1 edges/),
    );
    expect(requests[requests.length - 1].searchParams.get('clusters')).toBe(
      'dr',
    );
    expect(
      screen.queryByRole('button', { name: /topic sample.raw/ }),
    ).toBeNull();
  });

  it('leaves the cluster out of a node when there is one', async () => {
    server.use(
      healthHandler(),
      http.get(`${BASE}/graph`, () => HttpResponse.json(sampleGraph())),
    );
    await renderArchon(<PipelinesPage />, { mountedRoutes: mounted });
    await screen.findByRole('button', { name: 'topic sample.raw, healthy' });
    expect(
      document.querySelector('g[data-node-id="topic:local/sample.raw"] text')
        ?.textContent,
    ).toBe('topic');
    expect(screen.getByLabelText('Legend')).not.toHaveTextContent('mirror');
  });
});
