import { execFileSync, spawnSync } from 'node:child_process';
import {
  eventually,
  getTestCluster,
  testNamespace,
} from '@archon/local-cluster/testing';
import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import request from 'supertest';
import {
  contributorModule,
  FakeGraphContributor,
  shopPipeline,
} from '../__testUtils__/fakeGraphContributor';
import { startArchonTestBackend } from '@archon/test-utils';
import { archonPlugin } from '../plugin';

jest.setTimeout(60_000);

const cluster = getTestCluster();
const ns = testNamespace('graph-routes');
const root = `${ns.zkRoot}/pheidippides`;

const pipeline = shopPipeline();
const marathon = new FakeGraphContributor('marathon', pipeline.marathon);
const kafka = new FakeGraphContributor('kafka', pipeline.kafka);
const connect = new FakeGraphContributor('connect', pipeline.connect);

let backend: Awaited<ReturnType<typeof startArchonTestBackend>>;
let server: Parameters<typeof request>[0];

beforeAll(async () => {
  backend = await startArchonTestBackend({
    zookeeper: { connectionString: cluster.zookeeper.connectionString, root },
    archon: { graph: { maxDepth: 8, maxNodes: 200 } },
    features: [archonPlugin, contributorModule([marathon, kafka, connect])],
  });
  server = backend.server;
  // The configuration levels the Marathon part links to, written through archon.
  for (const path of ['shop', 'shop/cart', 'shop/checkout', 'billing']) {
    const res = await request(server)
      .put(`/api/archon/config/sets/${path}`)
      .send({ properties: { owner: 'team-shop' } });
    if (res.status !== 200)
      throw new Error(`writing ${path} failed: ${res.status} ${res.text}`);
  }
  await eventually(async () => {
    const res = await request(server).get('/api/archon/graph');
    if (res.body.totals?.nodes !== 17)
      throw new Error(
        `the graph has ${res.body.totals?.nodes} nodes, not yet 17`,
      );
  });
});

afterAll(async () => {
  await backend?.stop();
});

