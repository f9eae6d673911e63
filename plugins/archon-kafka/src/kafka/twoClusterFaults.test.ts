/*
 * One of two Kafka clusters stopped (#20): the shared local Kafka as `local`
 * and a private one as `dr`, which the test stops and starts again. While dr
 * is down everything about local keeps answering in its usual time (topic
 * list, graph, /health), dr answers 503 within its deadline and shows
 * `unreachable` in /health within the probe interval, and the graph keeps
 * dr's last good part marked stale while local's stays fresh. After the
 * restart dr is up and fresh again by itself.
 */
import {
  startPrivateCluster,
  type PrivateCluster,
} from '@archon/local-cluster';
import { answerOf, until } from '@archon/test-utils';
import request from 'supertest';
import { testCluster, testPrefix } from '../__testUtils__/cluster';
import { startKafkaModuleBackend } from '../__testUtils__/kafkaModuleBackend';

jest.setTimeout(300_000);

const INTERVAL_MS = 2000;
const PROBE_TIMEOUT_MS = 1000;
const DR_TIMEOUT_MS = 3000;

const topic = `${testPrefix('two-cluster-faults')}orders`;

let dr: PrivateCluster;
let backend: Awaited<ReturnType<typeof startKafkaModuleBackend>>;
let server: Parameters<typeof request>[0];

type Node = { id: string; cluster?: string; stale?: boolean; asOf?: string };
type Answered = { status: number; body: any; headers?: Record<string, string> };

/** A request's answer and how long it took. */
async function timed(
  test: request.Test,
): Promise<{ res: Answered; ms: number }> {
  const started = Date.now();
  const res = await answerOf(test, 60_000);
  return { res, ms: Date.now() - started };
}

const kafkaStatus = (res: Answered, name: string) =>
  (res.body.systems ?? []).find(
    (s: { kind: string; name: string }) =>
      s.kind === 'kafka' && s.name === name,
  )?.status;
const health = () => request(server).get('/api/archon/health');
const graph = () =>
  request(server).get('/api/archon/graph?kinds=topic,cluster');
const topicNode = (res: Answered, cluster: string) =>
  (res.body.nodes as Node[] | undefined)?.find(
    n => n.id === `topic:${cluster}/${topic}`,
  );

beforeAll(async () => {
  const [local, privateCluster] = await Promise.all([
    testCluster(),
    startPrivateCluster(['kafka'], { label: 'two-cluster-faults' }),
  ]);
  dr = privateCluster;
  backend = await startKafkaModuleBackend({
    health: { intervalSeconds: INTERVAL_MS / 1000 },
    healthProbeTimeoutMs: PROBE_TIMEOUT_MS,
    kafka: {
      clusters: [
        { name: 'local', brokers: local.kafka.brokers },
        {
          name: 'dr',
          brokers: dr.info.kafka.brokers,
          requestTimeoutMs: DR_TIMEOUT_MS,
        },
      ],
      sampler: { enabled: false },
      graph: { refreshIntervalSeconds: 2 },
    },
  });
  server = backend.server;
  const api = backend.server;
  for (const cluster of ['local', 'dr']) {
    const created = await until(
      () =>
        request(api)
          .post(`/api/archon/kafka/${cluster}/topics`)
          .send({ name: topic, partitions: 1, replicationFactor: 1 }),
      res => res.status === 201,
    );
    if (created.status !== 201)
      throw new Error(
        `could not create ${topic} on ${cluster}: ${JSON.stringify(
          created.body,
        )}`,
      );
  }
});

afterAll(async () => {
  await request(server)
    .delete(`/api/archon/kafka/local/topics/${topic}`)
    .catch(() => {});
  await backend?.stop();
  await dr?.dispose();
});

