import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  entityEnvelopeSchemaValidator,
  type Entity,
} from '@backstage/catalog-model';
import { mockServices } from '@backstage/backend-test-utils';
import { entityName } from '@archon/plugin-archon-node';
import { startLocalMarathon, type LocalMarathon } from '@archon/local-marathon';
import { readMarathonInstances } from '../marathon/config';
import { renderApp } from '../render/renderApp';
import { MarathonInstances } from '../marathon/MarathonInstances';
import { ConfigReader } from '@backstage/config';
import { ArchonMarathonEntityProvider } from './ArchonMarathonEntityProvider';
import { ArchonMarathonRelationsProcessor } from './ArchonMarathonRelationsProcessor';
import { appEntity } from './entities';
import { MarathonGraphContributor } from '../graph/MarathonGraphContributor';
import { topicReferences } from './topics';

jest.setTimeout(60_000);

const defaults = {
  namespace: 'default',
  owner: 'group:default/marathon-admins',
  lifecycle: 'production',
  locationRef: 'url:http://archon/api/archon/marathon',
  kafkaCluster: 'local',
};

/** Creates a stopped app on a local Marathon through Marathon's own REST API. */
async function createApp(
  url: string,
  app: { id: string; env: object; labels?: object },
) {
  const res = await fetch(`${url}/v2/apps`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      cmd: 'sleep 1000',
      instances: 0,
      cpus: 0.1,
      mem: 32,
      ...app,
    }),
  });
  if (res.status !== 201)
    throw new Error(`creating ${app.id}: ${res.status} ${await res.text()}`);
}

/** A provider over the instances, connected and refreshed once: its mutations so far and the entity count. */
async function refreshedProvider(instances: MarathonInstances) {
  const provider = new ArchonMarathonEntityProvider({
    instances,
    defaults,
    logger: mockServices.logger.mock(),
  });
  const applyMutation = jest.fn();
  await provider.connect({ applyMutation, refresh: jest.fn() });
  const count = await provider.refresh();
  return { provider, applyMutation, count };
}

describe('topic references', () => {
  it('reads topics from keys ending in topic/topics and tells input from output', () => {
    expect(
      topicReferences({
        'kafka.input.topics': 'orders, payments',
        KAFKA_OUTPUT_TOPIC: 'invoices',
        'kafka.error.topic': 'dead-letters',
        'consumer-topics': 'audit',
        'kafka.topic': 'ambiguous',
        'kafka.input.topic.count': '3',
        'db.url': 'jdbc:x',
      }),
    ).toEqual([
      { name: 'KAFKA_OUTPUT_TOPIC', direction: 'output', topics: ['invoices'] },
      { name: 'consumer-topics', direction: 'input', topics: ['audit'] },
      {
        name: 'kafka.error.topic',
        direction: 'output',
        topics: ['dead-letters'],
      },
      {
        name: 'kafka.input.topics',
        direction: 'input',
        topics: ['orders', 'payments'],
      },
    ]);
  });

  it("builds valid Components whose topic refs use archon-kafka's entity names", () => {
    const instance = readMarathonInstances(
      new ConfigReader({
        archon: {
          marathon: { instances: [{ name: 'local', url: 'http://x' }] },
        },
      }),
    )[0];
    const { app } = renderApp({
      instance,
      configPath: '/shop/billing',
      ensemble: 'local',
      releaseId: 'rel-1',
      properties: {
        'marathon.cmd': 'run',
        'kafka.input.topics': 'orders,payments',
        'kafka.output.topic': 'invoices',
        'archon.owner': 'group:default/billing',
        'archon.system': 'shop',
      },
    });
    const entity = appEntity(defaults, 'local', {
      ...app,
      version: '2024-01-01T00:00:00.000Z',
    });
    expect(() => entityEnvelopeSchemaValidator()(entity)).not.toThrow();
    expect(entity).toMatchObject({
      kind: 'Component',
      metadata: {
        name: 'local.shop.billing',
        title: '/shop/billing (local)',
        annotations: {
          'archon.io/marathon-instance': 'local',
          'archon.io/marathon-app-id': '/shop/billing',
          'archon.io/config-path': '/shop/billing',
          'archon.io/release': 'rel-1',
        },
      },
      spec: {
        type: 'service',
        owner: 'group:default/billing',
        system: 'shop',
        lifecycle: 'production',
        archonConsumesFrom: [
          `resource:default/${entityName('local', 'orders')}`,
          `resource:default/${entityName('local', 'payments')}`,
        ],
        archonProducesTo: [
          `resource:default/${entityName('local', 'invoices')}`,
        ],
      },
    });
  });

  it('emits both directions of each relation, with word-only types', async () => {
    const processor = new ArchonMarathonRelationsProcessor();
    const emitted: any[] = [];
    const entity = appEntity(defaults, 'local', {
      id: '/reader',
      env: { KAFKA_INPUT_TOPICS: 'a', KAFKA_OUTPUT_TOPIC: 'b' },
    });
    await processor.postProcessEntity(entity, { type: 'url', target: 'x' }, r =>
      emitted.push(r),
    );
    expect(
      emitted.map(r => [
        r.relation.source.name,
        r.relation.type,
        r.relation.target.name,
      ]),
    ).toEqual([
      ['local.reader', 'archonProducesTo', 'local.b'],
      ['local.b', 'archonProducedBy', 'local.reader'],
      ['local.reader', 'archonConsumesFrom', 'local.a'],
      ['local.a', 'archonConsumedBy', 'local.reader'],
    ]);
    for (const r of emitted) expect(r.relation.type).toMatch(/^\w+$/);
  });
});

