/*
 * archon's resource limits, through the whole backend (archon-backend and
 * the Kafka and Marathon modules): each cap is a clear 4xx that names it,
 * never a 500, and the configurable ones follow their config keys.
 * (The graph's depth cap is covered in archon-backend's graphRoutes.test.ts.)
 */
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

jest.setTimeout(120_000);

const cluster = getTestCluster();
const ns = testNamespace('resource-limits');
const zkRoot = `${ns.zkRoot}/pheidippides`;
const MAX_BODY_BYTES = 4096;
const EXPORT_MAX_BYTES = 64;

let backend: ArchonTestBackend;

beforeAll(async () => {
  backend = await startArchonTestBackend({
    features: [archonPlugin, archonModuleKafka, archonModuleMarathon],
    cluster,
    zookeeper: { root: zkRoot },
    kafka: true,
    marathon: { url: cluster.marathon?.url ?? 'http://127.0.0.1:8080' },
    archon: {
      maxRequestBodyBytes: MAX_BODY_BYTES,
      zookeeper: { limits: { exportMaxBytes: EXPORT_MAX_BYTES } },
    },
  });
});

afterAll(async () => {
  await backend?.stop();
});

describe('the request body cap (archon.maxRequestBodyBytes)', () => {
  const big = { properties: { blob: 'x'.repeat(MAX_BODY_BYTES) } };

  it.each([
    ['a core route', 'put', '/api/archon/config/sets/limits/app'],
    [
      'a module route',
      'post',
      `/api/archon/kafka/local/topics/${ns.topicPrefix}limits/messages`,
    ],
    ['a route that does not exist', 'post', '/api/archon/no/such/route'],
  ])('answers 413 naming the limit on %s', async (_what, method, url) => {
    const res = await (request(backend.server) as any)[method](url).send(big);
    expect(res.status).toBe(413);
    expect(res.body.error).toEqual({
      name: 'PayloadTooLargeError',
      message: expect.stringContaining('larger than the 4 KiB archon accepts'),
    });
  });

  it('lets a body under the limit through', async () => {
    const res = await request(backend.server)
      .put('/api/archon/config/sets/limits/app')
      .send({ properties: { small: 'x' } });
    expect(res.status).toBe(200);
  });
});

describe('message-read bounds', () => {
  it.each([
    ['limit', '1001', /limit.*1000/],
    ['maxBytes', String(16 * 1024 * 1024 + 1), /maxBytes.*16777216/],
    ['timeoutMs', '30001', /timeoutMs.*30000/],
    ['limit', '0', /limit.*1/],
  ])(
    'answer 400 naming %s when %s is past its cap',
    async (name, value, message) => {
      const res = await request(backend.server).get(
        `/api/archon/kafka/local/topics/${ns.topicPrefix}limits/messages?${name}=${value}`,
      );
      expect(res.status).toBe(400);
      expect(res.body.error.message).toMatch(message);
    },
  );
});

describe('the ZooKeeper export cap (archon.zookeeper.limits.exportMaxBytes)', () => {
  it('answers 422 naming the limit when a subtree holds more data', async () => {
    const base = `${ns.zkRoot}/export-cap`;
    for (const child of ['a', 'b']) {
      const created = await request(backend.server)
        .post(
          `/api/archon/zookeeper/local/znodes/${encodeURIComponent(
            `${base}/${child}`,
          )}`,
        )
        .send({ data: { text: 'y'.repeat(40) }, createParents: true });
      expect([child, created.status]).toEqual([child, 201]);
    }
    const small = await request(backend.server).get(
      `/api/archon/zookeeper/local/export/${encodeURIComponent(`${base}/a`)}`,
    );
    expect(small.status).toBe(200);
    const res = await request(backend.server).get(
      `/api/archon/zookeeper/local/export/${encodeURIComponent(base)}`,
    );
    expect(res.status).toBe(422);
    expect(res.body.error.message).toMatch(
      `more than ${EXPORT_MAX_BYTES} bytes of znode data, the export limit`,
    );
  });
});
