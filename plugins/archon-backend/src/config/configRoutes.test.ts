import { getTestCluster, testNamespace } from '@archon/local-cluster/testing';
import { mockServices } from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import zookeeper from 'node-zookeeper-client';
import request from 'supertest';
import { startArchonTestBackend } from '@archon/test-utils';
import { archonPlugin } from '../plugin';

jest.setTimeout(60_000);

const cluster = getTestCluster();
const ns = testNamespace('config-routes');
const root = `${ns.zkRoot}/pheidippides`;

let backend: Awaited<ReturnType<typeof startArchonTestBackend>>;
let server: Parameters<typeof request>[0];

const put = (path: string, body: object) =>
  request(server).put(`/api/archon/config/sets${path}`).send(body);
const effective = (path: string) =>
  request(server).get(`/api/archon/config/effective${path}`);

/** A ZooKeeper client that is not archon, like zkCli or a deploy script. */
function externalClient(): Promise<zookeeper.Client> {
  return new Promise(resolve => {
    const client = zookeeper.createClient(cluster.zookeeper.connectionString);
    client.once('connected', () => resolve(client));
    client.connect();
  });
}

beforeAll(async () => {
  backend = await startArchonTestBackend({
    features: [archonPlugin],
    zookeeper: { connectionString: cluster.zookeeper.connectionString, root },
  });
  server = backend.server;
});

afterAll(async () => {
  await backend?.stop();
});

describe('the published Pheidippides example', () => {
  it('resolves service-1 to x=6 y=2 z=3 w=4 s=3', async () => {
    expect((await put('/foo', { properties: { x: '1' } })).status).toBe(200);
    expect(
      (await put('/foo/bar', { properties: { y: '2', z: '3' } })).status,
    ).toBe(200);
    expect(
      (
        await put('/foo/bar/service-1', {
          properties: { w: '4', s: '${z}', x: '6' },
        })
      ).status,
    ).toBe(200);

    const res = await effective('/foo/bar/service-1');
    expect(res.status).toBe(200);
    expect(res.body.properties).toEqual({
      x: '6',
      y: '2',
      z: '3',
      w: '4',
      s: '3',
    });
    expect(res.body.provenance.x).toEqual({
      definedAt: '/foo/bar/service-1',
      raw: '6',
      shadowed: [{ path: '/foo', raw: '1' }],
    });
    expect(res.body.provenance.s).toMatchObject({
      definedAt: '/foo/bar/service-1',
      raw: '${z}',
    });
  });

  it('accepts the path percent-encoded as one segment, as the generated client sends it', async () => {
    const res = await request(server).get(
      '/api/archon/config/effective/foo%2Fbar%2Fservice-1',
    );
    expect(res.status).toBe(200);
    expect(res.body.properties.s).toBe('3');
  });
});

describe('substitution', () => {
  it('binds late: a reference written above resolves to the override below', async () => {
    await put('/late', {
      properties: { url: 'http://${host}:80', host: 'default' },
    });
    await put('/late/app', { properties: { host: 'app-host' } });
    const res = await effective('/late/app');
    expect(res.body.properties.url).toBe('http://app-host:80');
    expect((await effective('/late')).body.properties.url).toBe(
      'http://default:80',
    );
  });

  it('follows chains and keeps $${ literal', async () => {
    await put('/chain', {
      properties: { a: '${b}', b: '${c}', c: 'end', lit: '$${a}' },
    });
    const res = await effective('/chain');
    expect(res.body.properties).toMatchObject({
      a: 'end',
      b: 'end',
      lit: '${a}',
    });
  });

  it('answers 422 naming a missing key and where it was written', async () => {
    await put('/missing', { properties: { a: '${nope}' }, force: true });
    const res = await effective('/missing');
    expect(res.status).toBe(422);
    expect(res.body.error.details.problems).toEqual([
      expect.objectContaining({
        kind: 'missing-key',
        key: 'nope',
        referencedBy: 'a',
        writtenAt: '/missing',
      }),
    ]);
  });

  it('answers 422 naming a cycle', async () => {
    await put('/cycle', { properties: { a: '${b}', b: '${a}' }, force: true });
    const res = await effective('/cycle');
    expect(res.status).toBe(422);
    expect(res.body.error.details.problems[0]).toMatchObject({ kind: 'cycle' });
    expect(res.body.error.message).toMatch(/a → b → a|b → a → b/);
  });
});

