/*
 * The graph while the Kafka broker is frozen (SIGSTOP on a private Kafka):
 * the Kafka contributor cannot refresh, the graph keeps its last part and
 * `GET /graph` says so (the contributor, its nodes and the answer marked
 * stale with asOf, a Warning header naming the contributor); after the thaw
 * the next refresh clears it without a restart.
 */
import { PrivateCluster, startPrivateCluster } from '@archon/local-cluster';
import request from 'supertest';
import { until } from '@archon/test-utils';
import { startKafkaModuleBackend } from '../__testUtils__/kafkaModuleBackend';

jest.setTimeout(240_000);

const topic = 'stale-orders';
const nodeId = `topic:private/${topic}`;

let cluster: PrivateCluster;
let backend: Awaited<ReturnType<typeof startKafkaModuleBackend>>;
let server: Parameters<typeof request>[0];

type Contributor = {
  id: string;
  refreshedAt?: string;
  stale?: boolean;
  asOf?: string;
};
const kafkaPart = (body: { contributors?: Contributor[] }) =>
  body.contributors?.find(c => c.id === 'kafka');
const graph = () => request(server).get('/api/archon/graph?kinds=topic');

beforeAll(async () => {
  cluster = await startPrivateCluster(['kafka'], { label: 'graph-stale' });
  backend = await startKafkaModuleBackend({
    kafka: {
      requestTimeoutSeconds: 3,
      clusters: [{ name: 'private', brokers: cluster.info.kafka.brokers }],
      sampler: { enabled: false },
      graph: { refreshIntervalSeconds: 2 },
    },
  });
  server = backend.server;
  const created = await until(
    () =>
      request(server)
        .post('/api/archon/kafka/private/topics')
        .send({ name: topic, partitions: 1, replicationFactor: 1 }),
    res => res.status === 201,
  );
  if (created.status !== 201)
    throw new Error(
      `could not create the test topic: ${JSON.stringify(created.body)}`,
    );
});

afterAll(async () => {
  await backend?.stop();
  await cluster?.dispose();
});

it('marks the Kafka part of the graph stale while the broker is frozen, and fresh again after the thaw', async () => {
  const fresh = await until(graph, res =>
    (res.body.nodes ?? []).some((n: { id: string }) => n.id === nodeId),
  );
  expect(fresh.status).toBe(200);
  expect(fresh.body.stale).toBeUndefined();
  expect(kafkaPart(fresh.body)?.stale).toBeUndefined();

  await cluster.freeze('kafka');
  const frozenAt = Date.now();
  let stale;
  try {
    stale = await until(graph, res => !!kafkaPart(res.body)?.stale, 60_000);
  } finally {
    await cluster.thaw('kafka');
  }
  expect(stale.status).toBe(200);
  const part = kafkaPart(stale.body)!;
  expect(part.stale).toBe(true);
  expect(Date.parse(part.asOf!)).toBeLessThanOrEqual(frozenAt);
  expect(stale.body).toMatchObject({ stale: true, asOf: part.asOf });
  const node = stale.body.nodes.find((n: { id: string }) => n.id === nodeId);
  expect(node).toMatchObject({ stale: true, asOf: part.asOf });
  expect((stale as request.Response).headers.warning).toMatch(
    /^110 archon "Response is Stale: the source of graph contributor 'kafka' \(Kafka cluster 'private'\) is not reachable/,
  );

  // After the thaw the next refresh works and the marks go.
  const recovered = await until(graph, res => {
    const c = kafkaPart(res.body);
    return !!c && !c.stale && Date.parse(c.refreshedAt ?? '') > frozenAt;
  });
  expect(kafkaPart(recovered.body)?.stale).toBeUndefined();
  expect(recovered.body.stale).toBeUndefined();
  expect(
    recovered.body.nodes.find((n: { id: string }) => n.id === nodeId)?.stale,
  ).toBeUndefined();
});
