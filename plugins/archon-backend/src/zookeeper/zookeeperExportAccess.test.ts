/*
 * The ZooKeeper explorer's export, import and search, then input validation,
 * permissions and audit (which read the tree the export tests wrote), against
 * the real ZooKeeper of the local cluster, under a private root of this file.
 */
import { mockServices } from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import request from 'supertest';
import { startArchonTestBackend } from '@archon/test-utils';
import { archonPlugin } from '../plugin';
import {
  api,
  auditEvents,
  base,
  cluster,
  create,
  ns,
  read,
  server,
  setExternally,
  znode,
  useExplorerBackend,
} from './__testUtils__/explorerSuite';

jest.setTimeout(120_000);

useExplorerBackend();

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
