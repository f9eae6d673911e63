import { getTestCluster, testNamespace } from '@archon/local-cluster/testing';
import zookeeper from 'node-zookeeper-client';
import request from 'supertest';
import { startArchonTestBackend } from '@archon/test-utils';
import { archonPlugin } from '../plugin';

jest.setTimeout(60_000);

const cluster = getTestCluster();
const ns = testNamespace('config-write-semantics');
const root = `${ns.zkRoot}/pheidippides`;

let backend: Awaited<ReturnType<typeof startArchonTestBackend>>;
let server: Parameters<typeof request>[0];
let zk: zookeeper.Client;

const api = (path: string) => `/api/archon${path}`;
const put = (path: string, body: object) =>
  request(server)
    .put(api(`/config/sets${path}`))
    .send(body);
const patch = (path: string, body: object) =>
  request(server)
    .patch(api(`/config/sets${path}`))
    .send(body);
const history = async (path: string) =>
  (await request(server).get(api(`/config/history${path}`))).body.items;

/** The znode's stat as ZooKeeper has it, read by a client that is not archon. */
function rawStat(path: string): Promise<zookeeper.Stat | undefined> {
  return new Promise((resolve, reject) =>
    zk.exists(`${root}${path}`, (error, stat) =>
      error ? reject(error) : resolve(stat ?? undefined),
    ),
  );
}

/** Audit entries of one configuration path since `since`, newest first. */
async function auditOf(path: string, since: string) {
  const res = await request(server).get(
    api(`/audit?${new URLSearchParams({ target: path, since })}`),
  );
  expect(res.status).toBe(200);
  return res.body.items as Array<{
    action: string;
    outcome: string;
    meta?: Record<string, unknown>;
  }>;
}

beforeAll(async () => {
  backend = await startArchonTestBackend({
    features: [archonPlugin],
    zookeeper: { connectionString: cluster.zookeeper.connectionString, root },
  });
  server = backend.server;
  zk = zookeeper.createClient(cluster.zookeeper.connectionString);
  await new Promise<void>(resolve => {
    zk.once('connected', () => resolve());
    zk.connect();
  });
});

afterAll(async () => {
  zk?.close();
  await backend?.stop();
});

describe('no-op writes', () => {
  it('PUT, PATCH and unset of what is stored write nothing: same znode version, no history entry', async () => {
    const since = new Date().toISOString();
    expect((await put('/noop', { properties: { only: '2' } })).status).toBe(
      200,
    );
    await put('/noop', { properties: { only: '2', other: 'x' } });
    await patch('/noop', { unset: ['other'] });
    const version = (await rawStat('/noop'))!.version;
    expect(version).toBe(2);
    const entries = (await history('/noop')).length;

    const same = await put('/noop', { properties: { only: '2' } });
    expect(same.status).toBe(200);
    expect(same.body).toEqual({
      path: '/noop',
      version,
      changedKeys: [],
      unchanged: true,
    });
    const samePatch = await patch('/noop', { set: { only: '2' } });
    expect(samePatch.body).toMatchObject({
      version,
      changedKeys: [],
      unchanged: true,
    });
    const unsetMissing = await patch('/noop', { unset: ['never-there'] });
    expect(unsetMissing.body).toMatchObject({
      version,
      changedKeys: [],
      unchanged: true,
    });

    expect((await rawStat('/noop'))!.version).toBe(version);
    expect((await history('/noop')).length).toBe(entries);
    const audit = await auditOf('/noop', since);
    expect(audit.filter(e => e.meta?.unchanged === true)).toHaveLength(3);
  });

  it('a stale expectedVersion is still a 409, even when the content matches', async () => {
    await put('/noop-stale', { properties: { a: '1' } });
    await put('/noop-stale', { properties: { a: '2' } });
    const stale = await put('/noop-stale', {
      properties: { a: '2' },
      expectedVersion: 0,
    });
    expect(stale.status).toBe(409);
    expect(stale.body.error.current.version).toBe(1);
  });

  it("a writer holding the version still succeeds after someone else's no-op", async () => {
    const first = await put('/noop-race', { properties: { a: '1' } });
    const held = first.body.version;
    expect(
      (await put('/noop-race', { properties: { a: '1' } })).body.unchanged,
    ).toBe(true);
    const mine = await put('/noop-race', {
      properties: { a: 'mine' },
      expectedVersion: held,
    });
    expect(mine.status).toBe(200);
    expect(mine.body.version).toBe(held + 1);
  });
});

