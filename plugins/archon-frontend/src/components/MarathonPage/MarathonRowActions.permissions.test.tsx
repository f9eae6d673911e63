import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { registerMswTestHooks } from '@backstage/frontend-test-utils';
import { BASE, healthHandler, renderArchon } from '../../__testUtils__';
import { MarathonPage } from './MarathonPage';

// Its own file: usePermission caches decisions for the whole test file.
describe('MarathonPage without archon.app.scale and archon.app.destroy', () => {
  const server = setupServer();
  registerMswTestHooks(server);

  it('disables every row action and says which permission is missing', async () => {
    const user = userEvent.setup({ delay: null });
    server.use(
      healthHandler(),
      http.get(`${BASE}/marathon`, () =>
        HttpResponse.json({ items: [{ name: 'local', url: 'http://m' }] }),
      ),
      http.get(`${BASE}/marathon/local/apps`, () =>
        HttpResponse.json({
          items: [
            {
              id: '/team/svc-1',
              status: 'running',
              instances: 1,
              staged: 0,
              running: 1,
              healthy: 0,
              unhealthy: 0,
              deployments: [],
              configPath: '/team/svc-1',
            },
          ],
        }),
      ),
      http.get(`${BASE}/marathon/local/deployments`, () =>
        HttpResponse.json({ items: [] }),
      ),
      http.get(`${BASE}/marathon/local/queue`, () =>
        HttpResponse.json({ items: [] }),
      ),
    );
    await renderArchon(<MarathonPage />, {
      permissions: 'deny',
      initialRouteEntries: ['/?group=/team'],
    });
    await user.click(
      await screen.findByRole('button', { name: 'Actions for /team/svc-1' }),
    );
    const menu = await screen.findByRole('menu');
    for (const [item, reason] of [
      ['Scale', 'You may not scale it (archon.app.scale)'],
      ['Restart', 'You may not restart it (archon.app.scale)'],
      ['Suspend', 'You may not suspend it (archon.app.scale)'],
      ['Destroy', 'You may not destroy it (archon.app.destroy)'],
    ]) {
      const entry = within(menu).getByRole('menuitem', {
        name: new RegExp(item),
      });
      expect(entry).toHaveAttribute('aria-disabled', 'true');
      expect(entry).toHaveTextContent(reason);
    }
  });
});
