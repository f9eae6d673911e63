/*
 * The ZooKeeper explorer (/zookeeper/{ensemble}/...) against the real
 * ZooKeeper of the local cluster, under a private root of this file.
 */
import { decodeCursor } from '@archon/plugin-archon-node';
import { getTestCluster, testNamespace } from '@archon/local-cluster/testing';
import { mockServices } from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import zookeeper from 'node-zookeeper-client';
import request from 'supertest';
import { startArchonTestBackend } from '@archon/test-utils';
import { archonPlugin } from '../plugin';

jest.setTimeout(120_000);

const cluster = getTestCluster();
const ns = testNamespace('zookeeper-explorer');
const base = `${ns.zkRoot}/explorer`;

let backend: Awaited<ReturnType<typeof startArchonTestBackend>>;
let server: Parameters<typeof request>[0];
let zk: zookeeper.Client;
const auditEvents: Array<{
  eventId: string;
  meta?: unknown;
  outcome?: 'success' | 'fail';
  successMeta?: unknown;
}> = [];

const api = '/api/archon/zookeeper/local';
/** The readable URL form: slashes as they are. */
const znode = (path: string) => `${api}/znodes${path}`;
const create = (path: string, body: object = {}) =>
  request(server).post(znode(path)).send(body);
const read = (path: string) => request(server).get(znode(path));
const children = (path: string, query = '') =>
  request(server).get(`${api}/children${path}${query}`);

/** A ZooKeeper client that is not archon, like zkCli or a deploy script. */
function externalClient(): Promise<zookeeper.Client> {
  return new Promise(resolve => {
    const client = zookeeper.createClient(cluster.zookeeper.connectionString);
    client.once('connected', () => resolve(client));
    client.connect();
  });
}

function commit(tx: zookeeper.Transaction): Promise<void> {
  return new Promise((resolve, reject) =>
    tx.commit(error => (error ? reject(error) : resolve())),
  );
}

const setExternally = (path: string, data: string) =>
  new Promise<void>((resolve, reject) =>
    zk.setData(path, Buffer.from(data), -1, error =>
      error ? reject(error) : resolve(),
    ),
  );

beforeAll(async () => {
  backend = await startArchonTestBackend({
    zookeeper: {
      connectionString: cluster.zookeeper.connectionString,
      root: `${ns.zkRoot}/pheidippides`,
    },
    features: [
      archonPlugin,
      mockServices.auditor.mock({
        createEvent: async options => {
          const event: (typeof auditEvents)[number] = {
            eventId: options.eventId,
            meta: options.meta,
          };
          auditEvents.push(event);
          return {
            success: async (o?: { meta?: unknown }) => {
              event.outcome = 'success';
              event.successMeta = o?.meta;
            },
            fail: async () => {
              event.outcome = 'fail';
            },
          };
        },
      }).factory,
    ],
  });
  server = backend.server;
  zk = await externalClient();
  const res = await create(base, { createParents: true });
  if (res.status !== 201)
    throw new Error(
      `could not create ${base}: ${res.status} ${JSON.stringify(res.body)}`,
    );
});

afterAll(async () => {
  zk?.close();
  await backend?.stop();
});

describe('addressing znodes', () => {
  it('accepts the readable form, the encoded form (with or without the leading slash) and the root', async () => {
    await create(`${base}/addr`, { data: { text: 'here' } });
    const readable = await read(`${base}/addr`);
    expect(readable.status).toBe(200);
    expect(readable.body).toMatchObject({
      path: `${base}/addr`,
      data: { format: 'text', text: 'here' },
    });
    const encoded = await request(server).get(
      `${api}/znodes/${encodeURIComponent(`${base}/addr`)}`,
    );
    expect(encoded.body.path).toBe(`${base}/addr`);
    const noSlash = await request(server).get(
      `${api}/znodes/${encodeURIComponent(`${base}/addr`.slice(1))}`,
    );
    expect(noSlash.body.path).toBe(`${base}/addr`);
    for (const url of [
      `${api}/znodes`,
      `${api}/znodes/`,
      `${api}/znodes/%2F`,
    ]) {
      const root = await request(server).get(url);
      expect(root.status).toBe(200);
      expect(root.body.path).toBe('/');
    }
    const rootChildren = await request(server).get(`${api}/children`);
    expect(
      rootChildren.body.items.map((i: { name: string }) => i.name),
    ).toEqual(expect.arrayContaining(['archon-test', 'zookeeper']));
  });

  it('takes names with spaces, percent signs and non-ASCII characters', async () => {
    const path = `${base}/we ird%20näme`;
    const url = `${api}/znodes${base}/${encodeURIComponent('we ird%20näme')}`;
    expect(
      (
        await request(server)
          .post(url)
          .send({ data: { text: 'ok' } })
      ).status,
    ).toBe(201);
    const res = await request(server).get(url);
    expect(res.body.path).toBe(path);
    const list = await children(base);
    expect(list.body.items.map((i: { name: string }) => i.name)).toContain(
      'we ird%20näme',
    );
  });

  it('answers 404 naming the deepest existing ancestor, and 400 for an unknown ensemble', async () => {
    const res = await read(`${base}/nope/deeper`);
    expect(res.status).toBe(404);
    expect(res.body.error.message).toContain(
      `There is no znode ${base}/nope/deeper`,
    );
    expect(res.body.error.message).toContain(
      `the deepest existing ancestor is ${base}`,
    );
    const unknown = await request(server).get(
      '/api/archon/zookeeper/elsewhere/znodes/a',
    );
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.message).toMatch(
      /Unknown ZooKeeper ensemble "elsewhere"; configured: local/,
    );
  });
});

