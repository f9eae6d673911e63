/*
 * The Kafka routes while the broker is frozen (SIGSTOP on a private Kafka:
 * its port accepts connections, nothing answers): every route answers
 * within the cluster's deadline + 2 s with 503/504 naming the cluster,
 * never 500 and never a hang, and after the thaw archon works again
 * without a restart and sees what another client changed.
 */
import { PrivateCluster, startPrivateCluster } from '@archon/local-cluster';
import { Kafka, logLevel } from 'kafkajs';
import request from 'supertest';
import { until, waitFor } from '@archon/test-utils';
import { startKafkaModuleBackend } from '../__testUtils__/kafkaModuleBackend';

jest.setTimeout(240_000);

const DEADLINE_S = 3;
const READ_TIMEOUT_MS = 1000;
const topic = 'orders';
const group = 'billing';
const api = (path: string) => `/api/archon/kafka/private${path}`;

let cluster: PrivateCluster;
let backend: Awaited<ReturnType<typeof startKafkaModuleBackend>>;
let server: Parameters<typeof request>[0];

/** The answer and how long it took; one still open after 30 s is status 0. */
async function timed(req: request.Test) {
  const started = Date.now();
  const res = await Promise.resolve(req.timeout(30_000)).catch(
    (error: Error) => ({
      status: 0,
      body: { error: { message: String(error) } },
    }),
  );
  return {
    status: res.status,
    message: String(res.body?.error?.message ?? ''),
    ms: Date.now() - started,
  };
}

beforeAll(async () => {
  cluster = await startPrivateCluster(['kafka'], { label: 'kafka-deadline' });
  backend = await startKafkaModuleBackend({
    kafka: {
      requestTimeoutSeconds: DEADLINE_S,
      clusters: [{ name: 'private', brokers: cluster.info.kafka.brokers }],
      sampler: { enabled: false },
    },
  });
  server = backend.server;
  const created = await until(
    () =>
      request(server)
        .post(api('/topics'))
        .send({ name: topic, partitions: 2, replicationFactor: 1 }),
    res => res.status === 201,
  );
  if (created.status !== 201)
    throw new Error(
      `could not create the test topic: ${JSON.stringify(created.body)}`,
    );
  const reset = await until(
    () =>
      request(server)
        .post(api(`/consumer-groups/${group}/offsets`))
        .send({ to: 'earliest', topics: [topic] }),
    res => res.status === 200,
  );
  if (reset.status !== 200)
    throw new Error(
      `could not create the test group: ${JSON.stringify(reset.body)}`,
    );
});

afterAll(async () => {
  await backend?.stop();
  await cluster?.dispose();
});

