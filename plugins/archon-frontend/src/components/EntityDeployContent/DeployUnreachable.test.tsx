import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { registerMswTestHooks } from '@backstage/frontend-test-utils';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import type { DeployFlow } from '@archon/plugin-archon-common';
import {
  BASE,
  appEntity,
  healthHandler,
  renderArchon,
  sseResponse,
  confirmWith,
} from '../../__testUtils__';
import { EntityDeployContent } from './EntityDeployContent';

const PATH = '/team/svc-1';

const flow: DeployFlow = {
  id: 'rel-3',
  kind: 'deploy',
  status: 'running',
  instance: 'local',
  targetKind: 'marathon',
  workloadId: PATH,
  configPath: PATH,
  actor: 'user:default/guest',
  startedAt: '2026-11-25T01:00:00.000Z',
  releaseId: 'rel-3',
  progress: [],
};

const MESSAGE =
  'Marathon instance "local" stopped answering. The outcome of deploy rel-3 is unknown until it answers again; archon keeps following it: check GET /api/archon/deployments/rel-3';

describe('EntityDeployContent when Marathon stops answering (#22)', () => {
  const server = setupServer();
  registerMswTestHooks(server);

  it('shows that the outcome is unknown instead of spinning, and does not reattach', async () => {
    const user = userEvent.setup({ delay: null });
    let attaches = 0;
    server.use(
      healthHandler(),
      http.get(`${BASE}/apps/status`, () =>
        HttpResponse.json({
          instance: 'local',
          id: PATH,
          exists: false,
          state: 'missing',
          instances: 0,
          staged: 0,
          running: 0,
          healthy: 0,
          unhealthy: 0,
          deployments: [],
        }),
      ),
      http.get(`${BASE}/releases`, () => HttpResponse.json({ items: [] })),
      http.post(`${BASE}/deployments`, async ({ request }) => {
        const body = (await request.json()) as { dryRun?: boolean };
        if (body.dryRun)
          return HttpResponse.json({
            dryRun: true,
            instance: 'local',
            targetKind: 'marathon',
            configPath: PATH,
            workloadId: PATH,
            definition: { id: PATH },
            exists: false,
            changes: [],
          });
        return HttpResponse.json(flow, { status: 202 });
      }),
      http.get(`${BASE}/deployments/rel-3/events`, () => {
        attaches += 1;
        return sseResponse([
          {
            event: 'progress',
            data: {
              seq: 1,
              at: '2026-11-25T01:00:01.000Z',
              type: 'unreachable',
              message: 'Marathon instance "local" stopped answering',
            },
          },
          {
            event: 'error',
            data: {
              system: 'marathon',
              instance: 'local',
              message: MESSAGE,
              outcome: 'unknown',
              check: 'GET /api/archon/deployments/rel-3',
            },
          },
        ]);
      }),
    );
    await renderArchon(
      <EntityProvider
        entity={appEntity({
          'archon.io/config-path': PATH,
          'archon.io/marathon-instance': 'local',
          'archon.io/marathon-app-id': PATH,
        })}
      >
        <EntityDeployContent />
      </EntityProvider>,
    );
    const deploy = await screen.findByRole('button', { name: 'Deploy…' });
    // Enabled once the path's and the target's permissions are decided.
    await waitFor(() => expect(deploy).toBeEnabled());
    await user.click(deploy);
    const dialog = await screen.findByRole('dialog');
    await within(dialog).findByTestId('deploy-plan');
    await confirmWith(user, dialog, 'Deploy now');

    expect(
      await screen.findByText(`Outcome unknown: ${MESSAGE}`),
    ).toBeInTheDocument();
    const panel = screen.getByTestId('flow-progress');
    expect(within(panel).queryByRole('progressbar')).not.toBeInTheDocument();
    expect(within(panel).getByText(/stopped answering$/)).toBeInTheDocument();
    await waitFor(() => expect(attaches).toBe(1));
  });
});
