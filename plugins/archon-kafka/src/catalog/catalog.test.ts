import {
  entityEnvelopeSchemaValidator,
  entityKindSchemaValidator,
  type Entity,
} from '@backstage/catalog-model';
import { mockServices } from '@backstage/backend-test-utils';
import {
  fixtureKafka,
  testCluster,
  testPrefix,
} from '../__testUtils__/cluster';
import { relationsOf } from '../__testUtils__/catalog';
import { ConnectService } from '../connect/ConnectService';
import { KafkaClientFactory } from '../kafka/KafkaClientFactory';
import { ArchonKafkaEntityProvider } from './ArchonKafkaEntityProvider';
import { ArchonKafkaRelationsProcessor } from './ArchonKafkaRelationsProcessor';
import { connectorEntity, entityName, topicEntity } from './entities';
import { KafkaTopology } from './KafkaTopology';

jest.setTimeout(120_000);

const defaults = {
  namespace: 'default',
  owner: 'group:default/kafka-admins',
  lifecycle: 'production',
  locationRef: 'url:http://archon/api/archon/kafka',
};

describe('catalog entities', () => {
  it('names entities validly and uniquely across clusters', () => {
    expect(entityName('prod', 'orders')).toBe('prod.orders');
    expect(entityName('prod', '__consumer_offsets')).toBe(
      'prod.__consumer_offsets',
    );
    expect(entityName('a', 'x'.repeat(249))).toHaveLength(63);
    expect(entityName('a', 'x'.repeat(249))).not.toBe(
      entityName('a', `${'x'.repeat(248)}y`),
    );
    expect(entityName('a', '-odd-')).toMatch(
      /^a.-odd-[0-9a-f]{8}$|^a\.-odd-[0-9a-f]{8}$/,
    );
  });

  it('builds entities that pass the catalog validators, with stable content', async () => {
    const validate = entityKindSchemaValidator as unknown;
    expect(validate).toBeDefined();
    const topic = topicEntity(defaults, {
      cluster: 'prod',
      name: 'orders',
      partitions: 3,
      replicationFactor: 3,
    });
    const connector = connectorEntity(defaults, {
      connectCluster: 'connect-prod',
      kafkaCluster: 'prod',
      name: 'orders-to-s3',
      type: 'sink',
      connectorClass: 'io.confluent.connect.s3.S3SinkConnector',
      topics: ['orders', 'audit'],
    });
    for (const e of [topic, connector]) {
      expect(() => entityEnvelopeSchemaValidator()(e)).not.toThrow();
      expect(e.metadata.annotations).toMatchObject({
        'backstage.io/managed-by-location': expect.stringMatching(/^url:/),
        'backstage.io/managed-by-origin-location':
          expect.stringMatching(/^url:/),
      });
    }
    expect(connector.spec).toMatchObject({
      type: 'kafka-connector',
      archonReadsFrom: [
        'resource:default/prod.audit',
        'resource:default/prod.orders',
      ],
    });
    // Same input, same JSON: the catalog's hash does not change between refreshes.
    expect(
      JSON.stringify(
        topicEntity(defaults, {
          cluster: 'prod',
          name: 'orders',
          partitions: 3,
          replicationFactor: 3,
        }),
      ),
    ).toBe(JSON.stringify(topic));
  });

  it('emits both directions of connector relations with word-only types', async () => {
    const processor = new ArchonKafkaRelationsProcessor({
      namespace: 'default',
    });
    const source = connectorEntity(defaults, {
      connectCluster: 'c',
      kafkaCluster: 'prod',
      name: 'files',
      type: 'source',
      connectorClass: null,
      topics: ['lines'],
    });
    const emitted = await relationsOf(processor, source);
    expect(emitted).toEqual([
      ['c.files', 'archonWritesTo', 'prod.lines'],
      ['prod.lines', 'archonWrittenBy', 'c.files'],
    ]);
    for (const [, type] of emitted) expect(type).toMatch(/^\w+$/);
  });

  it("relates a MirrorMaker replica to its source topic's entity on the other cluster, both directions", async () => {
    const replica = topicEntity(defaults, {
      cluster: 'dr',
      name: 'local.orders',
      partitions: 1,
      replicationFactor: 1,
      mirroredFrom: ['resource:default/local.orders'],
    });
    expect(replica.metadata.name).toBe('dr.local.orders');
    expect(replica.spec?.archonMirroredFrom).toEqual([
      'resource:default/local.orders',
    ]);
    expect(() => entityEnvelopeSchemaValidator()(replica)).not.toThrow();
    // A topic that is no replica carries no field (its JSON does not change).
    expect(
      topicEntity(defaults, {
        cluster: 'local',
        name: 'orders',
        partitions: 1,
        replicationFactor: 1,
        mirroredFrom: [],
      }).spec,
    ).not.toHaveProperty('archonMirroredFrom');
    expect(
      await relationsOf(
        new ArchonKafkaRelationsProcessor({ namespace: 'default' }),
        replica,
      ),
    ).toEqual([
      ['dr.local.orders', 'archonMirroredFrom', 'local.orders'],
      ['local.orders', 'archonMirrorsTo', 'dr.local.orders'],
    ]);
  });
});

