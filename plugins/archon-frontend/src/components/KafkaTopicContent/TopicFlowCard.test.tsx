import { screen, within } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { registerMswTestHooks } from '@backstage/frontend-test-utils';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import type { Graph } from '@archon/plugin-archon-common';
import { BASE, errorBody, renderArchon } from '../../__testUtils__';
import { edge, node } from '../PipelinesPage/testGraph';
import { TopicFlowCard } from './TopicFlowCard';

const TOPIC = 'topic:local/orders';
const mounted = { '/catalog/:namespace/:kind/:name': entityRouteRef };

/** orders: written by cart (declared and seen) and a source connector, read by billing, a sink and a group nobody declares. */
function ordersGraph(): Graph {
  const nodes = [
    node(TOPIC, 'topic'),
    node('app:local/shop/cart', 'app', {
      name: '/shop/cart',
      entityRef: 'component:default/local.shop.cart',
    }),
    node('connector:main/orders-source', 'connector', {
      name: 'orders-source',
      system: 'connect',
      entityRef: 'component:default/main.orders-source',
    }),
    node('app:local/shop/billing', 'app', { name: '/shop/billing' }),
    node('connector:main/orders-sink', 'connector', {
      name: 'orders-sink',
      system: 'connect',
    }),
    node('group:local/billing', 'consumer-group', { name: 'billing' }),
    node('group:local/adhoc-reader', 'consumer-group', {
      name: 'adhoc-reader',
    }),
    // A neighbour that is neither writer nor reader.
    node('cluster:kafka/local', 'cluster', { name: 'local' }),
  ];
  const edges = [
    edge('app:local/shop/cart', 'produces-to', TOPIC, {
      evidence: {
        declared: ['config kafka.output.topic at /shop/cart'],
        observed: ['the only declared writer while end offsets move'],
      },
    }),
    edge('connector:main/orders-source', 'source-writes', TOPIC, {
      evidence: { observed: ['active topics of orders-source'] },
    }),
    edge(TOPIC, 'consumes-from', 'app:local/shop/billing', {
      drift: 'declared-not-observed',
      evidence: { declared: ['config kafka.input.topic at /shop/billing'] },
    }),
    edge(TOPIC, 'sink-reads', 'connector:main/orders-sink', {
      evidence: { declared: ['topics of orders-sink'] },
    }),
    // billing's group is claimed (no drift): the app row stands for it.
    edge(TOPIC, 'consumes-from', 'group:local/billing', {
      evidence: { observed: ['group billing committed offsets'] },
    }),
    edge(TOPIC, 'consumes-from', 'group:local/adhoc-reader', {
      drift: 'observed-not-declared',
      evidence: { observed: ['group adhoc-reader committed offsets'] },
    }),
    edge(TOPIC, 'runs-on', 'cluster:kafka/local'),
  ];
  return {
    nodes,
    edges,
    totals: { nodes: nodes.length, edges: edges.length },
    contributors: [],
  };
}

const rowsOf = (table: HTMLElement) =>
  within(table)
    .getAllByRole('row')
    .slice(1)
    .map(r => r.textContent);

