/*
 * The Connect routes while the Connect worker restarts, against a private
 * Kafka and Connect worker of the test's own (the shared ones serve other
 * test files): every route answers 503 naming the worker while it is away,
 * the API recovers by itself once it is back, and the connectors are
 * exactly what the API acknowledged: the last acknowledged config, no
 * duplicates, the state the API reported. A change the worker did not answer
 * in time is a 504 that says it may or may not have been applied.
 */
import { join } from 'node:path';
import request from 'supertest';
import { answerOf, eventually, until, type Answer } from '@archon/test-utils';
import { startPrivateKafkaBackend } from '../__testUtils__/kafkaModuleBackend';

jest.setTimeout(180_000);

const topic = 'lines';
const api = (path: string) => `/api/archon/connect/private${path}`;

let setup: Awaited<ReturnType<typeof startPrivateKafkaBackend>>;
let server: Parameters<typeof request>[0];

/** A FileStream sink config writing the topic to `file` in the run folder. */
const sinkConfig = (file: string) => ({
  'connector.class': 'org.apache.kafka.connect.file.FileStreamSinkConnector',
  'tasks.max': '1',
  topics: topic,
  file: join(setup.cluster.options.runDir, file),
});

beforeAll(async () => {
  // Connect needs its Kafka: the private cluster starts the broker first.
  setup = await startPrivateKafkaBackend({
    services: ['connect'],
    label: 'connect-faults',
    kafkaCluster: { requestTimeoutMs: 5000 },
    connectCluster: { requestTimeoutMs: 5000 },
  });
  server = setup.server;
});

afterAll(async () => {
  await setup?.stop();
});

async function connectorNames(): Promise<string[]> {
  const res = await until(
    () => request(server).get(api('/connectors')),
    r => r.status === 200,
  );
  expect(res.status).toBe(200);
  return res.body.items.map((c: { name: string }) => c.name).sort();
}

/** The connector once Connect reports `state` for it and its task. */
async function settled(name: string, state: string): Promise<Answer> {
  return until(
    () => request(server).get(api(`/connectors/${name}`)),
    r =>
      r.status === 200 &&
      r.body.state === state &&
      r.body.tasks.every((t: { state: string }) => t.state === state),
  );
}