describe('breaking writes', () => {
  it('are refused with the exact broken paths and change nothing', async () => {
    await put('/brk', { properties: { host: 'h' } });
    await put('/brk/a', { properties: { url: 'http://${host}' } });
    await put('/brk/a/x', { properties: { other: '1' } });
    await put('/brk/b', { properties: { host: 'own', url: 'http://${host}' } });
    const before = (await rawStat('/brk'))!.version;

    const refused = await patch('/brk', { unset: ['host'] });
    expect(refused.status).toBe(422);
    expect(refused.body.error.details.brokenPaths).toEqual([
      {
        path: '/brk/a',
        keys: ['url'],
        reason: expect.stringContaining('"host" is not defined'),
      },
      {
        path: '/brk/a/x',
        keys: ['url'],
        reason: expect.stringContaining('"host" is not defined'),
      },
    ]);
    expect(refused.body.error.message).toMatch(/force: true/);
    expect((await rawStat('/brk'))!.version).toBe(before);

    // An existing leaf that would stop resolving is refused; so is the delete of a set.
    const leaf = await put('/brk/a/x', {
      properties: { other: '1', q: '${nothere}' },
    });
    expect(leaf.status).toBe(422);
    expect(
      leaf.body.error.details.brokenPaths.map((b: { path: string }) => b.path),
    ).toEqual(['/brk/a/x']);
    const deleted = await request(server).delete(api('/config/sets/brk'));
    expect(deleted.status).toBe(422);
  });

  it('let a write create a level that does not resolve yet: it never resolved before', async () => {
    // Late binding: an upper level may reference a key only the levels below define.
    const created = await put('/late-upper', {
      properties: { cmd: 'run ${app}' },
    });
    expect(created.status).toBe(200);
    expect(created.body.forced).toBeUndefined();
    expect(
      (await put('/late-upper/svc', { properties: { app: 'svc' } })).status,
    ).toBe(200);
    const effective = await request(server).get(
      api('/config/effective/late-upper/svc'),
    );
    expect(effective.body.properties.cmd).toBe('run svc');
  });

  it('land with force and are audited as forced', async () => {
    const since = new Date().toISOString();
    await put('/frc', { properties: { host: 'h' } });
    await put('/frc/a', { properties: { url: 'http://${host}' } });
    const forced = await patch('/frc', { unset: ['host'], force: true });
    expect(forced.status).toBe(200);
    expect(forced.body).toMatchObject({
      changedKeys: ['host'],
      forced: true,
      brokenPaths: [{ path: '/frc/a', keys: ['url'] }],
    });
    expect(
      (await request(server).get(api('/config/effective/frc/a'))).status,
    ).toBe(422);
    const [entry] = await history('/frc');
    expect(entry.note).toBe('forced; broke /frc/a');
    const audit = await auditOf('/frc', since);
    expect(
      audit.find(
        e => e.action === 'config-set-patch' && e.outcome === 'success',
      )?.meta,
    ).toMatchObject({
      forced: true,
      brokenPaths: ['/frc/a'],
    });
  });

  it('are not blocked by paths that were already broken', async () => {
    await put('/old', { properties: { a: '1' } });
    await put('/old/bad', { properties: { b: '${missing}' }, force: true });
    const res = await put('/old', { properties: { a: '2' } });
    expect(res.status).toBe(200);
    expect(res.body.forced).toBeUndefined();
  });
});

describe('removing levels', () => {
  it('removes a childless level with its last set, and empty intermediate levels with prune', async () => {
    await put('/rm/leaf', { properties: { a: '1' } });
    expect(
      (await request(server).delete(api('/config/sets/rm/leaf'))).status,
    ).toBe(200);
    expect(await rawStat('/rm/leaf')).toBeUndefined();
    // /rm is now an empty intermediate level: a plain delete has no set to delete, prune removes it.
    expect((await request(server).delete(api('/config/sets/rm'))).status).toBe(
      404,
    );
    const pruned = await request(server).delete(
      api('/config/sets/rm?prune=true'),
    );
    expect(pruned.status).toBe(200);
    expect(pruned.body).toMatchObject({
      removedLevels: 1,
      removedSets: 0,
      removed: ['/rm'],
    });
    expect(await rawStat('/rm')).toBeUndefined();
  });

  it('refuses to prune over sets below unless recursive, which says how many it removed', async () => {
    await put('/tree/a/one', { properties: { k: '1' } });
    await put('/tree/b', { properties: { k: '2' } });
    const refused = await request(server).delete(
      api('/config/sets/tree?prune=true'),
    );
    expect(refused.status).toBe(409);
    expect(refused.body.error.message).toMatch(
      /2 levels below \/tree still hold a configuration set \(\/tree\/a\/one, \/tree\/b\).*4 levels, 2 sets/,
    );
    expect(await rawStat('/tree/a/one')).toBeDefined();
    expect(
      (await request(server).delete(api('/config/sets/tree?recursive=true')))
        .status,
    ).toBe(400);

    const removed = await request(server).delete(
      api('/config/sets/tree?prune=true&recursive=true'),
    );
    expect(removed.status).toBe(200);
    expect(removed.body).toMatchObject({ removedLevels: 4, removedSets: 2 });
    expect(await rawStat('/tree')).toBeUndefined();
    expect((await history('/tree/b'))[0]).toMatchObject({
      action: 'delete',
      before: { k: '2' },
      note: 'removed with /tree',
    });
  });
});

