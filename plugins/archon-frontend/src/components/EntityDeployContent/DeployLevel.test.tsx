import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { registerMswTestHooks } from '@backstage/frontend-test-utils';
import { BASE, renderArchon, sseResponse } from '../../__testUtils__';
import { DeployLevel } from './DeployLevel';

const PATH = '/team/new-app';

const flow = (status: string) => ({
  id: 'rel-1',
  kind: 'deploy',
  status,
  instance: 'other',
  targetKind: 'marathon',
  workloadId: PATH,
  configPath: PATH,
  actor: 'user:default/guest',
  startedAt: '2026-11-25T01:00:00.000Z',
  releaseId: 'rel-1',
  progress: [],
  ...(status === 'succeeded' ? { outcome: { result: 'succeeded' } } : {}),
});

describe('DeployLevel (Configuration page "Deploy…")', () => {
  const server = setupServer();
  registerMswTestHooks(server);

  it('picks a target, shows the dry-run diff, deploys and follows the progress', async () => {
    const user = userEvent.setup({ delay: null });
    const posted: Array<{ instance?: string; dryRun?: boolean }> = [];
    server.use(
      http.get(`${BASE}/deploy-targets`, () =>
        HttpResponse.json({
          items: [
            { name: 'local', kind: 'marathon' },
            { name: 'other', kind: 'marathon' },
          ],
        }),
      ),
      http.post(`${BASE}/deployments`, async ({ request }) => {
        const body = (await request.json()) as {
          instance?: string;
          dryRun?: boolean;
        };
        posted.push(body);
        if (body.dryRun)
          return HttpResponse.json({
            dryRun: true,
            instance: body.instance,
            targetKind: 'marathon',
            configPath: PATH,
            workloadId: PATH,
            definition: {},
            exists: false,
            changes: [{ field: 'instances', change: 'added', after: 1 }],
          });
        return HttpResponse.json(flow('running'), { status: 202 });
      }),
      http.get(`${BASE}/deployments/rel-1/events`, () =>
        sseResponse([
          {
            event: 'progress',
            data: {
              seq: 1,
              at: '2026-11-25T01:00:01.000Z',
              type: 'info',
              message: 'Marathon deployment d-1 succeeded',
            },
          },
          { event: 'result', data: flow('succeeded') },
        ]),
      ),
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
