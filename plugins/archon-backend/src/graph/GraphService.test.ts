import { eventually } from '@archon/local-cluster/testing';
import { mockServices } from '@backstage/backend-test-utils';
import type { ArchonGraphContribution } from '@archon/plugin-archon-node';
import {
  FakeGraphContributor,
  declared,
  graphNode,
  observed,
  shopPipeline,
  structural,
} from '../__testUtils__/fakeGraphContributor';
import { GraphService } from './GraphService';
import type { GraphLimits } from './graphTraversal';

const logger = mockServices.logger.mock();

async function serviceWith(
  parts: Record<string, ArchonGraphContribution>,
  limits?: Partial<GraphLimits>,
) {
  const contributors = Object.entries(parts).map(
    ([id, part]) => new FakeGraphContributor(id, part),
  );
  const service = new GraphService({
    contributors,
    logger,
    limits,
    debounceMs: 1,
  });
  await service.refresh();
  const byId = Object.fromEntries(contributors.map(c => [c.id, c]));
  return { service, contributors: byId };
}

const shop = () => serviceWith(shopPipeline());

const ids = (nodes: Array<{ id: string }>) => nodes.map(n => n.id).sort();

function edgeOf(service: GraphService, from: string, kind: string, to: string) {
  return service
    .node(from)
    .edges.find(e => e.from === from && e.kind === kind && e.to === to);
}

describe('merging parts', () => {
  it('joins nodes by id across contributors: first registered part wins fields, attributes combine, newest status wins', async () => {
    const a = {
      nodes: [
        graphNode('topic:k1/orders', 'topic', {
          attributes: { partitions: 3, owner: 'a' },
        }),
      ],
      edges: [],
    };
    const b = {
      nodes: [
        graphNode('topic:k1/orders', 'topic', {
          name: 'orders-from-b',
          entityRef: 'resource:default/orders',
          attributes: { owner: 'b', retentionMs: 1000 },
          status: {
            state: 'degraded',
            summary: 'under-replicated',
            sampledAt: '2026-02-01T00:00:00.000Z',
          },
        }),
      ],
      edges: [],
    };
    const { service } = await serviceWith({ a, b });
    const { node } = service.node('topic:k1/orders');
    expect(node).toMatchObject({
      name: 'orders',
      entityRef: 'resource:default/orders',
      attributes: { partitions: 3, owner: 'a', retentionMs: 1000 },
      status: { state: 'degraded', summary: 'under-replicated' },
      contributors: ['a', 'b'],
    });
    expect(service.totals()).toEqual({ nodes: 1, edges: 0 });
  });

  it('unions the evidence of the same edge from several parts', async () => {
    const { service } = await serviceWith({
      marathon: {
        nodes: [],
        edges: [
          declared('app:m/a', 'produces-to', 'topic:k1/t', 'config at /a'),
        ],
      },
      probe: {
        nodes: [],
        edges: [
          observed(
            'app:m/a',
            'produces-to',
            'topic:k1/t',
            'client a wrote 10 records',
          ),
        ],
      },
    });
    expect(edgeOf(service, 'app:m/a', 'produces-to', 'topic:k1/t')).toEqual({
      from: 'app:m/a',
      to: 'topic:k1/t',
      kind: 'produces-to',
      evidence: {
        declared: ['config at /a'],
        observed: ['client a wrote 10 records'],
      },
      contributors: ['marathon', 'probe'],
    });
  });

  it('shows an edge end nobody contributes as a placeholder, and drops it with its last edge', async () => {
    const { service, contributors } = await shop();
    expect(service.node('topic:k1/audit').node).toMatchObject({
      kind: 'topic',
      name: 'audit',
      cluster: 'k1',
      system: 'kafka',
      attributes: { placeholder: true },
      status: { state: 'unknown' },
      contributors: [],
    });
    const part = shopPipeline().marathon;
    part.edges = part.edges.filter(e => e.to !== 'topic:k1/audit');
    contributors.marathon.part = part;
    await service.refresh('marathon');
    expect(() => service.node('topic:k1/audit')).toThrow(
      /no node topic:k1\/audit/,
    );
  });

  it('turns a placeholder into the real node once a contributor reports it', async () => {
    const { service, contributors } = await shop();
    contributors.kafka.part.nodes.push(graphNode('topic:k1/audit', 'topic'));
    await service.refresh('kafka');
    expect(
      service.node('topic:k1/audit').node.attributes?.placeholder,
    ).toBeUndefined();
    expect(service.node('topic:k1/audit').node.contributors).toEqual(['kafka']);
  });

  it('skips malformed items and says so', async () => {
    const { service } = await serviceWith({
      bad: {
        nodes: [
          graphNode('topic:k1/t', 'topic'),
          { ...graphNode('topic:k1/u', 'topic'), kind: 'app' },
        ],
        edges: [
          { from: 'topic:k1/t', to: 'nonsense', kind: 'consumes-from' },
          { from: 'topic:k1/t', to: 'app:m/a', kind: 'teleports-to' as never },
        ],
      },
    });
    expect(service.contributors()).toEqual([
      expect.objectContaining({ id: 'bad', nodes: 1, edges: 0, rejected: 3 }),
    ]);
    expect(service.totals()).toEqual({ nodes: 1, edges: 0 });
  });
});

