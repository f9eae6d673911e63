/*
 * Catalog relations of a MirrorMaker 2 mirror across the two environments
 * of the local cluster (#20): a MirrorSourceConnector on dr's Connect
 * replicates a local topic to `local.<topic>` on dr's Kafka, as the sample
 * pipeline does. The replica's entity (`dr.local.<topic>`) relates to the
 * source topic's entity on local (`local.<topic>`), not to a topic of the
 * same name on dr; a topic the connector declares but has not replicated
 * yet relates to nothing.
 */
import { mockServices } from '@backstage/backend-test-utils';
import { waitFor } from '@archon/test-utils';
import { refreshedEntities, relationsOf } from '../__testUtils__/catalog';
import { testCluster, testPrefix } from '../__testUtils__/cluster';
import { ConnectService } from '../connect/ConnectService';
import { KafkaClientFactory } from '../kafka/KafkaClientFactory';
import { ArchonKafkaEntityProvider } from './ArchonKafkaEntityProvider';
import { ArchonKafkaRelationsProcessor } from './ArchonKafkaRelationsProcessor';
import { KafkaTopology } from './KafkaTopology';

jest.setTimeout(240_000);

const prefix = testPrefix('mirror-rel');
const topic = `${prefix}orders`;
// Created after the connector started: MirrorMaker looks for new source
// topics every refresh.topics.interval.seconds (600 s by default), so
// during this test it is declared and not replicated.
const later = `${prefix}later`;
const replica = `local.${topic}`;
const connector = `${prefix}mirror`;
const defaults = {
  namespace: 'default',
  owner: 'group:default/kafka-admins',
  lifecycle: 'production',
  locationRef: 'url:http://archon/api/archon/kafka',
};

let factory: KafkaClientFactory;
let connect: ConnectService;

beforeAll(async () => {
  const info = await testCluster();
  if (!info.dr)
    throw new Error(
      'the local cluster runs no second environment (dr): `yarn workspace @archon/local-cluster cli start` starts both',
    );
  factory = new KafkaClientFactory(
    [
      { name: 'local', brokers: info.kafka.brokers },
      { name: 'dr', brokers: info.dr.kafka.brokers },
    ].map(c => ({ ...c, clientId: 'archon-test', requestTimeoutMs: 10000 })),
    mockServices.logger.mock(),
  );
  connect = new ConnectService([
    {
      name: 'local',
      url: info.connect.url,
      kafkaCluster: 'local',
      requestTimeoutMs: 10000,
    },
    {
      name: 'dr',
      url: info.dr.connect.url,
      kafkaCluster: 'dr',
      requestTimeoutMs: 10000,
    },
  ]);
  await factory
    .adapter('local')
    .createTopic(
      { name: topic, partitions: 1, replicationFactor: 1, configs: {} },
      false,
    );
  await connect.create('dr', connector, {
    'connector.class': 'org.apache.kafka.connect.mirror.MirrorSourceConnector',
    'tasks.max': '1',
    'source.cluster.alias': 'local',
    'target.cluster.alias': 'dr',
    'source.cluster.bootstrap.servers': info.kafka.brokers.join(','),
    'target.cluster.bootstrap.servers': info.dr.kafka.brokers.join(','),
    topics: `${topic},${later}`,
    'replication.factor': '1',
    'sync.topic.acls.enabled': 'false',
    'sync.topic.configs.enabled': 'false',
    'emit.offset-syncs.enabled': 'false',
    'key.converter': 'org.apache.kafka.connect.converters.ByteArrayConverter',
    'value.converter': 'org.apache.kafka.connect.converters.ByteArrayConverter',
  });
  // MirrorMaker creates the replica on dr when its task starts.
  await waitFor(
    async () =>
      (
        await factory.adapter('dr').metadata()
      ).topics.some(t => t.name === replica),
    120_000,
    `replica ${replica} on dr`,
    1000,
  );
  await factory
    .adapter('local')
    .createTopic(
      { name: later, partitions: 1, replicationFactor: 1, configs: {} },
      false,
    );
});

afterAll(async () => {
  await connect?.delete('dr', connector).catch(() => {});
  for (const [cluster, name] of [
    ['local', topic],
    ['local', later],
    ['dr', replica],
    ['dr', `local.${later}`],
  ])
    await factory
      ?.adapter(cluster)
      .deleteTopic(name)
      .catch(() => {});
  await factory?.close();
});

it("relates dr's replica to local's source topic entity, declared from the MirrorSourceConnector", async () => {
  const topology = new KafkaTopology(factory, connect);
  const provider = new ArchonKafkaEntityProvider({
    topology,
    defaults,
    logger: mockServices.logger.mock(),
  });
  // Two refreshes give the same content (nothing for the catalog to rebuild).
  const [entities, again] = await refreshedEntities(provider, 2);
  const byName = (name: string) => entities.find(e => e.metadata.name === name);
  const replicaEntity = byName(`dr.${replica}`);
  expect(replicaEntity).toMatchObject({
    metadata: {
      title: `${replica} (dr)`,
      annotations: {
        'archon.io/kafka-cluster': 'dr',
        'archon.io/kafka-topic': replica,
      },
    },
    spec: { archonMirroredFrom: [`resource:default/local.${topic}`] },
  });
  // The source holds no field: the replica's entity emits both directions.
  expect(byName(`local.${topic}`)?.spec).not.toHaveProperty(
    'archonMirroredFrom',
  );
  // Declared, not replicated: no replica entity, and nothing names it.
  expect(
    (await factory.adapter('dr').metadata()).topics.map(t => t.name),
  ).not.toContain(`local.${later}`);
  expect(byName(`local.${later}`)).toBeDefined();
  expect(
    entities.filter(e =>
      JSON.stringify(e.spec?.archonMirroredFrom ?? []).includes(later),
    ),
  ).toEqual([]);

  // The connector's entity does not claim dr has a topic named like the
  // source: its configured `topics` are local's.
  expect(byName(`dr.${connector}`)?.spec?.connectorType).toBe('source');
  expect(byName(`dr.${connector}`)?.spec?.archonWritesTo ?? []).not.toContain(
    `resource:default/dr.${topic}`,
  );

  expect(
    await relationsOf(
      new ArchonKafkaRelationsProcessor({ topology, namespace: 'default' }),
      replicaEntity!,
    ),
  ).toEqual([
    [`dr.${replica}`, 'archonMirroredFrom', `local.${topic}`],
    [`local.${topic}`, 'archonMirrorsTo', `dr.${replica}`],
  ]);

  expect(
    JSON.stringify(again.find(e => e.metadata.name === `dr.${replica}`)),
  ).toBe(JSON.stringify(replicaEntity));
});
