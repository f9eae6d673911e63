/*
 * `GET /releases` pages with `limit` and `cursor`/`nextCursor`, newest
 * first, against a private PostgreSQL database on the local cluster's
 * server (releases seeded straight into the store, as deploys leave them).
 */
import { getTestCluster, testNamespace } from '@archon/local-cluster/testing';
import { mockServices } from '@backstage/backend-test-utils';
import request from 'supertest';
import { privatePostgres } from '../__testUtils__/privatePostgres';
import { startArchonTestBackend } from '@archon/test-utils';
import { archonPlugin } from '../plugin';
import { ReleaseStore, type Release } from './store/ReleaseStore';

jest.setTimeout(120_000);

const cluster = getTestCluster();
const ns = testNamespace('release-routes');

let database: Awaited<ReturnType<typeof privatePostgres>>;
let backend: Awaited<ReturnType<typeof startArchonTestBackend>>;

function release(id: string, path: string, createdAt: string): Release {
  return {
    id,
    ensemble: 'local',
    path,
    target: { instance: 'local', appId: path },
    createdBy: 'user:default/alice',
    createdAt,
    properties: { greeting: id },
    provenance: {},
    versions: {},
    status: 'deployed',
    updatedAt: createdAt,
  };
}

const list = (query: Record<string, string | number>) =>
  request(backend.server).get('/api/archon/releases').query(query);

beforeAll(async () => {
  database = await privatePostgres('archon_releases');
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
  // The plugin migrated the database on start; deploys write releases like this.
  const store = new ReleaseStore(database.db);
  // r3 and r4 share a creation time: the id breaks the tie, so no page skips or repeats one.
  for (const [id, at] of [
    ['r1', '2026-11-25T01:00:00.000Z'],
    ['r2', '2026-11-25T02:00:00.000Z'],
    ['r3', '2026-11-25T03:00:00.000Z'],
    ['r4', '2026-11-25T03:00:00.000Z'],
    ['r5', '2026-11-25T04:00:00.000Z'],
  ]) {
    await store.create(release(id, '/paged/app', at));
  }
  await store.create(
    release('other', '/paged/other', '2026-11-25T05:00:00.000Z'),
  );
});

afterAll(async () => {
  await backend?.stop();
  await database?.drop();
});

describe('GET /releases', () => {
  it('pages back through a path with limit and cursor, each release once, newest first', async () => {
    const seen: string[][] = [];
    let cursor: string | undefined;
    do {
      const res = await list({
        path: '/paged/app',
        limit: 2,
        ...(cursor && { cursor }),
      });
      expect(res.status).toBe(200);
      seen.push(res.body.items.map((r: Release) => r.id));
      cursor = res.body.nextCursor;
    } while (cursor);
    expect(seen).toEqual([['r5', 'r4'], ['r3', 'r2'], ['r1']]);
  });

  it('keeps the old shape: without limit or cursor, one page of items and no nextCursor', async () => {
    const res = await list({ path: '/paged/app' });
    expect(res.status).toBe(200);
    expect(res.body.items.map((r: Release) => r.id)).toEqual([
      'r5',
      'r4',
      'r3',
      'r2',
      'r1',
    ]);
    expect(res.body).not.toHaveProperty('nextCursor');
  });

  it('has no nextCursor when the page holds exactly what is left', async () => {
    const res = await list({ path: '/paged/app', limit: 5 });
    expect(res.body.items).toHaveLength(5);
    expect(res.body).not.toHaveProperty('nextCursor');
  });

  it('answers 400 naming the parameter for a cursor it did not hand out', async () => {
    for (const cursor of [
      'not-a-cursor',
      Buffer.from('{"a":1}').toString('base64url'),
    ]) {
      const res = await list({ path: '/paged/app', cursor });
      expect(res.status).toBe(400);
      expect(res.body.error.message).toMatch(
        /"cursor" must be the nextCursor of an earlier page/,
      );
    }
  });

  it('answers 400 for a limit out of range', async () => {
    const res = await list({ path: '/paged/app', limit: 0 });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(/limit/);
  });
});
