import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { registerMswTestHooks } from '@backstage/frontend-test-utils';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import {
  BASE,
  appEntity,
  errorBody,
  healthHandler,
  renderArchon,
} from '../../__testUtils__';
import { MarathonPage } from './MarathonPage';

const app = (id: string, status: string, extra: object = {}) => ({
  id,
  status,
  instances: 2,
  staged: 0,
  running: 2,
  healthy: status === 'healthy' ? 2 : 0,
  unhealthy: 0,
  deployments: [],
  ...extra,
});

describe('MarathonPage', () => {
  const server = setupServer();
  registerMswTestHooks(server);

  it('lists apps in a folder tree (collapsible, each folder with its app count and worst state) with cpu, memory, instances, state and version, links catalog entities, and shows deployments and the queue', async () => {
    server.use(
      healthHandler(),
      http.get(`${BASE}/marathon`, () =>
        HttpResponse.json({ items: [{ name: 'local', url: 'http://m' }] }),
      ),
      http.get(`${BASE}/marathon/local/apps`, () =>
        HttpResponse.json({
          items: [
            app('/team/svc-1', 'healthy', {
              releaseId: 'rel-1',
              configPath: '/team/svc-1',
              cpus: 0.25,
              mem: 128,
              version: '2026-12-05T06:00:00.000Z',
            }),
            app('/team/svc-2', 'deploying', { deployments: ['d-1'] }),
            app('/team/shop/cart', 'crash-looping', { running: 0 }),
            app('/solo', 'suspended', { instances: 0, running: 0 }),
          ],
        }),
      ),
      http.get(`${BASE}/marathon/local/deployments`, () =>
        HttpResponse.json({
          items: [
            {
              id: 'd-1',
              affectedApps: ['/team/svc-2'],
              currentStep: 1,
              totalSteps: 3,
              currentActions: [
                { action: 'StartApplication', app: '/team/svc-2' },
              ],
            },
          ],
        }),
      ),
      http.get(`${BASE}/marathon/local/queue`, () =>
        HttpResponse.json({
          items: [
            {
              appId: '/team/svc-2',
              queued: true,
              count: 2,
              reasons: [],
              explanation: ['No offer has enough CPU.'],
            },
          ],
        }),
      ),
    );
    await renderArchon(<MarathonPage />, {
      entities: [
        appEntity({
          'archon.io/marathon-instance': 'local',
          'archon.io/marathon-app-id': '/team/svc-1',
        }),
      ],
      mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
    });
    expect(await screen.findByText('Apps (4)')).toBeInTheDocument();
    const rowOf = (id: string) =>
      screen
        .getAllByRole('row')
        .find(r => within(r).queryAllByText(id, { exact: true }).length > 0);
    const folderRow = (id: string) =>
      screen
        .getAllByRole('row')
        .find(r => r.querySelector(`[data-folder="${id}"]`));
    // Folders start closed, as in Marathon's UI: count and worst state of everything below.
    expect(folderRow('/team')).toHaveTextContent('team/3 apps');
    expect(folderRow('/team')).toHaveTextContent('crash-looping');
    expect(folderRow('/team')).toHaveTextContent('4 / 0 / 6');
    expect(rowOf('/team/svc-1')).toBeUndefined();
    expect(rowOf('/solo')).toHaveTextContent('suspended');
    await userEvent.click(
      screen.getByRole('button', { name: 'Open folder /team' }),
    );
    // Inside: the subfolder first, then the folder's own apps.
    await waitFor(() => expect(rowOf('/team/svc-1')).toBeDefined());
    expect(folderRow('/team/shop')).toHaveTextContent('shop/1 app');
    expect(rowOf('/team/shop/cart')).toBeUndefined();
    const order = within(folderRow('/team')!.closest('table')!)
      .getAllByRole('row')
      .map(
        r =>
          r.querySelector('[data-folder]')?.getAttribute('data-folder') ??
          ['/team/svc-1', '/team/svc-2', '/solo'].find(
            id => within(r).queryAllByText(id, { exact: true }).length,
          ),
      )
      .filter(Boolean);
    expect(order).toEqual([
      '/team',
      '/team/shop',
      '/team/svc-1',
      '/team/svc-2',
      '/solo',
    ]);
    expect(rowOf('/team/svc-1')).toHaveTextContent('2 / 0 / 2');
    expect(rowOf('/team/svc-1')).toHaveTextContent('0.25');
    expect(rowOf('/team/svc-1')).toHaveTextContent('128 MiB');
    expect(rowOf('/team/svc-1')).toHaveTextContent('2026-12-05 06:00:00Z');
    expect(rowOf('/team/svc-1')).toHaveTextContent('healthy');
    expect(
      await screen.findByRole('link', { name: '/team/svc-1' }),
    ).toHaveAttribute('href', expect.stringContaining('local.team.svc-1'));
    await userEvent.click(
      screen.getByRole('button', { name: 'Close folder /team' }),
    );
    await waitFor(() => expect(rowOf('/team/svc-1')).toBeUndefined());
    expect(rowOf('/solo')).toBeDefined();
    expect(
      await screen.findByRole('table', { name: 'Deployments in flight (1)' }),
    ).toBeInTheDocument();
    expect(screen.getByText('1 of 3')).toBeInTheDocument();
    expect(
      screen.getByText('StartApplication /team/svc-2'),
    ).toBeInTheDocument();
    expect(
      await screen.findByRole('table', { name: 'Launch queue (1)' }),
    ).toHaveTextContent('No offer has enough CPU.');
  }, 90_000);

  it('names Marathon when it is unreachable and shows empty states', async () => {
    server.use(
      healthHandler([
        {
          kind: 'marathon',
          name: 'local',
          status: 'unreachable',
          latencyMs: 1,
          error: 'connect ECONNREFUSED',
        },
      ]),
      http.get(`${BASE}/marathon`, () =>
        HttpResponse.json({ items: [{ name: 'local', url: 'http://m' }] }),
      ),
      http.get(`${BASE}/marathon/local/apps`, () =>
        errorBody(
          503,
          'ServiceUnavailableError',
          'Marathon "local" does not answer',
        ),
      ),
      http.get(`${BASE}/marathon/local/deployments`, () =>
        HttpResponse.json({ items: [] }),
      ),
      http.get(`${BASE}/marathon/local/queue`, () =>
        HttpResponse.json({ items: [] }),
      ),
    );
    await renderArchon(<MarathonPage />);
    expect(
      await screen.findByText(/Marathon "local" is unreachable/),
    ).toBeInTheDocument();
    expect(
      await screen.findByText(/Marathon "local": apps unavailable/),
    ).toBeInTheDocument();
    expect(
      await screen.findByText('No deployment in progress.'),
    ).toBeInTheDocument();
    expect(
      await screen.findByText('Nothing waits in the launch queue.'),
    ).toBeInTheDocument();
  });

  it('opens the folder the URL names (?group=), reading every page of a fleet of 500 apps', async () => {
    const all = Array.from({ length: 500 }, (_, i) =>
      app(`/fleet/g${i % 5}/app-${String(i).padStart(3, '0')}`, 'running'),
    );
    const limits: string[] = [];
    server.use(
      healthHandler(),
      http.get(`${BASE}/marathon`, () =>
        HttpResponse.json({ items: [{ name: 'local', url: 'http://m' }] }),
      ),
      // The API's pages: 100 apps each, whatever the limit asked, with a cursor.
      http.get(`${BASE}/marathon/local/apps`, ({ request }) => {
        const url = new URL(request.url);
        limits.push(url.searchParams.get('limit') ?? '');
        const from = Number(url.searchParams.get('cursor') ?? 0);
        const items = all.slice(from, from + 100);
        return HttpResponse.json({
          items,
          total: all.length,
          ...(from + 100 < all.length
            ? { nextCursor: String(from + 100) }
            : {}),
        });
      }),
      http.get(`${BASE}/marathon/local/deployments`, () =>
        HttpResponse.json({ items: [] }),
      ),
      http.get(`${BASE}/marathon/local/queue`, () =>
        HttpResponse.json({ items: [] }),
      ),
    );
    await renderArchon(<MarathonPage />, {
      initialRouteEntries: ['/?group=/fleet/g3'],
    });
    expect(await screen.findByText('Apps (500)')).toBeInTheDocument();
    expect(limits).toHaveLength(5);
    expect(
      screen.getByRole('button', { name: 'Close folder /fleet/g3' }),
    ).toHaveAttribute('aria-expanded', 'true');
    expect(
      screen.getByRole('button', { name: 'Open folder /fleet/g2' }),
    ).toHaveAttribute('aria-expanded', 'false');
    // g3 holds every fifth app: 100 of them, the last one on the last page.
    expect(screen.getByText('/fleet/g3/app-498')).toBeInTheDocument();
    expect(screen.queryByText('/fleet/g2/app-497')).toBeNull();
  }, 90_000);
});
