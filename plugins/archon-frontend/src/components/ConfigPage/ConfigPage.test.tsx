import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { registerMswTestHooks } from '@backstage/frontend-test-utils';
import {
  BASE,
  configPathParam,
  healthHandler,
  renderArchon,
} from '../../__testUtils__';
import { ConfigPage } from './ConfigPage';

const node = (path: string, extra: object = {}) => ({
  path,
  hasSet: true,
  version: 0,
  keyCount: 1,
  childCount: 0,
  ...extra,
});

describe('ConfigPage', () => {
  const server = setupServer();
  registerMswTestHooks(server);

  function serveTree(prefixes: string[]) {
    server.use(
      http.get(`${BASE}/config/tree`, ({ request }) => {
        const url = new URL(request.url);
        const prefix = url.searchParams.get('prefix') ?? '/';
        prefixes.push(`${prefix}@${url.searchParams.get('depth')}`);
        const tree: Record<string, object> = {
          '/': {
            ...node('/', { hasSet: false, childCount: 2 }),
            children: [
              node('/team', { childCount: 1, keyCount: 2 }),
              node('/solo'),
            ],
          },
          '/team': {
            ...node('/team', { childCount: 1 }),
            children: [node('/team/app', { hasSet: false, keyCount: 0 })],
          },
        };
        return HttpResponse.json(tree[prefix]);
      }),
      http.get(`${BASE}/config/sets/:configPath`, ({ params }) =>
        HttpResponse.json({
          path: configPathParam(params),
          properties: { key1: `value of ${configPathParam(params)}` },
          version: 3,
        }),
      ),
    );
  }

  it('loads the tree lazily, one level per expansion, and opens the selected level', async () => {
    const user = userEvent.setup({ delay: null });
    const prefixes: string[] = [];
    server.use(healthHandler());
    serveTree(prefixes);
    await renderArchon(<ConfigPage />);

    expect(await screen.findByText('Select a level')).toBeInTheDocument();
    expect(await screen.findByText('team')).toBeInTheDocument();
    expect(screen.getByText('2 keys')).toBeInTheDocument();
    expect(prefixes).toEqual(['/@1']);

    await user.click(screen.getByText('team'));
    expect(await screen.findByText('app')).toBeInTheDocument();
    expect(screen.getByText('no set')).toBeInTheDocument();
    expect(prefixes).toEqual(['/@1', '/team@1']);

    // Selecting the level opens its set.
    expect(await screen.findByLabelText('Value of key1')).toHaveValue(
      'value of /team',
    );
    expect(screen.getByRole('heading', { name: '/team' })).toBeInTheDocument();
  });

  it('opens a typed path, which may not exist yet', async () => {
    const user = userEvent.setup({ delay: null });
    server.use(healthHandler());
    serveTree([]);
    await renderArchon(<ConfigPage />);
    await user.type(await screen.findByLabelText('Level path'), 'new/level');
    await user.click(screen.getByRole('button', { name: 'Open' }));
    expect(
      await screen.findByRole('heading', { name: '/new/level' }),
    ).toBeInTheDocument();
  });

  it('opens the level named in ?path=, expanding the levels above it', async () => {
    const prefixes: string[] = [];
    server.use(healthHandler());
    serveTree(prefixes);
    await renderArchon(<ConfigPage />, {
      initialRouteEntries: ['/?path=/team/app'],
    });
    expect(
      await screen.findByRole('heading', { name: '/team/app' }),
    ).toBeInTheDocument();
    expect(await screen.findByText('app')).toBeInTheDocument();
    await waitFor(() =>
      expect(prefixes).toEqual(expect.arrayContaining(['/@1', '/team@1'])),
    );
  });

  it('names ZooKeeper when it is unreachable and still renders the page', async () => {
    server.use(
      healthHandler([
        {
          kind: 'zookeeper',
          name: 'local',
          status: 'unreachable',
          error: 'connect ECONNREFUSED 127.0.0.1:2181',
          latencyMs: 3,
        },
      ]),
      http.get(`${BASE}/config/tree`, () =>
        HttpResponse.json(
          {
            error: {
              name: 'ServiceUnavailableError',
              message: 'ZooKeeper ensemble "local" is not connected',
            },
            response: { statusCode: 503 },
          },
          { status: 503 },
        ),
      ),
    );
    await renderArchon(<ConfigPage />);
    expect(
      await screen.findByText(/ZooKeeper "local" is unreachable/),
    ).toBeInTheDocument();
    expect(
      screen.getByText(/connect ECONNREFUSED 127.0.0.1:2181/),
    ).toBeInTheDocument();
    expect(
      (
        await screen.findAllByText(
          /ZooKeeper ensemble "local" is not connected/,
        )
      ).length,
    ).toBeGreaterThan(0);
    expect(screen.getByRole('button', { name: 'Retry' })).toBeInTheDocument();
    expect(screen.getByLabelText('Level path')).toBeInTheDocument();
  });
});