describe('GET /graph', () => {
  it("serves the merged graph with every contributor's state, the config levels from ZooKeeper among them", async () => {
    // The config contributor's first refresh runs in the background: until it
    // lands, config:/shop/cart is only a placeholder that another part names.
    await eventually(async () => {
      const res = await request(server).get('/api/archon/graph');
      expect(res.status).toBe(200);
      expect(res.body.contributors.map((c: { id: string }) => c.id)).toEqual([
        'config',
        'marathon',
        'kafka',
        'connect',
      ]);
      const config = res.body.nodes.find(
        (n: { id: string }) => n.id === 'config:/shop/cart',
      );
      expect(config).toMatchObject({
        kind: 'config-path',
        system: 'config',
        cluster: 'local',
        contributors: ['config'],
      });
      expect(config.attributes.placeholder).toBeUndefined();
      expect(config.status).toMatchObject({
        state: 'healthy',
        summary: '1 keys, version 0',
      });
      expect(Date.parse(config.status.sampledAt)).not.toBeNaN();
    });
  });

  it("picks up a configuration level written later through the cache's change push", async () => {
    expect(
      (
        await request(server)
          .put('/api/archon/config/sets/billing/late')
          .send({ properties: { a: '1' } })
      ).status,
    ).toBe(200);
    await eventually(async () => {
      const res = await request(server).get(
        '/api/archon/graph/nodes/config:/billing/late',
      );
      expect(res.status).toBe(200);
    });
    expect(
      (await request(server).delete('/api/archon/config/sets/billing/late'))
        .status,
    ).toBe(200);
    await eventually(async () => {
      expect(
        (
          await request(server).get(
            '/api/archon/graph/nodes/config:/billing/late',
          )
        ).status,
      ).toBe(404);
    });
  });

  it('filters, with comma-separated lists', async () => {
    const res = await request(server).get(
      '/api/archon/graph?kinds=topic,connector&drift=true',
    );
    expect(res.status).toBe(200);
    expect(res.body.edges.map((e: { drift: string }) => e.drift)).toEqual([
      'declared-not-observed',
    ]);
    expect(res.body.nodes.map((n: { id: string }) => n.id).sort()).toEqual([
      'connector:c1/payments-source',
      'topic:k1/payments',
    ]);
  });

  it('serves a neighbourhood and a collapsed view', async () => {
    const around = await request(server)
      .get('/api/archon/graph')
      .query({ around: 'group:k1/checkout', depth: 1 });
    expect(around.body.nodes.map((n: { id: string }) => n.id).sort()).toEqual([
      'app:local/shop/checkout',
      'group:k1/checkout',
      'topic:k1/orders',
    ]);
    const collapsed = await request(server).get(
      '/api/archon/graph?collapse=group',
    );
    expect(collapsed.body.nodes.map((n: { id: string }) => n.id)).toEqual(
      expect.arrayContaining(['app:local/shop/*', 'app:local/billing/*']),
    );
  });

  it('answers 400 with what to fix for a bad filter, a depth past the cap, or stray parameters', async () => {
    const kind = await request(server).get('/api/archon/graph?kinds=planet');
    expect(kind.status).toBe(400);
    expect(kind.body.error.message).toMatch(/kinds/);
    const deep = await request(server)
      .get('/api/archon/graph')
      .query({ around: 'topic:k1/orders', depth: 9 });
    expect(deep.status).toBe(400);
    expect(deep.body.error.message).toBe(
      'depth must be a whole number from 0 to 8 (it was 9)',
    );
    const stray = await request(server).get('/api/archon/graph?depth=2');
    expect(stray.status).toBe(400);
    expect(stray.body.error.message).toMatch(/around=<nodeId>/);
    const unknown = await request(server)
      .get('/api/archon/graph')
      .query({ around: 'topic:k1/nope' });
    expect(unknown.status).toBe(404);
  });

  it('exports DOT that Graphviz renders and a Mermaid flowchart', async () => {
    const dot = await request(server).get('/api/archon/graph?format=dot');
    expect(dot.status).toBe(200);
    expect(dot.headers['content-type']).toBe(
      'text/vnd.graphviz; charset=utf-8',
    );
    expect(dot.text).toMatch(/^digraph "archon" \{/);
    const mermaid = await request(server).get(
      '/api/archon/graph/lineage/app:local/shop/cart?format=mermaid&direction=down&depth=1',
    );
    expect(mermaid.status).toBe(200);
    expect(mermaid.headers['content-type']).toBe(
      'text/vnd.mermaid; charset=utf-8',
    );
    expect(mermaid.text.split('\n')[0]).toBe('flowchart LR');
    expect(mermaid.text).toContain('%% n0 = app:local/shop/cart');
    expect(mermaid.text.match(/-\.->/g)).toHaveLength(2);
  });
});

/** Rendering needs Graphviz (`apt-get install graphviz`). */
const describeWithDot =
  spawnSync('dot', ['-V']).status === 0 ? describe : describe.skip;

describeWithDot('DOT rendered by Graphviz', () => {
  it('draws every node of GET /graph?format=dot', async () => {
    const dot = await request(server).get('/api/archon/graph?format=dot');
    const svg = execFileSync('dot', ['-Tsvg'], {
      input: dot.text,
      encoding: 'utf8',
    });
    expect(svg.match(/class="node"/g)).toHaveLength(17);
  });
});

describe('node ids in the path', () => {
  it('takes an id with its slashes as they are or percent-encoded as one segment', async () => {
    const readable = await request(server).get(
      '/api/archon/graph/nodes/app:local/shop/cart',
    );
    const encoded = await request(server).get(
      `/api/archon/graph/nodes/${encodeURIComponent('app:local/shop/cart')}`,
    );
    expect(readable.status).toBe(200);
    expect(readable.body.node.id).toBe('app:local/shop/cart');
    expect(encoded.body).toEqual(readable.body);
    const config = await request(server).get(
      '/api/archon/graph/impact/config:/shop?depth=1',
    );
    expect(config.status).toBe(200);
    expect(
      config.body.affected.map((a: { node: { id: string } }) => a.node.id),
    ).toEqual(['app:local/shop/cart', 'app:local/shop/checkout']);
  });

  it('answers 404 for an unknown node, pointing at search', async () => {
    const res = await request(server).get(
      '/api/archon/graph/lineage/topic:k1/nope',
    );
    expect(res.status).toBe(404);
    expect(res.body.error.message).toMatch(/graph\/search/);
  });
});

describe('lineage, impact, path, search', () => {
  it('follows lineage in the asked direction', async () => {
    const res = await request(server).get(
      '/api/archon/graph/lineage/app:local/billing/invoicer?direction=up&depth=2',
    );
    expect(res.status).toBe(200);
    expect(res.body.nodes.map((n: { id: string }) => n.id).sort()).toEqual([
      'app:local/billing/invoicer',
      'app:local/shop/checkout',
      'connector:c1/payments-source',
      'topic:k1/payments',
    ]);
    expect(
      (
        await request(server).get(
          '/api/archon/graph/lineage/topic:k1/orders?direction=sideways',
        )
      ).status,
    ).toBe(400);
  });

  it('lists the impact of a topic with paths, and renders it', async () => {
    const res = await request(server).get(
      '/api/archon/graph/impact/topic:k1/orders',
    );
    expect(res.status).toBe(200);
    expect(res.body.counts).toEqual({
      app: 2,
      'consumer-group': 2,
      connector: 1,
      topic: 1,
    });
    const invoicer = res.body.affected.find(
      (a: { node: { id: string } }) =>
        a.node.id === 'app:local/billing/invoicer',
    );
    expect(invoicer.path.map((e: { kind: string }) => e.kind)).toEqual([
      'consumes-from',
      'produces-to',
      'consumes-from',
    ]);
    const dot = await request(server).get(
      '/api/archon/graph/impact/topic:k1/orders?format=dot',
    );
    expect(dot.text).toContain(
      '"topic:k1/payments" -> "app:local/billing/invoicer"',
    );
  });

  it('finds how data gets from one node to another', async () => {
    const res = await request(server)
      .get('/api/archon/graph/path')
      .query({ from: 'app:local/shop/cart', to: 'app:local/billing/invoicer' });
    expect(res.status).toBe(200);
    expect(res.body.direction).toBe('forward');
    expect(res.body.paths[0].nodes).toHaveLength(5);
    const missing = await request(server).get(
      '/api/archon/graph/path?from=app:local/shop/cart',
    );
    expect(missing.status).toBe(400);
  });

  it('searches across systems', async () => {
    const res = await request(server).get(
      '/api/archon/graph/search?q=checkout',
    );
    expect(res.status).toBe(200);
    expect(res.body.items.map((n: { id: string }) => n.id)).toEqual([
      'group:k1/checkout',
      'app:local/shop/checkout',
      'config:/shop/checkout',
    ]);
  });
});

describe('permissions', () => {
  it('needs a signed-in caller', async () => {
    const res = await request(server)
      .get('/api/archon/graph')
      .set('Authorization', mockCredentials.user.invalidHeader());
    expect(res.status).toBe(401);
  });

  it('needs archon.graph.read, and names it when refused', async () => {
    const denying = await startArchonTestBackend({
      zookeeper: { connectionString: cluster.zookeeper.connectionString, root },
      features: [
        archonPlugin,
        contributorModule([
          new FakeGraphContributor('marathon', pipeline.marathon),
        ]),
        mockServices.permissions.mock({
          authorize: async requests =>
            requests.map(r => ({
              result:
                r.permission.name === 'archon.graph.read'
                  ? AuthorizeResult.DENY
                  : AuthorizeResult.ALLOW,
            })),
        }).factory,
      ],
    });
    try {
      for (const url of [
        '/api/archon/graph',
        '/api/archon/graph/search?q=a',
        '/api/archon/graph/lineage/app:local/shop/cart',
      ]) {
        const res = await request(denying.server).get(url);
        expect(res.status).toBe(403);
        expect(res.body.error.message).toContain('archon.graph.read');
      }
    } finally {
      await denying.stop();
    }
  });
});
