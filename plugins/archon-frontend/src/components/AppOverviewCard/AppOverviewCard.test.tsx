import { screen, within } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { registerMswTestHooks } from '@backstage/frontend-test-utils';
import {
  EntityProvider,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import type { Entity } from '@backstage/catalog-model';
import {
  BASE,
  appEntity,
  configPathParam,
  errorBody,
  renderArchon,
} from '../../__testUtils__';
import { AppOverviewCard } from './AppOverviewCard';

const PATH = '/team/svc-1';
const annotations = {
  'archon.io/config-path': PATH,
  'archon.io/marathon-instance': 'local',
  'archon.io/marathon-app-id': PATH,
};
const status = {
  instance: 'local',
  id: PATH,
  exists: true,
  state: 'healthy',
  instances: 3,
  staged: 0,
  running: 3,
  healthy: 2,
  unhealthy: 1,
  releaseId: 'rel-7',
  deployments: [],
};

const render = (entity: Entity) =>
  renderArchon(
    <EntityProvider entity={entity}>
      <AppOverviewCard />
    </EntityProvider>,
    { mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef } },
  );

describe('AppOverviewCard', () => {
  const server = setupServer();
  registerMswTestHooks(server);

  it('shows healthy/total, the running release, pending changes and links to the tabs', async () => {
    let pendingPath: string | undefined;
    server.use(
      http.get(`${BASE}/apps/status`, () => HttpResponse.json(status)),
      http.get(`${BASE}/config/pending/:configPath`, ({ params }) => {
        pendingPath = configPathParam(params);
        return HttpResponse.json({
          path: PATH,
          latestRelease: 'rel-7',
          diff: {
            added: [{ key: 'color', value: 'red' }],
            removed: [],
            changed: [{ key: 'greeting', from: 'a', to: 'b' }],
          },
        });
      }),
    );
    await render(appEntity(annotations));
    const card = await screen.findByTestId('app-overview');
    expect(
      await within(card).findByText('2 of 3 tasks healthy (3 running)'),
    ).toBeInTheDocument();
    expect(card).toHaveTextContent('Current release: rel-7');
    expect(
      await within(card).findByText(
        '2 configuration changes not deployed yet (color, greeting).',
      ),
    ).toBeInTheDocument();
    expect(pendingPath).toBe(PATH);
    const nav = within(card).getByRole('navigation', { name: 'archon tabs' });
    expect(within(nav).getByRole('link', { name: 'Deploy' })).toHaveAttribute(
      'href',
      '/catalog/default/component/local.team.svc-1/deploy',
    );
    expect(within(nav).getByRole('link', { name: 'Monitor' })).toHaveAttribute(
      'href',
      '/catalog/default/component/local.team.svc-1/monitor',
    );
  });

  it('says when nothing is pending, and shows Marathon errors without hiding the rest', async () => {
    server.use(
      http.get(`${BASE}/apps/status`, () =>
        errorBody(
          503,
          'ServiceUnavailableError',
          'Marathon "local" does not answer',
        ),
      ),
      http.get(`${BASE}/config/pending/:configPath`, () =>
        HttpResponse.json({
          path: PATH,
          latestRelease: 'rel-7',
          diff: { added: [], removed: [], changed: [] },
        }),
      ),
    );
    await render(appEntity(annotations));
    expect(
      (await screen.findAllByText(/Marathon "local" does not answer/)).length,
    ).toBeGreaterThan(0);
    expect(
      await screen.findByText(
        'No configuration changes since the running release.',
      ),
    ).toBeInTheDocument();
  });

  it('reads an app without configuration path from Marathon', async () => {
    server.use(
      http.get(`${BASE}/marathon/local/apps/:appId`, ({ params }) => {
        expect(decodeURIComponent(String(params.appId))).toBe('other/app');
        return HttpResponse.json({
          summary: {
            id: '/other/app',
            status: 'suspended',
            instances: 0,
            staged: 0,
            running: 0,
            healthy: 0,
            unhealthy: 0,
            deployments: [],
          },
          definition: {},
          tasks: [],
          deployments: [],
        });
      }),
    );
    await render(
      appEntity({
        'archon.io/marathon-instance': 'local',
        'archon.io/marathon-app-id': '/other/app',
      }),
    );
    expect(
      await screen.findByText('0 of 0 tasks healthy (0 running)'),
    ).toBeInTheDocument();
    expect(screen.getByText('Current release: none')).toBeInTheDocument();
    expect(
      screen.queryByRole('link', { name: 'Deploy' }),
    ).not.toBeInTheDocument();
  });
});