it('answers 503 while the worker restarts, recovers by itself, and keeps exactly what it acknowledged', async () => {
  expect(
    (
      await request(server)
        .post('/api/archon/kafka/private/topics')
        .send({ name: topic, partitions: 1, replicationFactor: 1 })
    ).status,
  ).toBe(201);
  const created = await until(
    () =>
      request(server)
        .post(api('/connectors'))
        .send({ name: 'sink', config: sinkConfig('first.txt') }),
    r => r.status === 201,
  );
  expect(created.status).toBe(201);
  expect((await settled('sink', 'RUNNING')).status).toBe(200);

  // Config changes run back to back while the worker stops and starts
  // again: each is acknowledged, or refused with a clear 409 or 503.
  const outcomes: Array<{ file: string; status: number; message?: string }> =
    [];
  let back = false;
  const writer = (async () => {
    for (let n = 0; !back || outcomes.at(-1)?.status !== 200; n++) {
      const file = `change-${n}.txt`;
      const res = await answerOf(
        request(server)
          .put(api('/connectors/sink/config'))
          .send({ config: sinkConfig(file) }),
      );
      outcomes.push({
        file,
        status: res.status,
        message: res.body?.error?.message,
      });
      if (res.status !== 200) await new Promise(r => setTimeout(r, 200));
    }
  })();
  for (
    let i = 0;
    i < 600 && outcomes.filter(o => o.status === 200).length < 2;
    i++
  ) {
    await new Promise(r => setTimeout(r, 100));
  }
  await setup.cluster.stop('connect');

  const attempts: Array<[string, request.Test]> = [
    ['info', request(server).get(api(''))],
    ['plugins', request(server).get(api('/plugins'))],
    ['list', request(server).get(api('/connectors'))],
    ['get', request(server).get(api('/connectors/sink'))],
    [
      'create',
      request(server)
        .post(api('/connectors'))
        .send({ name: 'other', config: sinkConfig('other.txt') }),
    ],
    [
      'update',
      request(server)
        .put(api('/connectors/sink/config'))
        .send({ config: sinkConfig('refused.txt') }),
    ],
    ['pause', request(server).post(api('/connectors/sink/pause'))],
    ['restart', request(server).post(api('/connectors/sink/restart'))],
    ['delete', request(server).delete(api('/connectors/sink'))],
  ];
  const answers = await Promise.all(
    attempts.map(async ([what, req]) => ({ what, res: await answerOf(req) })),
  );
  for (const { what, res } of answers) {
    expect({ what, status: res.status }).toEqual({ what, status: 503 });
    expect({ what, message: res.body.error.message }).toEqual({
      what,
      message: expect.stringContaining(
        `Kafka Connect cluster "private" is unreachable at ${setup.cluster.info.connect.url}`,
      ),
    });
  }
  // Kafka and the rest of archon keep serving.
  expect(
    (await answerOf(request(server).get('/api/archon/kafka/private/topics')))
      .status,
  ).toBe(200);
  const health = await answerOf(
    request(server).get('/api/archon/health?kind=kafka-connect&fresh=true'),
  );
  expect(health.status).toBe(200);
  expect(health.body.systems).toEqual([
    expect.objectContaining({ name: 'private', status: 'unreachable' }),
  ]);

  await setup.cluster.start('connect');
  back = true;
  await writer;

  // Refusals only as 409 (rebalancing) or 503 (away or starting), each naming
  // the Connect cluster; or 504 when the worker, back but busy starting (a
  // loaded machine), took longer than the deadline: then the answer says the
  // change may or may not have been applied, not that it failed. The writer
  // goes on until a change is acknowledged, so the last outcome is a 200.
  expect(
    outcomes.filter(o => ![200, 409, 503, 504].includes(o.status)),
  ).toEqual([]);
  expect(
    outcomes.filter(
      o =>
        o.status === 504 &&
        !/may or may not have been applied/.test(o.message ?? ''),
    ),
  ).toEqual([]);
  expect(
    outcomes.filter(
      o =>
        o.status !== 200 &&
        !/Kafka Connect[^:]*"private"/.test(o.message ?? ''),
    ),
  ).toEqual([]);
  expect(outcomes.filter(o => o.status !== 200).length).toBeGreaterThan(0);

  // Same backend: the worker is found again; the last acknowledged config,
  // still running (the refused pause was not applied), nothing refused created or deleted.
  const lastAcknowledged = outcomes.filter(o => o.status === 200).at(-1)!;
  const sink = await settled('sink', 'RUNNING');
  expect({ status: sink.status, error: sink.body?.error?.message }).toEqual({
    status: 200,
    error: undefined,
  });
  expect(sink.body.config.file).toBe(
    join(setup.cluster.options.runDir, lastAcknowledged.file),
  );
  // Connect's list follows its config topic: after the restart it may lag a
  // moment behind what the worker acknowledged, so read it until it settles.
  await eventually(
    async () => expect(await connectorNames()).toEqual(['sink']),
    60_000,
  );

  // The refused create, retried: exactly one connector.
  const retried = await until(
    () =>
      request(server)
        .post(api('/connectors'))
        .send({ name: 'other', config: sinkConfig('other.txt') }),
    r => r.status !== 503,
  );
  expect(retried.status).toBe(201);
  expect(
    (
      await request(server)
        .post(api('/connectors'))
        .send({ name: 'other', config: sinkConfig('other.txt') })
    ).status,
  ).toBe(409);
  await eventually(
    async () => expect(await connectorNames()).toEqual(['other', 'sink']),
    60_000,
  );

  // A pause acknowledged now is what Connect then reports.
  expect(
    (await request(server).post(api('/connectors/sink/pause'))).status,
  ).toBe(202);
  expect((await settled('sink', 'PAUSED')).status).toBe(200);
});
