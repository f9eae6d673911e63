/*
 * The permission sweep: every mutating route of archon's API (and the
 * sensitive reads), enumerated from the OpenAPI document the backend serves,
 * is called by a user whom the policy denies everything of archon's. Each
 * must answer 403 naming the permission and change nothing. A route added to
 * the spec later is swept without touching this file.
 *
 * Then, with everything allowed, mutations across archon-backend and the
 * Kafka/Connect module land in the audit log with their secrets masked.
 */
import { randomBytes } from 'node:crypto';
import { mockServices } from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import request from 'supertest';
import {
  getTestCluster,
  startArchonTestBackend,
  testNamespace,
  type ArchonTestBackend,
} from '@archon/test-utils';
import archonPlugin from '@archon/plugin-archon-backend';
import archonModuleKafka from '@archon/plugin-archon-kafka';
import archonModuleMarathon from '@archon/plugin-archon-marathon';
import type {
  OpenApiDocument,
  SampleOperation,
} from '../__testUtils__/openApiSamples';
import { sweptOperations } from '../__testUtils__/sweptOperations';

jest.setTimeout(180_000);

const cluster = getTestCluster();
const ns = testNamespace('permission-sweep');
const zkRoot = `${ns.zkRoot}/pheidippides`;

/**
 * The test policy: denies every archon permission (and allows everything
 * else, as Backstage's other plugins need nothing here) until `allowArchon`.
 */
let allowArchon = false;
function decide(name: string): {
  result: AuthorizeResult.ALLOW | AuthorizeResult.DENY;
} {
  return {
    result:
      !allowArchon && name.startsWith('archon.')
        ? AuthorizeResult.DENY
        : AuthorizeResult.ALLOW,
  };
}
const denyArchonPolicy = mockServices.permissions.mock({
  authorize: async requests => requests.map(r => decide(r.permission.name)),
  authorizeConditional: async requests =>
    requests.map(r => decide(r.permission.name)),
});

const names = {
  topic: `${ns.topicPrefix}sweep`,
  group: `${ns.groupPrefix}sweep`,
  connector: `${ns.topicPrefix}conn`,
};

let backend: ArchonTestBackend;
let server: Parameters<typeof request>[0];
let spec: OpenApiDocument;

beforeAll(async () => {
  backend = await startArchonTestBackend({
    features: [
      archonPlugin,
      archonModuleKafka,
      archonModuleMarathon,
      denyArchonPolicy.factory,
    ],
    cluster,
    zookeeper: { root: zkRoot },
    kafka: true,
    connect: true,
    marathon: { url: cluster.marathon?.url ?? 'http://127.0.0.1:8080' },
  });
  server = backend.server;
  const served = await request(server).get('/api/archon/openapi.json');
  if (served.status !== 200)
    throw new Error(`archon serves no OpenAPI document: ${served.status}`);
  spec = served.body;
});

afterAll(async () => {
  await backend?.stop();
});

function send(op: SampleOperation) {
  const call = (request(server) as any)
    [op.method](op.url)
    .set('Accept', 'application/json');
  return op.body === undefined ? call : call.send(op.body);
}

function swept(): SampleOperation[] {
  return sweptOperations(spec, { zkRoot, ...names });
}

describe('a user denied every archon permission', () => {
  it('gets 403 naming the permission from every mutating route and sensitive read', async () => {
    const operations = swept();
    // The sweep must cover every system (a spec that failed to load would sweep nothing).
    for (const system of [
      'config',
      'zookeeper',
      'deployments',
      'apps',
      'kafka',
      'connect',
      'marathon',
      'audit',
    ]) {
      expect(
        operations.some(op => op.specPath.startsWith(`/api/archon/${system}`)),
      ).toBe(true);
    }
    const unprotected: string[] = [];
    for (const op of operations) {
      const res = await send(op);
      const message: string = res.body?.error?.message ?? '';
      if (res.status !== 403 || !/permission "archon\.[a-z.]+"/.test(message)) {
        unprotected.push(
          `${op.method.toUpperCase()} ${op.specPath} → ${res.status} ${
            message || res.text.slice(0, 200)
          }`,
        );
      }
    }
    expect(unprotected).toEqual([]);
  });

  it('changed nothing: no znode, topic, connector or successful audit entry', async () => {
    allowArchon = true;
    try {
      const znode = await request(server).get(
        `/api/archon/zookeeper/local/znodes/${encodeURIComponent(
          `${zkRoot}/sweep`,
        )}`,
      );
      expect(znode.status).toBe(404);
      const set = await request(server).get(
        '/api/archon/config/sets/sweep/app',
      );
      expect(set.status).toBe(404);
      const topic = await request(server).get(
        `/api/archon/kafka/local/topics/${names.topic}`,
      );
      expect(topic.status).toBe(404);
      const connector = await request(server).get(
        `/api/archon/connect/local/connectors/${names.connector}`,
      );
      expect(connector.status).toBe(404);
      const successes = await request(server).get(
        '/api/archon/audit?outcome=success',
      );
      expect(successes.status).toBe(200);
      expect(successes.body.items).toEqual([]);
    } finally {
      allowArchon = false;
    }
  });
});