describe('entity provider and processor against the local Kafka and Connect', () => {
  const prefix = testPrefix('catalog');
  const topic = `${prefix}events`;
  const group = `${prefix}reader`;
  let factory: KafkaClientFactory;
  let topology: KafkaTopology;

  beforeAll(async () => {
    const info = await testCluster();
    factory = new KafkaClientFactory(
      [
        {
          name: 'local',
          brokers: info.kafka.brokers,
          clientId: 'archon-test',
          requestTimeoutMs: 10000,
        },
      ],
      mockServices.logger.mock(),
    );
    topology = new KafkaTopology(
      factory,
      new ConnectService([
        {
          name: 'connect',
          url: info.connect.url,
          kafkaCluster: 'local',
          requestTimeoutMs: 10000,
        },
      ]),
    );
    await factory
      .adapter('local')
      .createTopic(
        { name: topic, partitions: 1, replicationFactor: 1, configs: {} },
        false,
      );
    await factory
      .adapter('local')
      .commitOffsets(group, [{ topic, partition: 0, offset: 0 }]);
  });

  afterAll(async () => {
    await factory
      .adapter('local')
      .deleteGroup(group)
      .catch(() => {});
    await factory
      .adapter('local')
      .deleteTopic(topic)
      .catch(() => {});
    await factory.close();
  });

  it('emits every topic as a full mutation and relations for annotated consumer groups', async () => {
    const provider = new ArchonKafkaEntityProvider({
      topology,
      defaults,
      logger: mockServices.logger.mock(),
    });
    const applyMutation = jest.fn();
    await provider.connect({ applyMutation, refresh: jest.fn() });
    await provider.refresh();
    const mutation = applyMutation.mock.calls[0][0];
    expect(mutation.type).toBe('full');
    const entities: Entity[] = mutation.entities.map(
      (d: { entity: Entity }) => d.entity,
    );
    const mine = entities.find(
      e => e.metadata.annotations?.['archon.io/kafka-topic'] === topic,
    );
    expect(mine).toMatchObject({
      kind: 'Resource',
      metadata: { name: `local.${topic}`, title: `${topic} (local)` },
      spec: { type: 'kafka-topic', partitions: 1 },
    });
    expect(
      entities.some(
        e =>
          e.metadata.annotations?.['archon.io/kafka-topic'] ===
          '__consumer_offsets',
      ),
    ).toBe(false);
    expect(
      mutation.entities.every(
        (d: { locationKey: string }) => d.locationKey === 'archon-kafka',
      ),
    ).toBe(true);
    expect(
      new Set(entities.map(e => `${e.kind}:${e.metadata.name}`)).size,
    ).toBe(entities.length);

    // A second refresh gives the same content (nothing for the catalog to rebuild).
    await provider.refresh();
    const again = applyMutation.mock.calls[1][0].entities.find(
      (d: { entity: Entity }) => d.entity.metadata.name === `local.${topic}`,
    ).entity;
    expect(JSON.stringify(again)).toBe(JSON.stringify(mine));

    const app: Entity = {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Component',
      metadata: {
        name: 'billing',
        annotations: { 'kafka.apache.org/consumer-groups': `local/${group}` },
      },
      spec: { type: 'service', lifecycle: 'production', owner: 'team-a' },
    };
    expect(
      await relationsOf(
        new ArchonKafkaRelationsProcessor({ topology, namespace: 'default' }),
        app,
      ),
    ).toEqual([
      ['billing', 'archonReadsFrom', `local.${topic}`],
      [`local.${topic}`, 'archonReadBy', 'billing'],
    ]);
    void fixtureKafka;
  });
});
