/*
 * The Kafka routes while the broker is away, against a private Kafka of the
 * test's own (the shared one serves other test files): every route answers
 * 503 naming the brokers tried, the rest of archon keeps serving, the API
 * recovers by itself once the broker is back (same data, same ports), and
 * nothing refused shows up afterwards, twice or at all.
 */
import request from 'supertest';
import { answerOf, until } from '@archon/test-utils';
import { startPrivateKafkaBackend } from '../__testUtils__/kafkaModuleBackend';

jest.setTimeout(180_000);

const topic = 'orders';
const group = 'billing';
const api = (path: string) => `/api/archon/kafka/private${path}`;

let setup: Awaited<ReturnType<typeof startPrivateKafkaBackend>>;
let server: Parameters<typeof request>[0];

beforeAll(async () => {
  setup = await startPrivateKafkaBackend({
    services: ['kafka'],
    label: 'kafka-faults',
    kafkaCluster: { requestTimeoutMs: 5000 },
  });
  server = setup.server;
});

afterAll(async () => {
  await setup?.stop();
});

async function committed(): Promise<
  Array<{ topic: string; partition: number; committedOffset: number | null }>
> {
  const res = await request(server).get(
    api(`/consumer-groups/${group}/offsets`),
  );
  expect(res.status).toBe(200);
  return res.body.partitions.map(
    (p: {
      topic: string;
      partition: number;
      committedOffset: number | null;
    }) => ({
      topic: p.topic,
      partition: p.partition,
      committedOffset: p.committedOffset,
    }),
  );
}

/** Writes `inflight-<n>` back to back until stopped and `refusals` of them were refused. */
function startWriter() {
  const outcomes: Array<{
    value: string;
    status: number;
    partition?: number;
    offset?: number;
  }> = [];
  let stopped = false;
  const done = (async () => {
    for (
      let n = 0;
      !stopped || outcomes.filter(o => o.status !== 201).length < 3;
      n++
    ) {
      const value = `inflight-${n}`;
      const res = await answerOf(
        request(server)
          .post(api(`/topics/${topic}/messages`))
          .send({ key: 'same-key', value }),
      );
      outcomes.push({
        value,
        status: res.status,
        partition: res.body.partition,
        offset: res.body.offset,
      });
    }
  })();
  return {
    outcomes,
    acknowledged: () => outcomes.filter(o => o.status === 201),
    stop: () => {
      stopped = true;
      return done;
    },
  };
}

