import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { registerMswTestHooks } from '@backstage/frontend-test-utils';
import type { DeployRequest } from '@archon/plugin-archon-common';
import { BASE, renderArchon } from '../../__testUtils__';
import { deployHandlers } from '../../__testUtils__/deployFlow';
import { DeployPathDialog, configPathsOf } from './DeployPathDialog';

const PATH = '/team/new-app';

const deploy = {
  id: 'rel-9',
  instance: 'local',
  configPath: PATH,
  startedAt: '2026-12-05T07:00:00.000Z',
};

const tree = {
  path: '/',
  hasSet: false,
  keyCount: 0,
  childCount: 1,
  children: [
    {
      path: '/team',
      hasSet: true,
      keyCount: 2,
      childCount: 2,
      children: [
        { path: PATH, hasSet: true, keyCount: 3, childCount: 0 },
        { path: '/team/other', hasSet: true, keyCount: 1, childCount: 0 },
      ],
    },
  ],
};

describe('DeployPathDialog (Marathon page "Deploy a configuration path…")', () => {
  const server = setupServer();
  registerMswTestHooks(server);

  it('lists every level below the root, depth first', () => {
    expect(configPathsOf(tree)).toEqual(['/team', PATH, '/team/other']);
  });

  it('picks a path from the tree and a target, shows the dry run, deploys and follows it to the end', async () => {
    const user = userEvent.setup({ delay: null });
    const posted: Array<Partial<DeployRequest>> = [];
    const treeQueries: string[] = [];
    let finished = 0;
    server.use(
      http.get(`${BASE}/config/tree`, ({ request }) => {
        treeQueries.push(new URL(request.url).search);
        return HttpResponse.json(tree);
      }),
      http.get(`${BASE}/deploy-targets`, () =>
        HttpResponse.json({ items: [{ name: 'local', kind: 'marathon' }] }),
      ),
      ...deployHandlers(deploy, posted, 'Marathon deployment d-9 succeeded'),
    );
    await renderArchon(<DeployPathDialog onFinished={() => finished++} />);
    await user.click(
      screen.getByRole('button', { name: 'Deploy a configuration path…' }),
    );
    const dialog = await screen.findByRole('dialog', {
      name: 'Deploy a configuration path',
    });
    // Nothing to deploy until a path is chosen.
    expect(
      within(dialog).queryByRole('button', { name: 'Deploy…' }),
    ).not.toBeInTheDocument();
    await user.type(
      await within(dialog).findByLabelText('Configuration path'),
      'new',
    );
    await user.click(await screen.findByRole('option', { name: PATH }));
    expect(await within(dialog).findByLabelText('Target')).toHaveTextContent(
      'local (marathon)',
    );
    await user.click(within(dialog).getByRole('button', { name: 'Deploy…' }));
    const confirm = await screen.findByRole('dialog', {
      name: `Deploy ${PATH} to local?`,
    });
    expect(await within(confirm).findByTestId('deploy-plan')).toHaveTextContent(
      `${PATH} does not run on local yet`,
    );
    await user.click(
      await within(confirm).findByRole('button', { name: 'Deploy now' }),
    );
    expect(
      await screen.findByText('Marathon deployment d-9 succeeded'),
    ).toBeInTheDocument();
    expect(await screen.findByText(/deploy succeeded/)).toBeInTheDocument();
    await waitFor(() => expect(finished).toBe(1));
    expect(posted.map(p => [p.configPath, !!p.dryRun])).toEqual([
      [PATH, true],
      [PATH, false],
    ]);
    expect(treeQueries).toEqual(['?prefix=%2F&depth=32']);
  });
});