describe('validation', () => {
  it.each([
    ['/config/sets/foo/..', /segment 2/],
    ['/config/sets/foo//bar', /segment 2 is empty/],
    ['/config/sets/foo/b%20ar', /contains " "/],
    ['/config/sets/f%C3%BCr', /segment 1/],
  ])(
    'rejects the path %s with a message naming the segment',
    async (url, message) => {
      const res = await request(server)
        .put(`/api/archon${url}`)
        .send({ properties: { a: '1' } });
      expect(res.status).toBe(400);
      expect(res.body.error.message).toMatch(message);
    },
  );

  it('rejects bad keys, non-string values and unknown fields, and writes nothing', async () => {
    const bad = await put('/val', { properties: { 'bad key': '1', ok: '2' } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/bad key/);
    const number = await put('/val', { properties: { n: 1 } });
    expect(number.status).toBe(400);
    const unknown = await put('/val', { properties: {}, extra: true });
    expect(unknown.status).toBe(400);
    expect(
      (await request(server).get('/api/archon/config/sets/val')).status,
    ).toBe(404);
  });

  it('rejects a set too large for a znode before it reaches ZooKeeper', async () => {
    const res = await put('/big', {
      properties: { blob: 'x'.repeat(1_100_000) },
    });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(/limit is 1000000 bytes.*"blob"/);
  });
});

describe('optimistic concurrency', () => {
  it('answers 409 with the current set when expectedVersion is stale', async () => {
    const first = await put('/occ', { properties: { a: '1' } });
    expect(first.body.version).toBe(0);
    const second = await put('/occ', {
      properties: { a: '2' },
      expectedVersion: 0,
    });
    expect(second.status).toBe(200);
    expect(second.body.version).toBe(1);
    const stale = await put('/occ', {
      properties: { a: '3' },
      expectedVersion: 0,
    });
    expect(stale.status).toBe(409);
    expect(stale.body.error.current).toEqual({
      path: '/occ',
      exists: true,
      properties: { a: '2' },
      version: 1,
    });
    expect(
      (await request(server).get('/api/archon/config/sets/occ')).body
        .properties,
    ).toEqual({ a: '2' });
  });

  it('patches keep the other keys and count versions', async () => {
    await put('/patch', { properties: { a: '1', b: '2' } });
    const res = await request(server)
      .patch('/api/archon/config/sets/patch')
      .send({ set: { c: '3' }, unset: ['a'], expectedVersion: 0 });
    expect(res.status).toBe(200);
    expect(res.body.changedKeys).toEqual(['a', 'c']);
    const set = await request(server).get('/api/archon/config/sets/patch');
    expect(set.body).toMatchObject({
      properties: { b: '2', c: '3' },
      version: 1,
    });
  });
});

describe('the watch-driven cache', () => {
  it('sees a change made by another ZooKeeper client', async () => {
    await put('/ext', { properties: { a: 'before' } });
    const client = await externalClient();
    try {
      const started = Date.now();
      await new Promise<void>((resolve, reject) =>
        client.setData(
          `${root}/ext`,
          Buffer.from(JSON.stringify({ a: 'after' })),
          -1,
          e => (e ? reject(e) : resolve()),
        ),
      );
      let seen = '';
      while (seen !== 'after' && Date.now() - started < 10_000) {
        seen = (await effective('/ext')).body.properties?.a;
        if (seen !== 'after') await new Promise(r => setTimeout(r, 20));
      }
      expect(seen).toBe('after');
      // The requirement is 2 s; the figure is printed, not asserted (timing is for benchmarks).
      process.stdout.write(
        `external change visible after ${Date.now() - started} ms\n`,
      );
    } finally {
      client.close();
    }
  });
});

describe('history, tree and impact', () => {
  it('records every write, newest first', async () => {
    await put('/hist', { properties: { a: '1' } });
    await request(server)
      .patch('/api/archon/config/sets/hist')
      .send({ set: { b: '2' } });
    await request(server).delete('/api/archon/config/sets/hist');
    const res = await request(server).get('/api/archon/config/history/hist');
    expect(res.body.items.map((i: { action: string }) => i.action)).toEqual([
      'delete',
      'patch',
      'put',
    ]);
    expect(res.body.items[1]).toMatchObject({
      changedKeys: ['b'],
      before: { a: '1' },
      after: { a: '1', b: '2' },
      version: 1,
    });
    expect(res.body.items[0].after).toBeUndefined();
  });

  it('lists the hierarchy with the levels that hold sets', async () => {
    const res = await request(server).get(
      '/api/archon/config/tree?prefix=/foo&depth=2',
    );
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      path: '/foo',
      hasSet: true,
      children: [
        {
          path: '/foo/bar',
          hasSet: true,
          children: [{ path: '/foo/bar/service-1', hasSet: true }],
        },
      ],
    });
  });

  it('shows the blast radius of an edit before it is written, including through ${} chains', async () => {
    await put('/imp', { properties: { host: 'h1', url: 'http://${host}' } });
    await put('/imp/a', { properties: { name: 'a' } });
    await put('/imp/b', { properties: { host: 'own-host' } });
    await put('/imp/c', { properties: { ref: '${gone}', gone: 'here' } });
    const res = await request(server)
      .post('/api/archon/config/preview/imp')
      .send({ set: { host: 'h2' } });
    expect(res.status).toBe(200);
    const changed = Object.fromEntries(
      res.body.changed.map(
        (c: {
          path: string;
          diff: { changed: Array<{ key: string; from: string; to: string }> };
        }) => [c.path, c.diff.changed.map(k => `${k.key}:${k.from}->${k.to}`)],
      ),
    );
    expect(changed['/imp']).toEqual([
      'host:h1->h2',
      'url:http://h1->http://h2',
    ]);
    expect(changed['/imp/a']).toEqual([
      'host:h1->h2',
      'url:http://h1->http://h2',
    ]);
    expect(changed['/imp/b']).toBeUndefined(); // overrides host itself
    expect(res.body.basedOnVersion).toBe(0);
    // Nothing was written.
    expect((await effective('/imp/a')).body.properties.url).toBe('http://h1');
  });
});

