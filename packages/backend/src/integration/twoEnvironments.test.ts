/*
 * archon with both of the local cluster's environments, `local` and `dr`
 * (startArchonTestBackend's secondEnvironment), through the whole backend
 * (archon-backend and the Kafka and Marathon modules): /health probes two of
 * every kind of system and finds them up, both Marathon instances are deploy
 * targets, and a topic created on `dr` through the API lives on dr's Kafka only.
 */
import request from 'supertest';
import {
  eventually,
  getTestCluster,
  startArchonTestBackend,
  testNamespace,
  type ArchonTestBackend,
} from '@archon/test-utils';
import archonPlugin from '@archon/plugin-archon-backend';
import archonModuleKafka from '@archon/plugin-archon-kafka';
import archonModuleMarathon from '@archon/plugin-archon-marathon';

jest.setTimeout(120_000);

const cluster = getTestCluster();
const ns = testNamespace('two-environments');

let backend: ArchonTestBackend;

beforeAll(async () => {
  backend = await startArchonTestBackend({
    features: [archonPlugin, archonModuleKafka, archonModuleMarathon],
    label: 'two-environments',
    secondEnvironment: true,
    kafka: true,
    connect: true,
    marathon: {},
  });
});

afterAll(async () => {
  await backend?.stop();
});

it('lists both environments up in /health, at their own addresses', async () => {
  const dr = cluster.dr!;
  expect(dr).toBeDefined();
  const expected = [
    ['kafka', 'dr', dr.kafka.brokers.join(',')],
    ['kafka', 'local', cluster.kafka.brokers.join(',')],
    ['kafka-connect', 'dr', dr.connect.url],
    ['kafka-connect', 'local', cluster.connect.url],
    ['marathon', 'dr', backend.drMarathon!.url],
    ['marathon', 'local', backend.marathon!.url],
    ['zookeeper', 'dr', dr.zookeeper.connectionString],
    ['zookeeper', 'local', cluster.zookeeper.connectionString],
  ].map(([kind, name, endpoint]) => ({ kind, name, endpoint, status: 'up' }));
  // Live probes until all are up: the first ones from a backend that has just
  // started (new Kafka connections) can miss the probe deadline on a busy
  // 2-core machine; a system that stays down fails the test with the diff.
  await eventually(
    async () => {
      const res = await request(backend.server).get(
        '/api/archon/health?fresh=true',
      );
      expect(res.status).toBe(200);
      const systems = (
        res.body.systems as Array<{
          kind: string;
          name: string;
          endpoint: string;
          status: string;
          error?: string;
        }>
      )
        .map(s => ({
          kind: s.kind,
          name: s.name,
          endpoint: s.endpoint,
          status: s.status,
          ...(s.error ? { error: s.error } : {}),
        }))
        .sort((a, b) =>
          `${a.kind} ${a.name}` < `${b.kind} ${b.name}` ? -1 : 1,
        );
      expect(systems).toEqual(expected);
      expect(res.body.status).toBe('up');
    },
    30_000,
    500,
  );
});

it('offers both Marathon instances as deploy targets', async () => {
  const res = await request(backend.server).get('/api/archon/deploy-targets');
  expect(res.status).toBe(200);
  expect(
    (res.body.items as Array<{ name: string; endpoint: string }>)
      .map(t => `${t.name} ${t.endpoint}`)
      .sort(),
  ).toEqual([
    `dr ${backend.drMarathon!.url}`,
    `local ${backend.marathon!.url}`,
  ]);
});

it('creates a topic on dr that local does not have', async () => {
  const topic = `${ns.topicPrefix}replica-only`;
  const created = await request(backend.server)
    .post('/api/archon/kafka/dr/topics')
    .send({ name: topic, partitions: 1, replicationFactor: 1 });
  expect(created.status).toBe(201);

  const onDr = await request(backend.server).get(
    `/api/archon/kafka/dr/topics/${topic}`,
  );
  expect(onDr.status).toBe(200);
  expect(onDr.body.partitions).toHaveLength(1);
  const onLocal = await request(backend.server).get(
    `/api/archon/kafka/local/topics/${topic}`,
  );
  expect(onLocal.status).toBe(404);
  // The listings agree: dr's holds it, local's does not.
  await eventually(async () => {
    const dr = await request(backend.server).get(
      `/api/archon/kafka/dr/topics?filter=${ns.topicPrefix}`,
    );
    expect(dr.body.items.map((t: { name: string }) => t.name)).toEqual([topic]);
  });
  const local = await request(backend.server).get(
    `/api/archon/kafka/local/topics?filter=${ns.topicPrefix}`,
  );
  expect(local.status).toBe(200);
  expect(local.body.items).toEqual([]);

  const deleted = await request(backend.server).delete(
    `/api/archon/kafka/dr/topics/${topic}?confirm=${topic}`,
  );
  expect(deleted.status).toBe(200);
});
