import { getTestCluster, testNamespace } from '@archon/local-cluster/testing';
import request from 'supertest';
import { startArchonTestBackend } from '@archon/test-utils';
import { archonPlugin } from '../plugin';
import { spec } from '../schema/openapi';

jest.setTimeout(120_000);

/*
 * Walks every operation of the served spec and checks that the answers that
 * are not the operation's own — an unknown route, a wrong method, a malformed
 * body — all come back in the one error shape, without a stack trace.
 */

const cluster = getTestCluster();
const ns = testNamespace('api-errors');

let backend: Awaited<ReturnType<typeof startArchonTestBackend>>;
let server: Parameters<typeof request>[0];

const METHODS = ['get', 'put', 'post', 'delete', 'patch'] as const;

/** `/kafka/{cluster}/topics/{topic}` with a plausible value in every parameter. */
function concrete(template: string): string {
  return template.replace(/\{[^}]+\}/g, 'x1');
}

const operations = Object.entries(
  spec.paths as Record<string, Record<string, { requestBody?: unknown }>>,
).flatMap(([template, item]) =>
  METHODS.filter(m => item[m]).map(method => ({
    template,
    method,
    hasBody: !!item[method]?.requestBody,
    allowed: METHODS.filter(m => item[m]).map(m => m.toUpperCase()),
  })),
);

/** The one error shape; no stack, no internal file paths, no echoed body. */
function expectErrorShape(res: request.Response, statusCode: number) {
  expect(res.status).toBe(statusCode);
  expect(res.body).toEqual({
    error: expect.objectContaining({
      name: expect.any(String),
      message: expect.any(String),
    }),
    request: {
      method: expect.any(String),
      url: expect.stringMatching(/^\/api\/archon\//),
    },
    response: { statusCode },
  });
  const text = JSON.stringify(res.body);
  expect(text).not.toMatch(/\bat .+\.(ts|js):\d+/);
  expect(text).not.toContain('/node_modules/');
  expect(res.body.error.stack).toBeUndefined();
}

beforeAll(async () => {
  backend = await startArchonTestBackend({
    features: [archonPlugin],
    zookeeper: {
      connectionString: cluster.zookeeper.connectionString,
      root: `${ns.zkRoot}/pheidippides`,
    },
  });
  server = backend.server;
});

afterAll(async () => {
  await backend?.stop();
});

it('knows the operations it walks', () => {
  expect(operations.length).toBeGreaterThan(50);
  expect(operations.filter(o => o.hasBody).length).toBeGreaterThan(10);
});

it('answers an unknown route with 404 in the error shape', async () => {
  for (const url of [
    '/api/archon/nope',
    '/api/archon/config/nope/deeper',
    '/api/archon/kafka/x1/nope/x/y/z',
  ]) {
    const res = await request(server).get(url);
    expectErrorShape(res, 404);
    expect(res.body.error.name).toBe('NotFoundError');
  }
});

it('answers a wrong method on every path with 405 and Allow', async () => {
  const paths = new Map<string, string[]>();
  for (const o of operations) paths.set(o.template, o.allowed);
  // Multi-segment ids (configuration and znode paths) make some URLs two
  // routes at once (`/config/sets/a/restore` is also the level `/a/restore`):
  // a method counts as wrong only when no route with that method matches.
  const loose = [...paths].map(([t, allowed]) => ({
    regex: new RegExp(`^${t.replace(/\{[^}]+\}/g, '.+')}$`),
    strict: new RegExp(`^${t.replace(/\{[^}]+\}/g, '[^/]+')}$`),
    allowed,
  }));
  for (const template of paths.keys()) {
    const url = concrete(template);
    const servedAnyway = new Set(
      loose.filter(l => l.regex.test(url)).flatMap(l => l.allowed),
    );
    const wrong = METHODS.find(m => !servedAnyway.has(m.toUpperCase()));
    if (!wrong) continue;
    const res = await request(server)
      [wrong](`/api/archon${url}`)
      .set('content-type', 'application/json')
      .send('{}');
    try {
      expectErrorShape(res, 405);
      // `/deployments/rollback` is also `/deployments/{id}`: Allow lists both routes' methods.
      const expected = new Set(
        loose.filter(l => l.strict.test(url)).flatMap(l => l.allowed),
      );
      expect(res.headers.allow?.split(', ').sort()).toEqual(
        [...expected].sort(),
      );
    } catch (error) {
      throw new Error(
        `${wrong.toUpperCase()} ${template}: ${res.status} ${JSON.stringify(
          res.body,
        )}\n${error}`,
      );
    }
  }
});

it('answers a malformed JSON body on every operation that takes one with 400 InputError', async () => {
  for (const o of operations.filter(op => op.hasBody)) {
    const res = await request(server)
      [o.method](`/api/archon${concrete(o.template)}`)
      .set('content-type', 'application/json')
      .send('{"properties": {"a": ');
    try {
      expectErrorShape(res, 400);
      expect(res.body.error).toEqual({
        name: 'InputError',
        message: expect.stringMatching(/^the body is not valid JSON/),
      });
      expect(JSON.stringify(res.body)).not.toContain('properties');
    } catch (error) {
      throw new Error(
        `${o.method.toUpperCase()} ${o.template}: ${
          res.status
        } ${JSON.stringify(res.body)}\n${error}`,
      );
    }
  }
});

it('says so when the body is null or a bare value instead of an object', async () => {
  const res = await request(server)
    .put('/api/archon/config/sets/api-errors/a')
    .set('content-type', 'application/json')
    .send('null');
  expectErrorShape(res, 400);
  expect(res.body.error.message).toBe(
    'the body must be a JSON object, not null',
  );
  const array = await request(server)
    .put('/api/archon/config/sets/api-errors/a')
    .send([]);
  expectErrorShape(array, 400);
});

it('serves the OpenAPI document without a token', async () => {
  const res = await request(server)
    .get('/api/archon/openapi.json')
    .set('authorization', '');
  expect(res.status).toBe(200);
  expect(res.body.openapi).toMatch(/^3\./);
});
