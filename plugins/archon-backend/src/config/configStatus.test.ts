/*
 * What archon says about configuration that does not resolve (#14): the
 * partial explain, the tree and the graph mark failing levels, and the impact
 * preview names the paths with a deployed app that need a redeploy. Real
 * ZooKeeper; a private PostgreSQL database for the releases seeded like
 * deploys leave them.
 */
import {
  eventually,
  getTestCluster,
  testNamespace,
} from '@archon/local-cluster/testing';
import { mockServices } from '@backstage/backend-test-utils';
import request from 'supertest';
import { privatePostgres } from '../__testUtils__/privatePostgres';
import { startArchonTestBackend } from '@archon/test-utils';
import { archonPlugin } from '../plugin';
import { ReleaseStore } from '../deploy/store/ReleaseStore';

jest.setTimeout(120_000);

const cluster = getTestCluster();
const ns = testNamespace('config-status');

let database: Awaited<ReturnType<typeof privatePostgres>>;
let backend: Awaited<ReturnType<typeof startArchonTestBackend>>;
let server: Parameters<typeof request>[0];

const put = (path: string, body: object) =>
  request(server).put(`/api/archon/config/sets${path}`).send(body);

beforeAll(async () => {
  database = await privatePostgres('archon_config_status');
  backend = await startArchonTestBackend({
    zookeeper: {
      connectionString: cluster.zookeeper.connectionString,
      root: `${ns.zkRoot}/pheidippides`,
    },
    features: [
      archonPlugin,
      mockServices.database.factory({ knex: database.db }),
    ],
  });
  server = backend.server;
});

afterAll(async () => {
  await backend?.stop();
  await database?.drop();
});

describe('explain=partial', () => {
  it('answers every key that resolves with its provenance and the others in errors', async () => {
    await put('/px', { properties: { base: 'b' } });
    await put('/px/app', {
      properties: {
        good: '${base}!',
        bad: '${missing}',
        worse: '${bad}',
        'db.password': '${nope}',
      },
      force: true,
    });
    const plain = await request(server).get(
      '/api/archon/config/effective/px/app',
    );
    expect(plain.status).toBe(422);

    const res = await request(server).get(
      '/api/archon/config/effective/px/app?explain=partial',
    );
    expect(res.status).toBe(200);
    expect(res.body.properties).toEqual({ base: 'b', good: 'b!' });
    expect(res.body.provenance.good).toMatchObject({
      definedAt: '/px/app',
      raw: '${base}!',
    });
    expect(res.body.errors).toEqual([
      {
        key: 'bad',
        reason: expect.stringContaining('"missing" is not defined'),
      },
      // The test backend allows everything, secrets revealed included.
      {
        key: 'db.password',
        reason: expect.stringContaining('"nope" is not defined'),
      },
      { key: 'worse', reason: 'depends on "bad" that does not resolve' },
    ]);
    expect(res.body.masked).toBe(false);
  });
});

describe('failing levels', () => {
  it('are marked in the tree and failed (failing) in the graph, never healthy', async () => {
    await put('/fl', { properties: { host: 'h' } });
    await put('/fl/ok', { properties: { own: '1' } });
    await put('/fl/broken', { properties: { url: '${nohost}' }, force: true });
    const tree = await request(server).get(
      '/api/archon/config/tree?prefix=/fl&depth=1',
    );
    expect(tree.status).toBe(200);
    const byPath = Object.fromEntries(
      tree.body.children.map((c: { path: string }) => [c.path, c]),
    );
    expect(byPath['/fl/ok'].failing).toBeUndefined();
    expect(byPath['/fl/broken'].failing).toEqual({
      keys: ['url'],
      reason: expect.stringContaining('"nohost" is not defined'),
    });

    await eventually(async () => {
      const node = await request(server).get(
        '/api/archon/graph/nodes/config:/fl/broken',
      );
      expect(node.status).toBe(200);
      expect(node.body.node ?? node.body).toMatchObject({
        attributes: { resolution: 'failing', unresolvedKeys: ['url'] },
        status: {
          state: 'failed',
          summary: expect.stringMatching(/^failing: does not resolve/),
        },
      });
      // In the same wait: the cache loads the levels on their own, so the
      // graph may hold /fl/broken before /fl/ok.
      const ok = await request(server).get(
        '/api/archon/graph/nodes/config:/fl/ok',
      );
      expect((ok.body.node ?? ok.body).status.state).toBe('healthy');
    });
  });

  it('a template level that leaves a key for the levels below is open in the tree and healthy in the graph', async () => {
    await put('/fl/tmpl', {
      properties: { url: '${host}/${app}' },
      force: true,
    });
    await put('/fl/tmpl/a', { properties: { app: 'a' }, force: true });
    const tree = await request(server).get(
      '/api/archon/config/tree?prefix=/fl/tmpl&depth=1',
    );
    expect(tree.status).toBe(200);
    expect(tree.body.failing).toBeUndefined();
    expect(tree.body.open).toEqual({
      keys: ['app'],
      reason: expect.stringContaining('leaves ${app} for the levels below'),
    });
    expect(tree.body.children[0].open).toBeUndefined();
    expect(tree.body.children[0].failing).toBeUndefined();

    await eventually(async () => {
      const node = await request(server).get(
        '/api/archon/graph/nodes/config:/fl/tmpl',
      );
      expect(node.status).toBe(200);
      expect(node.body.node ?? node.body).toMatchObject({
        attributes: { resolution: 'open', openKeys: ['app'] },
        status: {
          state: 'healthy',
          summary: expect.stringContaining('open: leaves ${app}'),
        },
      });
    });
  });
});

describe('impact preview', () => {
  it('names the changed paths that have a deployed app needing a redeploy', async () => {
    await put('/rd', { properties: { level: 'info' } });
    await put('/rd/running', { properties: { own: '1' } });
    await put('/rd/idle', { properties: { own: '2' } });
    const store = new ReleaseStore(database.db);
    const at = new Date().toISOString();
    await store.create({
      id: 'rel-rd-1',
      ensemble: 'local',
      path: '/rd/running',
      target: { instance: 'local', appId: '/rd/running' },
      createdBy: 'user:default/alice',
      createdAt: at,
      properties: { level: 'info', own: '1' },
      provenance: {},
      versions: {},
      status: 'deployed',
      updatedAt: at,
    });
    const res = await request(server)
      .post('/api/archon/config/preview/rd')
      .send({ set: { level: 'debug' } });
    expect(res.status).toBe(200);
    expect(res.body.changed.map((c: { path: string }) => c.path)).toEqual([
      '/rd',
      '/rd/idle',
      '/rd/running',
    ]);
    expect(res.body.redeploy).toEqual([
      {
        path: '/rd/running',
        targets: [
          {
            target: { instance: 'local', appId: '/rd/running' },
            releaseId: 'rel-rd-1',
            deployedAt: at,
          },
        ],
      },
    ]);
  });
});
