import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { registerMswTestHooks } from '@backstage/frontend-test-utils';
import { BASE, errorBody, renderArchon } from '../../__testUtils__';
import { ZooKeeperPage } from './ZooKeeperPage';

const ZK = `${BASE}/zookeeper/local`;

const stat = (version: number, numChildren = 0, extra: object = {}) => ({
  czxid: '0x10',
  mzxid: `0x${(16 + version).toString(16)}`,
  pzxid: '0x10',
  ctime: '2026-11-25T00:00:00.000Z',
  mtime: '2026-11-25T00:00:00.000Z',
  version,
  cversion: 0,
  aversion: 0,
  ephemeralOwner: '0x0',
  ephemeral: false,
  dataLength: 0,
  numChildren,
  ...extra,
});

const b64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');

const healthUp = () =>
  http.get(`${BASE}/health`, () =>
    HttpResponse.json({
      status: 'up',
      checkedAt: '2026-11-25T00:00:00.000Z',
      systems: [
        { kind: 'zookeeper', name: 'local', status: 'up', latencyMs: 1 },
      ],
    }),
  );

/** `/` has apps (2 pages) and cfg; apps/a-001 … are leaves. */
function childrenHandler(calls: string[]) {
  return http.get(`${ZK}/children/:path`, ({ params, request }) => {
    const path = decodeURIComponent(String(params.path));
    const cursor = new URL(request.url).searchParams.get('cursor');
    calls.push(`${path}${cursor ? `@${cursor}` : ''}`);
    if (path === '/') {
      return HttpResponse.json({
        path,
        stat: stat(0, 2),
        total: 2,
        limit: 100,
        items: [
          { name: 'apps', path: '/apps', stat: stat(0, 150) },
          { name: 'cfg', path: '/cfg', stat: stat(3) },
        ],
      });
    }
    const names = cursor ? ['a-101', 'a-102'] : ['a-001', 'a-002'];
    return HttpResponse.json({
      path,
      stat: stat(0, 150),
      total: 150,
      limit: 100,
      items: names.map(name => ({
        name,
        path: `/apps/${name}`,
        stat: stat(0),
      })),
      ...(cursor ? {} : { nextCursor: 'a-002' }),
    });
  });
}

