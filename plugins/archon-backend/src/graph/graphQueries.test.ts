// GraphService answering questions: lineage, impact, path, search, slices, caps.
import {
  declared,
  shopPipeline,
  structural,
} from '../__testUtils__/fakeGraphContributor';
import { ids, serviceWith, shop } from '../__testUtils__/graphServiceKit';

describe('lineage', () => {
  it('follows data downstream hop by hop, through consumer groups', async () => {
    const { service } = await shop();
    const down2 = service.lineage('app:local/shop/cart', {
      direction: 'down',
      depth: 2,
    });
    expect(ids(down2.nodes)).toEqual([
      'app:local/shop/cart',
      'app:local/shop/checkout',
      'connector:c1/orders-sink',
      'group:k1/checkout',
      'topic:k1/audit',
      'topic:k1/orders',
    ]);
    expect(down2.nodes.find(n => n.id === 'topic:k1/orders')).toMatchObject({
      distance: 1,
      side: 'down',
    });
    expect(
      down2.edges.every(e => e.kind !== 'runs-on' && e.kind !== 'routes-to'),
    ).toBe(true);
    const down3 = service.lineage('app:local/shop/cart', {
      direction: 'down',
      depth: 3,
    });
    expect(ids(down3.nodes)).toContain('topic:k1/payments');
  });

  it('follows data upstream', async () => {
    const { service } = await shop();
    const up = service.lineage('app:local/billing/invoicer', {
      direction: 'up',
      depth: 2,
    });
    expect(ids(up.nodes)).toEqual([
      'app:local/billing/invoicer',
      'app:local/shop/checkout',
      'connector:c1/payments-source',
      'topic:k1/payments',
    ]);
  });

  it('goes both ways at once', async () => {
    const { service } = await shop();
    const both = service.lineage('app:local/shop/checkout', {
      direction: 'both',
      depth: 1,
    });
    expect(ids(both.nodes)).toEqual([
      'app:local/shop/checkout',
      'group:k1/checkout',
      'topic:k1/orders',
      'topic:k1/payments',
    ]);
    expect(both.nodes.find(n => n.id === 'topic:k1/payments')?.side).toBe(
      'down',
    );
    expect(both.nodes.find(n => n.id === 'topic:k1/orders')?.side).toBe('up');
  });
});

describe('impact', () => {
  it('lists everything downstream of a topic with the path that links it', async () => {
    const { service } = await shop();
    const result = service.impact('topic:k1/orders', {});
    expect(ids(result.affected.map(a => a.node))).toEqual([
      'app:local/billing/invoicer',
      'app:local/shop/checkout',
      'connector:c1/orders-sink',
      'group:k1/checkout',
      'group:k1/mystery',
      'topic:k1/payments',
    ]);
    const invoicer = result.affected.find(
      a => a.node.id === 'app:local/billing/invoicer',
    )!;
    expect(invoicer.distance).toBe(3);
    expect(invoicer.path.map(e => `${e.from} ${e.kind} ${e.to}`)).toEqual([
      'topic:k1/orders consumes-from app:local/shop/checkout',
      'app:local/shop/checkout produces-to topic:k1/payments',
      'topic:k1/payments consumes-from app:local/billing/invoicer',
    ]);
    expect(result.counts).toEqual({
      app: 2,
      'consumer-group': 2,
      connector: 1,
      topic: 1,
    });
  });

  it('includes the routes and consumer groups of an app that goes away', async () => {
    const { service } = await shop();
    const result = service.impact('app:local/shop/checkout', { depth: 1 });
    expect(ids(result.affected.map(a => a.node))).toEqual([
      'group:k1/checkout',
      'topic:k1/payments',
    ]);
    const cart = service.impact('app:local/shop/cart', { depth: 1 });
    expect(cart.affected.find(a => a.node.kind === 'route')?.path).toEqual([
      expect.objectContaining({
        from: 'route:gw/shop.example.com/cart',
        kind: 'routes-to',
        to: 'app:local/shop/cart',
      }),
    ]);
  });

  it('for a configuration level, names the apps configured at or below it', async () => {
    const { service } = await shop();
    const result = service.impact('config:/shop', { depth: 1 });
    expect(ids(result.affected.map(a => a.node))).toEqual([
      'app:local/shop/cart',
      'app:local/shop/checkout',
    ]);
    expect(result.affected[0].path).toEqual([
      expect.objectContaining({
        from: 'config:/shop/cart',
        kind: 'configured-by',
        to: 'app:local/shop/cart',
      }),
    ]);
    expect(
      ids(
        service
          .impact('config:/billing', { depth: 1 })
          .affected.map(a => a.node),
      ),
    ).toEqual(['app:local/billing/invoicer']);
  });
});