describe('evidence and drift', () => {
  it('marks declared-but-not-observed and observed-but-not-declared data-flow edges', async () => {
    const { service } = await shop();
    expect(
      edgeOf(service, 'app:local/shop/cart', 'produces-to', 'topic:k1/orders')
        ?.drift,
    ).toBe('declared-not-observed');
    expect(
      edgeOf(
        service,
        'connector:c1/payments-source',
        'source-writes',
        'topic:k1/payments',
      )?.drift,
    ).toBe('declared-not-observed');
    expect(
      edgeOf(
        service,
        'topic:k1/orders',
        'sink-reads',
        'connector:c1/orders-sink',
      )?.drift,
    ).toBeUndefined();
    // Edges into consumer groups carry observations only: one into a group an
    // app claims is fine, one into a group nobody claims is an undeclared consumer.
    expect(
      edgeOf(service, 'topic:k1/orders', 'consumes-from', 'group:k1/checkout')
        ?.drift,
    ).toBeUndefined();
    expect(
      edgeOf(service, 'topic:k1/payments', 'consumes-from', 'group:k1/mystery')
        ?.drift,
    ).toBe('observed-not-declared');
    // Structural edges have no evidence and no drift.
    expect(
      edgeOf(
        service,
        'config:/billing',
        'configured-by',
        'app:local/billing/invoicer',
      )?.drift,
    ).toBeUndefined();
  });

  it('gives topic → app observed evidence through a consumer group that belongs to the app', async () => {
    const { service } = await shop();
    expect(
      edgeOf(
        service,
        'topic:k1/orders',
        'consumes-from',
        'app:local/shop/checkout',
      ),
    ).toMatchObject({
      evidence: {
        declared: ['config kafka.input at /shop/checkout'],
        observed: [
          'group checkout committed offsets on 3 partitions (through consumer group group:k1/checkout)',
        ],
      },
      derived: true,
    });
    expect(
      edgeOf(
        service,
        'topic:k1/orders',
        'consumes-from',
        'app:local/shop/checkout',
      )?.drift,
    ).toBeUndefined();
  });

  it('creates an observed-only edge when a group reads a topic its app never declared', async () => {
    const { service } = await serviceWith({
      kafka: {
        nodes: [],
        edges: [
          observed(
            'topic:k1/payments',
            'consumes-from',
            'group:k1/mystery',
            'offsets committed',
          ),
        ],
      },
      marathon: {
        nodes: [],
        edges: [declared('group:k1/mystery', 'belongs-to', 'app:m/auditor')],
      },
    });
    expect(
      edgeOf(service, 'topic:k1/payments', 'consumes-from', 'app:m/auditor'),
    ).toMatchObject({
      evidence: {
        observed: [
          'offsets committed (through consumer group group:k1/mystery)',
        ],
      },
      drift: 'observed-not-declared',
      derived: true,
      contributors: [],
    });
  });

  it('takes the derived evidence back when either part stops reporting its half', async () => {
    const { service, contributors } = await shop();
    const kafka = shopPipeline().kafka;
    kafka.edges = kafka.edges.filter(e => e.to !== 'group:k1/checkout');
    contributors.kafka.part = kafka;
    await service.refresh('kafka');
    const edge = edgeOf(
      service,
      'topic:k1/orders',
      'consumes-from',
      'app:local/shop/checkout',
    );
    expect(edge).toMatchObject({
      drift: 'declared-not-observed',
      evidence: { declared: ['config kafka.input at /shop/checkout'] },
    });
    expect(edge?.derived).toBeUndefined();

    contributors.kafka.part = shopPipeline().kafka;
    await service.refresh('kafka');
    expect(
      edgeOf(
        service,
        'topic:k1/orders',
        'consumes-from',
        'app:local/shop/checkout',
      )?.drift,
    ).toBeUndefined();

    const marathon = shopPipeline().marathon;
    marathon.edges = marathon.edges.filter(e => e.kind !== 'belongs-to');
    contributors.marathon.part = marathon;
    await service.refresh('marathon');
    expect(
      edgeOf(
        service,
        'topic:k1/orders',
        'consumes-from',
        'app:local/shop/checkout',
      )?.drift,
    ).toBe('declared-not-observed');
  });
});