describe('restore', () => {
  it('writes an earlier version as a new one and says so in the history', async () => {
    await put('/rst', { properties: { a: '1' } });
    await put('/rst', { properties: { a: '2', b: 'x' } });
    const restored = await request(server)
      .post(api('/config/sets/rst/restore'))
      .send({ version: 0 });
    expect(restored.status).toBe(200);
    expect(restored.body).toMatchObject({
      version: 2,
      changedKeys: ['a', 'b'],
    });
    expect(
      (await request(server).get(api('/config/sets/rst'))).body.properties,
    ).toEqual({ a: '1' });
    expect((await history('/rst'))[0]).toMatchObject({
      action: 'restore',
      note: 'restored from v0',
      version: 2,
    });
    // Restoring what is there already is a no-op; a version never written is a 404.
    expect(
      (
        await request(server)
          .post(api('/config/sets/rst/restore'))
          .send({ version: 2 })
      ).body.unchanged,
    ).toBe(true);
    expect(
      (
        await request(server)
          .post(api('/config/sets/rst/restore'))
          .send({ version: 9 })
      ).status,
    ).toBe(404);
  });
});

describe('raw znode writes under the configuration root', () => {
  const znodeUrl = (path: string, query = '') =>
    api(
      `/zookeeper/local/znodes/${encodeURIComponent(`${root}${path}`)}${query}`,
    );

  it('are refused with 409 naming the configuration route, and change nothing', async () => {
    await put('/rawz', { properties: { a: '1' } });
    const refused = await request(server)
      .put(znodeUrl('/rawz'))
      .send({ data: { json: { a: '2' } }, expectedVersion: -1 });
    expect(refused.status).toBe(409);
    expect(refused.body.error.message).toMatch(
      /configuration level \/rawz; write it through PUT \/api\/archon\/config\/sets\/rawz/,
    );
    expect(refused.body.error.message).toMatch(/raw=true/);
    expect((await rawStat('/rawz'))!.version).toBe(0);
    expect(
      (
        await request(server)
          .post(znodeUrl('/rawz/new'))
          .send({ data: { json: { b: '1' } } })
      ).status,
    ).toBe(409);
    expect(
      (await request(server).delete(znodeUrl('/rawz', '?expectedVersion=-1')))
        .status,
    ).toBe(409);
    expect(
      (
        await request(server).delete(
          api(
            `/zookeeper/local/znodes/${encodeURIComponent(
              ns.zkRoot,
            )}?expectedVersion=-1&recursive=true`,
          ),
        )
      ).status,
    ).toBe(409);
  });

  it('with raw=true land, and appear in the configuration history as raw znode writes', async () => {
    await put('/rawy', { properties: { a: '1' } });
    const res = await request(server)
      .put(znodeUrl('/rawy', '?raw=true'))
      .send({ data: { json: { a: '2' } }, expectedVersion: 0 });
    expect(res.status).toBe(200);
    expect((await rawStat('/rawy'))!.version).toBe(1);
    expect((await history('/rawy'))[0]).toMatchObject({
      action: 'raw',
      note: 'raw znode write',
      changedKeys: ['a'],
      before: { a: '1' },
      after: { a: '2' },
      version: 1,
      actor: 'user:default/mock',
    });
    const created = await request(server)
      .post(znodeUrl('/rawy/kid', '?raw=true'))
      .send({ data: { json: { k: 'v' } } });
    expect(created.status).toBe(201);
    expect((await history('/rawy/kid'))[0]).toMatchObject({
      action: 'raw',
      after: { k: 'v' },
    });
    expect(
      (
        await request(server).delete(
          znodeUrl('/rawy/kid', '?expectedVersion=-1&raw=true'),
        )
      ).status,
    ).toBe(200);
    expect((await history('/rawy/kid'))[0]).toMatchObject({
      action: 'raw',
      before: { k: 'v' },
      changedKeys: ['k'],
    });
  });
});
