import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { setupServer } from 'msw/node';
import { registerMswTestHooks } from '@backstage/frontend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { renderArchon } from '../../__testUtils__';
import { oneMarathonAppReads } from '../../__testUtils__/pageReads';
import { MarathonPage } from './MarathonPage';

// Its own file: usePermission caches decisions for the whole test file.
describe('MarathonPage without archon.marathon.target.manage on dr', () => {
  const server = setupServer();
  registerMswTestHooks(server);

  it("disables every row action on dr's apps and names the permission needed there (#20)", async () => {
    const user = userEvent.setup({ delay: null });
    server.use(...oneMarathonAppReads('dr'));
    await renderArchon(<MarathonPage />, {
      // The app's path may be changed; the instance dr may not.
      permissions: request =>
        request.permission.name === 'archon.marathon.target.manage' &&
        request.resourceRef === 'marathon:dr'
          ? AuthorizeResult.DENY
          : AuthorizeResult.ALLOW,
      initialRouteEntries: ['/?group=/team'],
    });
    await user.click(
      await screen.findByRole('button', { name: 'Actions for /team/svc-1' }),
    );
    const menu = await screen.findByRole('menu');
    for (const [item, reason] of [
      ['Scale', 'Scaling on dr needs archon.marathon.target.manage there'],
      ['Restart', 'Restarting on dr needs archon.marathon.target.manage there'],
      ['Suspend', 'Suspending on dr needs archon.marathon.target.manage there'],
      ['Destroy', 'Destroying on dr needs archon.marathon.target.manage there'],
    ]) {
      const entry = within(menu).getByRole('menuitem', {
        name: new RegExp(item),
      });
      expect(entry).toHaveAttribute('aria-disabled', 'true');
      expect(entry).toHaveTextContent(reason);
    }
  });
});
