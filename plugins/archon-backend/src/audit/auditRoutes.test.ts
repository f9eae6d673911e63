import { randomBytes } from 'node:crypto';
import { getTestCluster, testNamespace } from '@archon/local-cluster/testing';
import { auditorServiceFactory } from '@backstage/backend-defaults/auditor';
import { loggerServiceFactory } from '@backstage/backend-defaults/logger';
import { mockServices } from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import request from 'supertest';
import { captureLogs } from '../__testUtils__/capturedLogs';
import { startArchonTestBackend } from '@archon/test-utils';
import { archonPlugin } from '../plugin';

jest.setTimeout(60_000);

const cluster = getTestCluster();
const ns = testNamespace('audit-routes');
const root = `${ns.zkRoot}/pheidippides`;
const logs = captureLogs();
/** Secrets no other test uses, so finding one anywhere is a leak from this file. */
const secret = `hunter2-${randomBytes(8).toString('hex')}`;
const secret2 = `tok-${randomBytes(8).toString('hex')}`;
/** A secret sent as a number: a type error must not echo it back. */
const numericSecret = 7_000_000_000 + randomBytes(3).readUIntBE(0, 3);

let backend: Awaited<ReturnType<typeof startArchonTestBackend>>;
let server: Parameters<typeof request>[0];
/** Every response body of the file, to grep for secrets at the end. */
const responses: string[] = [];

/** `GET /api/archon/audit...` with the query values URL-encoded, as the validator requires. */
function auditUrl(route: string, query: Record<string, string>) {
  return `/api/archon/audit${route}?${new URLSearchParams(query)}`;
}

async function call<T extends request.Test>(test: T) {
  const res = await test;
  responses.push(res.text);
  return res;
}

