import { screen } from '@testing-library/react';
import { setupServer } from 'msw/node';
import { registerMswTestHooks } from '@backstage/frontend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { renderArchon } from '../../__testUtils__';
import { cfgZnodeReads } from '../../__testUtils__/pageReads';
import { ZooKeeperPage } from './ZooKeeperPage';

// Its own file: usePermission caches decisions for the whole test file.
describe('ZooKeeperPage without archon.zookeeper.ensemble.write on dr', () => {
  const server = setupServer();
  registerMswTestHooks(server);

  it("shows dr's znodes read-only and names the permission needed there (#20)", async () => {
    server.use(...cfgZnodeReads('dr', ['local', 'dr']));
    await renderArchon(<ZooKeeperPage />, {
      initialRouteEntries: ['/?cluster=dr&path=/cfg'],
      // Raw writes are allowed; the ensemble dr is not.
      permissions: request =>
        request.permission.name === 'archon.zookeeper.ensemble.write' &&
        request.resourceRef === 'zookeeper:dr'
          ? AuthorizeResult.DENY
          : AuthorizeResult.ALLOW,
    });
    expect(await screen.findByLabelText(/Data of \/cfg/)).toHaveValue('x');
    expect(
      await screen.findByText(
        'Writing to dr needs archon.zookeeper.ensemble.write there.',
      ),
    ).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Save…' })).toBeDisabled();
    expect(screen.getByRole('button', { name: 'New znode…' })).toBeDisabled();
    expect(screen.getByRole('button', { name: 'Delete…' })).toBeDisabled();
  });
});
