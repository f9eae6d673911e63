import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { registerMswTestHooks } from '@backstage/frontend-test-utils';
import { BASE, errorBody, renderArchon } from '../../__testUtils__';
import { ConfigSetEditor, patchOf, problemsByKey } from './ConfigSetEditor';

describe('ConfigSetEditor', () => {
  const server = setupServer();
  registerMswTestHooks(server);

  /** GET answers the given sets in turn (the last one repeats); PATCH bodies are collected. */
  function serve(
    sets: Array<{
      properties: Record<string, string>;
      version: number;
      masked?: boolean;
    }>,
    patch: (body: any, n: number) => Response | Promise<Response>,
  ) {
    const bodies: any[] = [];
    let gets = 0;
    server.use(
      http.get(`${BASE}/config/sets/:configPath`, () => {
        const set = sets[Math.min(gets++, sets.length - 1)];
        return HttpResponse.json({ path: '/team/app', ...set });
      }),
      http.patch(`${BASE}/config/sets/:configPath`, async ({ request }) => {
        const body = await request.json();
        bodies.push(body);
        return patch(body, bodies.length);
      }),
    );
    return bodies;
  }

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

describe('patchOf', () => {
  it('sets changed and new keys and unsets removed ones', () => {
    expect(
      patchOf({ a: '1', b: '2', c: '3' }, { a: '1', b: '20', d: '4' }),
    ).toEqual({
      set: { b: '20', d: '4' },
      unset: ['c'],
    });
  });
});

describe('problemsByKey', () => {
  it('splits the backend message per key, even with semicolons inside a problem', () => {
    const message =
      'Invalid configuration set for "/p": Invalid configuration key "": keys must not be empty; keys are one or more of A-Z a-z 0-9 . _ -; The value of key "n" is a number; values must be strings (write "1" instead of 1)';
    expect(problemsByKey(message, ['', 'n', 'ok'])).toEqual({
      '': 'Invalid configuration key "": keys must not be empty; keys are one or more of A-Z a-z 0-9 . _ -',
      n: 'The value of key "n" is a number; values must be strings (write "1" instead of 1)',
    });
  });
});
