import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { setupServer } from 'msw/node';
import { registerMswTestHooks } from '@backstage/frontend-test-utils';
import { renderArchon } from '../../__testUtils__';
import { oneMarathonAppReads } from '../../__testUtils__/pageReads';
import { MarathonPage } from './MarathonPage';

// Its own file: usePermission caches decisions for the whole test file.
describe('MarathonPage without archon.app.scale and archon.app.destroy', () => {
  const server = setupServer();
  registerMswTestHooks(server);

  it('disables every row action and says which permission is missing', async () => {
    const user = userEvent.setup({ delay: null });
    server.use(...oneMarathonAppReads('local'));
    await renderArchon(<MarathonPage />, {
      permissions: 'deny',
      initialRouteEntries: ['/?group=/team'],
    });
    await user.click(
      await screen.findByRole('button', { name: 'Actions for /team/svc-1' }),
    );
    const menu = await screen.findByRole('menu');
    for (const [item, reason] of [
      ['Scale', 'You may not scale it (archon.app.scale)'],
      ['Restart', 'You may not restart it (archon.app.scale)'],
      ['Suspend', 'You may not suspend it (archon.app.scale)'],
      ['Destroy', 'You may not destroy it (archon.app.destroy)'],
    ]) {
      const entry = within(menu).getByRole('menuitem', {
        name: new RegExp(item),
      });
      expect(entry).toHaveAttribute('aria-disabled', 'true');
      expect(entry).toHaveTextContent(reason);
    }
  });
});
