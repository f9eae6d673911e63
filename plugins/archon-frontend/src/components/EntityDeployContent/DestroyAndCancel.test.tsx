import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { registerMswTestHooks } from '@backstage/frontend-test-utils';
import type { DeployFlow } from '@archon/plugin-archon-common';
import { BASE, renderArchon } from '../../__testUtils__';
import { DestroyApp } from './DestroyApp';
import { FlowProgress } from './FlowProgress';

describe('Deploy tab: destroy and cancel', () => {
  const server = setupServer();
  registerMswTestHooks(server);

  it('destroys only once the configuration path is typed', async () => {
    const user = userEvent.setup({ delay: null });
    const started: string[] = [];
    const sent: unknown[] = [];
    server.use(
      http.post(`${BASE}/apps/destroy`, async ({ request }) => {
        sent.push(await request.json());
        return HttpResponse.json({}, { status: 202 });
      }),
    );
    await renderArchon(
      <DestroyApp
        configPath="/team/svc-1"
        instance="local"
        appId="/team/svc-1"
        disabled={false}
        start={(title, request) => {
          started.push(title);
          void request();
        }}
      />,
    );
    await user.click(screen.getByRole('button', { name: 'Destroy…' }));
    const destroy = screen.getByRole('button', { name: 'Destroy' });
    expect(destroy).toBeDisabled();
    await user.type(
      screen.getByLabelText('Type /team/svc-1 to confirm'),
      '/team/svc',
    );
    expect(destroy).toBeDisabled();
    await user.type(screen.getByLabelText('Type /team/svc-1 to confirm'), '-1');
    await user.click(screen.getByRole('button', { name: 'Destroy' }));
    expect(started).toEqual(['Destroy /team/svc-1']);
    await waitFor(() =>
      expect(sent).toEqual([
        {
          configPath: '/team/svc-1',
          instance: 'local',
          confirm: '/team/svc-1',
        },
      ]),
    );
  });

  it('cancels the Marathon deployment of a timed-out deploy and says Marathon rolls back', async () => {
    const user = userEvent.setup({ delay: null });
    const flow: DeployFlow = {
      id: 'rel-9',
      kind: 'deploy',
      status: 'timeout',
      instance: 'local',
      targetKind: 'marathon',
      workloadId: '/team/svc-1',
      configPath: '/team/svc-1',
      actor: 'user:default/guest',
      startedAt: '2026-11-25T01:00:00.000Z',
      ref: { deploymentId: 'd-1' },
      outcome: {
        result: 'timeout',
        reason: 'Marathon deployment d-1 had not finished after 2 s',
      },
    };
    server.use(
      http.post(`${BASE}/deployments/rel-9/cancel`, () =>
        HttpResponse.json({
          id: 'rel-9',
          kind: 'deploy',
          instance: 'local',
          workloadId: '/team/svc-1',
          ref: { deploymentId: 'd-1' },
          force: false,
          rollbackRef: { deploymentId: 'd-2' },
          status: 'timeout',
          cancelledBy: 'user:default/guest',
        }),
      ),
    );
    await renderArchon(
      <FlowProgress
        run={{
          title: 'Deploy /team/svc-1',
          phase: 'finished',
          flow,
          events: [],
        }}
        onDismiss={() => undefined}
      />,
    );
    await user.click(
      screen.getByRole('button', { name: 'Cancel deploy rel-9' }),
    );
    expect(
      await screen.findByText(
        'Cancelled; Marathon rolls back in deployment d-2',
      ),
    ).toBeInTheDocument();
  });
});
