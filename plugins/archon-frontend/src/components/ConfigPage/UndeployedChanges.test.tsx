/*
 * Configuration `?undeployed=true` (#18), where the Home page's count of
 * configuration changes not yet deployed links: each app with its path, the
 * target it runs on (#20: a path on two targets is two rows), its Deploy tab
 * once the catalog has it, the running release and the keys that changed; a
 * row opens the values.
 */
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { registerMswTestHooks } from '@backstage/frontend-test-utils';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import {
  appEntity,
  BASE,
  healthHandler,
  renderArchon,
} from '../../__testUtils__';
import { ConfigPage } from './ConfigPage';
import { changedKeysText } from './UndeployedChanges';

const mountedRoutes = { '/catalog/:namespace/:kind/:name': entityRouteRef };

describe('undeployed changes', () => {
  const server = setupServer();
  registerMswTestHooks(server);

  it('Configuration ?undeployed=true lists each app with what changed since its release', async () => {
    server.use(
      healthHandler(),
      http.get(`${BASE}/config/tree`, () =>
        HttpResponse.json({
          path: '/',
          hasSet: false,
          keyCount: 0,
          childCount: 0,
          children: [],
        }),
      ),
      http.get(`${BASE}/config/undeployed`, () =>
        HttpResponse.json({
          generatedAt: '2026-12-05T10:00:00.000Z',
          items: [
            {
              path: '/team/svc-1',
              app: '/team/svc-1',
              target: 'local',
              latestRelease: 'rel-1',
              releasedAt: '2026-12-05T09:00:00.000Z',
              masked: true,
              diff: {
                added: [{ key: 'greeting', value: 'hi', definedAt: '/team' }],
                changed: [
                  {
                    key: 'db.password',
                    from: '***',
                    to: '***',
                    definedAt: '/team/svc-1',
                  },
                ],
                removed: [],
              },
            },
            // The same path deployed to dr too: one row per target, each
            // against its own target's release.
            {
              path: '/team/svc-1',
              app: '/team/svc-1',
              target: 'dr',
              latestRelease: 'rel-3',
              masked: true,
              diff: {
                added: [{ key: 'greeting', value: 'hi', definedAt: '/team' }],
                changed: [],
                removed: [],
              },
            },
            {
              path: '/team/svc-2',
              app: '/team/svc-2',
              target: 'local',
              latestRelease: 'rel-2',
              masked: true,
              diff: {
                added: [],
                changed: [],
                removed: [{ key: 'old', value: 'x', definedAt: '/team' }],
              },
            },
          ],
        }),
      ),
    );
    await renderArchon(<ConfigPage />, {
      mountedRoutes,
      initialRouteEntries: ['/?undeployed=true'],
      entities: [
        appEntity({
          'archon.io/marathon-instance': 'local',
          'archon.io/marathon-app-id': '/team/svc-1',
        }),
      ],
    });
    const title = await screen.findByText(
      'Apps with configuration changes not yet deployed (3)',
    );
    const table = title.closest('div[class*="MuiPaper"]') as HTMLElement;
    const first = within(table).getByRole('row', { name: /svc-1.*rel-1/ });
    // The path's two rows say which target each is about.
    const targetOf = (row: HTMLElement) =>
      within(row).getByTestId('undeployed-target').textContent;
    expect(targetOf(first)).toBe('on local');
    const onDr = within(table).getByRole('row', { name: /svc-1.*rel-3/ });
    expect(targetOf(onDr)).toBe('on dr');
    expect(within(onDr).getByText('added greeting')).toBeInTheDocument();
    // Its Deploy tab is that of the app on dr, which the catalog does not have.
    expect(
      within(onDr).queryByRole('link', { name: '/team/svc-1' }),
    ).toBeNull();
    expect(
      within(first).getByText('added greeting · changed db.password'),
    ).toBeInTheDocument();
    // The app links to its Deploy tab once the catalog has it; the other is plain text.
    expect(
      await within(first).findByRole('link', { name: '/team/svc-1' }),
    ).toHaveAttribute('href', expect.stringMatching(/\/deploy$/));
    const second = within(table).getByRole('row', { name: /svc-2.*rel-2/ });
    expect(within(second).queryByRole('link')).toBeNull();
    expect(within(second).getByText('removed old')).toBeInTheDocument();

    // A row opens the values, secrets as archon masked them.
    await userEvent.click(within(first).getAllByRole('button')[0]);
    expect(
      await screen.findByText('Secret values are masked.'),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('table', { name: 'Not yet deployed at /team/svc-1' }),
    ).toBeInTheDocument();
  });

  it('names the keys, never the values', () => {
    expect(
      changedKeysText({
        added: [{ key: 'a', value: 'secret' }],
        changed: [],
        removed: [{ key: 'b', value: 'x' }],
      }),
    ).toBe('added a · removed b');
  });
});