describe('path', () => {
  it('finds the shortest data-flow path', async () => {
    const { service } = await shop();
    const result = service.path(
      'app:local/shop/cart',
      'app:local/billing/invoicer',
      {},
    );
    expect(result.direction).toBe('forward');
    expect(result.paths.map(p => p.nodes)).toEqual([
      [
        'app:local/shop/cart',
        'topic:k1/orders',
        'app:local/shop/checkout',
        'topic:k1/payments',
        'app:local/billing/invoicer',
      ],
    ]);
  });

  it('lists every shortest path up to the limit', async () => {
    const { service } = await serviceWith({
      m: {
        nodes: [],
        edges: ['t1', 't2', 't3'].flatMap(t => [
          declared('app:m/a', 'produces-to', `topic:k/${t}`),
          declared(`topic:k/${t}`, 'consumes-from', 'app:m/b'),
        ]),
      },
    });
    expect(
      service
        .path('app:m/a', 'app:m/b', {})
        .paths.map(p => p.nodes[1])
        .sort(),
    ).toEqual(['topic:k/t1', 'topic:k/t2', 'topic:k/t3']);
    expect(service.path('app:m/a', 'app:m/b', { limit: 2 }).paths).toHaveLength(
      2,
    );
  });

  it('says when data flows the other way, or not at all', async () => {
    const { service } = await shop();
    const reverse = service.path(
      'app:local/billing/invoicer',
      'app:local/shop/cart',
      {},
    );
    expect(reverse.direction).toBe('reverse');
    expect(reverse.paths[0].nodes[0]).toBe('app:local/shop/cart');
    const none = service.path('config:/billing', 'app:local/shop/cart', {});
    expect(none).toMatchObject({ direction: 'none', paths: [] });
  });
});