describe('TopicFlowCard', () => {
  const server = setupServer();
  registerMswTestHooks(server);

  it('lists writers and readers from the topic neighbourhood, links entities and marks drift', async () => {
    const asked: URLSearchParams[] = [];
    server.use(
      http.get(`${BASE}/graph`, ({ request }) => {
        asked.push(new URL(request.url).searchParams);
        return HttpResponse.json(ordersGraph());
      }),
    );
    await renderArchon(<TopicFlowCard cluster="local" topic="orders" />, {
      mountedRoutes: mounted,
    });

    const producers = await screen.findByRole('table', {
      name: 'Producers of orders',
    });
    expect(asked[0].get('around')).toBe(TOPIC);
    expect(asked[0].get('depth')).toBe('1');
    expect(rowsOf(producers)).toEqual([
      expect.stringMatching(
        /^\/shop\/cartapphealthydeclared: config kafka\.output\.topic/,
      ),
      expect.stringMatching(
        /^orders-sourceconnectorhealthyobserved: active topics/,
      ),
    ]);
    expect(
      within(producers).getByRole('link', { name: '/shop/cart' }),
    ).toHaveAttribute(
      'href',
      expect.stringContaining('/catalog/default/component/local.shop.cart'),
    );
    expect(screen.getByText('Writes to orders (2)')).toBeInTheDocument();

    const consumers = screen.getByRole('table', {
      name: 'Consumers of orders',
    });
    expect(screen.getByText('Reads from orders (3)')).toBeInTheDocument();
    const consumerRows = rowsOf(consumers);
    expect(consumerRows).toHaveLength(3);
    expect(consumerRows[0]).toMatch(
      /^\/shop\/billingapphealthydrift: declared-not-observed/,
    );
    expect(consumerRows[1]).toMatch(
      /^adhoc-readerconsumer grouphealthydrift: observed-not-declared/,
    );
    expect(consumerRows[2]).toMatch(/^orders-sinkconnector/);
    // Without a catalog entity the name is plain text.
    expect(
      within(consumers).queryByRole('link', { name: 'orders-sink' }),
    ).not.toBeInTheDocument();
    expect(
      within(consumers).getByText('drift: observed-not-declared'),
    ).toHaveStyle({ fontWeight: 600 });
  });

  it("lists the topic's replica on another cluster and, on the replica, its source (#20)", async () => {
    const replica = 'topic:dr/local.orders';
    const mirrored = (): Graph => {
      const nodes = [
        node(TOPIC, 'topic', { cluster: 'local' }),
        node(replica, 'topic', { name: 'local.orders', cluster: 'dr' }),
      ];
      const edges = [
        edge(TOPIC, 'mirrors', replica, {
          evidence: {
            declared: ['connector orders-mirror: config topics=orders'],
            observed: ['end offsets of local.orders on dr move (1.0 msg/s)'],
          },
        }),
      ];
      return {
        nodes,
        edges,
        totals: { nodes: nodes.length, edges: edges.length },
        contributors: [],
      };
    };
    const asked: URLSearchParams[] = [];
    server.use(
      http.get(`${BASE}/graph`, ({ request }) => {
        asked.push(new URL(request.url).searchParams);
        return HttpResponse.json(mirrored());
      }),
    );
    const source = await renderArchon(
      <TopicFlowCard cluster="local" topic="orders" />,
      { mountedRoutes: mounted },
    );
    const mirrors = await screen.findByRole('table', {
      name: 'Mirrors of orders',
    });
    expect(asked[0].get('edgeKinds')?.split(',')).toContain('mirrors');
    expect(
      screen.getByText('Mirrored across Kafka clusters (1)'),
    ).toBeInTheDocument();
    expect(rowsOf(mirrors)).toEqual([
      expect.stringMatching(
        /^local\.ordersreplica on drhealthydeclared: connector orders-mirror/,
      ),
    ]);
    source.unmount();

    await renderArchon(<TopicFlowCard cluster="dr" topic="local.orders" />, {
      mountedRoutes: mounted,
    });
    const onReplica = await screen.findByRole('table', {
      name: 'Mirrors of local.orders',
    });
    expect(rowsOf(onReplica)).toEqual([
      expect.stringMatching(/^orderssource on localhealthy/),
    ]);
  });

  it('says so when nothing writes or reads the topic', async () => {
    server.use(
      http.get(`${BASE}/graph`, () =>
        HttpResponse.json({
          nodes: [node(TOPIC, 'topic')],
          edges: [],
          totals: { nodes: 1, edges: 0 },
          contributors: [],
        }),
      ),
    );
    await renderArchon(<TopicFlowCard cluster="local" topic="orders" />, {
      mountedRoutes: mounted,
    });
    expect(
      await screen.findByText('No app or connector writes to this topic.'),
    ).toBeInTheDocument();
    expect(
      screen.getByText('No app, connector or consumer group reads this topic.'),
    ).toBeInTheDocument();
    expect(screen.queryByRole('table')).not.toBeInTheDocument();
    expect(
      screen.queryByText(/Mirrored across Kafka clusters/),
    ).not.toBeInTheDocument();
  });

  it('shows the API error when the graph cannot be read', async () => {
    server.use(
      http.get(`${BASE}/graph`, () =>
        errorBody(403, 'NotAllowedError', 'archon.graph.read is denied'),
      ),
    );
    await renderArchon(<TopicFlowCard cluster="local" topic="orders" />, {
      mountedRoutes: mounted,
    });
    expect(
      await screen.findByText('Error: archon.graph.read is denied'),
    ).toBeInTheDocument();
    expect(screen.queryByRole('table')).not.toBeInTheDocument();
  });

  it('says the graph has not read a new topic yet, and reads it on "Check again"', async () => {
    let known = false;
    server.use(
      http.get(`${BASE}/graph`, () =>
        known
          ? HttpResponse.json({
              nodes: [node(TOPIC, 'topic')],
              edges: [],
              totals: { nodes: 1, edges: 0 },
              contributors: [],
            })
          : errorBody(
              404,
              'NotFoundError',
              `There is no node ${TOPIC} in the graph`,
            ),
      ),
    );
    await renderArchon(<TopicFlowCard cluster="local" topic="orders" />, {
      mountedRoutes: mounted,
    });
    expect(
      await screen.findByText(/The graph does not hold orders yet/),
    ).toBeInTheDocument();
    expect(screen.queryByText(/^Error:/)).not.toBeInTheDocument();
    known = true;
    screen.getByRole('button', { name: 'Check again' }).click();
    expect(
      await screen.findByText('No app or connector writes to this topic.'),
    ).toBeInTheDocument();
  });
});
