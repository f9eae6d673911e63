import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { registerMswTestHooks } from '@backstage/frontend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import {
  BASE,
  appEntity,
  healthHandler,
  renderArchon,
  type PermissionDecisions,
} from '../../__testUtils__';
import { DeployLevel } from './DeployLevel';
import { EntityDeployContent } from './EntityDeployContent';

const PATH = '/team/svc-1';

/** Everything allowed but archon.marathon.target.manage on the instance dr (#20). */
const notOnDr: PermissionDecisions = request =>
  request.permission.name === 'archon.marathon.target.manage' &&
  request.resourceRef === 'marathon:dr'
    ? AuthorizeResult.DENY
    : AuthorizeResult.ALLOW;

const targets = http.get(`${BASE}/deploy-targets`, () =>
  HttpResponse.json({
    items: [
      { name: 'local', kind: 'marathon' },
      { name: 'dr', kind: 'marathon' },
    ],
  }),
);

// Its own file: usePermission caches decisions for the whole test file.
describe('Deploying with archon.marathon.target.manage on local only', () => {
  const server = setupServer();
  registerMswTestHooks(server);

  it("the Deploy tab's target picker names the permission dr needs and disables deploying and operating there", async () => {
    const user = userEvent.setup({ delay: null });
    server.use(
      healthHandler(),
      targets,
      http.get(`${BASE}/apps/status`, ({ request }) =>
        HttpResponse.json({
          instance: new URL(request.url).searchParams.get('instance'),
          id: PATH,
          exists: true,
          state: 'healthy',
          instances: 1,
          staged: 0,
          running: 1,
          healthy: 1,
          unhealthy: 0,
          deployments: [],
        }),
      ),
      http.get(`${BASE}/releases`, () => HttpResponse.json({ items: [] })),
    );
    await renderArchon(
      <EntityProvider entity={appEntity({ 'archon.io/config-path': PATH })}>
        <EntityDeployContent />
      </EntityProvider>,
      { permissions: notOnDr },
    );
    // On local (the first target) everything is allowed.
    expect(
      await screen.findByRole('button', { name: 'Deploy…' }),
    ).toBeEnabled();
    expect(
      screen.queryByText(/needs archon.marathon.target.manage there/),
    ).not.toBeInTheDocument();

    await user.click(screen.getByLabelText('Deploy target'));
    await user.click(
      await screen.findByRole('option', {
        name: 'dr (marathon) · needs archon.marathon.target.manage',
      }),
    );
    expect(
      await screen.findByText(
        'Deploying to dr needs archon.marathon.target.manage there.',
      ),
    ).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Deploy…' })).toBeDisabled();
    expect(
      screen.getByText(
        'Changing the app on dr needs archon.marathon.target.manage there.',
      ),
    ).toBeInTheDocument();
    for (const name of ['Restart…', 'Suspend…', 'Destroy…'])
      expect(screen.getByRole('button', { name })).toBeDisabled();
  });

  it("the Configuration page's Deploy dialog does the same for its target", async () => {
    const user = userEvent.setup({ delay: null });
    server.use(targets);
    await renderArchon(<DeployLevel path={PATH} />, { permissions: notOnDr });
    await user.click(screen.getByRole('button', { name: `Deploy ${PATH}` }));
    const dialog = await screen.findByRole('dialog', {
      name: `Deploy ${PATH}`,
    });
    expect(
      await within(dialog).findByRole('button', { name: 'Deploy…' }),
    ).toBeEnabled();
    await user.click(within(dialog).getByLabelText('Target'));
    await user.click(
      await screen.findByRole('option', {
        name: 'dr (marathon) · needs archon.marathon.target.manage',
      }),
    );
    expect(
      await within(dialog).findByText(
        'Deploying to dr needs archon.marathon.target.manage there.',
      ),
    ).toBeInTheDocument();
    expect(
      within(dialog).getByRole('button', { name: 'Deploy…' }),
    ).toBeDisabled();
  });
});
