/*
 * Two real Kafka clusters holding a topic of the same name (#20): the shared
 * local Kafka as `local` and a private one as `dr`. The catalog registers one
 * entity per cluster, named and titled apart, and the relations of a consumer
 * group point to its own cluster's topic; the graph's one search finds both
 * and says which cluster each is on.
 */
import { mockServices } from '@backstage/backend-test-utils';
import {
  startPrivateCluster,
  type PrivateCluster,
} from '@archon/local-cluster';
import { until } from '@archon/test-utils';
import request from 'supertest';
import { refreshedEntities, relationsOf } from '../__testUtils__/catalog';
import { testCluster, testPrefix } from '../__testUtils__/cluster';
import { startKafkaModuleBackend } from '../__testUtils__/kafkaModuleBackend';
import { ConnectService } from '../connect/ConnectService';
import { KafkaClientFactory } from '../kafka/KafkaClientFactory';
import { ArchonKafkaEntityProvider } from './ArchonKafkaEntityProvider';
import { ArchonKafkaRelationsProcessor } from './ArchonKafkaRelationsProcessor';
import { KafkaTopology } from './KafkaTopology';

jest.setTimeout(240_000);

const prefix = testPrefix('two-clusters');
const topic = `${prefix}aggregated`;
const group = `${prefix}reader`;
const defaults = {
  namespace: 'default',
  owner: 'group:default/kafka-admins',
  lifecycle: 'production',
  locationRef: 'url:http://archon/api/archon/kafka',
};

let dr: PrivateCluster;
let factory: KafkaClientFactory;
let clusters: Array<{ name: string; brokers: string[] }>;

beforeAll(async () => {
  const [local, privateCluster] = await Promise.all([
    testCluster(),
    startPrivateCluster(['kafka'], { label: 'two-clusters' }),
  ]);
  dr = privateCluster;
  clusters = [
    { name: 'local', brokers: local.kafka.brokers },
    { name: 'dr', brokers: dr.info.kafka.brokers },
  ];
  factory = new KafkaClientFactory(
    clusters.map(c => ({
      ...c,
      clientId: 'archon-test',
      requestTimeoutMs: 10000,
    })),
    mockServices.logger.mock(),
  );
  for (const { name } of clusters) {
    await factory
      .adapter(name)
      .createTopic(
        { name: topic, partitions: 1, replicationFactor: 1, configs: {} },
        false,
      );
    await factory
      .adapter(name)
      .commitOffsets(group, [{ topic, partition: 0, offset: 0 }]);
  }
});

afterAll(async () => {
  // The private cluster goes whole; only the shared one needs its topic and group removed.
  await factory
    ?.adapter('local')
    .deleteGroup(group)
    .catch(() => {});
  await factory
    ?.adapter('local')
    .deleteTopic(topic)
    .catch(() => {});
  await factory?.close();
  await dr?.dispose();
});

it("registers the same topic name on two clusters as two entities, and relations point to each cluster's own", async () => {
  const topology = new KafkaTopology(factory, new ConnectService([]));
  const provider = new ArchonKafkaEntityProvider({
    topology,
    defaults,
    logger: mockServices.logger.mock(),
  });
  const [entities] = await refreshedEntities(provider);
  const mine = entities
    .filter(e => e.metadata.annotations?.['archon.io/kafka-topic'] === topic)
    .map(e => ({
      name: e.metadata.name,
      title: e.metadata.title,
      cluster: e.metadata.annotations?.['archon.io/kafka-cluster'],
    }))
    .sort((a, b) => a.name.localeCompare(b.name));
  expect(mine).toEqual([
    { name: `dr.${topic}`, title: `${topic} (dr)`, cluster: 'dr' },
    { name: `local.${topic}`, title: `${topic} (local)`, cluster: 'local' },
  ]);
  // No two entities of the mutation share a name (the catalog would keep one).
  expect(new Set(entities.map(e => `${e.kind}:${e.metadata.name}`)).size).toBe(
    entities.length,
  );

  // A consumer annotated with the group on dr reads dr's topic, not local's.
  const relationsOfReader = (clusterOfGroup: string) =>
    relationsOf(
      new ArchonKafkaRelationsProcessor({ topology, namespace: 'default' }),
      {
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'Component',
        metadata: {
          name: 'replica-reader',
          annotations: {
            'kafka.apache.org/consumer-groups': `${clusterOfGroup}/${group}`,
          },
        },
        spec: { type: 'service', lifecycle: 'production', owner: 'team-a' },
      },
    );
  expect(await relationsOfReader('dr')).toEqual([
    ['replica-reader', 'archonReadsFrom', `dr.${topic}`],
    [`dr.${topic}`, 'archonReadBy', 'replica-reader'],
  ]);
  expect(await relationsOfReader('local')).toEqual([
    ['replica-reader', 'archonReadsFrom', `local.${topic}`],
    [`local.${topic}`, 'archonReadBy', 'replica-reader'],
  ]);
});

it('finds the topic on both clusters with one graph search, each with its cluster', async () => {
  const backend = await startKafkaModuleBackend({
    kafka: {
      clusters,
      sampler: { enabled: false },
      graph: { refreshIntervalSeconds: 2 },
    },
  });
  try {
    const hitsOf = (res: { body: any }) =>
      ((res.body.items ?? []) as Array<{ id: string; cluster?: string }>)
        .map(n => ({ id: n.id, cluster: n.cluster }))
        .sort((a, b) => a.id.localeCompare(b.id));
    const found = await until(
      () =>
        request(backend.server)
          .get('/api/archon/graph/search')
          .query({ q: topic, kinds: 'topic' }),
      res => hitsOf(res).length === 2,
    );
    expect(found.status).toBe(200);
    expect(hitsOf(found)).toEqual([
      { id: `topic:dr/${topic}`, cluster: 'dr' },
      { id: `topic:local/${topic}`, cluster: 'local' },
    ]);
    // The consumer group of the same name is found on both clusters too.
    const groups = await request(backend.server)
      .get('/api/archon/graph/search')
      .query({ q: group, kinds: 'consumer-group' });
    expect(hitsOf(groups).map(h => h.cluster)).toEqual(['dr', 'local']);
  } finally {
    await backend.stop();
  }
});
