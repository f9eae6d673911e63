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

const flow = (kind: string, reason: string): DeployFlow => ({
  id: `op-${kind}`,
  kind: kind as DeployFlow['kind'],
  status: 'succeeded',
  instance: 'local',
  targetKind: 'marathon',
  workloadId: '/team/svc-1',
  configPath: '/team/svc-1',
  actor: 'user:default/guest',
  startedAt: '2026-12-04T23:00:00.000Z',
  finishedAt: '2026-12-04T23:00:02.000Z',
  outcome: { result: 'succeeded', reason },
});

describe('MarathonPage: row actions', () => {
  const server = setupServer();
  registerMswTestHooks(server);

  it('scales, restarts, suspends and destroys an app archon deployed through archon, re-reading the list after each', async () => {
    const user = userEvent.setup({ delay: null });
    let destroyed = false;
    let instances = 1;
    let reads = 0;
    const sent: Array<{ op: string; body: unknown }> = [];
    const operation = (op: string) =>
      http.post(`${BASE}/apps/${op}`, async ({ request }) => {
        const body = (await request.json()) as { instances?: number };
        sent.push({ op, body });
        if (op === 'scale') instances = body.instances!;
        if (op === 'suspend') instances = 0;
        if (op === 'destroy') destroyed = true;
        return HttpResponse.json(flow(op, `${op} done`), { status: 202 });
      });
    server.use(
      healthHandler(),
      http.get(`${BASE}/marathon`, () =>
        HttpResponse.json({ items: [{ name: 'local', url: 'http://m' }] }),
      ),
      http.get(`${BASE}/marathon/local/apps`, () => {
        reads++;
        return HttpResponse.json({
          items: [
            ...(destroyed
              ? []
              : [
                  app('/team/svc-1', {
                    configPath: '/team/svc-1',
                    instances,
                    running: instances,
                  }),
                ]),
            app('/other/manual'),
          ],
        });
      }),
      http.get(`${BASE}/marathon/local/deployments`, () =>
        HttpResponse.json({ items: [] }),
      ),
      http.get(`${BASE}/marathon/local/queue`, () =>
        HttpResponse.json({ items: [] }),
      ),
      operation('scale'),
      operation('restart'),
      operation('suspend'),
      operation('destroy'),
    );
    await renderArchon(<MarathonPage />);
    expect(await screen.findByText('Apps (2)')).toBeInTheDocument();
    const rowOf = (id: string) =>
      screen
        .getAllByRole('row')
        .find(r => within(r).queryAllByText(id, { exact: true }).length > 0)!;
    // archon acts by configuration path: an app it did not deploy says so.
    expect(
      within(rowOf('/other/manual')).queryByRole('button', {
        name: 'Actions for /other/manual',
      }),
    ).not.toBeInTheDocument();
    expect(rowOf('/other/manual')).toHaveTextContent('not deployed by archon');

    const choose = async (item: string) => {
      await user.click(
        within(rowOf('/team/svc-1')).getByRole('button', {
          name: 'Actions for /team/svc-1',
        }),
      );
      await user.click(
        await screen.findByRole('menuitem', { name: new RegExp(item) }),
      );
      return screen.findByRole('dialog');
    };

    // Scale: the dialog asks for the count, starting from what runs.
    let dialog = await choose('Scale');
    expect(dialog).toHaveTextContent('Scale /team/svc-1?');
    const count = within(dialog).getByLabelText('Instances');
    expect(count).toHaveValue(1);
    await user.clear(count);
    expect(
      within(dialog).getByRole('button', { name: 'Scale' }),
    ).toBeDisabled();
    await user.type(count, '3');
    let before = reads;
    await user.click(within(dialog).getByRole('button', { name: 'Scale' }));
    expect(
      await screen.findByText('Scale /team/svc-1 to 3 instances'),
    ).toBeInTheDocument();
    await waitFor(() => expect(reads).toBeGreaterThan(before));
    await waitFor(() =>
      expect(rowOf('/team/svc-1')).toHaveTextContent('3 / 0 / 3'),
    );

    dialog = await choose('Restart');
    expect(dialog).toHaveTextContent('Replaces its 3 task(s) one by one');
    before = reads;
    await user.click(within(dialog).getByRole('button', { name: 'Restart' }));
    expect(await screen.findByText('Restart /team/svc-1')).toBeInTheDocument();
    // The list is read again after the restart; the next menu opens on the re-read rows.
    await waitFor(() => expect(reads).toBeGreaterThan(before));

    dialog = await choose('Suspend');
    before = reads;
    await user.click(within(dialog).getByRole('button', { name: 'Suspend' }));
    await waitFor(() => expect(reads).toBeGreaterThan(before));
    await waitFor(() =>
      expect(rowOf('/team/svc-1')).toHaveTextContent('0 / 0 / 0'),
    );
    // Nothing left to suspend.
    await user.click(
      within(rowOf('/team/svc-1')).getByRole('button', {
        name: 'Actions for /team/svc-1',
      }),
    );
    expect(
      await screen.findByRole('menuitem', { name: /Suspend/ }),
    ).toHaveAttribute('aria-disabled', 'true');
    expect(screen.getByRole('menuitem', { name: /Suspend/ })).toHaveTextContent(
      'Already at 0 instances',
    );
    await user.keyboard('{Escape}');
    await waitFor(() =>
      expect(screen.queryByRole('menu')).not.toBeInTheDocument(),
    );

    // Destroy: the Deploy tab's typed-name confirmation.
    dialog = await choose('Destroy');
    expect(dialog).toHaveTextContent('Destroy /team/svc-1 on local?');
    const confirm = within(dialog).getByRole('button', { name: 'Destroy' });
    expect(confirm).toBeDisabled();
    await user.type(
      within(dialog).getByLabelText('Type /team/svc-1 to confirm'),
      '/team/svc-1',
    );
    await user.click(confirm);
    expect(await screen.findByText('Apps (1)')).toBeInTheDocument();

    const body = { configPath: '/team/svc-1', instance: 'local' };
    expect(sent).toEqual([
      { op: 'scale', body: { ...body, instances: 3 } },
      { op: 'restart', body },
      { op: 'suspend', body },
      { op: 'destroy', body: { ...body, confirm: '/team/svc-1' } },
    ]);
  }, 90_000);
});