it('answers 503 on every Kafka route while the broker is down, recovers by itself, and applies nothing it refused', async () => {
  const created = await until(
    () =>
      request(server)
        .post(api('/topics'))
        .send({
          name: topic,
          partitions: 2,
          replicationFactor: 1,
          configs: { 'retention.ms': '3600000' },
        }),
    res => res.status === 201,
  );
  expect(created.status).toBe(201);
  for (const n of [0, 1, 2]) {
    const produced = await request(server)
      .post(api(`/topics/${topic}/messages`))
      .send({ key: `k${n}`, value: `before-${n}`, partition: n % 2 });
    expect(produced.status).toBe(201);
  }
  const reset = await until(
    () =>
      request(server)
        .post(api(`/consumer-groups/${group}/offsets`))
        .send({ to: 'offset', offset: 1, topics: [topic] }),
    res => res.status === 200,
  );
  expect(reset.body).toMatchObject({ applied: true });
  const offsetsBefore = await committed();
  expect(offsetsBefore.map(p => p.committedOffset)).toEqual([1, 1]);

  // Writes run back to back while the broker shuts down: each one either
  // lands once at the offset the API reported, or is refused with a 503.
  const writer = startWriter();
  for (let i = 0; i < 600 && writer.acknowledged().length < 3; i++)
    await new Promise(r => setTimeout(r, 100));
  await setup.cluster.stop('kafka');

  const attempts: Array<[string, request.Test]> = [
    ['overview', request(server).get(api(''))],
    ['broker configs', request(server).get(api('/brokers/1/configs'))],
    ['list topics', request(server).get(api('/topics'))],
    ['describe topic', request(server).get(api(`/topics/${topic}`))],
    ['usage', request(server).get(api(`/topics/${topic}/usage`))],
    [
      'create topic',
      request(server)
        .post(api('/topics'))
        .send({ name: 'during-outage', partitions: 1, replicationFactor: 1 }),
    ],
    [
      'alter configs',
      request(server)
        .patch(api(`/topics/${topic}/configs`))
        .send({ set: { 'retention.ms': '60000' } }),
    ],
    [
      'add partitions',
      request(server)
        .post(api(`/topics/${topic}/partitions`))
        .send({ count: 3, confirm: topic }),
    ],
    [
      'delete topic',
      request(server).delete(api(`/topics/${topic}?confirm=${topic}`)),
    ],
    ['list groups', request(server).get(api('/consumer-groups'))],
    ['describe group', request(server).get(api(`/consumer-groups/${group}`))],
    [
      'group offsets',
      request(server).get(api(`/consumer-groups/${group}/offsets`)),
    ],
    [
      'reset offsets',
      request(server)
        .post(api(`/consumer-groups/${group}/offsets`))
        .send({ to: 'earliest' }),
    ],
    ['delete group', request(server).delete(api(`/consumer-groups/${group}`))],
    ['read messages', request(server).get(api(`/topics/${topic}/messages`))],
    [
      'produce',
      request(server)
        .post(api(`/topics/${topic}/messages`))
        .send({ key: 'k9', value: 'during-outage' }),
    ],
  ];
  const answers = await Promise.all(
    attempts.map(async ([what, req]) => ({ what, res: await answerOf(req) })),
  );
  for (const { what, res } of answers) {
    expect({ what, status: res.status }).toEqual({ what, status: 503 });
    expect({ what, message: res.body.error.message }).toEqual({
      what,
      message: expect.stringContaining(
        `Kafka cluster "private" is unreachable (brokers tried: ${setup.cluster.info.kafka.brokers.join(
          ', ',
        )})`,
      ),
    });
  }
  // The rest of archon keeps serving, and says what is unreachable.
  expect(
    (await answerOf(request(server).get('/api/archon/kafka'))).status,
  ).toBe(200);
  const health = await answerOf(
    request(server).get('/api/archon/health?kind=kafka&fresh=true'),
  );
  expect(health.status).toBe(200);
  expect(health.body.systems).toEqual([
    expect.objectContaining({
      kind: 'kafka',
      name: 'private',
      status: 'unreachable',
    }),
  ]);
  await writer.stop();

  await setup.cluster.start('kafka');

  // Same backend, no restart: the API finds the broker again by itself.
  const back = await until(
    () => request(server).get(api(`/topics/${topic}`)),
    res => res.status === 200,
  );
  expect({ status: back.status, error: back.body?.error?.message }).toEqual({
    status: 200,
    error: undefined,
  });
  expect(back.body.partitions).toHaveLength(2);
  const retention = back.body.configs.find(
    (c: { name: string }) => c.name === 'retention.ms',
  );
  expect(retention).toMatchObject({ value: '3600000', isOverride: true });
  expect((await request(server).get(api(''))).status).toBe(200);

  // Nothing refused was applied: no new topic or partition, offsets as before, no refused message.
  expect((await request(server).get(api('/topics/during-outage'))).status).toBe(
    404,
  );
  expect(await committed()).toEqual(offsetsBefore);
  const messages = await request(server).get(
    api(`/topics/${topic}/messages?start=oldest&limit=1000&valueFormat=utf8`),
  );
  expect(messages.status).toBe(200);
  const landed: Array<{
    partition: number;
    offset: number;
    value: { text: string };
  }> = messages.body.messages;
  expect(
    landed
      .filter(m => !m.value.text.startsWith('inflight-'))
      .map(m => m.value.text)
      .sort(),
  ).toEqual(['before-0', 'before-1', 'before-2']);

  // Every acknowledged write once, where the API said; none twice.
  const acknowledged = writer.acknowledged();
  const refused = writer.outcomes.filter(o => o.status !== 201);
  expect(acknowledged.length).toBeGreaterThanOrEqual(3);
  expect(refused.map(o => o.status)).toEqual(refused.map(() => 503));
  const places = new Map<
    string,
    Array<{ partition: number; offset: number }>
  >();
  for (const m of landed)
    places.set(m.value.text, [
      ...(places.get(m.value.text) ?? []),
      { partition: m.partition, offset: m.offset },
    ]);
  expect([...places.entries()].filter(([, at]) => at.length > 1)).toEqual([]);
  for (const o of acknowledged) {
    expect({ value: o.value, at: places.get(o.value) }).toEqual({
      value: o.value,
      at: [{ partition: o.partition, offset: o.offset }],
    });
  }
  // A write refused once the broker was gone never lands; only the one cut
  // off mid-flight (at most one: the writer is sequential) may have.
  expect(refused.filter(o => places.has(o.value)).length).toBeLessThanOrEqual(
    1,
  );

  // The refused create, retried: exactly one topic, and a second try is a conflict.
  const retried = await request(server)
    .post(api('/topics'))
    .send({ name: 'during-outage', partitions: 1, replicationFactor: 1 });
  expect(retried.status).toBe(201);
  expect(
    (
      await request(server)
        .post(api('/topics'))
        .send({ name: 'during-outage', partitions: 1, replicationFactor: 1 })
    ).status,
  ).toBe(409);
  const listed = await request(server).get(api('/topics'));
  expect(listed.body.items.map((t: { name: string }) => t.name)).toEqual([
    'during-outage',
    topic,
  ]);

  // The refused produce, retried: there once.
  const produced = await request(server)
    .post(api(`/topics/${topic}/messages`))
    .send({ key: 'k9', value: 'during-outage' });
  expect(produced.status).toBe(201);
  const after = await request(server).get(
    api(`/topics/${topic}/messages?start=oldest&limit=1000&valueFormat=utf8`),
  );
  expect(
    after.body.messages.filter(
      (m: { value: { text: string } }) => m.value.text === 'during-outage',
    ),
  ).toHaveLength(1);
  const groups = await request(server).get(api('/consumer-groups'));
  expect(groups.body.items.map((g: { groupId: string }) => g.groupId)).toEqual([
    group,
  ]);
});