it('answers every Kafka route within the deadline while the broker is frozen, and recovers after the thaw', async () => {
  // A listing that answered before: served again, marked stale, while the broker is frozen.
  const before = await request(server).get(api('/topics?limit=50'));
  expect(before.status).toBe(200);
  expect(before.body.stale).toBeUndefined();
  const groupsBefore = await request(server).get(
    api('/consumer-groups?limit=50'),
  );
  expect(groupsBefore.status).toBe(200);
  expect(
    groupsBefore.body.items.map((g: { groupId: string }) => g.groupId),
  ).toContain(group);
  expect(groupsBefore.body.stale).toBeUndefined();
  await cluster.freeze('kafka');
  const staleStarted = Date.now();
  const stale = await request(server)
    .get(api('/topics?limit=50'))
    .timeout(30_000);
  expect(Date.now() - staleStarted).toBeLessThanOrEqual(
    DEADLINE_S * 1000 + 2000,
  );
  expect(stale.status).toBe(200);
  expect(stale.body).toMatchObject({
    stale: true,
    items: before.body.items,
    total: before.body.total,
  });
  expect(Date.parse(stale.body.asOf)).toBeLessThanOrEqual(staleStarted);
  expect(stale.headers.warning).toMatch(
    /^110 archon "Response is Stale: Kafka cluster 'private' \(127\.0\.0\.1:\d+\) is not reachable/,
  );
  // The consumer-group list the same way.
  const groupsStarted = Date.now();
  const staleGroups = await request(server)
    .get(api('/consumer-groups?limit=50'))
    .timeout(30_000);
  expect(Date.now() - groupsStarted).toBeLessThanOrEqual(
    DEADLINE_S * 1000 + 2000,
  );
  expect(staleGroups.status).toBe(200);
  expect(staleGroups.body).toMatchObject({
    stale: true,
    items: groupsBefore.body.items,
    total: groupsBefore.body.total,
  });
  expect(Date.parse(staleGroups.body.asOf)).toBeLessThanOrEqual(groupsStarted);
  expect(staleGroups.headers.warning).toMatch(
    /^110 archon "Response is Stale: Kafka cluster 'private' \(127\.0\.0\.1:\d+\) is not reachable/,
  );

  const attempts: Array<[string, request.Test, number]> = [
    ['overview', request(server).get(api('')), 0],
    ['list topics', request(server).get(api('/topics')), 0],
    ['describe topic', request(server).get(api(`/topics/${topic}`)), 0],
    [
      'create topic',
      request(server)
        .post(api('/topics'))
        .send({ name: 'frozen-create', partitions: 1, replicationFactor: 1 }),
      0,
    ],
    ['list groups', request(server).get(api('/consumer-groups')), 0],
    [
      'describe group',
      request(server).get(api(`/consumer-groups/${group}`)),
      0,
    ],
    [
      'group offsets',
      request(server).get(api(`/consumer-groups/${group}/offsets`)),
      0,
    ],
    [
      'produce',
      request(server)
        .post(api(`/topics/${topic}/messages`))
        .send({ key: 'k', value: 'frozen?' }),
      0,
    ],
    [
      'read messages',
      request(server).get(
        api(`/topics/${topic}/messages?timeoutMs=${READ_TIMEOUT_MS}`),
      ),
      READ_TIMEOUT_MS,
    ],
  ];
  const answers = await Promise.all(
    attempts.map(async ([what, req, extraMs]) => ({
      what,
      extraMs,
      ...(await timed(req)),
    })),
  );
  for (const { what, status, message, ms, extraMs } of answers) {
    expect({
      what,
      status: [503, 504].includes(status) ? 'unavailable' : status,
    }).toEqual({ what, status: 'unavailable' });
    expect({ what, message }).toEqual({
      what,
      message: expect.stringContaining('Kafka cluster "private"'),
    });
    expect({ what, inTime: ms <= DEADLINE_S * 1000 + extraMs + 2000 }).toEqual({
      what,
      inTime: true,
    });
  }
  // The rest of archon keeps answering.
  expect((await timed(request(server).get('/api/archon/kafka'))).status).toBe(
    200,
  );

  await cluster.thaw('kafka');
  // Another client creates a topic once the broker runs again; archon, not
  // restarted, finds the broker again and sees it.
  const admin = new Kafka({
    clientId: 'other',
    brokers: cluster.info.kafka.brokers,
    logLevel: logLevel.NOTHING,
  }).admin();
  await admin.connect();
  try {
    // Right after the thaw the broker may still refuse (its controller
    // catching up: "Topic creation errors"), as any client would see; retry.
    await waitFor(
      () =>
        admin
          .createTopics({
            topics: [{ topic: 'made-elsewhere', numPartitions: 1 }],
            waitForLeaders: true,
          })
          .then(
            () => true,
            () => undefined,
          ),
      60_000,
      'the thawed broker to create a topic',
    );
  } finally {
    await admin.disconnect();
  }
  const listed = await until(
    () => request(server).get(api('/topics')),
    res =>
      res.status === 200 &&
      res.body.items.some((t: { name: string }) => t.name === 'made-elsewhere'),
  );
  expect(listed.status).toBe(200);
  const described = await until(
    () => request(server).get(api(`/consumer-groups/${group}`)),
    res => res.status === 200,
  );
  expect(described.status).toBe(200);
  const produced = await until(
    () =>
      request(server)
        .post(api(`/topics/${topic}/messages`))
        .send({ key: 'k', value: 'after' }),
    res => res.status === 201,
  );
  expect(produced.status).toBe(201);
});
