import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { registerMswTestHooks } from '@backstage/frontend-test-utils';
import type { DeployFlow } from '@archon/plugin-archon-common';
import { BASE, healthHandler, renderArchon } from '../../__testUtils__';
import { MarathonPage } from './MarathonPage';

const app = (id: string, extra: object = {}) => ({
  id,
  status: 'healthy',
  instances: 1,
  staged: 0,
  running: 1,
  healthy: 1,
  unhealthy: 0,
  deployments: [],
  ...extra,
});

describe('MarathonPage: destroy', () => {
  const server = setupServer();
  registerMswTestHooks(server);

  it('destroys an app archon deployed after its configuration path is typed, then re-reads the list', async () => {
    const user = userEvent.setup({ delay: null });
    let destroyed = false;
    const sent: unknown[] = [];
    server.use(
      healthHandler(),
      http.get(`${BASE}/marathon`, () =>
        HttpResponse.json({ items: [{ name: 'local', url: 'http://m' }] }),
      ),
      http.get(`${BASE}/marathon/local/apps`, () =>
        HttpResponse.json({
          items: [
            ...(destroyed
              ? []
              : [app('/team/svc-1', { configPath: '/team/svc-1' })]),
            app('/other/manual'),
          ],
        }),
      ),
      http.get(`${BASE}/marathon/local/deployments`, () =>
        HttpResponse.json({ items: [] }),
      ),
      http.get(`${BASE}/marathon/local/queue`, () =>
        HttpResponse.json({ items: [] }),
      ),
      http.post(`${BASE}/apps/destroy`, async ({ request }) => {
        sent.push(await request.json());
        destroyed = true;
        const flow: DeployFlow = {
          id: 'op-7',
          kind: 'destroy',
          status: 'succeeded',
          instance: 'local',
          targetKind: 'marathon',
          workloadId: '/team/svc-1',
          configPath: '/team/svc-1',
          actor: 'user:default/guest',
          startedAt: '2026-12-04T23:00:00.000Z',
          finishedAt: '2026-12-04T23:00:02.000Z',
          outcome: { result: 'succeeded', reason: 'destroyed /team/svc-1' },
        };
        return HttpResponse.json(flow, { status: 202 });
      }),
    );
    await renderArchon(<MarathonPage />);
    expect(await screen.findByText('Apps (2)')).toBeInTheDocument();
    const rowOf = (id: string) =>
      screen
        .getAllByRole('row')
        .find(r => within(r).queryAllByText(id, { exact: true }).length > 0)!;
    // Destroy goes by configuration path: an app archon did not deploy has none.
    expect(
      within(rowOf('/other/manual')).queryByRole('button', {
        name: 'Destroy…',
      }),
    ).not.toBeInTheDocument();
    expect(rowOf('/other/manual')).toHaveTextContent('not deployed by archon');

    await user.click(
      within(rowOf('/team/svc-1')).getByRole('button', { name: 'Destroy…' }),
    );
    const dialog = await screen.findByRole('dialog');
    expect(dialog).toHaveTextContent('Destroy /team/svc-1 on local?');
    const confirm = within(dialog).getByRole('button', { name: 'Destroy' });
    expect(confirm).toBeDisabled();
    const typed = within(dialog).getByLabelText('Type /team/svc-1 to confirm');
    await user.type(typed, '/team/svc');
    expect(confirm).toBeDisabled();
    await user.type(typed, '-1');
    await user.click(confirm);

    await waitFor(() =>
      expect(sent).toEqual([
        {
          configPath: '/team/svc-1',
          instance: 'local',
          confirm: '/team/svc-1',
        },
      ]),
    );
    expect(await screen.findByText('Apps (1)')).toBeInTheDocument();
    expect(screen.getByText(/Destroy \/team\/svc-1/)).toBeInTheDocument();
  }, 90_000);
});
