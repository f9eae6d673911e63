import { getTestCluster, testNamespace } from '@archon/local-cluster/testing';
import request from 'supertest';
import { startArchonTestBackend } from '@archon/test-utils';
import { archonPlugin } from '../plugin';

jest.setTimeout(60_000);

const cluster = getTestCluster();
const ns = testNamespace('config-path-inputs');

let backend: Awaited<ReturnType<typeof startArchonTestBackend>>;
let spec: { paths: Record<string, Record<string, any>> };

/** Follows `$ref`s within the served document. */
function resolve(node: any): any {
  let current = node;
  while (current?.$ref) {
    current = String(current.$ref)
      .replace(/^#\//, '')
      .split('/')
      .reduce((at: any, key) => at?.[key], spec);
  }
  return current;
}

beforeAll(async () => {
  backend = await startArchonTestBackend({
    features: [archonPlugin],
    zookeeper: {
      connectionString: cluster.zookeeper.connectionString,
      root: `${ns.zkRoot}/pheidippides`,
    },
  });
  spec = (await request(backend.server).get('/api/archon/openapi.json')).body;
});

afterAll(async () => {
  await backend?.stop();
});

/** NUL and other control characters, and paths Pheidippides cannot hold. */
const INVALID_PATHS = [
  '\u0000',
  '/a\u0000',
  '/a/b\u0007',
  '/a\nb',
  'no-slash',
  '/a//b',
  '/a/../b',
  '/a/',
  '/a b',
  '/',
];

interface Target {
  method: string;
  url: string;
  name: string;
  in: 'query' | 'body';
}

/** Every operation of the served spec with a `configPath` query parameter or body field (modules' included). */
function configPathTargets(): Target[] {
  const targets: Target[] = [];
  for (const [path, item] of Object.entries(spec.paths)) {
    for (const [method, op] of Object.entries(item)) {
      if (!op || typeof op !== 'object' || !op.operationId) continue;
      // Path parameters get a valid, known value: only the configuration path is wrong.
      const url = path
        .replace(/\{(cluster|instance|ensemble)\}/g, 'local')
        .replace(/\{[^}]+\}/g, 'x');
      if (
        (op.parameters ?? [])
          .map(resolve)
          .some((p: any) => p.in === 'query' && p.name === 'configPath')
      ) {
        targets.push({ method, url, name: 'configPath', in: 'query' });
      }
      const body = resolve(
        resolve(op.requestBody)?.content?.['application/json']?.schema,
      );
      if (body?.properties?.configPath)
        targets.push({ method, url, name: 'configPath', in: 'body' });
    }
  }
  return targets;
}

describe('configuration paths outside the URL path', () => {
  it('are found in the spec on reads and mutations of several systems', () => {
    const targets = configPathTargets().map(
      t => `${t.method} ${t.url} ${t.in}`,
    );
    expect(targets).toEqual(
      expect.arrayContaining([
        'get /api/archon/audit/timeline query',
        'get /api/archon/deployments query',
        'post /api/archon/deployments body',
        'post /api/archon/apps/scale body',
        'get /api/archon/marathon/local/apps query',
      ]),
    );
  });

  it('answer 400 saying what a valid path is, on every route that takes one', async () => {
    const answers: string[] = [];
    for (const target of configPathTargets()) {
      for (const bad of INVALID_PATHS) {
        const call = (request(backend.server) as any)[target.method](
          target.in === 'query'
            ? `${target.url}?configPath=${encodeURIComponent(bad)}`
            : target.url,
        );
        const res =
          target.in === 'body'
            ? await call.send({ configPath: bad, instance: 'local' })
            : await call;
        const message: string = res.body?.error?.message ?? '';
        if (
          res.status !== 400 ||
          !message.includes('each segment is one or more of A-Z a-z 0-9 _ -')
        ) {
          answers.push(
            `${target.method} ${target.url} ${target.in} ${JSON.stringify(
              bad,
            )}: ${res.status} ${message}`,
          );
        }
      }
    }
    expect(answers).toEqual([]);
  });

  it('are checked on /releases?path= and /config/tree?prefix= too, where the tree root stays valid', async () => {
    for (const [route, name] of [
      ['/api/archon/releases', 'path'],
      ['/api/archon/config/tree', 'prefix'],
    ]) {
      const res = await request(backend.server).get(
        `${route}?${name}=${encodeURIComponent('/a\u0000')}`,
      );
      expect([route, res.status, res.body.error.message]).toEqual([
        route,
        400,
        expect.stringMatching(`"${name}".*A-Z a-z 0-9 _ -`),
      ]);
    }
    expect(
      (await request(backend.server).get('/api/archon/config/tree?prefix=%2F'))
        .status,
    ).toBe(200);
    expect(
      (
        await request(backend.server).get(
          '/api/archon/audit/timeline?configPath=%2Fvalid%2Fapp',
        )
      ).status,
    ).toBe(200);
  });
});
