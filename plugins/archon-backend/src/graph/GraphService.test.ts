import { eventually } from '@archon/local-cluster/testing';
import {
  FakeGraphContributor,
  declared,
  graphNode,
  observed,
  shopPipeline,
} from '../__testUtils__/fakeGraphContributor';
import {
  edgeOf,
  ids,
  logger,
  serviceWith,
  shop,
} from '../__testUtils__/graphServiceKit';
import { GraphService } from './GraphService';

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
