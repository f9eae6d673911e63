import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { registerMswTestHooks } from '@backstage/frontend-test-utils';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import type { DeployFlow, Release } from '@archon/plugin-archon-common';
import {
  BASE,
  appEntity,
  errorBody,
  healthHandler,
  renderArchon,
  sseResponse,
  confirmWith,
} from '../../__testUtils__';
import { EntityDeployContent } from './EntityDeployContent';

const PATH = '/team/svc-1';
const annotations = {
  'archon.io/config-path': PATH,
  'archon.io/marathon-instance': 'local',
  'archon.io/marathon-app-id': PATH,
};

const release = (
  id: string,
  createdAt: string,
  status = 'deployed',
): Release => ({
  id,
  ensemble: 'local',
  path: PATH,
  target: { kind: 'marathon', instance: 'local' },
  createdBy: 'user:default/guest',
  createdAt,
  properties: {},
  provenance: {},
  versions: {},
  status: status as Release['status'],
  updatedAt: createdAt,
});

const flow = (
  status: DeployFlow['status'],
  extra: Partial<DeployFlow> = {},
): DeployFlow => ({
  id: 'rel-3',
  kind: 'deploy',
  status,
  instance: 'local',
  targetKind: 'marathon',
  workloadId: PATH,
  configPath: PATH,
  actor: 'user:default/guest',
  startedAt: '2026-11-25T01:00:00.000Z',
  releaseId: 'rel-3',
  ...extra,
});

const status = (releaseId: string) => ({
  instance: 'local',
  id: PATH,
  exists: true,
  state: 'healthy',
  instances: 2,
  staged: 0,
  running: 2,
  healthy: 2,
  unhealthy: 0,
  releaseId,
  deployments: [],
});

const plan = {
  dryRun: true,
  instance: 'local',
  targetKind: 'marathon',
  configPath: PATH,
  workloadId: PATH,
  definition: { id: PATH },
  exists: true,
  changes: [
    { field: 'env.GREETING', change: 'changed', before: 'hi', after: 'hello' },
  ],
  pending: {
    added: [],
    removed: [],
    changed: [{ key: 'greeting', from: 'hi', to: 'hello' }],
  },
  latestRelease: 'rel-2',
};

const render = (permissions: 'allow' | 'deny' = 'allow', path = PATH) =>
  renderArchon(
    <EntityProvider
      entity={appEntity({ ...annotations, 'archon.io/config-path': path })}
    >
      <EntityDeployContent />
    </EntityProvider>,
    { permissions },
  );

