import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { delay, http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { registerMswTestHooks } from '@backstage/frontend-test-utils';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { BASE, healthHandler, renderArchon } from '../../__testUtils__';
import { PipelinesPage } from './PipelinesPage';
import { edge, node } from './testGraph';

const mounted = { '/catalog/:namespace/:kind/:name': entityRouteRef };

/** A chain of `n` apps and topics, app:local/a0 → topic:local/t0 → app:local/a1 …. */
function chain(n: number) {
  const ids = Array.from({ length: n }, (_, i) =>
    i % 2 ? `topic:local/t${i}` : `app:local/a${i}`,
  );
  return {
    nodes: ids.map(id => node(id, id.startsWith('app') ? 'app' : 'topic')),
    edges: ids
      .slice(1)
      .map((to, i) =>
        edge(
          ids[i],
          to.startsWith('topic') ? 'produces-to' : 'consumes-from',
          to,
        ),
      ),
    contributors: [],
  };
}

const zoom = () => {
  const g = document.querySelector('svg[role="group"] > g[transform]');
  return Number(
    /scale\(([\d.]+)\)/.exec(g?.getAttribute('transform') ?? '')?.[1],
  );
};

// #18: refit after every filter change, also when the answer comes after
// the filter changed (the previous answer is drawn meanwhile).
describe('PipelinesPage refit', () => {
  const server = setupServer();
  registerMswTestHooks(server);

  it('fits the answer of the new filter, not the one still shown while it loads', async () => {
    const user = userEvent.setup({ delay: null });
    server.use(
      healthHandler(),
      http.get(`${BASE}/graph`, async ({ request }) => {
        if (!new URL(request.url).searchParams.get('q'))
          return HttpResponse.json(chain(12));
        await delay(400);
        return HttpResponse.json(chain(2));
      }),
    );
    await renderArchon(<PipelinesPage />, { mountedRoutes: mounted });
    await screen.findByRole('button', { name: /^app a0, / });
    // Twelve stages do not fit the (unmeasured, 800 px) view at zoom 1.
    await waitFor(() => expect(zoom()).toBeLessThan(1));
    await user.type(screen.getByLabelText('Search nodes'), 'a0');
    await waitFor(() =>
      expect(
        screen.getByRole('status', { name: 'Diagram contents' }),
      ).toHaveTextContent(/^2 nodes, 1 edges/),
    );
    // Two nodes fit at zoom 1.
    await waitFor(() => expect(zoom()).toBe(1));
  });
});