describe('incremental updates', () => {
  it('replaces one part without touching the others', async () => {
    const { service, contributors } = await shop();
    const before = service.totals();
    contributors.connect.part = {
      nodes: [graphNode('connector:c1/new-sink', 'connector')],
      edges: [],
    };
    await service.refresh('connect');
    expect(service.totals().nodes).toBe(before.nodes - 1);
    expect(() => service.node('connector:c1/orders-sink')).toThrow(/no node/);
    expect(service.node('connector:c1/new-sink').node.kind).toBe('connector');
    expect(service.node('app:local/shop/cart').node.contributors).toEqual([
      'marathon',
    ]);
    expect(
      edgeOf(
        service,
        'topic:k1/orders',
        'sink-reads',
        'connector:c1/orders-sink',
      ),
    ).toBeUndefined();
    expect(service.search('sink', {}).items.map(n => n.id)).toEqual([
      'connector:c1/new-sink',
    ]);
  });

  it('takes a fresh status and changed evidence from a re-taken part', async () => {
    const { service, contributors } = await shop();
    const kafka = shopPipeline().kafka;
    kafka.nodes[0].status = {
      state: 'failed',
      summary: 'offline partitions',
      sampledAt: '2026-03-01T00:00:00.000Z',
    };
    contributors.kafka.part = kafka;
    await service.refresh('kafka');
    expect(service.node('topic:k1/orders').node.status).toMatchObject({
      state: 'failed',
      summary: 'offline partitions',
    });
    expect(
      service.search('orders', { kinds: ['topic'] }).items[0].status?.state,
    ).toBe('failed');

    const marathon = shopPipeline().marathon;
    marathon.edges[0] = {
      ...marathon.edges[0],
      evidence: { declared: ['config'], observed: ['client cart wrote'] },
    };
    contributors.marathon.part = marathon;
    await service.refresh('marathon');
    expect(
      edgeOf(service, 'app:local/shop/cart', 'produces-to', 'topic:k1/orders'),
    ).toMatchObject({
      evidence: { declared: ['config'], observed: ['client cart wrote'] },
    });
    expect(
      edgeOf(service, 'app:local/shop/cart', 'produces-to', 'topic:k1/orders')
        ?.drift,
    ).toBeUndefined();
    contributors.marathon.part = shopPipeline().marathon;
    await service.refresh('marathon');
    expect(
      edgeOf(service, 'app:local/shop/cart', 'produces-to', 'topic:k1/orders')
        ?.drift,
    ).toBe('declared-not-observed');
  });

  it('counts a declared producer as observed while the topic moves and it is the only declared writer', async () => {
    const moving = (rate: number) =>
      graphNode('topic:k1/orders', 'topic', {
        status: {
          state: 'healthy',
          metrics: { messagesPerSecond: rate },
          sampledAt: new Date().toISOString(),
        },
      });
    const { service, contributors } = await serviceWith({
      kafka: { nodes: [moving(0)], edges: [] },
      marathon: {
        nodes: [],
        edges: [
          declared(
            'app:local/cart',
            'produces-to',
            'topic:k1/orders',
            'config',
          ),
        ],
      },
    });
    const cart = () =>
      edgeOf(service, 'app:local/cart', 'produces-to', 'topic:k1/orders');
    expect(cart()?.drift).toBe('declared-not-observed');

    contributors.kafka.part = { nodes: [moving(12.5)], edges: [] };
    await service.refresh('kafka');
    expect(cart()?.drift).toBeUndefined();
    expect(cart()?.evidence?.observed).toEqual([
      'end offsets of orders move (12.5 msg/s) and /cart is its only declared producer',
    ]);

    // A second declared writer makes the writer ambiguous again.
    contributors.marathon.part = {
      nodes: [],
      edges: [
        declared('app:local/cart', 'produces-to', 'topic:k1/orders', 'config'),
        declared(
          'app:local/checkout',
          'produces-to',
          'topic:k1/orders',
          'config',
        ),
      ],
    };
    await service.refresh('marathon');
    expect(cart()?.drift).toBe('declared-not-observed');
  });

  it('re-takes a part soon after its contributor pushes a change', async () => {
    const contributor = new FakeGraphContributor(
      'kafka',
      shopPipeline().kafka,
      3_600_000,
    );
    const service = new GraphService({
      contributors: [contributor],
      logger,
      debounceMs: 1,
    });
    service.start();
    try {
      await eventually(() => expect(service.totals().nodes).toBeGreaterThan(0));
      contributor.push({
        nodes: [graphNode('topic:k1/fresh', 'topic')],
        edges: [],
      });
      await eventually(() =>
        expect(ids([...service.search('k1', {}).items])).toEqual([
          'topic:k1/fresh',
        ]),
      );
    } finally {
      service.close();
    }
  });

  it('keeps the last good part when a refresh fails, and reports the failure', async () => {
    const { service, contributors } = await shop();
    contributors.kafka.failWith = new Error('broker unreachable');
    await service.refresh('kafka');
    expect(service.node('topic:k1/orders').node.contributors).toEqual([
      'kafka',
    ]);
    expect(service.contributors().find(c => c.id === 'kafka')).toMatchObject({
      error: 'broker unreachable',
      nodes: 5,
    });
    contributors.kafka.failWith = undefined;
    await service.refresh('kafka');
    expect(
      service.contributors().find(c => c.id === 'kafka')?.error,
    ).toBeUndefined();
  });
});

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