describe('the entity provider against the local Marathon', () => {
  let marathon: LocalMarathon;
  let dataDir: string;
  let instances: MarathonInstances;

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(
      path.join(os.tmpdir(), 'archon-marathon-catalog-'),
    );
    marathon = await startLocalMarathon({ port: 0, dataDir });
    instances = new MarathonInstances(
      readMarathonInstances(
        new ConfigReader({
          archon: {
            marathon: {
              instances: [
                { name: 'local', url: marathon.url },
                {
                  name: 'down',
                  url: 'http://127.0.0.1:1',
                  requestTimeoutMs: 1000,
                },
              ],
            },
          },
        }),
      ),
      mockServices.logger.mock(),
    );
    for (const app of [
      {
        id: '/shop/billing',
        env: { KAFKA_INPUT_TOPICS: 'orders', KAFKA_OUTPUT_TOPIC: 'invoices' },
        labels: {
          ARCHON_CONFIG_PATH: '/shop/billing',
          ARCHON_OWNER: 'group:default/billing',
        },
      },
      { id: '/legacy', env: {}, labels: {} },
    ])
      await createApp(marathon.url, app);
  });

  afterAll(async () => {
    await instances?.close();
    await marathon?.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('registers every app as a Component in one full mutation, stable between refreshes', async () => {
    const { provider, applyMutation, count } = await refreshedProvider(
      instances,
    );
    expect(count).toBe(2);
    const mutation = applyMutation.mock.calls[0][0];
    expect(mutation.type).toBe('full');
    expect(
      mutation.entities.every(
        (d: { locationKey: string }) => d.locationKey === 'archon-marathon',
      ),
    ).toBe(true);
    const entities: Entity[] = mutation.entities.map(
      (d: { entity: Entity }) => d.entity,
    );
    expect(entities.map(e => e.metadata.name)).toEqual([
      'local.legacy',
      'local.shop.billing',
    ]);
    const billing = entities[1];
    expect(billing.spec).toMatchObject({
      type: 'service',
      owner: 'group:default/billing',
      archonConsumesFrom: ['resource:default/local.orders'],
      archonProducesTo: ['resource:default/local.invoices'],
    });
    expect(entities[0].spec).toMatchObject({
      owner: 'group:default/marathon-admins',
    });
    expect(
      entities[0].metadata.annotations?.['archon.io/config-path'],
    ).toBeUndefined();
    for (const e of entities)
      expect(() => entityEnvelopeSchemaValidator()(e)).not.toThrow();

    await provider.refresh();
    expect(JSON.stringify(applyMutation.mock.calls[1][0])).toBe(
      JSON.stringify(mutation),
    );
  });
});

