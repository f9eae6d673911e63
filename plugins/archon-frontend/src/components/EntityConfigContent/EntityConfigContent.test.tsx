import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { registerMswTestHooks } from '@backstage/frontend-test-utils';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import type { Entity } from '@backstage/catalog-model';
import {
  BASE,
  configPathParam,
  healthHandler,
  renderArchon,
} from '../../__testUtils__';
import { configRouteRef } from '../../routes';
import { EntityConfigContent } from './EntityConfigContent';

const entity = (annotations: Record<string, string>): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'svc-1', annotations },
  spec: { type: 'service', owner: 'team', lifecycle: 'production' },
});

describe('EntityConfigContent', () => {
  const server = setupServer();
  registerMswTestHooks(server);

  it('shows the effective configuration of the path and edits any level of it', async () => {
    const user = userEvent.setup({ delay: null });
    const sets: string[] = [];
    server.use(
      healthHandler(),
      http.get(`${BASE}/config/effective/:configPath`, ({ params }) =>
        HttpResponse.json({
          path: configPathParam(params),
          properties: { region: 'eu' },
          provenance: {
            region: { definedAt: '/team', raw: 'eu', shadowed: [] },
          },
          versions: { '/team': 1 },
          masked: false,
        }),
      ),
      http.get(`${BASE}/config/sets/:configPath`, ({ params }) => {
        sets.push(configPathParam(params));
        return HttpResponse.json({
          path: configPathParam(params),
          properties: { own: configPathParam(params) },
          version: 1,
        });
      }),
      http.get(`${BASE}/config/history/:configPath`, () =>
        HttpResponse.json({ items: [], masked: false }),
      ),
    );
    await renderArchon(
      <EntityProvider
        entity={entity({ 'archon.io/config-path': '/team/app/svc-1' })}
      >
        <EntityConfigContent />
      </EntityProvider>,
      { mountedRoutes: { '/archon/config': configRouteRef } },
    );

    expect(
      await screen.findByText('Effective configuration of /team/app/svc-1'),
    ).toBeInTheDocument();
    expect(screen.getByRole('tab', { name: '/team' })).toBeInTheDocument();
    expect(screen.getByRole('tab', { name: '/team/app' })).toBeInTheDocument();
    expect(
      screen.getByRole('tab', { name: '/team/app/svc-1', selected: true }),
    ).toBeInTheDocument();
    expect(await screen.findByLabelText('Value of own')).toHaveValue(
      '/team/app/svc-1',
    );
    // A LinkButton: an <a> styled (and announced) as a button.
    expect(
      screen.getByText('Open in Configuration').closest('a'),
    ).toHaveAttribute('href', '/archon/config?path=%2Fteam%2Fapp%2Fsvc-1');

    // "Defined at" opens that level's editor.
    await user.click(screen.getByRole('button', { name: '/team' }));
    expect(await screen.findByLabelText('Value of own')).toHaveValue('/team');
    expect(screen.getByText('History of /team')).toBeInTheDocument();
    expect(sets).toEqual(['/team/app/svc-1', '/team']);
  });

  it('reloads the set editor and the effective view after a restore from the history', async () => {
    const user = userEvent.setup({ delay: null });
    let value = 'b';
    let version = 1;
    const effectiveReads: string[] = [];
    server.use(
      healthHandler(),
      http.get(`${BASE}/config/effective/:configPath`, ({ params }) => {
        effectiveReads.push(value);
        return HttpResponse.json({
          path: configPathParam(params),
          properties: { a: value },
          provenance: { a: { definedAt: '/team', raw: value, shadowed: [] } },
          versions: { '/team': version },
          masked: false,
        });
      }),
      http.get(`${BASE}/config/sets/:configPath`, ({ params }) =>
        HttpResponse.json({
          path: configPathParam(params),
          properties: { a: value },
          version,
        }),
      ),
      http.get(`${BASE}/config/history/:configPath`, () =>
        HttpResponse.json({
          items: [
            {
              id: 'h1',
              ensemble: 'local',
              path: '/team',
              action: 'put',
              actor: 'user:default/guest',
              createdAt: '2026-11-21T10:00:00Z',
              changedKeys: ['a'],
              after: { a: 'a' },
              version: 0,
            },
          ],
          masked: false,
        }),
      ),
      http.post(`${BASE}/config/sets/:configPath/restore`, () => {
        value = 'a';
        version = 2;
        return HttpResponse.json({
          path: '/team',
          version: 2,
          changedKeys: ['a'],
        });
      }),
    );
    await renderArchon(
      <EntityProvider entity={entity({ 'archon.io/config-path': '/team' })}>
        <EntityConfigContent />
      </EntityProvider>,
    );
    expect(await screen.findByLabelText('Value of a')).toHaveValue('b');
    await user.click(await screen.findByText('→ version 0'));
    await user.click(
      screen.getByRole('button', { name: 'Restore this version' }),
    );
    const dialog = await screen.findByRole('dialog');
    await user.click(
      await within(dialog).findByRole('button', { name: 'Restore version 0' }),
    );
    await waitFor(() =>
      expect(screen.getByLabelText('Value of a')).toHaveValue('a'),
    );
    await waitFor(() => expect(effectiveReads).toContain('a'));
  });

  it('explains a missing annotation', async () => {
    await renderArchon(
      <EntityProvider entity={entity({})}>
        <EntityConfigContent />
      </EntityProvider>,
    );
    expect(
      await screen.findByText(/No configuration path/),
    ).toBeInTheDocument();
  });
});
