import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { registerMswTestHooks } from '@backstage/frontend-test-utils';
import { BASE, errorBody, renderArchon } from '../../__testUtils__';
import { serveConfigSets } from '../../__testUtils__/configSets';
import { ConfigSetEditor } from './ConfigSetEditor';

describe('ConfigSetEditor', () => {
  const server = setupServer();
  registerMswTestHooks(server);

  const serve = (
    sets: Parameters<typeof serveConfigSets>[1],
    patch: Parameters<typeof serveConfigSets>[2],
  ) => serveConfigSets(server, sets, patch);

  it('edits a value and saves it with the version it was read at', async () => {
    const user = userEvent.setup({ delay: null });
    const bodies = serve(
      [
        { properties: { a: '1', b: '2' }, version: 3 },
        { properties: { a: '1', b: '20' }, version: 4 },
      ],
      () =>
        HttpResponse.json({
          path: '/team/app',
          version: 4,
          changedKeys: ['b'],
        }),
    );
    await renderArchon(<ConfigSetEditor path="/team/app" />);

    const value = await screen.findByLabelText('Value of b');
    expect(screen.getByRole('button', { name: 'Save' })).toBeDisabled();
    await user.clear(value);
    await user.type(value, '20');
    expect(screen.getByText('was: 2')).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Save' }));

    expect(
      await screen.findByText(/Saved \/team\/app \(version 4\); changed: b/),
    ).toBeInTheDocument();
    expect(bodies).toEqual([{ set: { b: '20' }, expectedVersion: 3 }]);
    expect(screen.getByLabelText('Value of b')).toHaveValue('20');
  });

  it('adds and removes keys, checking new keys before sending', async () => {
    const user = userEvent.setup({ delay: null });
    const bodies = serve(
      [{ properties: { a: '1', old: 'x' }, version: 0 }],
      () =>
        HttpResponse.json({
          path: '/team/app',
          version: 1,
          changedKeys: ['new.key', 'old'],
        }),
    );
    await renderArchon(<ConfigSetEditor path="/team/app" />);

    await user.click(await screen.findByRole('button', { name: 'Remove old' }));
    expect(
      screen.getByRole('button', { name: 'Restore old' }),
    ).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Add key' }));
    await user.type(screen.getByLabelText('New key'), 'bad key');
    expect(
      screen.getByText('Keys are one or more of A-Z a-z 0-9 . _ -'),
    ).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Save' })).toBeDisabled();

    await user.clear(screen.getByLabelText('New key'));
    await user.type(screen.getByLabelText('New key'), 'new.key');
    await user.type(screen.getByLabelText('Value of the new key'), 'v');
    await user.click(screen.getByRole('button', { name: 'Save' }));
    await screen.findByText(/Saved \/team\/app/);
    expect(bodies).toEqual([
      { set: { 'new.key': 'v' }, unset: ['old'], expectedVersion: 0 },
    ]);
  });

  it('suggests keys used at sibling and ancestor levels and the keys archon reads, with their meaning', async () => {
    const user = userEvent.setup({ delay: null });
    serve([{ properties: {}, version: 0 }], () =>
      HttpResponse.json({ path: '/team/app', version: 1, changedKeys: [] }),
    );
    server.use(
      http.get(`${BASE}/config/effective/:configPath`, () =>
        HttpResponse.json({
          path: '/team',
          properties: { 'marathon.cmd': 'run' },
          provenance: {
            'marathon.cmd': { definedAt: '/team', raw: 'run', shadowed: [] },
          },
          versions: {},
          errors: [],
        }),
      ),
      http.get(`${BASE}/config/tree`, () =>
        HttpResponse.json({
          path: '/team',
          hasSet: true,
          keyCount: 1,
          childCount: 2,
          children: [
            { path: '/team/app', hasSet: true, keyCount: 0, childCount: 0 },
            { path: '/team/other', hasSet: true, keyCount: 1, childCount: 0 },
          ],
        }),
      ),
    );
    await renderArchon(<ConfigSetEditor path="/team/app" />);
    await user.click(await screen.findByRole('button', { name: 'Add key' }));
    await user.type(screen.getByLabelText('New key'), 'marathon.cmd');
    expect(
      await screen.findByText(
        /used at \/team — The shell command the app runs/,
      ),
    ).toBeInTheDocument();
    const options = [
      ...document.querySelectorAll('#config-key-hints option'),
    ].map(o => o.getAttribute('value'));
    expect(options).toEqual(
      expect.arrayContaining(['marathon.cmd', 'marathon.instances']),
    );
  });

  it('lists the paths a save would break and writes only after "Save anyway"', async () => {
    const user = userEvent.setup({ delay: null });
    const bodies = serve(
      [
        { properties: { host: 'h' }, version: 2 },
        { properties: {}, version: 3 },
      ],
      (_body, n) =>
        n === 1
          ? errorBody(
              422,
              'UnprocessableError',
              'This write to /team/app would break 1 path',
              {
                details: {
                  brokenPaths: [
                    {
                      path: '/team/app/svc',
                      keys: ['url'],
                      reason:
                        'key "url" references "${host}", but "host" is not defined',
                    },
                  ],
                },
              },
            )
          : HttpResponse.json({
              path: '/team/app',
              version: 3,
              changedKeys: ['host'],
            }),
    );
    await renderArchon(<ConfigSetEditor path="/team/app" />);
    await user.click(
      await screen.findByRole('button', { name: 'Remove host' }),
    );
    await user.click(screen.getByRole('button', { name: 'Save' }));

    const refused = await screen.findByTestId('refused-write');
    expect(refused).toHaveTextContent(
      'Not saved: this change would break 1 path that resolves now.',
    );
    expect(within(refused).getByText('/team/app/svc')).toBeInTheDocument();
    expect(refused).toHaveTextContent('"host" is not defined');
    expect(bodies).toEqual([{ set: {}, unset: ['host'], expectedVersion: 2 }]);

    await user.click(
      within(refused).getByRole('button', { name: 'Save anyway' }),
    );
    expect(
      await screen.findByText(/Saved \/team\/app \(version 3\)/),
    ).toBeInTheDocument();
    expect(bodies[1]).toEqual({
      set: {},
      unset: ['host'],
      expectedVersion: 2,
      force: true,
    });
  });

  it('shows the validation problems of a 400 at their keys', async () => {
    const user = userEvent.setup({ delay: null });
    serve([{ properties: {}, version: 2 }], () =>
      errorBody(
        400,
        'InputError',
        'Invalid configuration set for "/team/app": The value of key "x" contains an unpaired UTF-16 surrogate and cannot be stored as UTF-8',
      ),
    );
    await renderArchon(<ConfigSetEditor path="/team/app" />);
    await user.click(await screen.findByRole('button', { name: 'Add key' }));
    await user.type(screen.getByLabelText('New key'), 'x');
    await user.click(screen.getByRole('button', { name: 'Save' }));

    expect(
      await screen.findByText(
        'The value of key "x" contains an unpaired UTF-16 surrogate and cannot be stored as UTF-8',
      ),
    ).toBeInTheDocument();
    expect(screen.getByText(/The set was not saved/)).toBeInTheDocument();
  });

  it('starts a level without a set empty and creates it with expectedVersion -1', async () => {
    const user = userEvent.setup({ delay: null });
    const bodies: any[] = [];
    server.use(
      http.get(`${BASE}/config/sets/:configPath`, () =>
        errorBody(
          404,
          'NotFoundError',
          'There is no configuration level /new/level',
        ),
      ),
      http.get(`${BASE}/config/tree`, () =>
        errorBody(
          404,
          'NotFoundError',
          'There is no configuration level /new/level',
        ),
      ),
      http.patch(`${BASE}/config/sets/:configPath`, async ({ request }) => {
        bodies.push(await request.json());
        return HttpResponse.json({
          path: '/new/level',
          version: 0,
          changedKeys: ['k'],
        });
      }),
    );
    await renderArchon(<ConfigSetEditor path="/new/level" />);
    expect(
      await screen.findByText(/\/new\/level does not exist yet/),
    ).toBeInTheDocument();
    expect(screen.getByText('No keys. Use “Add key”.')).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Add key' }));
    await user.type(screen.getByLabelText('New key'), 'k');
    await user.type(screen.getByLabelText('Value of the new key'), 'v');
    await user.click(screen.getByRole('button', { name: 'Create set' }));
    await waitFor(() =>
      expect(bodies).toEqual([{ set: { k: 'v' }, expectedVersion: -1 }]),
    );
  });

  it('keeps masked secrets out of the write and says they are masked', async () => {
    const user = userEvent.setup({ delay: null });
    const bodies = serve(
      [
        {
          properties: { 'db.password': '********', url: 'x' },
          version: 1,
          masked: true,
        },
      ],
      () =>
        HttpResponse.json({
          path: '/team/app',
          version: 2,
          changedKeys: ['url'],
        }),
    );
    await renderArchon(<ConfigSetEditor path="/team/app" />);
    expect(
      await screen.findByText(/Secret values are masked/),
    ).toBeInTheDocument();
    await user.type(screen.getByLabelText('Value of url'), 'y');
    await user.click(screen.getByRole('button', { name: 'Save' }));
    await waitFor(() =>
      expect(bodies).toEqual([{ set: { url: 'xy' }, expectedVersion: 1 }]),
    );
  });

  it('deletes the set after showing the impact', async () => {
    const user = userEvent.setup({ delay: null });
    const deletes: string[] = [];
    serve([{ properties: { a: '1' }, version: 4 }], () =>
      HttpResponse.json({}),
    );
    server.use(
      http.post(`${BASE}/config/preview/:configPath`, () =>
        HttpResponse.json({
          levelPath: '/team/app',
          operation: 'delete',
          basedOnVersion: 4,
          pathsAnalyzed: 2,
          changed: [],
          startsFailing: [],
          stopsFailing: [],
        }),
      ),
      http.delete(`${BASE}/config/sets/:configPath`, ({ request }) => {
        deletes.push(new URL(request.url).search);
        return HttpResponse.json({ path: '/team/app', changedKeys: ['a'] });
      }),
    );
    await renderArchon(<ConfigSetEditor path="/team/app" />);
    await user.click(await screen.findByRole('button', { name: 'Delete set' }));
    const dialog = await screen.findByRole('dialog', {
      name: 'Delete the set of /team/app?',
    });
    expect(
      await within(dialog).findByText(/Deleting the set of/),
    ).toBeInTheDocument();
    await user.click(
      within(dialog).getByRole('button', { name: 'Delete set' }),
    );
    await waitFor(() => expect(deletes).toEqual(['?expectedVersion=4']));
  });
});
