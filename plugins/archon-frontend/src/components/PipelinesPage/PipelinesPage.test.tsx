import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { registerMswTestHooks } from '@backstage/frontend-test-utils';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import {
  BASE,
  errorBody,
  healthHandler,
  renderArchon,
} from '../../__testUtils__';
import { PipelinesPage } from './PipelinesPage';
import { edge, node, sampleGraph } from './testGraph';
import { EDGE_COLOR, LAGGING_COLOR } from './statusColors';

const mounted = { '/catalog/:namespace/:kind/:name': entityRouteRef };

describe('PipelinesPage', () => {
  const server = setupServer();
  registerMswTestHooks(server);

  it('draws the nodes coloured by state and marks drifting edges', async () => {
    const requests: URL[] = [];
    server.use(
      healthHandler(),
      http.get(`${BASE}/graph`, ({ request }) => {
        requests.push(new URL(request.url));
        return HttpResponse.json(sampleGraph());
      }),
    );
    await renderArchon(<PipelinesPage />, { mountedRoutes: mounted });

    const enricher = await screen.findByRole('button', {
      name: 'app sample/enricher, failed',
    });
    expect(enricher).toHaveAttribute('data-state', 'failed');
    expect(
      screen.getByRole('button', { name: 'topic sample.raw, healthy' }),
    ).toBeInTheDocument();
    const drifting = document.querySelectorAll('path[data-drift="true"]');
    expect(drifting).toHaveLength(1);
    expect(drifting[0]).toHaveAttribute('stroke-dasharray', '6 4');
    expect(drifting[0].textContent).toBe(
      'sample/enricher produces-to sample.enriched (drift: declared not observed)',
    );
    expect(document.querySelectorAll('path[data-edge]')).toHaveLength(2);
    expect(screen.getByLabelText('Legend')).toHaveTextContent('drift');
    // Structural edges are left out by default; data-flow kinds only.
    const q = requests[0].searchParams;
    expect(q.get('edgeKinds')).not.toContain('runs-on');
    expect(q.get('edgeKinds')).not.toContain('configured-by');
    // Consumer groups repeat their app's topic edges: off until asked for.
    expect(q.get('kinds')).toBe('app,topic,connector');
  });

  it("writes a consumer's time lag on its edge, a lagging one in the error colour", async () => {
    const graph = sampleGraph();
    graph.nodes.push(node('app:local/sample/auditor', 'app'));
    graph.edges[0] = {
      ...graph.edges[0],
      metrics: { timeLagMs: 180_000 },
      lagging: true,
    };
    graph.edges.push(
      edge(
        'topic:local/sample.raw',
        'consumes-from',
        'app:local/sample/auditor',
        {
          metrics: { timeLagMs: 4_000 },
          lagging: false,
        },
      ),
    );
    server.use(
      healthHandler(),
      http.get(`${BASE}/graph`, () => HttpResponse.json(graph)),
    );
    await renderArchon(<PipelinesPage />, { mountedRoutes: mounted });
    await screen.findByRole('button', { name: 'app sample/enricher, failed' });
    const label = (to: string) =>
      document.querySelector(
        `text[data-edge-label="topic:local/sample.raw|consumes-from|${to}"]`,
      )!;
    const path = (to: string) =>
      document.querySelector(
        `path[data-edge="topic:local/sample.raw|consumes-from|${to}"]`,
      )!;
    const enricher = 'app:local/sample/enricher';
    const auditor = 'app:local/sample/auditor';
    expect(label(enricher).firstChild?.textContent).toBe('3 m lag');
    expect(label(auditor).firstChild?.textContent).toBe('4 s lag');
    expect(path(enricher)).toHaveAttribute('data-lagging', 'true');
    expect(path(enricher)).toHaveAttribute('stroke', LAGGING_COLOR);
    expect(label(enricher)).toHaveAttribute('fill', LAGGING_COLOR);
    expect(path(auditor)).not.toHaveAttribute('data-lagging');
    expect(path(auditor)).toHaveAttribute('stroke', EDGE_COLOR);
    expect(path(enricher).textContent).toBe(
      'sample.raw consumes-from sample/enricher (3 m lag, lagging)',
    );
    expect(screen.getByLabelText('Legend')).toHaveTextContent(
      'consumer lagging',
    );
  });

  it('sends search, drift and kind filters to the backend', async () => {
    const user = userEvent.setup({ delay: null });
    const requests: URLSearchParams[] = [];
    server.use(
      healthHandler(),
      http.get(`${BASE}/graph`, ({ request }) => {
        requests.push(new URL(request.url).searchParams);
        return HttpResponse.json(sampleGraph());
      }),
    );
    await renderArchon(<PipelinesPage />, { mountedRoutes: mounted });
    await screen.findByRole('button', { name: /app sample\/enricher/ });

    await user.type(screen.getByLabelText('Search nodes'), 'enrich');
    await waitFor(() =>
      expect(requests.some(r => r.get('q') === 'enrich')).toBe(true),
    );
    await user.click(screen.getByLabelText('Drift only'));
    await waitFor(() =>
      expect(requests.some(r => r.get('drift') === 'true')).toBe(true),
    );
    await user.click(screen.getByRole('button', { name: /Cluster/ }));
    await user.click(await screen.findByRole('option', { name: 'local' }));
    await waitFor(() =>
      expect(requests[requests.length - 1].get('clusters')).toBe('local'),
    );
    await user.click(screen.getByLabelText('Consumer groups'));
    await waitFor(() =>
      expect(requests[requests.length - 1].get('kinds')).toBe(
        'app,topic,connector,consumer-group',
      ),
    );
    await user.click(
      screen.getByLabelText('Show structural edges (runs-on, configured-by)'),
    );
    await waitFor(() =>
      expect(requests[requests.length - 1].get('edgeKinds')).toBeNull(),
    );
  });

  it('starts with the largest pipeline, readable, the rest one click away', async () => {
    const user = userEvent.setup({ delay: null });
    const graph = sampleGraph();
    graph.nodes.push(
      node('topic:local/__consumer_offsets', 'topic'),
      node('topic:local/stray', 'topic'),
      node('topic:local/other.in', 'topic'),
      node('app:local/other', 'app'),
    );
    graph.edges.push(
      edge('topic:local/other.in', 'consumes-from', 'app:local/other'),
    );
    server.use(
      healthHandler(),
      http.get(`${BASE}/graph`, () => HttpResponse.json(graph)),
    );
    await renderArchon(<PipelinesPage />, { mountedRoutes: mounted });
    const summary = await screen.findByRole('status', {
      name: 'Diagram contents',
    });
    expect(summary).toHaveTextContent(
      '3 nodes, 2 edges · the largest pipeline; 1 other pipeline not shown · 2 infrastructure or unconnected nodes hidden',
    );
    expect(screen.queryByRole('button', { name: /topic stray/ })).toBeNull();
    // Names are drawn at a size that reads (13 px at zoom 1 here).
    const names = () =>
      [...document.querySelectorAll('g[data-node-id] text')].map(
        t => t.textContent,
      );
    expect(names()).toEqual(
      expect.arrayContaining(['sample.raw', 'sample/enricher']),
    );

    await user.click(
      screen.getByRole('button', { name: 'Show all pipelines' }),
    );
    expect(
      await screen.findByRole('button', { name: 'app other, healthy' }),
    ).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Show hidden nodes' }));
    expect(
      await screen.findByRole('button', { name: 'topic stray, healthy' }),
    ).toBeInTheDocument();

    // Zoomed out below a readable size, labels go rather than shrink.
    for (let i = 0; i < 4; i++) {
      await user.click(screen.getByRole('button', { name: 'Zoom out' }));
    }
    await waitFor(() => expect(names()).toEqual([]));
  });

  it('collapses apps into groups when the pipeline is large', async () => {
    const requests: URLSearchParams[] = [];
    const big = sampleGraph();
    // One pipeline of 321 nodes: 320 topics read by one app.
    big.nodes = [
      big.nodes[1],
      ...Array.from({ length: 320 }, (_, i) => ({
        ...big.nodes[0],
        id: `topic:local/t${i}`,
        name: `t${i}`,
      })),
    ];
    big.edges = big.nodes.slice(1).map(n => ({
      from: n.id,
      kind: 'consumes-from' as const,
      to: big.nodes[0].id,
      contributors: ['test'],
    }));
    server.use(
      healthHandler(),
      http.get(`${BASE}/graph`, ({ request }) => {
        const params = new URL(request.url).searchParams;
        requests.push(params);
        return HttpResponse.json(params.get('collapse') ? sampleGraph() : big);
      }),
    );
    await renderArchon(<PipelinesPage />, { mountedRoutes: mounted });
    expect(await screen.findByText(/collapsed by group/)).toBeInTheDocument();
    expect(requests.map(r => r.get('collapse'))).toEqual([null, 'group']);
  });

  it('opens the details of a clicked node with its evidence and catalog link', async () => {
    const user = userEvent.setup({ delay: null });
    const graph = sampleGraph();
    // A group's per-topic time lag (here on the app node, to be shown).
    graph.nodes[1].attributes = {
      timeLagByTopic: { 'sample.raw': { ms: 180_000, lagging: true } },
    };
    server.use(
      healthHandler(),
      http.get(`${BASE}/graph`, () => HttpResponse.json(graph)),
      http.get(`${BASE}/graph/nodes/:nodeId`, ({ params }) => {
        const id = decodeURIComponent(String(params.nodeId));
        return HttpResponse.json({
          node: graph.nodes.find(n => n.id === id),
          edges: graph.edges.filter(e => e.from === id || e.to === id),
        });
      }),
    );
    await renderArchon(<PipelinesPage />, { mountedRoutes: mounted });
    await user.click(
      await screen.findByRole('button', {
        name: 'app sample/enricher, failed',
      }),
    );
    const panel = await screen.findByRole('region', {
      name: 'Details of app:local/sample/enricher',
    });
    expect(
      await within(panel).findByText(/0\/1 tasks running/),
    ).toBeInTheDocument();
    expect(
      within(panel).getByText(
        'declared: config kafka.output.topic at /sample/enricher',
      ),
    ).toBeInTheDocument();
    expect(
      within(panel).getByText(/drift: declared-not-observed/),
    ).toBeInTheDocument();
    expect(
      within(panel).getByText('sample.raw 3 m lag (lagging)'),
    ).toBeInTheDocument();
    expect(within(panel).getByRole('link')).toHaveAttribute(
      'href',
      '/catalog/default/component/local.sample.enricher',
    );
    await user.click(
      within(panel).getByRole('button', { name: 'Close details' }),
    );
    expect(screen.queryByRole('region', { name: /Details of/ })).toBeNull();
  });

  it('names a system that is unreachable and a part of the graph that failed', async () => {
    const graph = sampleGraph();
    graph.contributors = [
      {
        id: 'connect',
        nodes: 0,
        edges: 0,
        error: 'connect-main: ECONNREFUSED',
      },
    ];
    server.use(
      healthHandler([
        {
          kind: 'kafka-connect',
          name: 'main',
          status: 'unreachable',
          error: 'ECONNREFUSED',
        },
      ]),
      http.get(`${BASE}/graph`, () => HttpResponse.json(graph)),
    );
    await renderArchon(<PipelinesPage />, { mountedRoutes: mounted });
    expect(
      await screen.findByText(
        /The connect part of the graph could not be refreshed/,
      ),
    ).toBeInTheDocument();
    expect(
      await screen.findByText(/Kafka Connect "main" is unreachable/),
    ).toBeInTheDocument();
  });

  it('shows the backend error when the graph cannot be read', async () => {
    server.use(
      healthHandler(),
      http.get(`${BASE}/graph`, () =>
        errorBody(
          400,
          'InputError',
          'The graph has 6000 nodes, more than 5000; use collapse',
        ),
      ),
    );
    await renderArchon(<PipelinesPage />, { mountedRoutes: mounted });
    expect(
      (await screen.findAllByText(/more than 5000; use collapse/)).length,
    ).toBeGreaterThan(0);
    expect(
      screen.queryByRole('group', { name: /Data-flow diagram/ }),
    ).toBeNull();
  });

  it('says so when nothing matches', async () => {
    server.use(
      healthHandler(),
      http.get(`${BASE}/graph`, () =>
        HttpResponse.json({
          nodes: [],
          edges: [],
          totals: { nodes: 0, edges: 0 },
          contributors: [],
        }),
      ),
    );
    await renderArchon(<PipelinesPage />, { mountedRoutes: mounted });
    expect(await screen.findByText('No pipelines match')).toBeInTheDocument();
  });
});