describe('ZooKeeperPage', () => {
  const server = setupServer();
  registerMswTestHooks(server);

  it('browses lazily with paging, edits JSON with a version check and shows the newer value on 409', async () => {
    const user = userEvent.setup({ delay: null });
    const calls: string[] = [];
    const puts: unknown[] = [];
    let cfg = { text: '{"color":"blue"}', version: 3 };
    server.use(
      healthUp(),
      childrenHandler(calls),
      http.get(`${ZK}/znodes/:path`, ({ params }) => {
        const path = decodeURIComponent(String(params.path));
        if (path === '/cfg') {
          return HttpResponse.json({
            path,
            stat: stat(cfg.version, 0, { dataLength: cfg.text.length }),
            data: {
              format: 'json',
              size: cfg.text.length,
              base64: b64(cfg.text),
              text: cfg.text,
              json: JSON.parse(cfg.text),
            },
          });
        }
        return HttpResponse.json({
          path,
          stat: stat(0, 2),
          data: { format: 'text', size: 0, base64: '', text: '' },
        });
      }),
      http.get(`${ZK}/acl/:path`, () =>
        HttpResponse.json({
          path: '/cfg',
          aclVersion: 0,
          acls: [
            {
              scheme: 'world',
              id: 'anyone',
              perms: 31,
              permissions: ['read', 'write', 'create', 'delete', 'admin'],
              short: 'cdrwa',
            },
          ],
        }),
      ),
      http.put(`${ZK}/znodes/:path`, async ({ request }) => {
        const body = (await request.json()) as {
          data: { text: string };
          expectedVersion: number;
        };
        puts.push(body);
        if (body.expectedVersion !== cfg.version) {
          return errorBody(
            409,
            'ConflictError',
            `/cfg is at version ${cfg.version}, not ${body.expectedVersion}`,
            {
              current: {
                path: '/cfg',
                exists: true,
                stat: stat(cfg.version),
                data: {
                  format: 'json',
                  size: cfg.text.length,
                  base64: b64(cfg.text),
                  text: cfg.text,
                },
              },
            },
          );
        }
        cfg = { text: body.data.text, version: cfg.version + 1 };
        return HttpResponse.json({ path: '/cfg', stat: stat(cfg.version) });
      }),
    );
    await renderArchon(<ZooKeeperPage />);

    const tree = await screen.findByRole('tree', { name: 'Znodes of local' });
    expect(calls).toEqual(['/']);
    await user.click(within(tree).getByText('apps'));
    expect(await within(tree).findByText('a-001')).toBeInTheDocument();
    await user.click(within(tree).getByText('Load more (2 of 150)'));
    expect(await within(tree).findByText('a-102')).toBeInTheDocument();
    expect(within(tree).getByText('a-001')).toBeInTheDocument();
    expect(calls).toEqual(['/', '/apps', '/apps@a-002']);

    await user.click(within(tree).getByText('cfg'));
    const data = await screen.findByLabelText(
      /Data of \/cfg \(json, version 3/,
    );
    expect(data).toHaveValue('{\n  "color": "blue"\n}');
    expect(screen.getByRole('table', { name: 'Stat' })).toHaveTextContent(
      'version3',
    );
    expect(await screen.findByRole('table', { name: 'ACL' })).toHaveTextContent(
      'worldanyonecdrwa',
    );

    // Someone else writes version 4 after the page read version 3.
    cfg = { text: '{"color":"green"}', version: 4 };
    await user.clear(data);
    await user.click(data);
    await user.paste('{"color":"red"}');
    await user.click(screen.getByRole('button', { name: 'Save…' }));
    // Nothing is written before the diff was shown and confirmed.
    const confirm = await screen.findByRole('dialog');
    expect(within(confirm).getByLabelText('Changes to /cfg')).toHaveTextContent(
      '+ {"color":"red"}',
    );
    expect(puts).toEqual([]);
    await user.click(within(confirm).getByRole('button', { name: 'Save' }));
    const conflict = await screen.findByTestId('znode-conflict');
    expect(conflict).toHaveTextContent('it is at version 4 now, not 3');
    expect(
      within(conflict).getByLabelText('The newer value'),
    ).toHaveTextContent('"color": "green"');
    await user.click(
      within(conflict).getByRole('button', { name: 'Overwrite with mine' }),
    );
    expect(
      await screen.findByText('Saved /cfg (version 5).'),
    ).toBeInTheDocument();
    expect(puts).toEqual([
      { data: { text: '{"color":"red"}' }, expectedVersion: 3 },
      { data: { text: '{"color":"red"}' }, expectedVersion: 4 },
    ]);
  }, 90_000);

  it('refuses invalid JSON and hex before sending', async () => {
    const user = userEvent.setup({ delay: null });
    server.use(
      healthUp(),
      childrenHandler([]),
      http.get(`${ZK}/znodes/:path`, () =>
        HttpResponse.json({
          path: '/cfg',
          stat: stat(1),
          data: {
            format: 'json',
            size: 2,
            base64: b64('{}'),
            text: '{}',
            json: {},
          },
        }),
      ),
      http.get(`${ZK}/acl/:path`, () =>
        HttpResponse.json({ path: '/cfg', aclVersion: 0, acls: [] }),
      ),
    );
    await renderArchon(<ZooKeeperPage />, {
      initialRouteEntries: ['/?ensemble=local&path=/cfg'],
    });
    const data = await screen.findByLabelText(/Data of \/cfg \(json/);
    await user.clear(data);
    await user.type(data, 'not json');
    await user.click(screen.getByRole('button', { name: 'Save…' }));
    expect(await screen.findByText(/Not valid JSON/)).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Revert' }));
    await user.click(screen.getByRole('tab', { name: 'Hex' }));
    const hex = await screen.findByLabelText(/Data of \/cfg \(hex/);
    expect(hex).toHaveValue('7b 7d');
    await user.type(hex, ' 0');
    await user.click(screen.getByRole('button', { name: 'Save…' }));
    expect(
      await screen.findByText('Hex needs an even number of digits'),
    ).toBeInTheDocument();
  }, 90_000);

  it('searches, and previews an import before applying exactly that plan', async () => {
    const user = userEvent.setup({ delay: null });
    const imports: Array<{
      dryRun?: boolean;
      expectedPlanHash?: string;
      mode?: string;
    }> = [];
    server.use(
      healthUp(),
      childrenHandler([]),
      http.get(`${ZK}/znodes/:path`, ({ params }) =>
        HttpResponse.json({
          path: decodeURIComponent(String(params.path)),
          stat: stat(0),
          data: { format: 'text', size: 0, base64: '', text: '' },
        }),
      ),
      http.get(`${ZK}/acl/:path`, () =>
        HttpResponse.json({ path: '/', aclVersion: 0, acls: [] }),
      ),
      http.get(`${ZK}/search`, ({ request }) => {
        const q = new URL(request.url).searchParams;
        expect(q.get('query')).toBe('a-10');
        return HttpResponse.json({
          prefix: q.get('prefix'),
          query: 'a-10',
          caseSensitive: false,
          matches: [{ path: '/apps/a-101' }],
          visited: 153,
          truncated: false,
        });
      }),
      http.post(`${ZK}/import/:path`, async ({ request }) => {
        const body = (await request.json()) as {
          dryRun?: boolean;
          expectedPlanHash?: string;
          mode?: string;
        };
        imports.push({
          dryRun: body.dryRun,
          expectedPlanHash: body.expectedPlanHash,
          mode: body.mode,
        });
        return HttpResponse.json({
          path: '/apps/a-101',
          mode: 'merge',
          dryRun: !!body.dryRun,
          applied: !body.dryRun,
          creates: [{ path: '/apps/a-101/new', size: 3 }],
          updates: [],
          deletes: [],
          unchanged: 1,
          skipped: [],
          planHash: 'h1',
          estimatedTransactionBytes: 100,
          maxTransactionBytes: 1000000,
        });
      }),
    );
    await renderArchon(<ZooKeeperPage />);
    await user.type(await screen.findByLabelText('Find znodes'), 'a-10');
    expect(
      screen.getByText('Paths containing the text, at or below /'),
    ).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Search' }));
    expect(
      await screen.findByText(/1 match for "a-10" \(153 znodes searched\)/),
    ).toBeInTheDocument();
    await user.click(
      within(screen.getByRole('list', { name: 'Search results' })).getByText(
        '/apps/a-101',
      ),
    );
    expect(
      await screen.findByLabelText(/Data of \/apps\/a-101/),
    ).toBeInTheDocument();

    await user.click(screen.getByRole('button', { name: 'Import…' }));
    const dialog = await screen.findByRole('dialog', {
      name: 'Import into /apps/a-101',
    });
    expect(
      within(dialog).getByRole('button', { name: 'Apply this plan' }),
    ).toBeDisabled();
    const doc = JSON.stringify({
      format: 'archon.zookeeper.export/v1',
      root: { name: '', children: [{ name: 'new', data: { text: 'abc' } }] },
    });
    await user.click(within(dialog).getByLabelText('Export document (JSON)'));
    await user.paste(doc);
    await user.click(within(dialog).getByRole('button', { name: 'Preview' }));
    const plan = await within(dialog).findByTestId('import-plan');
    expect(plan).toHaveTextContent(
      'Dry run (merge) at /apps/a-101: 1 to create, 0 to update, 0 to delete, 1 unchanged',
    );
    expect(
      within(plan).getByRole('list', { name: 'Creates' }),
    ).toHaveTextContent('/apps/a-101/new (3 bytes)');
    await user.click(
      within(dialog).getByRole('button', { name: 'Apply this plan' }),
    );
    await waitFor(() =>
      expect(within(dialog).getByTestId('import-plan')).toHaveTextContent(
        'Applied (merge)',
      ),
    );
    expect(imports).toEqual([
      { dryRun: true, expectedPlanHash: undefined, mode: 'merge' },
      { dryRun: false, expectedPlanHash: 'h1', mode: 'merge' },
    ]);
  }, 90_000);

  it('names ZooKeeper when it is unreachable', async () => {
    server.use(
      http.get(`${BASE}/health`, () =>
        HttpResponse.json({
          status: 'degraded',
          checkedAt: '2026-11-25T00:00:00.000Z',
          systems: [
            {
              kind: 'zookeeper',
              name: 'local',
              status: 'unreachable',
              latencyMs: 1,
              error: 'connection loss',
            },
          ],
        }),
      ),
      http.get(`${ZK}/children/:path`, () =>
        errorBody(
          503,
          'ServiceUnavailableError',
          'ZooKeeper "local" does not answer',
        ),
      ),
      http.get(`${ZK}/znodes/:path`, () =>
        errorBody(
          503,
          'ServiceUnavailableError',
          'ZooKeeper "local" does not answer',
        ),
      ),
    );
    await renderArchon(<ZooKeeperPage />);
    expect(
      await screen.findByText(/ZooKeeper "local" is unreachable/),
    ).toBeInTheDocument();
    expect(
      (await screen.findAllByText(/ZooKeeper "local" does not answer/)).length,
    ).toBeGreaterThan(0);
    expect(screen.getByRole('button', { name: 'Retry' })).toBeInTheDocument();
  });
});
