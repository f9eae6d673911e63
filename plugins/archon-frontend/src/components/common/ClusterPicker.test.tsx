import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { registerMswTestHooks } from '@backstage/frontend-test-utils';
import { useAppLocation } from '@backstage/frontend-plugin-api';
import type { ReactElement } from 'react';
import { BASE, healthHandler, renderArchon } from '../../__testUtils__';
import { ConnectPage } from '../ConnectPage';
import { KafkaPage } from '../KafkaPage';
import { MarathonPage } from '../MarathonPage';
import { ZooKeeperPage } from '../ZooKeeperPage';

/** The page's query string, as a reload or a copied link would keep it. */
const Where = () => (
  <output data-testid="where">{useAppLocation().search}</output>
);
const where = () =>
  new URLSearchParams(screen.getByTestId('where').textContent!);

const render = (page: ReactElement, url: string) =>
  renderArchon(
    <>
      {page}
      <Where />
    </>,
    { initialRouteEntries: [url] },
  );

/** Picks `name` in the page's cluster picker. */
async function pick(label: RegExp, name: string) {
  const user = userEvent.setup({ delay: null });
  await user.click(await screen.findByRole('button', { name: label }));
  await user.click(await screen.findByRole('option', { name }));
}

/** Every request's path, to see which cluster a page reads. */
function recordRequests() {
  const paths: string[] = [];
  const listener = ({ request }: { request: Request }) => {
    paths.push(new URL(request.url).pathname.replace('/api/archon', ''));
  };
  return { paths, listener };
}

describe('the cluster picker of each page', () => {
  const server = setupServer();
  registerMswTestHooks(server);
  const two = { items: [{ name: 'local' }, { name: 'dr' }] };

  it('Kafka: one cluster at a time, from ?cluster= and kept there when switched', async () => {
    const seen = recordRequests();
    server.events.on('request:start', seen.listener);
    server.use(
      healthHandler(),
      http.get(`${BASE}/kafka`, () => HttpResponse.json(two)),
      http.get(`${BASE}/kafka/:cluster/topics`, () =>
        HttpResponse.json({ items: [], total: 0 }),
      ),
    );
    await render(<KafkaPage />, '/?cluster=dr&tab=topics');
    await waitFor(() => expect(seen.paths).toContain('/kafka/dr/topics'));
    expect(seen.paths).not.toContain('/kafka/local/topics');

    await pick(/Kafka cluster/, 'local');
    await waitFor(() => expect(seen.paths).toContain('/kafka/local/topics'));
    expect(where().get('cluster')).toBe('local');
    expect(where().get('tab')).toBe('topics');
  });

  it('Connect: all clusters by default with a cluster column, or the picked one', async () => {
    const connector = (name: string) => ({
      name,
      type: 'sink',
      state: 'RUNNING',
      tasks: [],
      failedTasks: 0,
      config: {},
    });
    server.use(
      healthHandler(),
      http.get(`${BASE}/connect`, () => HttpResponse.json(two)),
      http.get(`${BASE}/connect/local/connectors`, () =>
        HttpResponse.json({ items: [connector('on-local')], total: 1 }),
      ),
      http.get(`${BASE}/connect/dr/connectors`, () =>
        HttpResponse.json({ items: [connector('on-dr')], total: 1 }),
      ),
    );
    await render(<ConnectPage />, '/');
    expect(await screen.findByText('Connectors (2)')).toBeInTheDocument();
    expect(screen.getByText('on-local')).toBeInTheDocument();
    expect(screen.getByText('on-dr')).toBeInTheDocument();
    expect(
      screen.getAllByTestId('connector-cluster').map(e => e.textContent),
    ).toEqual(expect.arrayContaining(['on local', 'on dr']));

    await pick(/Connect cluster/, 'dr');
    expect(await screen.findByText('Connectors (1)')).toBeInTheDocument();
    expect(screen.getByText('on-dr')).toBeInTheDocument();
    expect(screen.queryByText('on-local')).toBeNull();
    expect(screen.queryByTestId('connector-cluster')).toBeNull();
    expect(where().get('cluster')).toBe('dr');
  });

  it('ZooKeeper: an older ?ensemble= link still picks; switching starts at the root', async () => {
    const seen = recordRequests();
    server.events.on('request:start', seen.listener);
    server.use(
      healthHandler([
        { kind: 'zookeeper', name: 'local', status: 'up', latencyMs: 1 },
        { kind: 'zookeeper', name: 'dr', status: 'up', latencyMs: 1 },
      ]),
      http.get(`${BASE}/zookeeper/:ensemble/*`, () =>
        HttpResponse.json(
          { error: { name: 'NotFoundError', message: 'no such znode' } },
          { status: 404 },
        ),
      ),
    );
    await render(<ZooKeeperPage />, '/?ensemble=dr&path=/apps');
    await waitFor(() =>
      expect(seen.paths).toContain('/zookeeper/dr/znodes/%2Fapps'),
    );

    await pick(/ZooKeeper ensemble/, 'local');
    await waitFor(() =>
      expect(seen.paths).toContain('/zookeeper/local/znodes/%2F'),
    );
    expect(where().get('cluster')).toBe('local');
    expect(where().get('ensemble')).toBeNull();
    expect(where().get('path')).toBeNull();
  });

  it('Marathon: the first instance by default, every instance with "All instances"', async () => {
    const app = (id: string) => ({
      id,
      status: 'running',
      instances: 1,
      staged: 0,
      running: 1,
      healthy: 0,
      unhealthy: 0,
      deployments: [],
    });
    server.use(
      healthHandler(),
      http.get(`${BASE}/marathon`, () => HttpResponse.json(two)),
      http.get(`${BASE}/marathon/local/apps`, () =>
        HttpResponse.json({ items: [app('/on-local')] }),
      ),
      http.get(`${BASE}/marathon/dr/apps`, () =>
        HttpResponse.json({ items: [app('/on-dr')] }),
      ),
      http.get(`${BASE}/marathon/:instance/deployments`, () =>
        HttpResponse.json({ items: [] }),
      ),
      http.get(`${BASE}/marathon/:instance/queue`, () =>
        HttpResponse.json({ items: [] }),
      ),
    );
    await render(<MarathonPage />, '/');
    expect(await screen.findByText('Apps on local')).toBeInTheDocument();
    expect(screen.queryByText('Apps on dr')).toBeNull();

    await pick(/Marathon instance/, 'All instances');
    expect(await screen.findByText('Apps on dr')).toBeInTheDocument();
    expect(screen.getByText('Apps on local')).toBeInTheDocument();
    expect(await screen.findByText('/on-dr')).toBeInTheDocument();
    expect(await screen.findByText('/on-local')).toBeInTheDocument();
    expect(where().get('cluster')).toBe('all');

    await pick(/Marathon instance/, 'dr');
    await waitFor(() => expect(screen.queryByText('Apps on local')).toBeNull());
    expect(screen.getByText('Apps on dr')).toBeInTheDocument();
    expect(where().get('cluster')).toBe('dr');
  });
});
