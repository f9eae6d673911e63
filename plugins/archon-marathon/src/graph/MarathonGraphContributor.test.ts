import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import type { ArchonGraphContribution } from '@archon/plugin-archon-node';
import request from 'supertest';
import {
  envServerCommand,
  startHarness,
  waitFor,
  type Harness,
} from '../__testUtils__/harness';
import { appEntityName } from '../catalog/entities';
import { readMarathonInstances } from '../marathon/config';
import { MarathonInstances } from '../marathon/MarathonInstances';
import { MarathonGraphContributor } from './MarathonGraphContributor';

jest.setTimeout(180_000);

/**
 * The contributor against a local Marathon-compatible server of this test
 * file (apps run as real processes), with apps deployed through archon's
 * deploy flow from a Pheidippides hierarchy in the real ZooKeeper.
 */
describe('MarathonGraphContributor', () => {
  let h: Harness;
  let instances: MarathonInstances;
  let contributor: MarathonGraphContributor;
  const signal = () => new AbortController().signal;

  beforeAll(async () => {
    h = await startHarness({ label: 'graph', deploymentTimeoutMs: 20_000 });
    instances = new MarathonInstances(
      readMarathonInstances(
        new ConfigReader({
          archon: {
            marathon: { instances: [{ name: 'local', url: h.marathon.url }] },
          },
        }),
      ),
      mockServices.logger.mock(),
    );
    contributor = new MarathonGraphContributor(
      instances,
      { kafkaCluster: 'main', catalogNamespace: 'default' },
      mockServices.logger.mock(),
    );
    const writes = [
      await h.put('/shop', {
        'marathon.cmd': envServerCommand(),
        'marathon.ports': 'http',
        'marathon.cpus': '0.1',
        'marathon.mem': '64',
        'marathon.taskKillGracePeriodSeconds': '1',
        'marathon.upgrade.minimumHealthCapacity': '0',
      }),
      await h.put('/shop/team', { 'kafka.input.topics': 'orders' }),
      await h.put('/shop/team/cart', {
        'kafka.input.topics': 'orders, payments',
        'kafka.output.topics': 'cart-events',
        'kafka.group.id': 'cart',
        'marathon.healthCheck.path': '/',
        'marathon.healthCheck.gracePeriodSeconds': '2',
        'marathon.healthCheck.intervalSeconds': '1',
        'marathon.healthCheck.timeoutSeconds': '1',
        'marathon.labels.HAPROXY_GROUP': 'external',
        'marathon.labels.HAPROXY_0_VHOST': 'shop.example.com',
        'marathon.labels.HAPROXY_0_PATH': '/cart',
      }),
      // Another Kafka cluster, an error topic, and no group id (so no belongs-to edge).
      await h.put('/shop/worker', {
        'kafka.cluster': 'other',
        'kafka.error.topic': 'worker-dlq',
        'marathon.instances': '2',
      }),
    ];
    if (writes.some(w => w.status !== 200))
      throw new Error(
        `config writes failed: ${JSON.stringify(writes.map(w => w.body))}`,
      );
    for (const configPath of ['/shop/team/cart', '/shop/worker']) {
      const res = await request(h.server)
        .post(h.api('/deployments'))
        .send({ configPath, instance: 'local', wait: true });
      if (res.body.status !== 'succeeded')
        throw new Error(`deploying ${configPath}: ${JSON.stringify(res.body)}`);
    }
  });

  afterAll(async () => {
    await instances?.close();
    await h?.stop();
  });

  const edgesOf = (g: ArchonGraphContribution) =>
    g.edges
      .map(
        e =>
          `${e.from} ${e.kind} ${e.to}${
            e.evidence ? ` ${JSON.stringify(e.evidence)}` : ''
          }`,
      )
      .sort();

  it('contributes apps with status, declared topics and groups, configuration levels and routes', async () => {
    const graph = await waitFor(
      async () => {
        const g = await contributor.snapshot({ signal: signal() });
        const state = (id: string) =>
          g.nodes.find(n => n.id === id)?.status?.state;
        // The cart has a health check; the worker has none, so it runs.
        return state('app:local/shop/team/cart') === 'healthy' &&
          state('app:local/shop/worker') === 'running'
          ? g
          : undefined;
      },
      60_000,
      'the cart healthy and the worker running',
    );
    const release = (appId: string) =>
      (
        graph.nodes.find(n => n.id === `app:local/${appId}`)?.attributes as {
          release: string;
        }
      ).release;
    const cartRelease = release('shop/team/cart');
    const workerRelease = release('shop/worker');
    expect(cartRelease).toMatch(/\S/);

    expect(graph.nodes.find(n => n.id === 'app:local/shop/team/cart')).toEqual({
      id: 'app:local/shop/team/cart',
      kind: 'app',
      name: '/shop/team/cart',
      system: 'marathon',
      cluster: 'local',
      entityRef: `component:default/${appEntityName(
        'local',
        '/shop/team/cart',
      )}`,
      attributes: {
        instances: 1,
        cpus: 0.1,
        mem: 64,
        configPath: '/shop/team/cart',
        release: cartRelease,
        managedBy: 'archon',
      },
      status: {
        state: 'healthy',
        summary: 'healthy, 1/1 tasks healthy',
        metrics: {
          instances: 1,
          tasksRunning: 1,
          tasksHealthy: 1,
          tasksStaged: 0,
          tasksUnhealthy: 0,
        },
        sampledAt: expect.any(String),
      },
    });
    expect(
      graph.nodes.find(n => n.id === 'app:local/shop/worker')?.status,
    ).toMatchObject({
      state: 'running',
      summary: 'running, 2/2 tasks running',
    });
    expect(graph.nodes.find(n => n.kind === 'route')).toEqual({
      id: 'route:local.external/shop.example.com/cart',
      kind: 'route',
      name: 'shop.example.com/cart',
      system: 'gateway',
      cluster: 'local',
      attributes: {
        source: 'marathon-lb',
        gateway: 'local.external',
        entry: 'external',
        vhost: 'shop.example.com',
        path: '/cart',
        port: expect.any(Number),
        mode: 'http',
      },
    });
    expect(graph.nodes.map(n => n.id).sort()).toEqual([
      'app:local/shop/team/cart',
      'app:local/shop/worker',
      'cluster:marathon/local',
      'route:local.external/shop.example.com/cart',
    ]);

    const servicePort = (
      graph.nodes.find(n => n.kind === 'route')?.attributes as { port: number }
    ).port;
    const cartFrom = ` (deployed from /shop/team/cart, release ${cartRelease})`;
    const declared = (what: string) =>
      JSON.stringify({ declared: [`${what}${cartFrom}`] });
    expect(edgesOf(graph)).toEqual(
      [
        'app:local/shop/team/cart runs-on cluster:marathon/local',
        'app:local/shop/worker runs-on cluster:marathon/local',
        `app:local/shop/team/cart produces-to topic:main/cart-events ${declared(
          'env KAFKA_OUTPUT_TOPICS',
        )}`,
        `app:local/shop/worker produces-to topic:other/worker-dlq ${JSON.stringify(
          {
            declared: [
              `env KAFKA_ERROR_TOPIC (deployed from /shop/worker, release ${workerRelease})`,
            ],
          },
        )}`,
        'config:/shop configured-by app:local/shop/team/cart',
        'config:/shop/team configured-by app:local/shop/team/cart',
        'config:/shop/team/cart configured-by app:local/shop/team/cart',
        'config:/shop configured-by app:local/shop/worker',
        'config:/shop/worker configured-by app:local/shop/worker',
        `group:main/cart belongs-to app:local/shop/team/cart ${declared(
          'env KAFKA_GROUP_ID',
        )}`,
        `topic:main/orders consumes-from app:local/shop/team/cart ${declared(
          'env KAFKA_INPUT_TOPICS',
        )}`,
        `topic:main/payments consumes-from app:local/shop/team/cart ${declared(
          'env KAFKA_INPUT_TOPICS',
        )}`,
        `route:local.external/shop.example.com/cart routes-to app:local/shop/team/cart ${JSON.stringify(
          {
            declared: [
              `labels HAPROXY_0_PATH=/cart HAPROXY_0_VHOST=shop.example.com HAPROXY_GROUP=external (service port ${servicePort}, weight 1)`,
            ],
          },
        )}`,
      ].sort(),
    );
  });

  it('pushes a change when Marathon reports one, and the next snapshot shows it', async () => {
    let changes = 0;
    const unsubscribe = contributor.onChange(() => void changes++);
    try {
      await instances.get('local').events.waitConnected(10_000);
      const baseline = changes;
      const scaled = await request(h.server).post(h.api('/apps/scale')).send({
        configPath: '/shop/worker',
        instance: 'local',
        instances: 1,
        wait: true,
      });
      expect(scaled.body.status).toBe('succeeded');
      await waitFor(
        async () => changes > baseline,
        10_000,
        'a change to be pushed',
      );
      const graph = await contributor.snapshot({ signal: signal() });
      expect(
        graph.nodes.find(n => n.id === 'app:local/shop/worker')?.status,
      ).toMatchObject({ summary: 'running, 1/1 tasks running' });
    } finally {
      unsubscribe();
    }
  });

  it('keeps the last apps of an instance that stops answering, its cluster node failed', async () => {
    const before = await contributor.snapshot({ signal: signal() });
    jest
      .spyOn(instances.get('local').client, 'listApps')
      .mockRejectedValueOnce(new Error('Marathon "local" is unreachable'));
    const after = await contributor.snapshot({ signal: signal() });
    expect(
      after.nodes.find(n => n.id === 'cluster:marathon/local')?.status,
    ).toMatchObject({
      state: 'failed',
      summary: 'unreachable: Marathon "local" is unreachable',
    });
    expect(after.nodes.filter(n => n.kind === 'app').map(n => n.id)).toEqual(
      before.nodes.filter(n => n.kind === 'app').map(n => n.id),
    );
    expect(edgesOf(after)).toEqual(edgesOf(before));
  });
});