describe('EntityDeployContent', () => {
  const server = setupServer();
  registerMswTestHooks(server);

  it('previews, deploys with live progress to success and lists the new release', async () => {
    const user = userEvent.setup({ delay: null });
    let releases = [
      release('rel-2', '2026-11-24T10:00:00.000Z'),
      release('rel-1', '2026-11-23T10:00:00.000Z'),
    ];
    let current = 'rel-2';
    const posted: unknown[] = [];
    server.use(
      healthHandler(),
      http.get(`${BASE}/apps/status`, () => HttpResponse.json(status(current))),
      http.get(`${BASE}/releases`, ({ request }) => {
        expect(new URL(request.url).searchParams.get('path')).toBe(PATH);
        return HttpResponse.json({ items: releases });
      }),
      http.post(`${BASE}/deployments`, async ({ request }) => {
        const body = (await request.json()) as { dryRun?: boolean };
        posted.push(body);
        if (body.dryRun) return HttpResponse.json(plan);
        return HttpResponse.json(flow('running', { progress: [] }), {
          status: 202,
        });
      }),
      http.get(`${BASE}/deployments/rel-3/events`, () => {
        releases = [release('rel-3', '2026-11-25T01:00:00.000Z'), ...releases];
        current = 'rel-3';
        return sseResponse([
          {
            event: 'progress',
            data: {
              seq: 1,
              at: '2026-11-25T01:00:01.000Z',
              type: 'step',
              message: 'Marathon deployment d-1 started',
            },
          },
          {
            event: 'progress',
            data: {
              seq: 2,
              at: '2026-11-25T01:00:02.000Z',
              type: 'task',
              message: 'task t-1 running',
            },
          },
          {
            event: 'result',
            data: flow('succeeded', { outcome: { result: 'succeeded' } }),
          },
        ]);
      }),
    );
    await render();

    expect(
      await screen.findByText(/2 of 2 running, 2 healthy/),
    ).toBeInTheDocument();
    expect(await screen.findByText('2 releases')).toBeInTheDocument();

    await user.click(screen.getByRole('button', { name: 'Preview changes' }));
    const preview = await screen.findByTestId('deploy-plan');
    expect(
      within(preview).getByRole('table', { name: 'Definition changes' }),
    ).toHaveTextContent('env.GREETING');
    expect(
      within(preview).getByRole('table', {
        name: 'Configuration changes since the running release',
      }),
    ).toHaveTextContent('greeting');
    expect(preview).toHaveTextContent('since release rel-2');

    await user.click(screen.getByRole('button', { name: 'Deploy…' }));
    const dialog = await screen.findByRole('dialog', {
      name: `Deploy ${PATH} to local?`,
    });
    await within(dialog).findByTestId('deploy-plan');
    await confirmWith(user, dialog, 'Deploy now');
    await waitFor(() =>
      expect(screen.queryByRole('dialog')).not.toBeInTheDocument(),
    );

    const progress = await screen.findByTestId('flow-progress');
    expect(
      await within(progress).findByText('deploy succeeded (release rel-3)'),
    ).toBeInTheDocument();
    const log = within(progress).getByRole('log', { name: 'Deploy progress' });
    expect(log).toHaveTextContent('Marathon deployment d-1 started');
    expect(log).toHaveTextContent('task t-1 running');
    expect(await screen.findByText('3 releases')).toBeInTheDocument();
    await waitFor(() =>
      expect(screen.getByTestId('app-status')).toHaveTextContent(
        'Release: rel-3',
      ),
    );
    expect(posted).toEqual([
      { configPath: PATH, instance: 'local', dryRun: true },
      { configPath: PATH, instance: 'local', dryRun: true },
      { configPath: PATH, instance: 'local' },
    ]);
  });

  it('shows a failed deploy with its reason, and a refused one with the API error', async () => {
    const user = userEvent.setup({ delay: null });
    let attempt = 0;
    server.use(
      healthHandler(),
      http.get(`${BASE}/apps/status`, () => HttpResponse.json(status('rel-2'))),
      http.get(`${BASE}/releases`, () => HttpResponse.json({ items: [] })),
      http.post(`${BASE}/deployments`, async ({ request }) => {
        const body = (await request.json()) as { dryRun?: boolean };
        if (body.dryRun) return HttpResponse.json(plan);
        attempt += 1;
        if (attempt === 1)
          return HttpResponse.json(flow('running'), { status: 202 });
        return errorBody(
          409,
          'ConflictError',
          'A deploy of /team/svc-1 is already running (rel-3)',
        );
      }),
      http.get(`${BASE}/deployments/rel-3/events`, () =>
        sseResponse([
          {
            event: 'progress',
            data: {
              seq: 1,
              at: '2026-11-25T01:00:01.000Z',
              type: 'warning',
              message: 'task t-1 failed',
            },
          },
          {
            event: 'result',
            data: flow('failed', {
              outcome: { result: 'failed', reason: 'tasks keep failing' },
            }),
          },
        ]),
      ),
    );
    await render();
    expect(await screen.findByText(/never deployed/)).toBeInTheDocument();

    const deploy = async () => {
      await user.click(screen.getByRole('button', { name: 'Deploy…' }));
      const dialog = await screen.findByRole('dialog');
      await within(dialog).findByTestId('deploy-plan');
      await confirmWith(user, dialog, 'Deploy now');
      await waitFor(() =>
        expect(screen.queryByRole('dialog')).not.toBeInTheDocument(),
      );
    };
    await deploy();
    expect(
      await screen.findByText(
        'deploy failed: tasks keep failing (release rel-3)',
      ),
    ).toBeInTheDocument();
    await deploy();
    expect(
      await screen.findByText(
        'Refused: A deploy of /team/svc-1 is already running (rel-3)',
        { exact: false },
      ),
    ).toBeInTheDocument();
  });

  it('compares two releases and rolls back after a preview', async () => {
    const user = userEvent.setup({ delay: null });
    const rollbacks: unknown[] = [];
    let diffAsked: string | undefined;
    server.use(
      healthHandler(),
      http.get(`${BASE}/apps/status`, () => HttpResponse.json(status('rel-2'))),
      http.get(`${BASE}/releases`, () =>
        HttpResponse.json({
          items: [
            release('rel-2', '2026-11-24T10:00:00.000Z'),
            release('rel-1', '2026-11-23T10:00:00.000Z'),
          ],
        }),
      ),
      http.get(`${BASE}/releases/:id/diff`, ({ params, request }) => {
        diffAsked = `${params.id}..${new URL(request.url).searchParams.get(
          'against',
        )}`;
        return HttpResponse.json({
          from: 'rel-1',
          to: 'rel-2',
          diff: {
            added: [{ key: 'color', value: 'blue' }],
            removed: [],
            changed: [],
          },
        });
      }),
      http.post(`${BASE}/deployments/rollback`, async ({ request }) => {
        const body = (await request.json()) as { dryRun?: boolean };
        rollbacks.push(body);
        if (body.dryRun)
          return HttpResponse.json({
            ...plan,
            fromRelease: 'rel-1',
            pending: undefined,
          });
        return HttpResponse.json(
          flow('succeeded', {
            id: 'rel-4',
            kind: 'rollback',
            releaseId: 'rel-4',
            rollbackOf: 'rel-1',
          }),
          {
            status: 202,
          },
        );
      }),
    );
    await render();
    await user.click(await screen.findByRole('button', { name: 'Compare' }));
    expect(
      await screen.findByRole('table', { name: 'Changes from rel-1 to rel-2' }),
    ).toHaveTextContent('color');
    expect(diffAsked).toBe('rel-1..rel-2');

    // rel-2 runs: it is marked live and offers no roll back; rel-1 was superseded.
    expect(screen.getByText('live')).toBeInTheDocument();
    expect(screen.getByText('superseded')).toBeInTheDocument();
    expect(
      screen.queryByRole('button', { name: 'Roll back to rel-2' }),
    ).toBeNull();
    await user.click(
      screen.getByRole('button', { name: 'Roll back to rel-1' }),
    );
    const dialog = await screen.findByRole('dialog', {
      name: `Roll ${PATH} back to rel-1?`,
    });
    expect(
      await within(dialog).findByText(
        'Ships the snapshot of release rel-1 again.',
      ),
    ).toBeInTheDocument();
    await user.click(
      within(dialog).getByRole('button', { name: 'Roll back now' }),
    );
    expect(
      await screen.findByText('rollback succeeded (release rel-4)'),
    ).toBeInTheDocument();
    expect(rollbacks).toEqual([
      { releaseId: 'rel-1', instance: 'local', dryRun: true },
      { releaseId: 'rel-1', instance: 'local' },
    ]);
  });

  it('scales after confirmation, and disables actions the user may not do', async () => {
    const user = userEvent.setup({ delay: null });
    const scaled: unknown[] = [];
    server.use(
      healthHandler(),
      http.get(`${BASE}/apps/status`, () => HttpResponse.json(status('rel-2'))),
      http.get(`${BASE}/releases`, () => HttpResponse.json({ items: [] })),
      http.post(`${BASE}/apps/scale`, async ({ request }) => {
        scaled.push(await request.json());
        return HttpResponse.json(
          flow('succeeded', {
            id: 'op-1',
            kind: 'scale',
            releaseId: undefined,
          }),
          { status: 202 },
        );
      }),
    );
    const { unmount } = await render();
    await screen.findByText(/2 of 2 running/);
    await user.type(screen.getByLabelText('Instances'), '3');
    await user.click(screen.getByRole('button', { name: 'Scale…' }));
    const dialog = await screen.findByRole('dialog', {
      name: `Scale ${PATH} to 3 instances?`,
    });
    await user.click(within(dialog).getByRole('button', { name: 'Scale' }));
    expect(await screen.findByText('scale succeeded')).toBeInTheDocument();
    expect(scaled).toEqual([
      { configPath: PATH, instance: 'local', instances: 3 },
    ]);
    unmount();

    // Another path: usePermission caches decisions per permission and path.
    await render('deny', '/team/locked');
    await screen.findByText(/2 of 2 running/);
    await waitFor(() =>
      expect(screen.getByRole('button', { name: 'Deploy…' })).toBeDisabled(),
    );
    expect(screen.getByRole('button', { name: 'Restart…' })).toBeDisabled();
    expect(
      screen.getByText('You may not deploy /team/locked.'),
    ).toBeInTheDocument();
  });

  it('names a system that is unreachable and explains an entity without configuration path', async () => {
    server.use(
      healthHandler([
        {
          kind: 'marathon',
          name: 'local',
          status: 'unreachable',
          latencyMs: 1,
          error: 'connect ECONNREFUSED',
        },
      ]),
      http.get(`${BASE}/apps/status`, () =>
        errorBody(
          503,
          'ServiceUnavailableError',
          'Marathon "local" does not answer',
        ),
      ),
      http.get(`${BASE}/releases`, () => HttpResponse.json({ items: [] })),
    );
    const { unmount } = await render();
    expect(
      await screen.findByText(/Marathon "local" is unreachable/),
    ).toBeInTheDocument();
    expect(
      (await screen.findAllByText(/Marathon "local" does not answer/)).length,
    ).toBeGreaterThan(0);
    expect(
      screen.getByRole('button', { name: 'Preview changes' }),
    ).toBeEnabled();
    unmount();

    await renderArchon(
      <EntityProvider entity={appEntity({ 'archon.io/marathon-app-id': '/x' })}>
        <EntityDeployContent />
      </EntityProvider>,
    );
    expect(
      await screen.findByText(/Not deployable from archon/),
    ).toBeInTheDocument();
  });
  it('pages older releases from the server with load more', async () => {
    const user = userEvent.setup({ delay: null });
    const asked: string[] = [];
    server.use(
      healthHandler(),
      http.get(`${BASE}/apps/status`, () => HttpResponse.json(status('rel-3'))),
      http.get(`${BASE}/releases`, ({ request }) => {
        const q = new URL(request.url).searchParams;
        asked.push(`limit=${q.get('limit')} cursor=${q.get('cursor')}`);
        if (q.get('cursor') === 'after-rel-2')
          return HttpResponse.json({
            items: [release('rel-1', '2026-11-23T10:00:00.000Z')],
          });
        return HttpResponse.json({
          items: [
            release('rel-3', '2026-11-25T10:00:00.000Z'),
            release('rel-2', '2026-11-24T10:00:00.000Z'),
          ],
          nextCursor: 'after-rel-2',
        });
      }),
    );
    await render();
    expect(await screen.findByText('2+ releases')).toBeInTheDocument();
    expect(
      screen.queryByRole('cell', { name: 'rel-1' }),
    ).not.toBeInTheDocument();

    await user.click(screen.getByRole('button', { name: 'Load more' }));
    expect(await screen.findByText('3 releases')).toBeInTheDocument();
    expect(screen.getByRole('cell', { name: 'rel-1' })).toBeInTheDocument();
    expect(
      screen.queryByRole('button', { name: 'Load more' }),
    ).not.toBeInTheDocument();
    expect(asked).toEqual([
      'limit=50 cursor=null',
      'limit=50 cursor=after-rel-2',
    ]);
  });
});
