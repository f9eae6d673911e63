/*
 * The live tail while the broker does not answer, on a private Kafka (SIGSTOP
 * of the test's own broker; the shared one serves other test files): a short
 * outage is waited out — `status` reconnecting, then live again, and a record
 * produced after the thaw arrives — and an outage longer than the window (six
 * request deadlines: 12 s here) ends the tail with the shared error frame.
 */
import { PrivateCluster, startPrivateCluster } from '@archon/local-cluster';
import request from 'supertest';
import { until, waitFor } from '@archon/test-utils';
import { followTail } from '../__testUtils__/followTail';
import { startKafkaModuleBackend } from '../__testUtils__/kafkaModuleBackend';
import { activeTails } from './messageTail';

jest.setTimeout(240_000);

const topic = 'tail-orders';
const api = (path: string) => `/api/archon/kafka/private${path}`;

let cluster: PrivateCluster;
let backend: Awaited<ReturnType<typeof startKafkaModuleBackend>>;

beforeAll(async () => {
  cluster = await startPrivateCluster(['kafka'], { label: 'tail-faults' });
  backend = await startKafkaModuleBackend({
    kafka: {
      clusters: [
        {
          name: 'private',
          brokers: cluster.info.kafka.brokers,
          requestTimeoutMs: 2000,
        },
      ],
      sampler: { enabled: false },
    },
  });
  const created = await until(
    () =>
      request(backend.server)
        .post(api('/topics'))
        .send({ name: topic, partitions: 2, replicationFactor: 1 }),
    res => res.status === 201,
  );
  if (created.status !== 201)
    throw new Error(`creating ${topic}: ${JSON.stringify(created.body)}`);
});

afterAll(async () => {
  await backend?.stop();
  await cluster?.dispose();
});

const tailOf = () =>
  followTail(
    backend.server,
    api(`/topics/${topic}/messages/tail?maxSeconds=600`),
  );

it('reports reconnecting while the broker is frozen, live again after the thaw, and delivers a record produced then', async () => {
  const before = activeTails();
  const tail = tailOf();
  try {
    await waitFor(() => tail.of('attached')[0], 30_000, 'attached');
    await cluster.freeze('kafka');
    let reconnecting;
    try {
      reconnecting = await waitFor(
        () => tail.of('status')[0],
        60_000,
        'the reconnecting status',
      );
    } finally {
      await cluster.thaw('kafka');
    }
    expect(reconnecting.data).toMatchObject({
      state: 'reconnecting',
      reason: expect.any(String),
    });
    const since = Date.parse(reconnecting.data.since);
    expect(Date.parse(reconnecting.data.giveUpAt) - since).toBe(12_000);
    await waitFor(
      () => tail.of('status').find(f => f.data.state === 'live'),
      60_000,
      'live again',
    );
    const produced = await until(
      () =>
        request(backend.server)
          .post(api(`/topics/${topic}/messages`))
          .send({ key: 'after', value: 'produced after the thaw' }),
      res => res.status === 201,
    );
    expect(produced.status).toBe(201);
    const arrived = await waitFor(
      () => tail.of('message')[0],
      60_000,
      'the record produced after the thaw',
    );
    expect(arrived.data).toMatchObject({
      partition: produced.body.partition,
      offset: produced.body.offset,
      value: { text: 'produced after the thaw' },
    });
    expect(tail.of('error')).toEqual([]);
    expect(tail.of('end')).toEqual([]);
    expect(tail.of('status').map(f => f.data.state)).toEqual([
      'reconnecting',
      'live',
    ]);
  } finally {
    await tail.stop();
  }
  await waitFor(() => activeTails() === before, 30_000, 'the tail to stop');
});

it('ends with the error frame when the broker stays away longer than the window', async () => {
  const before = activeTails();
  const tail = tailOf();
  try {
    await waitFor(() => tail.of('attached')[0], 30_000, 'attached');
    await cluster.freeze('kafka');
    let error;
    try {
      error = await waitFor(() => tail.of('error')[0], 90_000, 'the error');
    } finally {
      await cluster.thaw('kafka');
    }
    expect(tail.of('status').map(f => f.data.state)).toEqual(['reconnecting']);
    expect(error.data).toMatchObject({
      system: 'kafka',
      instance: 'private',
      message: expect.stringMatching(
        /^Following topic "tail-orders" of Kafka cluster "private": no answer for 1\d s: /,
      ),
    });
    await waitFor(() => activeTails() === before, 30_000, 'the tail to end');
  } finally {
    await tail.stop();
  }
});