beforeAll(async () => {
  backend = await startArchonTestBackend({
    zookeeper: { connectionString: cluster.zookeeper.connectionString, root },
    features: [
      archonPlugin,
      logs.factory,
      loggerServiceFactory,
      auditorServiceFactory,
      // Like the local policy: everything but revealing secrets.
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
  server = backend.server;
});

afterAll(async () => {
  await backend?.stop();
});

describe('secrets in configuration writes', () => {
  it('never appear in responses, error bodies, audit entries or logs', async () => {
    const start = new Date().toISOString();
    const put = await call(
      request(server)
        .put('/api/archon/config/sets/sec/app')
        .send({
          properties: {
            'db.password': secret,
            'db.url': 'jdbc:x://${db.password}@db',
          },
        }),
    );
    expect(put.status).toBe(200);
    expect(
      (
        await call(
          request(server)
            .patch('/api/archon/config/sets/sec/app')
            .send({ set: { 'api.token': secret2 } }),
        )
      ).status,
    ).toBe(200);
    // A stale write: the 409 carries the current set, masked for a caller who may not reveal it.
    const stale = await call(
      request(server)
        .put('/api/archon/config/sets/sec/app')
        .send({
          properties: { 'db.password': `${secret}-2` },
          expectedVersion: 0,
        }),
    );
    expect(stale.status).toBe(409);
    expect(stale.body.error.current.properties['db.password']).toBe('********');
    // Wrong types and unknown fields: 400s that name the key, not the value.
    for (const body of [
      { properties: { 'db.password': numericSecret } },
      { properties: { 'db.password': [secret] } },
      { properties: { 'db.password': secret }, password: secret },
    ]) {
      expect(
        (
          await call(
            request(server).put('/api/archon/config/sets/sec/app').send(body),
          )
        ).status,
      ).toBe(400);
    }
    expect(
      (
        await call(
          request(server)
            .patch('/api/archon/config/sets/sec/app')
            .send({ set: { 'db.password': numericSecret } }),
        )
      ).status,
    ).toBe(400);
    // An unresolvable edit: the 422 names the problem, not the values.
    const broken = await call(
      request(server)
        .patch('/api/archon/config/sets/sec/app')
        .send({ set: { loop: '${loop}' } }),
    );
    expect(broken.status).toBeLessThan(500);
    for (const path of ['sets', 'effective', 'history', 'pending']) {
      expect(
        (await call(request(server).get(`/api/archon/config/${path}/sec/app`)))
          .status,
      ).toBeLessThan(500);
    }
    await call(
      request(server).get(
        `/api/archon/zookeeper/local/znodes/${encodeURIComponent(
          `${root}/sec`,
        )}`,
      ),
    );

    const audit = await call(
      request(server).get(auditUrl('', { target: '/sec/', since: start })),
    );
    expect(audit.status).toBe(200);
    const actions = audit.body.items.map(
      (e: { action: string; outcome: string }) => `${e.action}:${e.outcome}`,
    );
    expect(actions).toEqual(
      expect.arrayContaining([
        'config-set-put:success',
        'config-set-patch:success',
        'config-set-put:failure',
      ]),
    );
    const first = audit.body.items.find(
      (e: { action: string; outcome: string }) =>
        e.action === 'config-set-put' && e.outcome === 'success',
    );
    expect(first.after.properties).toEqual({
      'db.password': '********',
      'db.url': 'jdbc:x://${db.password}@db',
    });
    expect(first.actor).toBe('user:default/mock');

    // The test is only meaningful if archon and the auditor did log these requests.
    expect(
      logs.lines.some(line => line.includes('archon.config-set-put')),
    ).toBe(true);
    for (const text of [...responses, ...logs.lines]) {
      expect(text).not.toContain(secret);
      expect(text).not.toContain(secret2);
      expect(text).not.toContain(String(numericSecret));
    }
  });
});

describe('GET /audit', () => {
  const put = (path: string, properties: Record<string, string>) =>
    call(
      request(server)
        .put(`/api/archon/config/sets${path}`)
        .send({ properties }),
    );

  it('filters by action, target prefix (literally), outcome and time, and pages with a cursor', async () => {
    const since = new Date().toISOString();
    await put('/filter_a/one', { a: '1' });
    await put('/filter_a/two', { a: '2' });
    await put('/filterXa/three', { a: '3' });
    await call(
      request(server).delete('/api/archon/config/sets/filter_a/missing'),
    );

    const byPrefix = await call(
      request(server).get(auditUrl('', { target: '/filter_a/', since })),
    );
    expect(
      byPrefix.body.items.map(
        (e: { target: { resource: string } }) => e.target.resource,
      ),
    ).toEqual(['/filter_a/missing', '/filter_a/two', '/filter_a/one']);
    const failures = await call(
      request(server).get(
        auditUrl('', {
          outcome: 'failure',
          action: 'config-set-delete',
          since,
        }),
      ),
    );
    expect(failures.body.items).toEqual([
      expect.objectContaining({
        target: expect.objectContaining({ resource: '/filter_a/missing' }),
        error: expect.stringContaining('/filter_a/missing'),
      }),
    ]);
    const future = await call(
      request(server).get(
        auditUrl('', { since: new Date(Date.now() + 3_600_000).toISOString() }),
      ),
    );
    expect(future.body.items).toEqual([]);
    const untilBefore = await call(
      request(server).get(auditUrl('', { target: '/filter', until: since })),
    );
    expect(untilBefore.body.items).toEqual([]);

    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await call(
        request(server).get(
          auditUrl('', {
            system: 'config',
            since,
            limit: '1',
            ...(cursor ? { cursor } : {}),
          }),
        ),
      );
      expect(page.body.items.length).toBeLessThanOrEqual(1);
      seen.push(
        ...page.body.items.map(
          (e: { target: { resource: string } }) => e.target.resource,
        ),
      );
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(seen).toEqual([
      '/filter_a/missing',
      '/filterXa/three',
      '/filter_a/two',
      '/filter_a/one',
    ]);

    const actor = await call(
      request(server).get(
        auditUrl('', { actor: 'user:default/someone-else', since }),
      ),
    );
    expect(actor.body.items).toEqual([]);
  });

  it('exports JSON lines with format=jsonl', async () => {
    const res = await call(
      request(server).get(
        auditUrl('', { format: 'jsonl', target: '/filter_a/' }),
      ),
    );
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/x-ndjson/);
    const lines = res.text
      .trim()
      .split('\n')
      .map(line => JSON.parse(line));
    expect(lines.length).toBeGreaterThanOrEqual(3);
    expect(lines[0]).toEqual(
      expect.objectContaining({
        id: expect.any(String),
        action: expect.any(String),
        requestId: expect.any(String),
      }),
    );
  });

  it('answers 400, not 500, to a bad time, cursor or limit', async () => {
    for (const query of [
      'since=yesterday',
      'until=2026-13-45T00%3A00%3A00Z',
      'cursor=abc',
      'limit=0',
      'outcome=maybe',
    ]) {
      const res = await call(request(server).get(`/api/archon/audit?${query}`));
      expect([query, res.status]).toEqual([query, 400]);
    }
  });

  it("keeps the caller's X-Request-Id on the entry", async () => {
    const res = await call(
      request(server)
        .put('/api/archon/config/sets/reqid/app')
        .set('X-Request-Id', 'trace-42')
        .send({ properties: { a: '1' } }),
    );
    expect(res.headers['x-request-id']).toBe('trace-42');
    const audit = await call(
      request(server).get(auditUrl('', { target: '/reqid/app' })),
    );
    expect(audit.body.items[0].requestId).toBe('trace-42');
  });
});

describe('GET /audit/timeline', () => {
  it('merges edits on every level of the path, raw ZooKeeper edits included, each with its diff', async () => {
    await call(
      request(server)
        .put('/api/archon/config/sets/tl')
        .send({ properties: { shared: 'one', 'tl.secret': secret } }),
    );
    await call(
      request(server)
        .put('/api/archon/config/sets/tl/app')
        .send({ properties: { own: 'x' } }),
    );
    await call(
      request(server)
        .put('/api/archon/config/sets/tl/other')
        .send({ properties: { elsewhere: 'y' } }),
    );
    await call(
      request(server)
        .patch('/api/archon/config/sets/tl')
        .send({ set: { shared: 'two' } }),
    );
    const raw = await call(
      request(server)
        .put(
          `/api/archon/zookeeper/local/znodes/${encodeURIComponent(
            `${root}/tl/app`,
          )}?raw=true`,
        )
        .send({ data: { json: { own: 'z' } }, expectedVersion: -1 }),
    );
    expect(raw.status).toBe(200);

    const res = await call(
      request(server).get(auditUrl('/timeline', { configPath: '/tl/app' })),
    );
    expect(res.status).toBe(200);
    expect(
      res.body.items.map(
        (i: { action: string; target: { resource: string } }) =>
          `${i.action} ${i.target.resource}`,
      ),
    ).toEqual([
      `zookeeper-znode-set ${root}/tl/app`,
      'config-set-patch /tl',
      'config-set-put /tl/app',
      'config-set-put /tl',
    ]);
    expect(res.body.items[1]).toEqual(
      expect.objectContaining({
        relation: 'config-level',
        changes: [{ key: 'shared', before: 'one', after: 'two' }],
      }),
    );
    expect(res.body.items[3].changes).toEqual([
      { key: 'shared', after: 'one' },
      { key: 'tl.secret', after: '********' },
    ]);
    expect(res.text).not.toContain(secret);
  });

  it('answers 400 for a path that is not a configuration path', async () => {
    const res = await call(
      request(server).get('/api/archon/audit/timeline?configPath=no-slash'),
    );
    expect(res.status).toBe(400);
  });
});
