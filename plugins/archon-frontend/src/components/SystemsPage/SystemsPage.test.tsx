import { screen } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import {
  registerMswTestHooks,
  renderInTestApp,
  TestApiProvider,
} from '@backstage/frontend-test-utils';
import { ArchonApiClient } from '@archon/plugin-archon-common';
import { archonApiRef } from '../../api';
import { SystemsPage } from './SystemsPage';
import {
  configRouteRef,
  marathonRouteRef,
  zookeeperRouteRef,
} from '../../routes';

const client = new ArchonApiClient({
  discoveryApi: { getBaseUrl: async () => 'http://archon.test/api/archon' },
  fetchApi: { fetch: (...args) => fetch(...args) },
});

describe('SystemsPage', () => {
  const server = setupServer();
  registerMswTestHooks(server);

  it('lists each system with its status and version', async () => {
    server.use(
      http.get('http://archon.test/api/archon/health', () =>
        HttpResponse.json({
          status: 'degraded',
          checkedAt: '2026-11-24T00:00:00.000Z',
          systems: [
            {
              kind: 'zookeeper',
              name: 'local',
              status: 'up',
              version: '3.9.5',
              latencyMs: 3,
            },
            {
              kind: 'kafka',
              name: 'local',
              status: 'unreachable',
              error: 'connect ECONNREFUSED',
              latencyMs: 700,
              since: new Date(Date.now() - 4 * 60_000).toISOString(),
            },
          ],
        }),
      ),
    );
    await renderInTestApp(
      <TestApiProvider apis={[[archonApiRef, client]]}>
        <SystemsPage />
      </TestApiProvider>,
    );
    expect(await screen.findByText('3.9.5')).toBeInTheDocument();
    expect(screen.getByText('connect ECONNREFUSED')).toBeInTheDocument();
    expect(screen.getByText('unreachable')).toBeInTheDocument();
    expect(screen.getByText('Systems (degraded)')).toBeInTheDocument();
    // Since when Kafka has been unreachable; ZooKeeper's answer has no since.
    expect(
      screen.getByText(/^since \d\d:\d\d \(for 4 min\)$/),
    ).toBeInTheDocument();
  });

  it('links each system to the pages that manage it, on its own cluster', async () => {
    server.use(
      http.get('http://archon.test/api/archon/health', () =>
        HttpResponse.json({
          status: 'up',
          checkedAt: '2026-11-24T00:00:00.000Z',
          systems: [
            { kind: 'zookeeper', name: 'local', status: 'up', latencyMs: 3 },
            { kind: 'marathon', name: 'local', status: 'up', latencyMs: 4 },
            { kind: 'marathon', name: 'dr', status: 'up', latencyMs: 5 },
          ],
        }),
      ),
    );
    await renderInTestApp(
      <TestApiProvider apis={[[archonApiRef, client]]}>
        <SystemsPage />
      </TestApiProvider>,
      {
        mountedRoutes: {
          '/archon/marathon': marathonRouteRef,
          '/archon/zookeeper': zookeeperRouteRef,
          '/archon/config': configRouteRef,
        },
      },
    );
    await screen.findAllByRole('link', { name: 'Marathon' });
    expect(
      screen
        .getAllByRole('link', { name: 'Marathon' })
        .map(link => link.getAttribute('href')),
    ).toEqual([
      '/archon/marathon?cluster=local',
      '/archon/marathon?cluster=dr',
    ]);
    expect(screen.getByRole('link', { name: 'ZooKeeper' })).toHaveAttribute(
      'href',
      '/archon/zookeeper?cluster=local',
    );
    expect(screen.getByRole('link', { name: 'Configuration' })).toHaveAttribute(
      'href',
      '/archon/config',
    );
  });

  it('shows the error when archon cannot be reached', async () => {
    server.use(
      http.get('http://archon.test/api/archon/health', () =>
        HttpResponse.json(
          { error: { name: 'Error', message: 'boom' } },
          { status: 500 },
        ),
      ),
    );
    await renderInTestApp(
      <TestApiProvider apis={[[archonApiRef, client]]}>
        <SystemsPage />
      </TestApiProvider>,
    );
    expect(
      await screen.findByText(
        'Error: archon answered 500 Internal Server Error',
        { selector: 'h6' },
      ),
    ).toBeInTheDocument();
  });
});
