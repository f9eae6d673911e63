import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { registerMswTestHooks } from '@backstage/frontend-test-utils';
import { BASE, renderArchon } from '../../__testUtils__';
import { ConfigHistory } from './ConfigHistory';

const entry = (id: string, createdAt: string, extra: object) => ({
  id,
  ensemble: 'local',
  path: '/team/app',
  actor: 'user:default/ada',
  createdAt,
  ...extra,
});

describe('ConfigHistory', () => {
  const server = setupServer();
  registerMswTestHooks(server);

  it('lists changes newest first with before and after per key, and pages to older ones', async () => {
    const user = userEvent.setup({ delay: null });
    const queries: string[] = [];
    server.use(
      http.get(`${BASE}/config/history/:configPath`, ({ request }) => {
        const url = new URL(request.url);
        queries.push(url.search);
        if (url.searchParams.get('cursor')) {
          return HttpResponse.json({
            items: [
              entry('h1', '2026-11-20T10:00:00Z', {
                action: 'put',
                changedKeys: ['a'],
                after: { a: '1' },
                version: 0,
              }),
            ],
            masked: false,
          });
        }
        return HttpResponse.json({
          items: [
            entry('h3', '2026-11-22T10:00:00Z', {
              action: 'patch',
              changedKeys: ['a', 'b'],
              before: { a: '1' },
              after: { a: '2', b: 'x' },
              version: 2,
            }),
            entry('h2', '2026-11-21T10:00:00Z', {
              action: 'delete',
              changedKeys: [],
              version: 1,
            }),
          ],
          nextCursor: 'after-h2',
          masked: false,
        });
      }),
    );
    await renderArchon(<ConfigHistory path="/team/app" />);

    const newest = await screen.findByText('changed: a, b');
    const summaries = screen
      .getAllByText(/^(changed: |no key changed)/)
      .map(e => e.textContent);
    expect(summaries).toEqual(['changed: a, b', 'no key changed']);
    expect(screen.getByText('→ version 2')).toBeInTheDocument();

    await user.click(newest);
    const table = await screen.findByRole('table', {
      name: 'Changes of 2026-11-22T10:00:00Z',
    });
    const rowA = within(table).getByText('a').closest('tr')!;
    expect(within(rowA).getByText('1')).toBeInTheDocument();
    expect(within(rowA).getByText('2')).toBeInTheDocument();
    const rowB = within(table).getByText('b').closest('tr')!;
    expect(within(rowB).getByText('(absent)')).toBeInTheDocument();

    await user.click(
      screen.getByRole('button', { name: 'Load older changes' }),
    );
    expect(await screen.findByText('changed: a')).toBeInTheDocument();
    expect(queries).toEqual(['?limit=20', '?limit=20&cursor=after-h2']);
    expect(
      screen.queryByRole('button', { name: 'Load older changes' }),
    ).not.toBeInTheDocument();
  });

  it('says when nothing was changed through archon yet', async () => {
    server.use(
      http.get(`${BASE}/config/history/:configPath`, () =>
        HttpResponse.json({ items: [], masked: true }),
      ),
    );
    await renderArchon(<ConfigHistory path="/team/app" />);
    expect(
      await screen.findByText(
        'No changes to /team/app were made through archon yet.',
      ),
    ).toBeInTheDocument();
  });
  it('restores a version after showing its difference to the set as it is now', async () => {
    const user = userEvent.setup({ delay: null });
    const restores: unknown[] = [];
    let restored = false;
    server.use(
      http.get(`${BASE}/config/history/:configPath`, () =>
        HttpResponse.json({
          items: [
            ...(restored
              ? [
                  entry('h3', '2026-11-23T10:00:00Z', {
                    action: 'restore',
                    changedKeys: ['a'],
                    before: { a: '2' },
                    after: { a: '1' },
                    version: 2,
                    note: 'restored from v0',
                  }),
                ]
              : []),
            entry('h2', '2026-11-22T10:00:00Z', {
              action: 'put',
              changedKeys: ['a'],
              before: { a: '1' },
              after: { a: '2' },
              version: 1,
            }),
            entry('h1', '2026-11-21T10:00:00Z', {
              action: 'put',
              changedKeys: ['a'],
              after: { a: '1' },
              version: 0,
            }),
          ],
          masked: false,
        }),
      ),
      http.get(`${BASE}/config/sets/:configPath`, () =>
        HttpResponse.json({
          path: '/team/app',
          properties: { a: '2' },
          version: 1,
        }),
      ),
      http.post(
        `${BASE}/config/sets/:configPath/restore`,
        async ({ request }) => {
          restores.push(await request.json());
          restored = true;
          return HttpResponse.json({
            path: '/team/app',
            version: 2,
            changedKeys: ['a'],
          });
        },
      ),
    );
    await renderArchon(<ConfigHistory path="/team/app" />);
    await user.click(await screen.findByText('→ version 0'));
    await user.click(
      screen.getByRole('button', { name: 'Restore this version' }),
    );
    const dialog = await screen.findByRole('dialog');
    const diff = await within(dialog).findByRole('table', {
      name: 'Restore version 0',
    });
    expect(within(diff).getByText('2')).toBeInTheDocument();
    expect(within(diff).getByText('1')).toBeInTheDocument();
    expect(restores).toEqual([]);
    await user.click(
      within(dialog).getByRole('button', { name: 'Restore version 0' }),
    );
    expect(await screen.findByText('(restored from v0)')).toBeInTheDocument();
    expect(restores).toEqual([{ version: 0, expectedVersion: 1 }]);
  });
});