describe('listing children', () => {
  const parent = `${base}/many`;
  const COUNT = 5000;
  const nameOf = (i: number) => `c-${String(i).padStart(5, '0')}`;

  beforeAll(async () => {
    await create(parent);
    // Created by another client in transactions of 1,000: quick, and archon sees them as any client would.
    for (let start = 0; start < COUNT; start += 1000) {
      const tx = zk.transaction();
      for (let i = start; i < Math.min(COUNT, start + 1000); i++)
        tx.create(`${parent}/${nameOf(i)}`, Buffer.from(String(i)));
      await commit(tx);
    }
  });

  it(`pages through ${COUNT} children, sorted, each with its stat`, async () => {
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    const started = Date.now();
    do {
      const res = await children(
        parent,
        `?limit=1000${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
      );
      expect(res.status).toBe(200);
      expect(res.body.total).toBe(COUNT);
      expect(res.body.stat.numChildren).toBe(COUNT);
      for (const item of res.body.items) {
        expect(item.path).toBe(`${parent}/${item.name}`);
        expect(item.stat).toMatchObject({
          version: 0,
          numChildren: 0,
          ephemeral: false,
        });
        expect(item.stat.dataLength).toBe(
          String(Number(item.name.slice(2))).length,
        );
      }
      seen.push(...res.body.items.map((i: { name: string }) => i.name));
      cursor = res.body.nextCursor;
      pages++;
    } while (cursor);
    process.stdout.write(
      `${COUNT} children in ${pages} pages of 1000 with stats: ${
        Date.now() - started
      } ms\n`,
    );
    expect(pages).toBe(5);
    expect(seen).toEqual(Array.from({ length: COUNT }, (_, i) => nameOf(i)));
  });

  it('defaults to 100 per page, and a child created behind the cursor does not shift the pages', async () => {
    const first = await children(parent);
    expect(first.body.items).toHaveLength(100);
    // Opaque to clients; it holds the last name shown.
    expect(decodeCursor(first.body.nextCursor)).toEqual({
      value: null,
      id: nameOf(99),
    });
    await create(`${parent}/a-early`);
    const second = await children(parent, `?cursor=${first.body.nextCursor}`);
    expect(second.body.items[0].name).toBe(nameOf(100));
    expect(second.body.total).toBe(COUNT + 1);
    await request(server)
      .delete(`${znode(`${parent}/a-early`)}?expectedVersion=0`)
      .expect(200);
  });

  it('refuses a page size above 1000', async () => {
    const res = await children(parent, '?limit=1001');
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(/limit must be <= 1000/);
  });

  it('refuses a cursor it did not give out', async () => {
    const res = await children(parent, `?cursor=${nameOf(3)}`);
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(
      /^"cursor" must be the nextCursor of an earlier page of children/,
    );
  });

  it('deletes all of them recursively in several transactions once the count is confirmed', async () => {
    const count = await request(server).delete(
      `${znode(parent)}?expectedVersion=0&recursive=true`,
    );
    expect(count.status).toBe(400);
    expect(count.body.error.message).toContain(
      `are ${COUNT + 1} znode(s); repeat with expectedCount=${COUNT + 1}`,
    );
    const res = await request(server).delete(
      `${znode(parent)}?expectedVersion=0&recursive=true&expectedCount=${
        COUNT + 1
      }`,
    );
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      path: parent,
      deleted: COUNT + 1,
      transactions: 6,
    });
    expect((await read(parent)).status).toBe(404);
  });
});

describe('reading data', () => {
  it.each([
    [
      'json object',
      Buffer.from('{"a":1,"b":[true]}'),
      { format: 'json', json: { a: 1, b: [true] }, text: '{"a":1,"b":[true]}' },
    ],
    ['json array', Buffer.from(' [1, 2] '), { format: 'json', json: [1, 2] }],
    [
      'text',
      Buffer.from('host=db-1\nport=5432\n'),
      { format: 'text', text: 'host=db-1\nport=5432\n' },
    ],
    [
      'a bare JSON scalar, as text',
      Buffer.from('8080'),
      { format: 'text', text: '8080' },
    ],
    [
      'text that looks like JSON but is not',
      Buffer.from('{not json'),
      { format: 'text', text: '{not json' },
    ],
    ['UTF-8 text', Buffer.from('grüße ✓'), { format: 'text', text: 'grüße ✓' }],
    [
      'invalid UTF-8, as hex',
      Buffer.from([0xc3, 0x28, 0x00, 0xff]),
      { format: 'binary', hex: 'c32800ff' },
    ],
    [
      'valid UTF-8 with control characters, as hex',
      Buffer.from([0x61, 0x00, 0x62]),
      { format: 'binary', hex: '610062' },
    ],
    ['empty data', Buffer.alloc(0), { format: 'text', text: '', size: 0 }],
  ])('shows %s, always with exact base64', async (label, bytes, expected) => {
    const path = `${base}/data-${label.replace(/[^a-z]+/g, '-')}`;
    const res = await create(path, {
      data: { base64: bytes.toString('base64') },
    });
    expect(res.status).toBe(201);
    const got = await read(path);
    expect(got.status).toBe(200);
    expect(got.body.data).toMatchObject({
      ...expected,
      size: bytes.length,
      base64: bytes.toString('base64'),
    });
    expect(Buffer.from(got.body.data.base64, 'base64').equals(bytes)).toBe(
      true,
    );
    expect(got.body.stat).toMatchObject({
      version: 0,
      dataLength: bytes.length,
      ephemeralOwner: '0x0',
    });
    expect(got.body.stat.czxid).toMatch(/^0x[0-9a-f]+$/);
    expect(Date.parse(got.body.stat.mtime)).toBeGreaterThan(
      Date.now() - 600_000,
    );
  });

  it('writes text as UTF-8 and json compactly', async () => {
    await create(`${base}/w-text`, { data: { text: 'ünï' } });
    expect((await read(`${base}/w-text`)).body.data.base64).toBe(
      Buffer.from('ünï').toString('base64'),
    );
    await create(`${base}/w-json`, { data: { json: { k: ['v', 1, null] } } });
    expect((await read(`${base}/w-json`)).body.data).toMatchObject({
      format: 'json',
      text: '{"k":["v",1,null]}',
    });
  });

  it('points configuration levels under the Pheidippides root at /config', async () => {
    const put = await request(server)
      .put('/api/archon/config/sets/team/app')
      .send({ properties: { a: '1' } });
    expect(put.status).toBe(200);
    const res = await read(`${ns.zkRoot}/pheidippides/team/app`);
    expect(res.body).toMatchObject({
      configPath: '/team/app',
      data: { format: 'json', json: { a: '1' } },
    });
    expect((await read(base)).body.configPath).toBeUndefined();
  });
});

describe('creating znodes', () => {
  it('creates persistent znodes, and missing parents only when asked', async () => {
    const missing = await create(`${base}/c/p/child`);
    expect(missing.status).toBe(404);
    expect(missing.body.error.message).toMatch(
      /parent .*\/c\/p does not exist; .*"createParents": true/,
    );
    const res = await create(`${base}/c/p/child`, {
      createParents: true,
      data: { text: 'x' },
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      path: `${base}/c/p/child`,
      mode: 'persistent',
      createdParents: [`${base}/c`, `${base}/c/p`],
      stat: { version: 0, ephemeral: false },
    });
    expect(res.body.note).toBeUndefined();
    const again = await create(`${base}/c/p/child`);
    expect(again.status).toBe(409);
    expect(again.body.error.message).toMatch(/already exists \(version 0\)/);
    expect(again.body.error.current).toMatchObject({
      exists: true,
      stat: { version: 0 },
    });
  });

  it("creates ephemeral znodes owned by archon's session, and says so", async () => {
    const res = await create(`${base}/c/eph`, {
      mode: 'ephemeral',
      data: { text: 'lease' },
    });
    expect(res.status).toBe(201);
    expect(res.body.stat.ephemeral).toBe(true);
    expect(res.body.stat.ephemeralOwner).not.toBe('0x0');
    expect(res.body.note).toContain("belongs to archon's ZooKeeper session");
    expect(res.body.note).toContain(res.body.stat.ephemeralOwner);
    const child = await create(`${base}/c/eph/child`);
    expect(child.status).toBe(400);
    expect(child.body.error.message).toMatch(
      /ephemeral znodes cannot have children/,
    );
  });

  it.each([
    ['sequential', false],
    ['persistent_sequential', false],
    ['ephemeral_sequential', true],
  ])(
    "creates %s znodes with ZooKeeper's counter appended",
    async (mode, ephemeral) => {
      await create(`${base}/c/${mode}`);
      const first = await create(`${base}/c/${mode}/item-`, { mode });
      const second = await create(`${base}/c/${mode}/item-`, { mode });
      expect(first.status).toBe(201);
      expect(first.body.requestedPath).toBe(`${base}/c/${mode}/item-`);
      expect(first.body.path).toMatch(new RegExp(`/c/${mode}/item-\\d{10}$`));
      expect(second.body.path > first.body.path).toBe(true);
      expect(first.body.stat.ephemeral).toBe(ephemeral);
      expect(first.body.mode).toBe(mode);
    },
  );
});

describe('changing data', () => {
  it('sets data at the expected version and answers 409 with the current data when it is stale', async () => {
    const path = `${base}/occ`;
    await create(path, { data: { text: 'v0' } });
    const first = await request(server)
      .put(znode(path))
      .send({ data: { text: 'v1' }, expectedVersion: 0 });
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({
      path,
      stat: { version: 1, dataLength: 2 },
    });
    const stale = await request(server)
      .put(znode(path))
      .send({ data: { text: 'v2' }, expectedVersion: 0 });
    expect(stale.status).toBe(409);
    expect(stale.body.error.message).toContain('is at version 1, not 0');
    expect(stale.body.error.current).toMatchObject({
      path,
      exists: true,
      stat: { version: 1 },
      data: { text: 'v1' },
    });
    expect((await read(path)).body.data.text).toBe('v1');
  });

  it('enforces expected version 0 against a concurrent writer (node-zookeeper-client would send "any")', async () => {
    const path = `${base}/occ0`;
    await create(path, { data: { text: 'mine' } });
    await setExternally(path, 'theirs');
    const res = await request(server)
      .put(znode(path))
      .send({ data: { text: 'mine again' }, expectedVersion: 0 });
    expect(res.status).toBe(409);
    expect((await read(path)).body.data.text).toBe('theirs');
  });

  it('needs expectedVersion, saying the current one; -1 overwrites', async () => {
    const path = `${base}/occ`;
    const missing = await request(server)
      .put(znode(path))
      .send({ data: { text: 'x' } });
    expect(missing.status).toBe(400);
    expect(missing.body.error.message).toMatch(
      /"expectedVersion" is missing: .* version 1 now\), or -1/,
    );
    const any = await request(server)
      .put(znode(path))
      .send({ data: { base64: '' }, expectedVersion: -1 });
    expect(any.status).toBe(200);
    expect(any.body.stat).toMatchObject({ version: 2, dataLength: 0 });
  });

  it('answers 404 for a znode that does not exist', async () => {
    const res = await request(server)
      .put(znode(`${base}/never`))
      .send({ data: { text: 'x' }, expectedVersion: 0 });
    expect(res.status).toBe(404);
    expect(res.body.error.message).toContain('create it with POST');
  });
});

describe('deleting', () => {
  beforeAll(async () => {
    await create(`${base}/del/a/x`, { createParents: true });
    await create(`${base}/del/a/y`);
    await create(`${base}/del/b`);
  });

  it('refuses to delete a znode with children without recursive', async () => {
    const res = await request(server).delete(
      `${znode(`${base}/del`)}?expectedVersion=0`,
    );
    expect(res.status).toBe(409);
    expect(res.body.error.message).toMatch(
      /has 2 child znode\(s\); .*recursive=true/,
    );
    expect(res.body.error.details).toEqual({ numChildren: 2 });
  });

  it('needs expectedVersion, and refuses a stale one', async () => {
    const missing = await request(server).delete(znode(`${base}/del/b`));
    expect(missing.status).toBe(400);
    expect(missing.body.error.message).toMatch(
      /"expectedVersion" is missing: .*version 0 now/,
    );
    await setExternally(`${base}/del/b`, 'changed');
    const stale = await request(server).delete(
      `${znode(`${base}/del/b`)}?expectedVersion=0`,
    );
    expect(stale.status).toBe(409);
    expect(stale.body.error.current.stat.version).toBe(1);
    expect((await read(`${base}/del/b`)).status).toBe(200);
  });

  it('deletes recursively only with the right count, in one transaction when it fits', async () => {
    const url = `${znode(`${base}/del`)}?expectedVersion=0&recursive=true`;
    const noCount = await request(server).delete(url);
    expect(noCount.status).toBe(400);
    expect(noCount.body.error.message).toContain(
      'are 5 znode(s); repeat with expectedCount=5',
    );
    const wrong = await request(server).delete(`${url}&expectedCount=4`);
    expect(wrong.status).toBe(409);
    expect(wrong.body.error.message).toContain('are 5 znode(s), not 4');
    expect(wrong.body.error.details).toEqual({ count: 5, expectedCount: 4 });
    expect((await read(`${base}/del/a/x`)).status).toBe(200);
    const stale = await request(server).delete(
      `${znode(
        `${base}/del`,
      )}?expectedVersion=3&recursive=true&expectedCount=5`,
    );
    expect(stale.status).toBe(409);
    expect(stale.body.error.message).toContain('is at version 0, not 3');
    const ok = await request(server).delete(`${url}&expectedCount=5`);
    expect(ok.status).toBe(200);
    expect(ok.body).toEqual({
      path: `${base}/del`,
      deleted: 5,
      transactions: 1,
    });
    expect((await read(`${base}/del`)).status).toBe(404);
  });

  it('refuses expectedCount without recursive, the root and /zookeeper', async () => {
    await create(`${base}/del1`);
    const res = await request(server).delete(
      `${znode(`${base}/del1`)}?expectedVersion=0&expectedCount=3`,
    );
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(/only applies with recursive=true/);
    const root = await request(server).delete(
      `${api}/znodes?expectedVersion=-1`,
    );
    expect(root.status).toBe(400);
    expect(root.body.error.message).toBe('Cannot delete the root znode "/"');
    const reserved = await request(server).delete(
      `${znode('/zookeeper/quota')}?expectedVersion=-1`,
    );
    expect(reserved.status).toBe(400);
    expect(reserved.body.error.message).toMatch(/belongs to ZooKeeper itself/);
  });
});

describe('ACLs', () => {
  it('shows the open ACL of a znode archon created', async () => {
    await create(`${base}/acl-open`);
    const res = await request(server).get(`${api}/acl${base}/acl-open`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      path: `${base}/acl-open`,
      aclVersion: 0,
      acls: [
        {
          scheme: 'world',
          id: 'anyone',
          perms: 31,
          permissions: ['create', 'delete', 'read', 'write', 'admin'],
          short: 'cdrwa',
        },
      ],
    });
  });

  it("shows a restricted ACL, and answers 403 naming ZooKeeper's ACL when it refuses archon", async () => {
    const path = `${base}/acl-ro`;
    await new Promise<void>((resolve, reject) =>
      zk.create(
        path,
        Buffer.from('locked'),
        [
          new zookeeper.ACL(
            zookeeper.Permission.READ,
            new zookeeper.Id('world', 'anyone'),
          ),
        ],
        zookeeper.CreateMode.PERSISTENT,
        error => (error ? reject(error) : resolve()),
      ),
    );
    const acl = await request(server).get(`${api}/acl${path}`);
    expect(acl.body.acls).toEqual([
      {
        scheme: 'world',
        id: 'anyone',
        perms: 1,
        permissions: ['read'],
        short: 'r',
      },
    ]);
    const write = await request(server)
      .put(znode(path))
      .send({ data: { text: 'x' }, expectedVersion: 0 });
    expect(write.status).toBe(403);
    expect(write.body.error.message).toMatch(
      /ZooKeeper's ACL on .*acl-ro does not let archon change it/,
    );
    const child = await create(`${path}/child`);
    expect(child.status).toBe(403);
  });
});

describe('export and import', () => {
  const src = `${base}/tree`;

  beforeAll(async () => {
    await create(src, { data: { json: { service: 'orders' } } });
    await create(`${src}/config`, { data: { text: 'retries=3\n' } });
    await create(`${src}/config/db`, {
      data: { json: { host: 'db-1', port: 5432 } },
    });
    await create(`${src}/blob`, {
      data: { base64: Buffer.from([0, 1, 2, 254, 255]).toString('base64') },
    });
    await create(`${src}/empty`);
    await create(`${src}/empty/leaf`, { data: { text: 'leaf' } });
  });

  const exportOf = async (path: string) => {
    const res = await request(server).get(`${api}/export${path}`);
    expect(res.status).toBe(200);
    return res.body;
  };
  const importInto = (path: string, body: object) =>
    request(server).post(`${api}/import${path}`).send(body);

  it('exports a subtree with base64 and readable text, children sorted', async () => {
    const doc = await exportOf(src);
    expect(doc).toMatchObject({
      format: 'archon.zookeeper.export/v1',
      ensemble: 'local',
      path: src,
      nodeCount: 6,
    });
    expect(doc.root.name).toBe('tree');
    expect(doc.root.children.map((c: { name: string }) => c.name)).toEqual([
      'blob',
      'config',
      'empty',
    ]);
    expect(doc.root.children[0].data).toEqual({
      format: 'binary',
      base64: 'AAEC/v8=',
    });
    expect(doc.root.children[1].children[0].data).toEqual({
      format: 'json',
      base64: Buffer.from('{"host":"db-1","port":5432}').toString('base64'),
      text: '{"host":"db-1","port":5432}',
    });
    expect(doc.root.stat).toBeUndefined();
    const withStat = await request(server).get(
      `${api}/export${src}?includeStat=true`,
    );
    expect(withStat.body.root.stat.version).toBe(0);
  });

  it('round-trips: the dry run shows exactly the creates, updates and deletes; applying restores the subtree', async () => {
    const original = await exportOf(src);
    // Drift: changed data, a znode gone, a znode added.
    await request(server)
      .put(znode(`${src}/config`))
      .send({ data: { text: 'retries=5\n' }, expectedVersion: 0 })
      .expect(200);
    await request(server)
      .delete(
        `${znode(
          `${src}/empty`,
        )}?expectedVersion=0&recursive=true&expectedCount=2`,
      )
      .expect(200);
    await create(`${src}/config/extra`, { data: { text: 'new' } });

    const dry = await importInto(src, { snapshot: original, mode: 'replace' });
    expect(dry.status).toBe(200);
    expect(dry.body).toMatchObject({
      dryRun: true,
      applied: false,
      mode: 'replace',
      unchanged: 3,
      skipped: [],
    });
    expect(dry.body.creates).toEqual([
      { path: `${src}/empty`, size: 0 },
      { path: `${src}/empty/leaf`, size: 4 },
    ]);
    expect(dry.body.updates).toEqual([
      { path: `${src}/config`, version: 1, fromSize: 10, toSize: 10 },
    ]);
    expect(dry.body.deletes).toEqual([
      { path: `${src}/config/extra`, version: 0 },
    ]);
    // Nothing changed yet.
    expect((await read(`${src}/config/extra`)).status).toBe(200);

    const applied = await importInto(src, {
      snapshot: original,
      mode: 'replace',
      dryRun: false,
      expectedPlanHash: dry.body.planHash,
    });
    expect(applied.status).toBe(200);
    expect(applied.body).toMatchObject({
      applied: true,
      planHash: dry.body.planHash,
    });
    const after = await exportOf(src);
    expect(after.root).toEqual(original.root);

    const again = await importInto(src, {
      snapshot: original,
      mode: 'replace',
    });
    expect(again.body).toMatchObject({
      creates: [],
      updates: [],
      deletes: [],
      unchanged: 6,
    });
    const audit = auditEvents.filter(e => e.eventId === 'zookeeper-import');
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({
      outcome: 'success',
      successMeta: { creates: 2, updates: 1, deletes: 1 },
    });
  });

  it('copies a subtree elsewhere with merge, creating missing parents, and keeps znodes it does not know', async () => {
    const doc = await exportOf(src);
    const dest = `${base}/copy/of/tree`;
    await create(`${base}/copy/of/tree/mine`, { createParents: true });
    const dry = await importInto(dest, { snapshot: doc });
    expect(dry.body.mode).toBe('merge');
    expect(dry.body.creates.map((c: { path: string }) => c.path)).toEqual([
      `${dest}/blob`,
      `${dest}/config`,
      `${dest}/config/db`,
      `${dest}/empty`,
      `${dest}/empty/leaf`,
    ]);
    expect(dry.body.updates).toEqual([
      { path: dest, version: 0, fromSize: 0, toSize: 20 },
    ]);
    expect(dry.body.deletes).toEqual([]);
    const applied = await importInto(dest, { snapshot: doc, dryRun: false });
    expect(applied.status).toBe(200);
    const copy = await exportOf(dest);
    expect(copy.nodeCount).toBe(7);
    expect((await read(`${dest}/mine`)).status).toBe(200);
    expect((await read(`${dest}/config/db`)).body.data.json).toEqual({
      host: 'db-1',
      port: 5432,
    });

    const fresh = `${base}/fresh/deep/copy`;
    const created = await importInto(fresh, { snapshot: doc, dryRun: false });
    expect(
      created.body.creates.slice(0, 3).map((c: { path: string }) => c.path),
    ).toEqual([`${base}/fresh`, `${base}/fresh/deep`, fresh]);
    expect((await exportOf(fresh)).root.children).toEqual(doc.root.children);
  });

  it('refuses to apply a plan that changed since the dry run, and applies nothing', async () => {
    const doc = await exportOf(src);
    doc.root.children[1].data = { text: 'retries=9\n' };
    const dry = await importInto(src, { snapshot: doc });
    expect(dry.body.updates).toHaveLength(1);
    await setExternally(`${src}/config/db`, '{"host":"db-2"}');
    const stale = await importInto(src, {
      snapshot: doc,
      dryRun: false,
      expectedPlanHash: dry.body.planHash,
    });
    expect(stale.status).toBe(409);
    expect(stale.body.error.message).toMatch(
      /would no longer do what the dry run showed/,
    );
    expect(
      stale.body.error.details.plan.updates.map(
        (u: { path: string }) => u.path,
      ),
    ).toEqual([`${src}/config`, `${src}/config/db`]);
    expect((await read(`${src}/config`)).body.data.text).toBe('retries=3\n');
  });

  it('rejects malformed documents with the place to fix, before touching ZooKeeper', async () => {
    const doc = await exportOf(src);
    const cases: Array<[(d: any) => void, RegExp]> = [
      [
        d => (d.root.children[0].name = 'a/b'),
        /snapshot\.root\.children\[0\]\.name contains "\/"/,
      ],
      [
        d => (d.root.children[1].name = d.root.children[0].name),
        /snapshot\.root\.children\[1\]\.name "blob" appears twice/,
      ],
      [
        d => (d.root.children[0].children = [{ name: '..' }]),
        /snapshot\.root\.children\[0\]\.children\[0\]\.name is a relative segment \(".."\)/,
      ],
      [
        d => (d.root.children[1].data.text = 'edited'),
        /snapshot\.root\.children\[1\]\.data has both "base64" and "text" and they differ/,
      ],
      [
        d => (d.root.children[0].data.base64 = 'not base64!'),
        /snapshot\.root\.children\[0\]\.data\.base64" is not valid base64/,
      ],
      [d => (d.format = 'zkui'), /"snapshot\.format" is "zkui"/],
      [d => (d.root.childs = []), /must NOT have additional properties/],
    ];
    for (const [mutate, message] of cases) {
      const bad = JSON.parse(JSON.stringify(doc));
      mutate(bad);
      const res = await importInto(src, { snapshot: bad, dryRun: false });
      expect(res.status).toBe(400);
      expect(res.body.error.message).toMatch(message);
    }
    expect(await exportOf(src)).toMatchObject({ root: doc.root });
  });

  it('caps the export size with a 422 naming the limit', async () => {
    const res = await request(server).get(`${api}/export${src}?maxNodes=3`);
    expect(res.status).toBe(422);
    expect(res.body.error.message).toMatch(
      /has more than 3 znodes, the export limit \(maxNodes\)/,
    );
    const over = await request(server).get(
      `${api}/export${src}?maxNodes=20000`,
    );
    expect(over.status).toBe(400);
    expect(over.body.error.message).toMatch(/maxNodes must be <= 10000/);
  });
});

describe('search', () => {
  const root = `${base}/search`;
  beforeAll(async () => {
    for (const p of [
      '/orders/api',
      '/orders/worker',
      '/billing/API-gateway',
      '/billing/db',
      '/x/y/z/deep-api',
    ]) {
      await create(`${root}${p}`, { createParents: true });
    }
  });
  const search = (query: string) =>
    request(server).get(`${api}/search?prefix=${root}&${query}`);

  it('finds paths by substring below a prefix, breadth first, case-insensitive by default', async () => {
    const res = await search('query=api');
    expect(res.status).toBe(200);
    expect(res.body.matches.map((m: { path: string }) => m.path)).toEqual([
      `${root}/billing/API-gateway`,
      `${root}/orders/api`,
      `${root}/x/y/z/deep-api`,
    ]);
    expect(res.body).toMatchObject({
      truncated: false,
      visited: 11,
      caseSensitive: false,
    });
    const exact = await search('query=API&caseSensitive=true');
    expect(exact.body.matches).toEqual([
      { path: `${root}/billing/API-gateway` },
    ]);
  });

  it('stops at maxVisited or maxResults and says so', async () => {
    const visited = await search('query=api&maxVisited=5');
    expect(visited.body).toMatchObject({
      truncated: true,
      truncatedReason: 'maxVisited',
      visited: 5,
    });
    expect(visited.body.message).toMatch(/search a deeper prefix/);
    const exactly = await search('query=api&maxResults=3');
    expect(exactly.body).toMatchObject({ truncated: false, visited: 11 });
    expect(exactly.body.matches).toHaveLength(3);
    const results = await search('query=api&maxResults=1');
    expect(results.body).toMatchObject({
      truncated: true,
      truncatedReason: 'maxResults',
      matches: [{ path: `${root}/billing/API-gateway` }],
    });
  });

  it('refuses an empty query, a bad prefix and a breadth above the cap', async () => {
    expect((await search('query=')).status).toBe(400);
    const prefix = await request(server).get(
      `${api}/search?prefix=nope&query=a`,
    );
    expect(prefix.status).toBe(400);
    expect(prefix.body.error.message).toMatch(
      /Invalid search prefix "nope": it must start with "\/"/,
    );
    const wide = await search('query=a&maxVisited=1000000');
    expect(wide.status).toBe(400);
    expect(wide.body.error.message).toMatch(/maxVisited must be <= 100000/);
  });
});

describe('validation', () => {
  it.each([
    [`${base}//x`, /segment \d+ is empty/],
    [`${base}/x/`, /is empty \(remove the trailing "\/"\)/],
    [
      `${base}/..`,
      /segment \d+ is a relative segment \(".."\), which ZooKeeper does not allow/,
    ],
    [`${base}/./x`, /segment \d+ is a relative segment \("."\)/],
    [`${base}/a%01b`, /segment \d+ "a.b" contains U\+0001 at character 2/],
    [`${base}/a%00b`, /contains U\+0000/],
    [
      `${base}/%F0%9F%98%80`,
      /contains "😀" \(U\+1F600\) at character 1; ZooKeeper does not allow characters outside the Basic Multilingual Plane/,
    ],
  ])(
    'rejects the path %s naming the segment, and creates nothing',
    async (path, message) => {
      const res = await create(path);
      expect(res.status).toBe(400);
      expect(res.body.error.message).toMatch(message);
    },
  );

  it.each([
    [
      'two data forms',
      { data: { text: 'a', base64: 'YQ==' } },
      /"data" has "text" and "base64"; give exactly one/,
    ],
    [
      'unpadded base64',
      { data: { base64: 'YQ' } },
      /"data\.base64" is not valid base64/,
    ],
    [
      'an unknown field',
      { data: { text: 'a' }, extra: 1 },
      /must NOT have additional properties/,
    ],
    [
      'an unknown mode',
      { mode: 'container' },
      /must be equal to one of the allowed values/,
    ],
    [
      'data over 1,000,000 bytes',
      { data: { text: 'x'.repeat(1_000_001) } },
      /"data" is 1000001 bytes; a znode holds at most 1000000 bytes/,
    ],
  ])(
    'rejects a body with %s, and creates nothing',
    async (_label, body, message) => {
      const res = await create(`${base}/bad-body`, body);
      expect(res.status).toBe(400);
      expect(res.body.error.message).toMatch(message);
      expect((await read(`${base}/bad-body`)).status).toBe(404);
    },
  );

  it('refuses writes under /zookeeper', async () => {
    const res = await create('/zookeeper/mine');
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(/belongs to ZooKeeper itself/);
    expect((await read('/zookeeper')).status).toBe(200);
  });
});

describe('permissions and audit', () => {
  it('audits every mutation, with the outcome', async () => {
    const before = auditEvents.length;
    await create(`${base}/audited`, { data: { text: 'a' } });
    await request(server)
      .put(znode(`${base}/audited`))
      .send({ data: { text: 'b' }, expectedVersion: 0 });
    await request(server)
      .put(znode(`${base}/audited`))
      .send({ data: { text: 'c' }, expectedVersion: 0 });
    await request(server).delete(
      `${znode(`${base}/audited`)}?expectedVersion=1`,
    );
    expect(auditEvents.slice(before)).toEqual([
      expect.objectContaining({
        eventId: 'zookeeper-znode-create',
        outcome: 'success',
        meta: expect.objectContaining({ path: `${base}/audited` }),
      }),
      expect.objectContaining({
        eventId: 'zookeeper-znode-set',
        outcome: 'success',
        successMeta: { version: 1 },
      }),
      expect.objectContaining({
        eventId: 'zookeeper-znode-set',
        outcome: 'fail',
      }),
      expect.objectContaining({
        eventId: 'zookeeper-znode-delete',
        outcome: 'success',
        successMeta: { deleted: 1, transactions: 1 },
      }),
    ]);
    // Reads are not audited.
    await read(base);
    expect(auditEvents.length).toBe(before + 4);
  });

  it('refuses writes without archon.zookeeper.write, naming it, but still allows reads and dry runs', async () => {
    const denying = await startArchonTestBackend({
      zookeeper: {
        connectionString: cluster.zookeeper.connectionString,
        root: `${ns.zkRoot}/pheidippides`,
      },
      features: [
        archonPlugin,
        mockServices.permissions.mock({
          authorize: async requests =>
            requests.map(r => ({
              result:
                r.permission.name === 'archon.zookeeper.write'
                  ? AuthorizeResult.DENY
                  : AuthorizeResult.ALLOW,
            })),
        }).factory,
      ],
    });
    try {
      const s = denying.server;
      const created = await request(s)
        .post(znode(`${base}/denied`))
        .send({});
      expect(created.status).toBe(403);
      expect(created.body.error.message).toContain('archon.zookeeper.write');
      expect((await read(`${base}/denied`)).status).toBe(404);
      expect(
        (
          await request(s)
            .put(znode(base))
            .send({ data: {}, expectedVersion: -1 })
        ).status,
      ).toBe(403);
      expect(
        (await request(s).delete(`${znode(base)}?expectedVersion=-1`)).status,
      ).toBe(403);
      expect((await request(s).get(znode(base))).status).toBe(200);
      const doc = (await request(s).get(`${api}/export${base}/tree`)).body;
      expect(
        (
          await request(s)
            .post(`${api}/import${base}/tree`)
            .send({ snapshot: doc })
        ).status,
      ).toBe(200);
      const apply = await request(s)
        .post(`${api}/import${base}/tree`)
        .send({ snapshot: doc, dryRun: false });
      expect(apply.status).toBe(403);
    } finally {
      await denying.stop();
    }
  });

  it('refuses reads without archon.zookeeper.read', async () => {
    const denying = await startArchonTestBackend({
      zookeeper: {
        connectionString: cluster.zookeeper.connectionString,
        root: `${ns.zkRoot}/pheidippides`,
      },
      features: [
        archonPlugin,
        mockServices.permissions.mock({
          authorize: async requests =>
            requests.map(r => ({
              result:
                r.permission.name === 'archon.zookeeper.read'
                  ? AuthorizeResult.DENY
                  : AuthorizeResult.ALLOW,
            })),
        }).factory,
      ],
    });
    try {
      for (const url of [
        znode(base),
        `${api}/children${base}`,
        `${api}/acl${base}`,
        `${api}/export${base}`,
        `${api}/search?query=a`,
      ]) {
        const res = await request(denying.server).get(url);
        expect(res.status).toBe(403);
        expect(res.body.error.message).toContain('archon.zookeeper.read');
      }
    } finally {
      await denying.stop();
    }
  });
});

describe('cleanup', () => {
  it("removes this file's subtree through the API", async () => {
    const stat = (await read(base)).body.stat;
    const count = await request(server).delete(
      `${znode(base)}?expectedVersion=${stat.version}&recursive=true`,
    );
    const expected = Number(
      /expectedCount=(\d+)/.exec(count.body.error.message)![1],
    );
    const res = await request(server).delete(
      `${znode(base)}?expectedVersion=${
        stat.version
      }&recursive=true&expectedCount=${expected}`,
    );
    // The ephemeral znodes are archon's; they go too.
    expect(res.status).toBe(200);
    expect(res.body.deleted).toBe(expected);
  });
});
