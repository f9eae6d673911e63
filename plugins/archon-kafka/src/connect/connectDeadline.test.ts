/*
 * The Connect routes while the worker is frozen (SIGSTOP on a private
 * Connect: its port accepts connections, nothing answers): reads and writes
 * answer within the cluster's deadline + 2 s with 504 naming the cluster,
 * and after the thaw archon works again without a restart and sees a
 * connector another client created.
 */
import { PrivateCluster, startPrivateCluster } from '@archon/local-cluster';
import { join } from 'node:path';
import request from 'supertest';
import { until } from '@archon/test-utils';
import { startKafkaModuleBackend } from '../__testUtils__/kafkaModuleBackend';

jest.setTimeout(240_000);

const DEADLINE_S = 3;
const api = (path: string) => `/api/archon/connect/private${path}`;

let cluster: PrivateCluster;
let backend: Awaited<ReturnType<typeof startKafkaModuleBackend>>;
let server: Parameters<typeof request>[0];

const sink = (name: string) => ({
  name,
  config: {
    'connector.class': 'org.apache.kafka.connect.file.FileStreamSinkConnector',
    'tasks.max': '1',
    topics: 'lines',
    file: join(cluster.options.runDir, `${name}.txt`),
  },
});

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
  cluster = await startPrivateCluster(['connect'], {
    label: 'connect-deadline',
  });
  backend = await startKafkaModuleBackend({
    kafka: {
      clusters: [{ name: 'private', brokers: cluster.info.kafka.brokers }],
      sampler: { enabled: false },
    },
    kafkaConnect: {
      requestTimeoutSeconds: DEADLINE_S,
      clusters: [
        {
          name: 'private',
          url: cluster.info.connect.url,
          kafkaCluster: 'private',
        },
      ],
    },
  });
  server = backend.server;
});

afterAll(async () => {
  await backend?.stop();
  await cluster?.dispose();
});

it('answers every Connect route within the deadline while the worker is frozen, and recovers after the thaw', async () => {
  const listed = await until(
    () => request(server).get(api('/connectors')),
    res => res.status === 200,
  );
  expect(listed.status).toBe(200);
  await cluster.freeze('connect');
  const attempts: Array<[string, request.Test]> = [
    ['list', request(server).get(api('/connectors'))],
    ['describe', request(server).get(api('/connectors/nope'))],
    [
      'create',
      request(server).post(api('/connectors')).send(sink('during-freeze')),
    ],
  ];
  const answers = await Promise.all(
    attempts.map(async ([what, req]) => ({ what, ...(await timed(req)) })),
  );
  for (const { what, status, message, ms } of answers) {
    expect({ what, status }).toEqual({ what, status: 504 });
    expect({ what, message }).toEqual({
      what,
      message: expect.stringContaining('Kafka Connect cluster "private"'),
    });
    expect({ what, inTime: ms <= (DEADLINE_S + 2) * 1000 }).toEqual({
      what,
      inTime: true,
    });
  }

  await cluster.thaw('connect');
  // Another client creates a connector directly on the worker.
  const created = await fetch(`${cluster.info.connect.url}/connectors`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(sink('made-elsewhere')),
  });
  expect([201, 409]).toContain(created.status);
  const seen = await until(
    () => request(server).get(api('/connectors')),
    res =>
      res.status === 200 &&
      res.body.items.some((c: { name: string }) => c.name === 'made-elsewhere'),
  );
  expect(seen.status).toBe(200);
});