describe('the audit log of a test run', () => {
  const secret = `hunter2-${randomBytes(6).toString('hex')}`;
  const audited: Array<{ action: string; system: string; resource: string }> =
    [];

  afterAll(async () => {
    await request(server).delete(
      `/api/archon/connect/local/connectors/${names.connector}-ok`,
    );
    await request(server).delete(
      `/api/archon/kafka/local/topics/${names.topic}-ok?confirm=${names.topic}-ok`,
    );
    allowArchon = false;
  });

  it('records every mutation across archon-backend and the Kafka/Connect module, secrets masked', async () => {
    allowArchon = true;
    const topic = `${names.topic}-ok`;
    const connector = `${names.connector}-ok`;
    const ok = async (
      res: request.Response,
      action: string,
      system: string,
      resource: string,
    ) => {
      expect([res.status, res.body?.error?.message]).toEqual([
        expect.any(Number),
        undefined,
      ]);
      expect(res.status).toBeLessThan(300);
      audited.push({ action, system, resource });
    };
    await ok(
      await request(server)
        .put('/api/archon/config/sets/audit/app')
        .send({
          properties: {
            'db.password': secret,
            'db.user': 'app',
            'orders.topic': topic,
            'orders.connector': connector,
          },
        }),
      'config-set-put',
      'config',
      '/audit/app',
    );
    await ok(
      await request(server)
        .patch('/api/archon/config/sets/audit/app')
        .send({ set: { 'api.token': secret } }),
      'config-set-patch',
      'config',
      '/audit/app',
    );
    await ok(
      await request(server)
        .post(
          `/api/archon/zookeeper/local/znodes/${encodeURIComponent(
            `${ns.zkRoot}/raw`,
          )}`,
        )
        .send({ data: { text: 'plain' }, createParents: true }),
      'zookeeper-znode-create',
      'zookeeper',
      `${ns.zkRoot}/raw`,
    );
    await ok(
      await request(server)
        .post('/api/archon/kafka/local/topics')
        .send({ name: topic, partitions: 1, replicationFactor: 1 }),
      'topic-create',
      'kafka',
      topic,
    );
    await ok(
      await request(server)
        .patch(`/api/archon/kafka/local/topics/${topic}/configs`)
        .send({ set: { 'retention.ms': '3600000' } }),
      'topic-configs-alter',
      'kafka',
      topic,
    );
    await ok(
      await request(server)
        .post(`/api/archon/kafka/local/topics/${topic}/messages`)
        .send({ value: `password=${secret}` }),
      'message-produce',
      'kafka',
      topic,
    );
    await ok(
      await request(server)
        .post('/api/archon/connect/local/connectors')
        .send({
          name: connector,
          config: {
            'connector.class':
              'org.apache.kafka.connect.file.FileStreamSourceConnector',
            topic,
            file: '/dev/null',
            'connection.password': secret,
          },
        }),
      'connector-create',
      'connect',
      connector,
    );
    await ok(
      await request(server).delete(
        `/api/archon/connect/local/connectors/${connector}`,
      ),
      'connector-delete',
      'connect',
      connector,
    );

    const log = await request(server).get(
      '/api/archon/audit?outcome=success&limit=500',
    );
    expect(log.status).toBe(200);
    for (const expected of audited) {
      expect(log.body.items).toContainEqual(
        expect.objectContaining({
          action: expected.action,
          actor: 'user:default/mock',
          outcome: 'success',
          target: expect.objectContaining({
            system: expected.system,
            resource: expected.resource,
          }),
          requestId: expect.any(String),
        }),
      );
    }
    expect(JSON.stringify(log.body)).not.toContain(secret);
    const put = log.body.items.find(
      (e: { action: string }) => e.action === 'config-set-put',
    );
    expect(put.after).toEqual({
      version: expect.any(Number),
      properties: {
        'db.password': '********',
        'db.user': 'app',
        'orders.topic': topic,
        'orders.connector': connector,
      },
    });
    const created = log.body.items.find(
      (e: { action: string }) => e.action === 'connector-create',
    );
    expect(created.after.config['connection.password']).toBe('********');

    // The JSON-lines export has the same entries, one a line.
    const exported = await request(server)
      .get('/api/archon/audit?outcome=success')
      .set('Accept', 'application/x-ndjson');
    expect(exported.status).toBe(200);
    expect(exported.headers['content-type']).toMatch(/application\/x-ndjson/);
    const lines = exported.text
      .trim()
      .split('\n')
      .map(line => JSON.parse(line));
    expect(lines.map(e => e.id)).toEqual(
      log.body.items.map((e: { id: string }) => e.id),
    );
    expect(exported.text).not.toContain(secret);

    // The app's timeline: its config edits and the changes to the topic and connector its config names.
    const timeline = await request(server).get(
      `/api/archon/audit/timeline?configPath=${encodeURIComponent(
        '/audit/app',
      )}`,
    );
    expect(timeline.status).toBe(200);
    expect(timeline.body.namedResources).toEqual(
      expect.arrayContaining([topic, connector]),
    );
    expect(
      timeline.body.items.map(
        (i: { action: string; relation: string }) =>
          `${i.action} ${i.relation}`,
      ),
    ).toEqual([
      'connector-delete named-resource',
      'connector-create named-resource',
      'message-produce named-resource',
      'topic-configs-alter named-resource',
      'topic-create named-resource',
      'config-set-patch config-level',
      'config-set-put config-level',
    ]);
    expect(timeline.text).not.toContain(secret);
  });
});