describe('search', () => {
  it('finds nodes across systems by name or id, best matches first', async () => {
    const { service } = await shop();
    const result = service.search('checkout', {});
    expect(result.items.map(n => [n.id, n.score])).toEqual([
      ['group:k1/checkout', 3],
      ['app:local/shop/checkout', 2],
      ['config:/shop/checkout', 2],
    ]);
    expect(
      service.search('CHECKOUT', { kinds: ['app'] }).items.map(n => n.id),
    ).toEqual(['app:local/shop/checkout']);
    expect(service.search('k1', { clusters: ['k1'], limit: 2 })).toMatchObject({
      total: 5,
    });
    expect(
      service.search('k1', { clusters: ['k1'], limit: 2 }).items,
    ).toHaveLength(2);
  });

  it('pages the ranking with cursors, each match once and in the order of one long page', async () => {
    const { service } = await shop();
    const all = service.search('k1', { limit: 1000 }).items.map(n => n.id);
    const paged: string[] = [];
    let cursor: string | undefined;
    do {
      const page = service.search('k1', { limit: 2, cursor });
      paged.push(...page.items.map(n => n.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(paged).toEqual(all);
    expect(() => service.search('k1', { cursor: 'nope' })).toThrow(
      /"cursor" must be the nextCursor/,
    );
    expect(() => service.search('k1', { limit: 1001 })).toThrow(
      /"limit" must be a whole number from 1 to 1000/,
    );
  });
});

describe('graph slices', () => {
  it('filters by node kind, edge kind, cluster and name', async () => {
    const { service } = await shop();
    const topics = service.graph({ kinds: ['topic', 'connector'] });
    expect(ids(topics.nodes)).toEqual([
      'connector:c1/orders-sink',
      'connector:c1/payments-source',
      'topic:k1/audit',
      'topic:k1/orders',
      'topic:k1/payments',
    ]);
    expect(topics.edges).toHaveLength(2);
    const flows = service.graph({ edgeKinds: ['produces-to'] });
    expect(flows.edges.every(e => e.kind === 'produces-to')).toBe(true);
    expect(flows.edges).toHaveLength(3);
    expect(ids(service.graph({ clusters: ['c1'] }).nodes)).toEqual([
      'connector:c1/orders-sink',
      'connector:c1/payments-source',
    ]);
    expect(ids(service.graph({ q: 'invoicer' }).nodes)).toEqual([
      'app:local/billing/invoicer',
    ]);
  });

  it('shows only drifting edges and their ends with drift=true', async () => {
    const { service } = await shop();
    const drift = service.graph({ drift: true });
    expect(drift.edges.map(e => `${e.from} ${e.to}`).sort()).toEqual([
      'app:local/shop/cart topic:k1/audit',
      'app:local/shop/cart topic:k1/orders',
      'app:local/shop/checkout topic:k1/payments',
      'connector:c1/payments-source topic:k1/payments',
      'topic:k1/payments app:local/billing/invoicer',
      'topic:k1/payments group:k1/mystery',
    ]);
    expect(drift.nodes).toHaveLength(8);
  });

  it('serves a k-hop neighbourhood without walking through clusters', async () => {
    const { service } = await shop();
    const one = service.graph({ around: 'group:k1/checkout', depth: 1 });
    expect(ids(one.nodes)).toEqual([
      'app:local/shop/checkout',
      'group:k1/checkout',
      'topic:k1/orders',
    ]);
    const two = service.graph({ around: 'app:local/shop/cart', depth: 2 });
    expect(ids(two.nodes)).toContain('cluster:marathon/local');
    expect(ids(two.nodes)).not.toContain('app:local/billing/invoicer');
    const cluster = service.graph({
      around: 'cluster:marathon/local',
      depth: 1,
    });
    expect(ids(cluster.nodes)).toContain('app:local/billing/invoicer');
  });

  it('collapses apps (and their consumer groups) into Marathon groups', async () => {
    const { service } = await shop();
    const view = service.graph({ collapse: 'group' });
    const shopGroup = view.nodes.find(n => n.id === 'app:local/shop/*')!;
    expect(shopGroup).toMatchObject({
      kind: 'app',
      name: '/shop/*',
      attributes: {
        collapsed: true,
        members: 3,
        memberKinds: { app: 2, 'consumer-group': 1 },
      },
      status: { state: 'degraded' },
    });
    expect(
      view.nodes.find(n => n.id === 'app:local/billing/*')?.status?.state,
    ).toBe('failed');
    expect(
      view.edges.find(
        e => e.from === 'topic:k1/orders' && e.to === 'app:local/shop/*',
      ),
    ).toMatchObject({
      kind: 'consumes-from',
      members: 2,
      driftCount: 0,
    });
    // The checkout → orders edge inside the bucket is gone; nothing points at a folded node.
    const present = new Set(view.nodes.map(n => n.id));
    expect(
      view.edges.every(
        e => present.has(e.from) && present.has(e.to) && e.from !== e.to,
      ),
    ).toBe(true);
    expect(present.has('app:local/shop/cart')).toBe(false);
  });

  it('collapses configuration levels by prefix, taking their apps along', async () => {
    const { service } = await shop();
    const view = service.graph({ collapse: 'config-prefix', collapseDepth: 1 });
    expect(
      view.nodes.find(n => n.id === 'config:/shop/*')?.attributes,
    ).toMatchObject({
      members: 6,
      memberKinds: { 'config-path': 3, app: 2, 'consumer-group': 1 },
    });
    expect(
      view.nodes.find(n => n.id === 'config:/billing/*')?.attributes,
    ).toMatchObject({ members: 2 });
    expect(
      view.edges.find(
        e => e.from === 'config:/shop/*' && e.to === 'topic:k1/payments',
      ),
    ).toMatchObject({
      kind: 'produces-to',
      drift: 'declared-not-observed',
      driftCount: 1,
    });
  });
});

describe('caps', () => {
  it('refuses depths beyond the cap with a message that says the range', async () => {
    const { service } = await shop();
    expect(() => service.lineage('topic:k1/orders', { depth: 13 })).toThrow(
      /depth must be a whole number from 0 to 12/,
    );
    expect(() =>
      service.graph({ around: 'topic:k1/orders', depth: 99 }),
    ).toThrow(/from 0 to 12/);
    expect(() =>
      service.path('app:local/shop/cart', 'topic:k1/orders', { limit: 50 }),
    ).toThrow(/limit must be from 1 to 20/);
  });

  it('refuses results larger than maxNodes and says how to narrow them', async () => {
    const { service } = await serviceWith(shopPipeline(), { maxNodes: 4 });
    expect(() => service.graph({})).toThrow(
      /has 17 nodes, more than the 4 .*around=<nodeId>/,
    );
    expect(() =>
      service.lineage('app:local/shop/cart', { direction: 'down', depth: 3 }),
    ).toThrow(/more than 4 nodes/);
    expect(() => service.impact('topic:k1/orders', {})).toThrow(
      /more than 4 nodes/,
    );
    expect(service.graph({ kinds: ['connector'] }).nodes).toHaveLength(2);
  });

  it('answers unknown ids with a not-found that points at search', async () => {
    const { service } = await shop();
    expect(() => service.lineage('topic:k1/nope', {})).toThrow(
      /no node topic:k1\/nope .*graph\/search/,
    );
  });
});

describe('structural edge kinds are kept apart from data flow', () => {
  it('does not treat configured-by or runs-on as lineage', async () => {
    const { service } = await serviceWith({
      m: {
        nodes: [],
        edges: [
          structural('config:/a', 'configured-by', 'app:m/a'),
          structural('app:m/a', 'runs-on', 'cluster:marathon/m'),
        ],
      },
    });
    expect(
      ids(service.lineage('app:m/a', { direction: 'both', depth: 3 }).nodes),
    ).toEqual(['app:m/a']);
  });
});
