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
import { groupOf } from './MarathonAppsTable';

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

  it('lists apps by folder (collapsible) with cpu, memory, instances, state and version, links catalog entities, and shows deployments and the queue', async () => {
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
    expect(await screen.findByText('Apps (3)')).toBeInTheDocument();
    const rowOf = (id: string) =>
      screen
        .getAllByRole('row')
        .find(r => within(r).queryAllByText(id, { exact: true }).length > 0);
    // One collapsible row per folder, the apps below it.
    const folder = screen
      .getAllByRole('row')
      .find(r => within(r).queryByText('/team', { exact: true }))!;
    expect(folder).toBeDefined();
    expect(rowOf('/team/svc-1')).toHaveTextContent('2 / 0 / 2');
    expect(rowOf('/team/svc-1')).toHaveTextContent('0.25');
    expect(rowOf('/team/svc-1')).toHaveTextContent('128 MiB');
    expect(rowOf('/team/svc-1')).toHaveTextContent('2026-12-05 06:00:00Z');
    expect(rowOf('/team/svc-1')).toHaveTextContent('healthy');
    expect(
      await screen.findByRole('link', { name: '/team/svc-1' }),
    ).toHaveAttribute('href', expect.stringContaining('local.team.svc-1'));
    await userEvent.click(within(folder).getByRole('button'));
    await waitFor(() => expect(rowOf('/team/svc-1')).toBeUndefined());
    expect(rowOf('/solo')).toBeDefined();
    await userEvent.click(within(folder).getByRole('button'));
    await waitFor(() => expect(rowOf('/team/svc-2')).toBeDefined());
    expect(rowOf('/solo')).toHaveTextContent('suspended');
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

  it('puts top-level apps in the root group', () => {
    expect(groupOf('/a/b/c')).toBe('/a/b');
    expect(groupOf('/solo')).toBe('/');
  });
});