describe('secrets', () => {
  it('masks secret values unless the caller may reveal them, and never changes what is stored', async () => {
    const masking = await startArchonTestBackend({
      zookeeper: { connectionString: cluster.zookeeper.connectionString, root },
      features: [
        archonPlugin,
        mockServices.permissions.mock({
          authorize: async requests =>
            requests.map(r => ({
              result:
                r.permission.name === 'archon.config.secrets.reveal'
                  ? AuthorizeResult.DENY
                  : AuthorizeResult.ALLOW,
            })),
        }).factory,
      ],
    });
    try {
      await put('/sec', {
        properties: {
          'db.password': 'hunter2',
          api_token: 't0k',
          dsn: 'pg://u:${db.password}@h',
          plain: 'p',
        },
      });
      const res = await request(masking.server).get(
        '/api/archon/config/effective/sec',
      );
      expect(res.body.masked).toBe(true);
      expect(res.body.properties).toMatchObject({
        'db.password': '********',
        api_token: '********',
        plain: 'p',
      });
      expect(res.body.properties.dsn).not.toContain('hunter2');
      expect(JSON.stringify(res.body)).not.toContain('hunter2');
      const set = await request(masking.server).get(
        '/api/archon/config/sets/sec',
      );
      expect(set.body.properties['db.password']).toBe('********');
      const history = await request(masking.server).get(
        '/api/archon/config/history/sec',
      );
      expect(JSON.stringify(history.body)).not.toContain('hunter2');
      // A stale write gets the current set to merge with, secrets still masked.
      const stale = await request(masking.server)
        .put('/api/archon/config/sets/sec')
        .send({ properties: { plain: 'q' }, expectedVersion: 42 });
      expect(stale.status).toBe(409);
      expect(stale.body.error.current.properties['db.password']).toBe(
        '********',
      );
      expect(JSON.stringify(stale.body)).not.toContain('hunter2');
      // The stored value is untouched.
      expect((await effective('/sec')).body.properties['db.password']).toBe(
        'hunter2',
      );
    } finally {
      await masking.stop();
    }
  });

  it('refuses a write without the write permission, naming it, and writes nothing', async () => {
    const denying = await startArchonTestBackend({
      zookeeper: { connectionString: cluster.zookeeper.connectionString, root },
      features: [
        archonPlugin,
        mockServices.permissions.mock({
          authorize: async requests =>
            requests.map(r => ({
              result:
                r.permission.name === 'archon.config.write'
                  ? AuthorizeResult.DENY
                  : AuthorizeResult.ALLOW,
            })),
        }).factory,
      ],
    });
    try {
      const res = await request(denying.server)
        .put('/api/archon/config/sets/denied')
        .send({ properties: { a: '1' } });
      expect(res.status).toBe(403);
      expect(res.body.error.message).toContain('archon.config.write');
      expect(
        (await request(server).get('/api/archon/config/sets/denied')).status,
      ).toBe(404);
    } finally {
      await denying.stop();
    }
  });
});
