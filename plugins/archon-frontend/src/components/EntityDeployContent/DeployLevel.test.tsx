import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { registerMswTestHooks } from '@backstage/frontend-test-utils';
import type { DeployRequest } from '@archon/plugin-archon-common';
import { BASE, renderArchon } from '../../__testUtils__';
import { deployHandlers } from '../../__testUtils__/deployFlow';
import { DeployLevel } from './DeployLevel';

const PATH = '/team/new-app';

const deploy = {
  id: 'rel-1',
  instance: 'other',
  configPath: PATH,
  startedAt: '2026-11-25T01:00:00.000Z',
};

describe('DeployLevel (Configuration page "Deploy…")', () => {
  const server = setupServer();
  registerMswTestHooks(server);

  it('picks a target, shows the dry-run diff, deploys and follows the progress', async () => {
    const user = userEvent.setup({ delay: null });
    const posted: Array<Partial<DeployRequest>> = [];
    server.use(
      http.get(`${BASE}/deploy-targets`, () =>
        HttpResponse.json({
          items: [
            { name: 'local', kind: 'marathon' },
            { name: 'other', kind: 'marathon' },
          ],
        }),
      ),
      ...deployHandlers(deploy, posted, 'Marathon deployment d-1 succeeded'),
    );
    await renderArchon(<DeployLevel path={PATH} />);
    await user.click(screen.getByRole('button', { name: `Deploy ${PATH}` }));
    const dialog = await screen.findByRole('dialog', {
      name: `Deploy ${PATH}`,
    });
    await user.click(await within(dialog).findByLabelText('Target'));
    await user.click(
      await screen.findByRole('option', { name: 'other (marathon)' }),
    );
    await user.click(
      within(dialog).getByRole('button', { name: 'Preview changes' }),
    );
    expect(await within(dialog).findByTestId('deploy-plan')).toHaveTextContent(
      'instances',
    );
    await user.click(within(dialog).getByRole('button', { name: 'Deploy…' }));
    await user.click(await screen.findByRole('button', { name: 'Deploy now' }));
    expect(
      await screen.findByText('Marathon deployment d-1 succeeded'),
    ).toBeInTheDocument();
    expect(await screen.findByText(/deploy succeeded/)).toBeInTheDocument();
    expect(posted.map(p => [p.instance, !!p.dryRun])).toEqual([
      ['other', true],
      ['other', true],
      ['other', false],
    ]);
  });
});
