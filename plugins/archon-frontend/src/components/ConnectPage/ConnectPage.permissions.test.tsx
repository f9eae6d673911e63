import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { screen } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { registerMswTestHooks } from '@backstage/frontend-test-utils';
import { BASE, healthHandler, renderArchon } from '../../__testUtils__';
import { ConnectPage } from './ConnectPage';

// Its own file: usePermission caches decisions for the whole test file.
describe('ConnectPage without archon.connect.connector.manage', () => {
  const server = setupServer();
  registerMswTestHooks(server);

  it('disables restarting failed tasks in bulk and says why', async () => {
    server.use(
      healthHandler(),
      http.get(`${BASE}/connect`, () =>
        HttpResponse.json({ items: [{ name: 'main' }] }),
      ),
      http.get(`${BASE}/connect/main/connectors`, () =>
        HttpResponse.json({
          items: [
            {
              name: 'orders-sink',
              type: 'sink',
              state: 'RUNNING',
              tasks: [{ id: 0, state: 'FAILED' }],
              failedTasks: 1,
              config: {},
            },
          ],
          total: 1,
        }),
      ),
    );
    await renderArchon(<ConnectPage />, { permissions: 'deny' });
    expect(
      await screen.findByText(
        /Restarting needs the archon.connect.connector.manage/,
      ),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('button', {
        name: 'Restart all failed tasks (1 connector)…',
      }),
    ).toBeDisabled();
    expect(
      screen.getByRole('button', {
        name: 'Restart failed tasks of 0 selected…',
      }),
    ).toBeDisabled();
  });
});

describe('ConnectPage with archon.connect.connector.manage on one cluster only', () => {
  const server = setupServer();
  registerMswTestHooks(server);

  it('restarts in bulk only where allowed and names the cluster where not (#20)', async () => {
    const failing = (name: string) => ({
      name,
      type: 'sink',
      state: 'RUNNING',
      tasks: [{ id: 0, state: 'FAILED' }],
      failedTasks: 1,
      config: {},
    });
    server.use(
      healthHandler(),
      http.get(`${BASE}/connect`, () =>
        HttpResponse.json({ items: [{ name: 'main' }, { name: 'dr' }] }),
      ),
      http.get(`${BASE}/connect/main/connectors`, () =>
        HttpResponse.json({ items: [failing('orders-sink')], total: 1 }),
      ),
      http.get(`${BASE}/connect/dr/connectors`, () =>
        HttpResponse.json({ items: [failing('mirror-dr')], total: 1 }),
      ),
    );
    await renderArchon(<ConnectPage />, {
      permissions: request =>
        request.resourceRef === 'connect:main'
          ? AuthorizeResult.ALLOW
          : AuthorizeResult.DENY,
    });
    expect(
      await screen.findByText(
        'Restarting on dr needs the archon.connect.connector.manage permission there.',
      ),
    ).toBeInTheDocument();
    // Both connectors are listed; the bulk restart counts main's only.
    expect(screen.getByText('mirror-dr')).toBeInTheDocument();
    expect(
      screen.getByRole('button', {
        name: 'Restart all failed tasks (1 connector)…',
      }),
    ).toBeEnabled();
    expect(screen.getByRole('button', { name: /Add connector/ })).toBeEnabled();
  });
});