it('keeps local answering while dr is stopped, marks dr unreachable and its graph part stale, and recovers after the restart', async () => {
  const bothUp = await until(
    health,
    res =>
      kafkaStatus(res, 'local') === 'up' && kafkaStatus(res, 'dr') === 'up',
  );
  expect([kafkaStatus(bothUp, 'local'), kafkaStatus(bothUp, 'dr')]).toEqual([
    'up',
    'up',
  ]);
  const fresh = await until(
    graph,
    res => !!topicNode(res, 'local') && !!topicNode(res, 'dr'),
  );
  expect(topicNode(fresh, 'dr')?.stale).toBeUndefined();
  const drListed = await request(server)
    .get('/api/archon/kafka/dr/topics')
    .query({ filter: topic });
  expect(drListed.status).toBe(200);

  await dr.stop('kafka');
  const stoppedAt = Date.now();

  // /health says dr is unreachable within one probe interval (plus the probe's deadline), local still up.
  const down = await until(
    health,
    res => kafkaStatus(res, 'dr') === 'unreachable',
    30_000,
  );
  const noticedMs = Date.now() - stoppedAt;
  expect(kafkaStatus(down, 'dr')).toBe('unreachable');
  expect(kafkaStatus(down, 'local')).toBe('up');
  expect(noticedMs).toBeLessThan(INTERVAL_MS + PROBE_TIMEOUT_MS + 2000);

  // Local's reads answer as before; dr's fail within their deadline, none hangs.
  const localTopics = await timed(
    request(server)
      .get('/api/archon/kafka/local/topics')
      .query({ filter: topic }),
  );
  expect(localTopics.res.status).toBe(200);
  expect(
    localTopics.res.body.items.map((t: { name: string }) => t.name),
  ).toEqual([topic]);
  expect(localTopics.ms).toBeLessThan(5000);
  // dr's list is its last answer, marked stale (taken before the stop), within dr's deadline.
  const drTopics = await timed(
    request(server).get('/api/archon/kafka/dr/topics').query({ filter: topic }),
  );
  expect(drTopics.res.status).toBe(200);
  expect(drTopics.res.body).toMatchObject({ stale: true });
  expect(Date.parse(drTopics.res.body.asOf)).toBeLessThanOrEqual(stoppedAt);
  expect(drTopics.res.body.items.map((t: { name: string }) => t.name)).toEqual([
    topic,
  ]);
  expect(drTopics.ms).toBeLessThan(3 * DR_TIMEOUT_MS + 2000);
  // What dr never answered before has no last answer: 503 naming it, within the deadline.
  const drOverview = await timed(request(server).get('/api/archon/kafka/dr'));
  expect(drOverview.res.status).toBe(503);
  expect(drOverview.ms).toBeLessThan(3 * DR_TIMEOUT_MS + 2000);
  const localHealth = await timed(health());
  expect(localHealth.ms).toBeLessThan(2000);

  // The graph keeps dr's last good part, marked stale; local's nodes are fresh.
  const stale = await until(
    graph,
    res => !!topicNode(res, 'dr')?.stale,
    60_000,
  );
  expect(stale.status).toBe(200);
  const drNode = topicNode(stale, 'dr')!;
  expect(drNode.stale).toBe(true);
  expect(Date.parse(drNode.asOf!)).toBeLessThanOrEqual(stoppedAt);
  expect(topicNode(stale, 'local')).toBeDefined();
  expect(topicNode(stale, 'local')?.stale).toBeUndefined();
  expect(
    (stale.body.nodes as Node[]).find(n => n.id === 'cluster:kafka/dr'),
  ).toMatchObject({ status: { state: 'failed' } });
  expect((stale as request.Response).headers.warning).toMatch(
    /Kafka cluster 'dr'/,
  );

  // Started again on the same ports: up and fresh by themselves.
  await dr.start('kafka');
  const restartedAt = Date.now();
  const up = await until(
    health,
    res => kafkaStatus(res, 'dr') === 'up',
    60_000,
  );
  expect(kafkaStatus(up, 'dr')).toBe('up');
  const recovered = await until(
    graph,
    res => !!topicNode(res, 'dr') && !topicNode(res, 'dr')?.stale,
    60_000,
  );
  expect(topicNode(recovered, 'dr')?.stale).toBeUndefined();
  const drAgain = await until(
    () =>
      request(server)
        .get('/api/archon/kafka/dr/topics')
        .query({ filter: topic }),
    res => res.status === 200,
    60_000,
  );
  expect(drAgain.body.items.map((t: { name: string }) => t.name)).toEqual([
    topic,
  ]);
  expect(Date.now() - restartedAt).toBeLessThan(60_000);
});
