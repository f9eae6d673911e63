/*
 * archon against a Kafka that wants SASL/PLAIN: a private broker of the
 * test's own with a SASL_PLAINTEXT listener. Every request archon makes
 * itself (ListOffsets, OffsetFetch/OffsetCommit, IncrementalAlterConfigs,
 * Fetch) must ride kafkajs' authenticated connections, so each of those
 * routes is exercised here; a wrong password is a clear 503, and the
 * password never shows in an answer.
 */
import { findFreePort, startService, stopService } from '@archon/local-cluster';
import { waitFor } from '@archon/local-cluster/testing';
import { Kafka, logLevel } from 'kafkajs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import archonPlugin from '@archon/plugin-archon-backend';
import { startArchonTestBackend } from '@archon/test-utils';
import { archonModuleKafka } from '../module';

jest.setTimeout(240_000);

const PASSWORD = 'sasl-Pa55-word';
let runDir: string;
let options: Parameters<typeof startService>[1] & object;
let saslBroker: string;
let server: Parameters<typeof request>[0];
let stopBackend: (() => Promise<void>) | undefined;

const api = (path: string) => `/api/archon/kafka${path}`;

beforeAll(async () => {
  runDir = await mkdtemp(join(tmpdir(), 'archon-kafka-sasl-'));
  const saslPort = await findFreePort();
  options = {
    runDir,
    ports: {
      kafka: await findFreePort(),
      kafkaController: await findFreePort(),
    },
    env: {
      ...process.env,
      ARCHON_KAFKA_SASL_PORT: String(saslPort),
      ARCHON_KAFKA_SASL_USERS: `archon:${PASSWORD}`,
    },
  };
  await startService('kafka', options);
  saslBroker = `127.0.0.1:${saslPort}`;
  const sasl = (password: string) => ({
    mechanism: 'plain',
    username: 'archon',
    password,
  });
  const backend = await startArchonTestBackend({
    features: [archonPlugin, archonModuleKafka],
    zookeeper: false,
    archon: {
      kafka: {
        clusters: [
          {
            name: 'secured',
            brokers: [saslBroker],
            sasl: sasl(PASSWORD),
          },
          {
            name: 'wrong',
            brokers: [saslBroker],
            sasl: sasl('not-the-password'),
            requestTimeoutMs: 5000,
          },
        ],
        sampler: { enabled: false },
      },
    },
  });
  server = backend.server;
  stopBackend = () => backend.stop();
});

afterAll(async () => {
  await stopBackend?.();
  await stopService('kafka', options).catch(() => {});
  await rm(runDir, { recursive: true, force: true });
});

it('serves every Kafka route over SASL/PLAIN', async () => {
  const overview = await request(server).get(api('/secured'));
  expect(overview.status).toBe(200);
  // The broker advertises the listener the client came in on.
  expect(overview.body.brokers[0]).toMatchObject({
    id: 1,
    host: '127.0.0.1',
    port: Number(saslBroker.split(':')[1]),
  });

  const created = await request(server)
    .post(api('/secured/topics'))
    .send({ name: 'orders', partitions: 2, replicationFactor: 1 });
  expect(created.status).toBe(201);

  for (const value of ['{"n":1}', '{"n":2}', '{"n":3}']) {
    const produced = await request(server)
      .post(api('/secured/topics/orders/messages'))
      .send({ key: 'k', value, partition: 0 });
    expect(produced.status).toBe(201);
  }

  // Counts come from archon's own batched ListOffsets.
  const listed = await request(server).get(
    api('/secured/topics?filter=orders'),
  );
  expect(listed.status).toBe(200);
  expect(listed.body.items).toEqual([
    expect.objectContaining({ name: 'orders', partitions: 2, messages: 3 }),
  ]);

  // Configs are altered with archon's own IncrementalAlterConfigs.
  const altered = await request(server)
    .patch(api('/secured/topics/orders/configs'))
    .send({ set: { 'retention.ms': '3600000' } });
  expect(altered.status).toBe(200);
  const retention = altered.body.configs.find(
    (c: { name: string }) => c.name === 'retention.ms',
  );
  expect(retention).toMatchObject({ value: '3600000', isOverride: true });

  // Messages are read with archon's own Fetch.
  const read = await request(server).get(
    api(
      '/secured/topics/orders/messages?start=oldest&limit=10&valueFormat=json',
    ),
  );
  expect(read.status).toBe(200);
  expect(
    read.body.messages.map((m: { offset: string | number }) =>
      Number(m.offset),
    ),
  ).toEqual([0, 1, 2]);

  // A group's offsets are committed and read back with archon's own OffsetCommit/OffsetFetch.
  // A fresh cluster may still be electing the group's coordinator: archon
  // then answers 503 "retry in a moment", as a client should, so retry.
  const reset = await waitFor(
    async () => {
      const answer = await request(server)
        .post(api('/secured/consumer-groups/billing/offsets'))
        .send({ to: 'offset', offset: 1, topics: ['orders'] });
      const moving =
        answer.status === 503 &&
        /retry in a moment/.test(answer.body?.error?.message ?? '');
      return moving ? undefined : answer;
    },
    60_000,
    "the group's coordinator to settle",
  );
  expect(reset.body).toMatchObject({ groupId: 'billing' });
  expect(reset.status).toBe(200);
  const group = await request(server).get(
    api('/secured/consumer-groups/billing'),
  );
  expect(group.status).toBe(200);
  expect(group.body.totalLag).toBe(2);

  const deleted = await request(server).delete(
    api('/secured/topics/orders?confirm=orders'),
  );
  expect(deleted.status).toBe(200);
});

it('answers 503 naming the brokers on a wrong password, and never echoes it', async () => {
  const answer = await request(server)
    .get(api('/wrong/topics'))
    .timeout(60_000);
  expect(answer.status).toBe(503);
  expect(answer.body.error.message).toContain(saslBroker);
  expect(JSON.stringify(answer.body)).not.toContain('not-the-password');
  expect(JSON.stringify(answer.body)).not.toContain(PASSWORD);
  // The good cluster keeps serving.
  expect((await request(server).get(api('/secured'))).status).toBe(200);
});

it('keeps the PLAINTEXT-only client out of the SASL listener', async () => {
  // A control: the listener really requires authentication, so the test
  // above would have failed had archon not sent SASL.
  const plain = new Kafka({
    clientId: 'no-sasl',
    brokers: [saslBroker],
    logLevel: logLevel.NOTHING,
    retry: { retries: 0 },
    requestTimeout: 5000,
    connectionTimeout: 5000,
  });
  const admin = plain.admin();
  await expect(
    (async () => {
      await admin.connect();
      await admin.listTopics();
    })(),
  ).rejects.toThrow();
  await admin.disconnect().catch(() => {});
});
