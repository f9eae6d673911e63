/*
 * The pages the Home page's counts link to read their filter from the query
 * string (#18): Marathon `?state=`, Configuration `?failing=true`,
 * Pipelines `?drift=true`, Connect `?state=FAILED`.
 */
import { screen, within } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { registerMswTestHooks } from '@backstage/frontend-test-utils';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { BASE, healthHandler, renderArchon } from '../../__testUtils__';
import { ConfigPage } from '../ConfigPage/ConfigPage';
import { ConnectPage } from '../ConnectPage/ConnectPage';
import { MarathonPage } from '../MarathonPage/MarathonPage';
import { PipelinesPage } from '../PipelinesPage/PipelinesPage';
import { sampleGraph } from '../PipelinesPage/testGraph';

const mountedRoutes = { '/catalog/:namespace/:kind/:name': entityRouteRef };

describe('count filters', () => {
  const server = setupServer();
  registerMswTestHooks(server);

  it('Marathon ?state= lists only apps in those state words', async () => {
    const app = (id: string, status: string) => ({
      id,
      status,
      instances: 1,
      staged: 0,
      running: 1,
      healthy: 0,
      unhealthy: 0,
      deployments: [],
    });
    server.use(
      healthHandler(),
      http.get(`${BASE}/marathon`, () =>
        HttpResponse.json({ items: [{ name: 'local', url: 'http://m' }] }),
      ),
      http.get(`${BASE}/marathon/local/apps`, () =>
        HttpResponse.json({
          items: [
            app('/a/looping', 'crash-looping'),
            app('/a/fine', 'running'),
            app('/b/slow', 'degraded'),
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
      mountedRoutes,
      initialRouteEntries: ['/?state=crash-looping,degraded'],
    });
    expect(await screen.findByText('Apps (2 of 3)')).toBeInTheDocument();
    expect(
      screen.getByText(/Only apps crash-looping or degraded/),
    ).toBeInTheDocument();
    expect(screen.queryByText('/a/fine')).toBeNull();
  });

  it('Configuration ?failing=true lists the levels that do not resolve', async () => {
    server.use(
      healthHandler(),
      http.get(`${BASE}/config/tree`, ({ request }) => {
        const url = new URL(request.url);
        const level = (path: string, extra: object = {}) => ({
          path,
          hasSet: true,
          keyCount: 1,
          childCount: 0,
          ...extra,
        });
        return HttpResponse.json({
          ...level('/', { hasSet: false, childCount: 2 }),
          children:
            url.searchParams.get('depth') === '32'
              ? [
                  level('/ok'),
                  {
                    ...level('/shop', { childCount: 1 }),
                    failing: { keys: ['url'], reason: 'missing key ${db}' },
                    children: [
                      level('/shop/cart', {
                        failing: { keys: ['a', 'b'], reason: 'cycle a -> b' },
                      }),
                    ],
                  },
                ]
              : [level('/ok'), level('/shop', { childCount: 1 })],
        });
      }),
    );
    await renderArchon(<ConfigPage />, {
      initialRouteEntries: ['/?failing=true'],
    });
    expect(
      await screen.findByText('Levels that do not resolve (2)'),
    ).toBeInTheDocument();
    const table = screen
      .getByText('Levels that do not resolve (2)')
      .closest('div[class*="MuiPaper"]') as HTMLElement;
    expect(
      within(table).getByRole('button', { name: '/shop/cart' }),
    ).toBeInTheDocument();
    expect(within(table).getByText('cycle a -> b')).toBeInTheDocument();
    expect(within(table).getByText('missing key ${db}')).toBeInTheDocument();
  });

  it('Pipelines ?drift=true asks for drifting edges across all pipelines', async () => {
    const requests: URLSearchParams[] = [];
    server.use(
      healthHandler(),
      http.get(`${BASE}/graph`, ({ request }) => {
        requests.push(new URL(request.url).searchParams);
        return HttpResponse.json(sampleGraph());
      }),
    );
    await renderArchon(<PipelinesPage />, {
      mountedRoutes,
      initialRouteEntries: ['/?drift=true'],
    });
    expect(
      await screen.findByRole('checkbox', { name: 'Drift only' }),
    ).toBeChecked();
    expect(requests[0].get('drift')).toBe('true');
    expect(requests[0].get('kinds')).toBe('app,topic,connector,consumer-group');
  });

  it('Connect ?state=FAILED lists FAILED connectors and those with a failed task', async () => {
    const connector = (name: string, state: string, failedTasks = 0) => ({
      name,
      type: 'sink',
      state,
      workerId: 'w:8083',
      tasks: [{ id: 0, state: failedTasks ? 'FAILED' : 'RUNNING' }],
      failedTasks,
      config: {},
    });
    server.use(
      healthHandler(),
      http.get(`${BASE}/connect`, () =>
        HttpResponse.json({ items: [{ name: 'main', url: 'http://c:8083' }] }),
      ),
      http.get(`${BASE}/connect/main/connectors`, () =>
        HttpResponse.json({
          items: [
            connector('broken', 'FAILED'),
            connector('half', 'RUNNING', 1),
            connector('fine', 'RUNNING'),
          ],
          total: 3,
        }),
      ),
    );
    await renderArchon(<ConnectPage />, {
      mountedRoutes,
      initialRouteEntries: ['/?state=FAILED'],
    });
    expect(await screen.findByText('Connectors (2)')).toBeInTheDocument();
    expect(screen.queryByText('fine')).toBeNull();
  });
});
