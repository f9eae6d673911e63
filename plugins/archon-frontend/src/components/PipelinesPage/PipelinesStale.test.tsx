import { screen } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { registerMswTestHooks } from '@backstage/frontend-test-utils';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { BASE, healthHandler, renderArchon } from '../../__testUtils__';
import { PipelinesPage } from './PipelinesPage';
import { sampleGraph } from './testGraph';

const mounted = { '/catalog/:namespace/:kind/:name': entityRouteRef };

// The graph served while a contributor could not read its system (#22).
describe('PipelinesPage with a stale graph', () => {
  const server = setupServer();
  registerMswTestHooks(server);

  it('shows the stale banner naming the systems, and the diagram', async () => {
    const asOf = '2026-12-05T00:10:00.000Z';
    const graph = {
      ...sampleGraph(),
      stale: true,
      asOf,
      contributors: [
        {
          id: 'kafka',
          nodes: 3,
          edges: 1,
          stale: true,
          asOf,
          staleSources: [
            { source: 'Kafka cluster "local"', asOf },
            { source: 'Kafka Connect cluster "local"', asOf },
          ],
        },
        { id: 'marathon', nodes: 2, edges: 1 },
      ],
    };
    server.use(
      healthHandler(),
      http.get(`${BASE}/graph`, () => HttpResponse.json(graph)),
    );
    await renderArchon(<PipelinesPage />, { mountedRoutes: mounted });
    await screen.findByRole('button', { name: 'topic sample.raw, healthy' });
    const alerts = (await screen.findAllByRole('alert')).map(
      a => a.textContent,
    );
    expect(alerts).toContainEqual(
      expect.stringContaining(
        'Kafka cluster "local", Kafka Connect cluster "local" is not reachable: showing what archon last saw, as of',
      ),
    );
    expect(
      screen.getByRole('button', { name: 'topic sample.raw, healthy' }),
    ).toBeInTheDocument();
  });

  it('shows no stale banner for a current graph', async () => {
    server.use(
      healthHandler(),
      http.get(`${BASE}/graph`, () => HttpResponse.json(sampleGraph())),
    );
    await renderArchon(<PipelinesPage />, { mountedRoutes: mounted });
    await screen.findByRole('button', { name: 'topic sample.raw, healthy' });
    const alerts = screen.queryAllByRole('alert').map(a => a.textContent);
    expect(alerts.join('\n')).not.toContain('is not reachable: showing');
  });
});
