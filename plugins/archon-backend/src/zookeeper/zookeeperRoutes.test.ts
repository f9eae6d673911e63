/*
 * The ZooKeeper explorer (/zookeeper/{ensemble}/...) against the real
 * ZooKeeper of the local cluster, under a private root of this file:
 * addressing, listing, reading, creating, changing and deleting znodes, ACLs.
 */
import { decodeCursor } from '@archon/plugin-archon-node';
import zookeeper from 'node-zookeeper-client';
import request from 'supertest';
import {
  api,
  base,
  children,
  commit,
  create,
  ns,
  read,
  server,
  setExternally,
  zk,
  znode,
  useExplorerBackend,
} from './__testUtils__/explorerSuite';

jest.setTimeout(120_000);

useExplorerBackend();

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
