import { screen } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { registerMswTestHooks } from '@backstage/frontend-test-utils';
import { BASE, renderArchon } from '../../__testUtils__';
import { ZooKeeperPage } from './ZooKeeperPage';

// Its own file: usePermission caches decisions for the whole test file.
describe('ZooKeeperPage without archon.zookeeper.write', () => {
  const server = setupServer();
  registerMswTestHooks(server);

  it('shows znodes read-only and disables saving', async () => {
    const stat = {
      czxid: '0x1',
      mzxid: '0x1',
      pzxid: '0x1',
      ctime: '',
      mtime: '',
      version: 1,
      cversion: 0,
      aversion: 0,
      ephemeralOwner: '0x0',
      ephemeral: false,
      dataLength: 1,
      numChildren: 0,
    };
    server.use(
      http.get(`${BASE}/health`, () =>
        HttpResponse.json({
          status: 'up',
          checkedAt: '',
          systems: [
            { kind: 'zookeeper', name: 'local', status: 'up', latencyMs: 1 },
          ],
        }),
      ),
      http.get(`${BASE}/zookeeper/local/children/:path`, () =>
        HttpResponse.json({ path: '/', stat, total: 0, limit: 100, items: [] }),
      ),
      http.get(`${BASE}/zookeeper/local/znodes/:path`, () =>
        HttpResponse.json({
          path: '/cfg',
          stat,
          data: { format: 'text', size: 1, base64: 'eA==', text: 'x' },
        }),
      ),
      http.get(`${BASE}/zookeeper/local/acl/:path`, () =>
        HttpResponse.json({ path: '/cfg', aclVersion: 0, acls: [] }),
      ),
    );
    await renderArchon(<ZooKeeperPage />, {
      initialRouteEntries: ['/?ensemble=local&path=/cfg'],
      permissions: 'deny',
    });
    expect(await screen.findByLabelText(/Data of \/cfg/)).toHaveValue('x');
    expect(
      await screen.findByText('You may not change znodes.'),
    ).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Save…' })).toBeDisabled();
    expect(screen.getByRole('button', { name: 'New znode…' })).toBeDisabled();
    expect(screen.getByRole('button', { name: 'Delete…' })).toBeDisabled();
  });
});
