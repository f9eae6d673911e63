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
    await renderArchon(<MarathonPage />, {
      initialRouteEntries: ['/?group=/team'],
    });
    expect(await screen.findByText('Apps (2)')).toBeInTheDocument();
    const rowOf = (id: string) =>
      screen
        .getAllByRole('row')
        .find(r => within(r).queryAllByText(id, { exact: true }).length > 0)!;

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
  }, 180_000);

  it('scales, restarts, suspends and destroys an app archon did not deploy by its Marathon id, following the deployment Marathon started', async () => {
    const user = userEvent.setup({ delay: null });
    let instances = 1;
    let destroyed = false;
    let inFlight: string[] = [];
    const sent: Array<{ op: string; appId: string; body: unknown }> = [];
    const operation = (op: string) =>
      http.post(
        `${BASE}/marathon/local/apps/:appId/${op}`,
        async ({ request, params }) => {
          const body = (await request.json()) as { instances?: number };
          sent.push({ op, appId: String(params.appId), body });
          if (op === 'scale') instances = body.instances!;
          if (op === 'suspend') instances = 0;
          if (op === 'destroy') destroyed = true;
          const deploymentId = `d-${op}`;
          inFlight = [deploymentId];
          return HttpResponse.json(
            {
              instance: 'local',
              appId: '/other/manual',
              action: op,
              deploymentId,
              version: '2026-12-05T10:00:00.000Z',
            },
            { status: 202 },
          );
        },
      );
    server.use(
      healthHandler(),
      http.get(`${BASE}/marathon`, () =>
        HttpResponse.json({ items: [{ name: 'local', url: 'http://m' }] }),
      ),
      http.get(`${BASE}/marathon/local/apps`, () =>
        HttpResponse.json({
          items: destroyed
            ? []
            : [app('/other/manual', { instances, running: instances })],
        }),
      ),
      // Marathon lists the deployment once; the next read finds it done.
      http.get(`${BASE}/marathon/local/deployments`, () => {
        const items = inFlight.map(id => ({
          id,
          affectedApps: ['/other/manual'],
        }));
        inFlight = [];
        return HttpResponse.json({ items });
      }),
      http.get(`${BASE}/marathon/local/queue`, () =>
        HttpResponse.json({ items: [] }),
      ),
      operation('scale'),
      operation('restart'),
      operation('suspend'),
      operation('destroy'),
    );
    await renderArchon(<MarathonPage />, {
      initialRouteEntries: ['/?group=/other'],
    });
    const rowOf = (id: string) =>
      screen
        .getAllByRole('row')
        .find(r => within(r).queryAllByText(id, { exact: true }).length > 0)!;
    const choose = async (item: string) => {
      await user.click(
        await screen.findByRole('button', {
          name: 'Actions for /other/manual',
        }),
      );
      await user.click(
        await screen.findByRole('menuitem', { name: new RegExp(item) }),
      );
      return screen.findByRole('dialog');
    };
    const ended = (title: string, op: string) =>
      screen.findByText(
        `${title}: Marathon's deployment d-${op} is no longer in progress.`,
      );

    let dialog = await choose('Scale');
    await user.clear(within(dialog).getByLabelText('Instances'));
    await user.type(within(dialog).getByLabelText('Instances'), '2');
    await user.click(within(dialog).getByRole('button', { name: 'Scale' }));
    expect(
      await ended('Scale /other/manual to 2 instances', 'scale'),
    ).toBeInTheDocument();
    await waitFor(() =>
      expect(rowOf('/other/manual')).toHaveTextContent('2 / 0 / 2'),
    );

    dialog = await choose('Restart');
    await user.click(within(dialog).getByRole('button', { name: 'Restart' }));
    expect(await ended('Restart /other/manual', 'restart')).toBeInTheDocument();

    dialog = await choose('Suspend');
    await user.click(within(dialog).getByRole('button', { name: 'Suspend' }));
    expect(await ended('Suspend /other/manual', 'suspend')).toBeInTheDocument();

    // Destroy: the app id is typed; there is no release to bring it back.
    dialog = await choose('Destroy');
    expect(dialog).toHaveTextContent('archon has no release to bring it back');
    await user.type(
      within(dialog).getByLabelText('Type /other/manual to confirm'),
      '/other/manual',
    );
    await user.click(within(dialog).getByRole('button', { name: 'Destroy' }));
    expect(await ended('Destroy /other/manual', 'destroy')).toBeInTheDocument();
    expect(
      await screen.findByText('No apps run on local.'),
    ).toBeInTheDocument();

    expect(sent).toEqual([
      { op: 'scale', appId: 'other/manual', body: { instances: 2 } },
      { op: 'restart', appId: 'other/manual', body: {} },
      { op: 'suspend', appId: 'other/manual', body: {} },
      {
        op: 'destroy',
        appId: 'other/manual',
        body: { confirm: '/other/manual' },
      },
    ]);
  }, 180_000);
});
