import { screen } from '@testing-library/react';
import { setupServer } from 'msw/node';
import { registerMswTestHooks } from '@backstage/frontend-test-utils';
import { renderArchon } from '../../__testUtils__';
import { cfgZnodeReads } from '../../__testUtils__/pageReads';
import { ZooKeeperPage } from './ZooKeeperPage';

// Its own file: usePermission caches decisions for the whole test file.
describe('ZooKeeperPage without archon.zookeeper.write', () => {
  const server = setupServer();
  registerMswTestHooks(server);

  it('shows znodes read-only and disables saving', async () => {
    server.use(...cfgZnodeReads('local'));
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
