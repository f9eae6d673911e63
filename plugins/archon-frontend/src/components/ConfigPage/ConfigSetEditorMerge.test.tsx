import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { registerMswTestHooks } from '@backstage/frontend-test-utils';
import { BASE, errorBody, renderArchon } from '../../__testUtils__';
import { serveConfigSets } from '../../__testUtils__/configSets';
import { ConfigSetEditor } from './ConfigSetEditor';

describe('ConfigSetEditor: newer sets, merges and previews', () => {
  const server = setupServer();
  registerMswTestHooks(server);

  const serve = (
    sets: Parameters<typeof serveConfigSets>[1],
    patch: Parameters<typeof serveConfigSets>[2],
  ) => serveConfigSets(server, sets, patch);

  it('on a 409 shows the newer set side by side and saves the merge against its version', async () => {
    const user = userEvent.setup({ delay: null });
    const bodies = serve(
      [
        { properties: { a: '1', b: 'base' }, version: 3 },
        { properties: { a: '1', b: 'mine', c: 'new' }, version: 6 },
      ],
      (_body, n) =>
        n === 1
          ? errorBody(
              409,
              'ConfigVersionConflictError',
              'The configuration set at /team/app is at version 5, not 3',
              {
                current: {
                  path: '/team/app',
                  exists: true,
                  properties: { a: '1', b: 'theirs', c: 'new' },
                  version: 5,
                },
              },
            )
          : HttpResponse.json({
              path: '/team/app',
              version: 6,
              changedKeys: ['b'],
            }),
    );
    await renderArchon(<ConfigSetEditor path="/team/app" />);
    const value = await screen.findByLabelText('Value of b');
    await user.clear(value);
    await user.type(value, 'mine');
    await user.click(screen.getByRole('button', { name: 'Save' }));

    const merge = await screen.findByTestId('conflict-merge');
    expect(
      within(merge).getByText(/Someone changed this set/),
    ).toBeInTheDocument();
    const table = within(merge).getByRole('table');
    expect(within(table).getByText('Current (version 5)')).toBeInTheDocument();
    expect(within(table).getByText('theirs')).toBeInTheDocument();
    expect(within(table).getByText('mine')).toBeInTheDocument();
    // c was only added by them: taking theirs by default.
    expect(
      within(merge).getByText(/1 key was changed on both sides/),
    ).toBeInTheDocument();

    await user.click(
      within(merge).getByRole('button', { name: 'Save merged set' }),
    );
    expect(
      await screen.findByText(/Saved \/team\/app \(version 6\)/),
    ).toBeInTheDocument();
    expect(bodies[1]).toEqual({ set: { b: 'mine' }, expectedVersion: 5 });
  });

  it('lets the user take the current value in the merge', async () => {
    const user = userEvent.setup({ delay: null });
    const bodies = serve(
      [{ properties: { b: 'base', d: '1' }, version: 3 }],
      (_body, n) =>
        n === 1
          ? errorBody(409, 'ConfigVersionConflictError', 'stale', {
              current: {
                path: '/team/app',
                exists: true,
                properties: { b: 'theirs', d: '1' },
                version: 4,
              },
            })
          : HttpResponse.json({
              path: '/team/app',
              version: 5,
              changedKeys: ['d'],
            }),
    );
    await renderArchon(<ConfigSetEditor path="/team/app" />);
    await user.clear(await screen.findByLabelText('Value of b'));
    await user.type(screen.getByLabelText('Value of b'), 'mine');
    await user.clear(screen.getByLabelText('Value of d'));
    await user.type(screen.getByLabelText('Value of d'), '2');
    await user.click(screen.getByRole('button', { name: 'Save' }));

    const merge = await screen.findByTestId('conflict-merge');
    const choice = within(merge).getByRole('radiogroup', {
      name: 'Value to keep for b',
    });
    await user.click(within(choice).getByLabelText('Current'));
    await user.click(
      within(merge).getByRole('button', { name: 'Save merged set' }),
    );
    await waitFor(() => expect(bodies).toHaveLength(2));
    expect(bodies[1]).toEqual({ set: { d: '2' }, expectedVersion: 4 });
  });

  it('previews the changes key by key and saves with the version the preview was based on', async () => {
    const user = userEvent.setup({ delay: null });
    const bodies = serve([{ properties: { a: '1' }, version: 7 }], () =>
      HttpResponse.json({ path: '/team/app', version: 8, changedKeys: ['a'] }),
    );
    const impactBodies: any[] = [];
    server.use(
      http.post(`${BASE}/config/preview/:configPath`, async ({ request }) => {
        impactBodies.push(await request.json());
        return HttpResponse.json({
          levelPath: '/team/app',
          operation: 'set',
          basedOnVersion: 7,
          pathsAnalyzed: 3,
          changed: [
            {
              path: '/team/app/svc-1',
              diff: {
                added: [],
                removed: [],
                changed: [
                  {
                    key: 'a',
                    from: '1',
                    to: '2',
                    definedAt: '/team/app',
                    previousDefinedAt: '/team/app',
                  },
                ],
              },
            },
          ],
          startsFailing: [
            {
              path: '/team/app/svc-2',
              failure: {
                path: '/team/app/svc-2',
                problems: [{ message: 'key "q" references "${a.x}"' }],
              },
            },
          ],
          stopsFailing: [],
          stillFailing: [],
        });
      }),
    );
    await renderArchon(<ConfigSetEditor path="/team/app" />);
    await user.clear(await screen.findByLabelText('Value of a'));
    await user.type(screen.getByLabelText('Value of a'), '2');
    await user.click(screen.getByRole('button', { name: 'Preview changes' }));

    const report = await screen.findByTestId('impact-report');
    expect(
      within(report).getByText(/affects 1 of 3 paths/),
    ).toBeInTheDocument();
    expect(within(report).getByText('/team/app/svc-1')).toBeInTheDocument();
    expect(
      within(report).getByRole('table', { name: 'Changes at /team/app/svc-1' }),
    ).toHaveTextContent('a');
    expect(
      within(report).getByText(/would stop resolving/),
    ).toBeInTheDocument();
    expect(impactBodies).toEqual([{ set: { a: '2' } }]);

    await user.click(screen.getByRole('button', { name: 'Save' }));
    await screen.findByText(/Saved \/team\/app \(version 8\)/);
    expect(bodies).toEqual([{ set: { a: '2' }, expectedVersion: 7 }]);
  });

  it('merges first when the preview finds a newer version than the one opened', async () => {
    const user = userEvent.setup({ delay: null });
    serve(
      [
        { properties: { a: '1' }, version: 7 },
        { properties: { a: '1', z: 'new' }, version: 9 },
      ],
      () => HttpResponse.json({}),
    );
    server.use(
      http.post(`${BASE}/config/preview/:configPath`, () =>
        HttpResponse.json({
          levelPath: '/team/app',
          operation: 'set',
          basedOnVersion: 9,
          pathsAnalyzed: 1,
          changed: [],
          startsFailing: [],
          stopsFailing: [],
        }),
      ),
    );
    await renderArchon(<ConfigSetEditor path="/team/app" />);
    await user.clear(await screen.findByLabelText('Value of a'));
    await user.type(screen.getByLabelText('Value of a'), '2');
    await user.click(screen.getByRole('button', { name: 'Preview changes' }));
    const merge = await screen.findByTestId('conflict-merge');
    expect(
      within(merge).getByText(/It is now at version 9; you opened version 7/),
    ).toBeInTheDocument();
  });
});