describe('two Marathon instances with their own Kafka clusters (#20)', () => {
  const marathons: LocalMarathon[] = [];
  const dirs: string[] = [];
  let instances: MarathonInstances;

  beforeAll(async () => {
    for (const name of ['local', 'dr']) {
      const dataDir = fs.mkdtempSync(
        path.join(os.tmpdir(), `archon-marathon-catalog-${name}-`),
      );
      dirs.push(dataDir);
      marathons.push(await startLocalMarathon({ port: 0, dataDir }));
    }
    instances = new MarathonInstances(
      readMarathonInstances(
        new ConfigReader({
          archon: {
            kafka: { clusters: [{ name: 'local' }, { name: 'dr' }] },
            marathon: {
              instances: [
                { name: 'local', url: marathons[0].url },
                { name: 'dr', url: marathons[1].url, kafkaCluster: 'dr' },
              ],
            },
          },
        }),
      ),
      mockServices.logger.mock(),
    );
    // The same app id on both instances, as one configuration path deployed to two targets.
    for (const marathon of marathons)
      await createApp(marathon.url, {
        id: '/shop/billing',
        env: { KAFKA_INPUT_TOPICS: 'orders', KAFKA_OUTPUT_TOPIC: 'invoices' },
      });
  });

  afterAll(async () => {
    await instances?.close();
    for (const marathon of marathons) await marathon.close();
    for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
  });

  it("names one entity per instance, titled with it, whose relations point to its instance's Kafka cluster", async () => {
    const { applyMutation, count } = await refreshedProvider(instances);
    expect(count).toBe(2);
    const entities: Entity[] = applyMutation.mock.calls[0][0].entities.map(
      (d: { entity: Entity }) => d.entity,
    );
    const byName = new Map(entities.map(e => [e.metadata.name, e]));
    expect([...byName.keys()].sort()).toEqual([
      'dr.shop.billing',
      'local.shop.billing',
    ]);
    expect(byName.get('local.shop.billing')).toMatchObject({
      metadata: {
        title: '/shop/billing (local)',
        annotations: { 'archon.io/marathon-instance': 'local' },
      },
      spec: {
        archonConsumesFrom: ['resource:default/local.orders'],
        archonProducesTo: ['resource:default/local.invoices'],
      },
    });
    expect(byName.get('dr.shop.billing')).toMatchObject({
      metadata: {
        title: '/shop/billing (dr)',
        annotations: { 'archon.io/marathon-instance': 'dr' },
      },
      spec: {
        archonConsumesFrom: ['resource:default/dr.orders'],
        archonProducesTo: ['resource:default/dr.invoices'],
      },
    });
  });

  it("draws each instance's app reading and writing its instance's Kafka cluster in the graph", async () => {
    const contributor = new MarathonGraphContributor(
      instances,
      { kafkaCluster: 'local', catalogNamespace: 'default' },
      mockServices.logger.mock(),
    );
    const { edges } = await contributor.snapshot({
      signal: new AbortController().signal,
    });
    expect(
      edges
        .filter(e => e.kind === 'consumes-from' || e.kind === 'produces-to')
        .map(e => `${e.from} ${e.kind} ${e.to}`)
        .sort(),
    ).toEqual([
      'app:dr/shop/billing produces-to topic:dr/invoices',
      'app:local/shop/billing produces-to topic:local/invoices',
      'topic:dr/orders consumes-from app:dr/shop/billing',
      'topic:local/orders consumes-from app:local/shop/billing',
    ]);
  });

  it('refuses an instance whose kafkaCluster is not a configured Kafka cluster', () => {
    expect(() =>
      readMarathonInstances(
        new ConfigReader({
          archon: {
            kafka: { clusters: [{ name: 'local' }] },
            marathon: {
              instances: [{ name: 'dr', url: 'http://x', kafkaCluster: 'dr' }],
            },
          },
        }),
      ),
    ).toThrow(
      'archon.marathon.instances "dr": kafkaCluster "dr" is not a configured Kafka cluster (archon.kafka.clusters: local)',
    );
    // A Marathon-only archon has no Kafka cluster to check the name against.
    expect(
      readMarathonInstances(
        new ConfigReader({
          archon: {
            marathon: {
              instances: [{ name: 'dr', url: 'http://x', kafkaCluster: 'dr' }],
            },
          },
        }),
      )[0].kafkaCluster,
    ).toBe('dr');
  });
});
