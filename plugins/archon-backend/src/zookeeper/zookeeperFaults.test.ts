/*
 * The ZooKeeper explorer while ZooKeeper is away, against a private
 * ZooKeeper of the test's own (the shared one serves other test files):
 * every route answers 503 with a clear message, nothing is half-applied,
 * and the explorer recovers by itself when ZooKeeper is back.
 */
import { startService, stopService } from '@archon/local-cluster';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { startArchonTestBackend } from '@archon/test-utils';
import { archonPlugin } from '../plugin';

jest.setTimeout(180_000);

let runDir: string;
let options: {
  runDir: string;
  ports: { zookeeper: number; zookeeperAdmin: number };
};
let backend: Awaited<ReturnType<typeof startArchonTestBackend>>;

const api = '/api/archon/zookeeper/local';

/** A port nothing listens on right now (the OS picks it). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/**
 * Polls until `ok` or 60 s have passed, returning the last answer. Each
 * request gets 10 s, so one that hangs shows up as status 0 instead of
 * stalling the test.
 */
async function until(
  fn: () => request.Test,
  ok: (res: { status: number }) => boolean,
): Promise<
  request.Response | { status: 0; body: { error: { message: string } } }
> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const res = await fn()
      .timeout(10_000)
      .catch((error: Error) => ({
        status: 0 as const,
        body: { error: { message: String(error) } },
      }));
    if (ok(res) || Date.now() > deadline) return res;
    await new Promise(r => setTimeout(r, 100));
  }
}

beforeAll(async () => {
  runDir = await mkdtemp(join(tmpdir(), 'archon-zk-explorer-faults-'));
  options = {
    runDir,
    ports: { zookeeper: await freePort(), zookeeperAdmin: await freePort() },
  };
  await startService('zookeeper', options);
  backend = await startArchonTestBackend({
    features: [archonPlugin],
    zookeeper: {
      connectionString: `127.0.0.1:${options.ports.zookeeper}`,
      root: '/pheidippides',
    },
  });
});

afterAll(async () => {
  await backend?.stop();
  await stopService('zookeeper', options).catch(() => {});
  await rm(runDir, { recursive: true, force: true });
});

it('answers 503 on every route while ZooKeeper is down, and recovers by itself', async () => {
  const server = backend.server;
  const created = await until(
    () =>
      request(server)
        .post(`${api}/znodes/app/settings`)
        .send({ createParents: true, data: { text: 'v1' } }),
    res => res.status === 201,
  );
  expect(created.status).toBe(201);
  const doc = (await request(server).get(`${api}/export/app`)).body;

  await stopService('zookeeper', options);

  const attempts: Array<[string, request.Test]> = [
    ['read', request(server).get(`${api}/znodes/app/settings`)],
    ['list', request(server).get(`${api}/children/app`)],
    ['acl', request(server).get(`${api}/acl/app`)],
    ['export', request(server).get(`${api}/export/app`)],
    ['search', request(server).get(`${api}/search?query=set`)],
    [
      'create',
      request(server)
        .post(`${api}/znodes/app/other`)
        .send({ data: { text: 'lost?' } }),
    ],
    [
      'set',
      request(server)
        .put(`${api}/znodes/app/settings`)
        .send({ data: { text: 'lost?' }, expectedVersion: 0 }),
    ],
    [
      'delete',
      request(server).delete(`${api}/znodes/app/settings?expectedVersion=0`),
    ],
    [
      'import',
      request(server)
        .post(`${api}/import/app`)
        .send({ snapshot: doc, dryRun: false, mode: 'replace' }),
    ],
  ];
  const answers = await Promise.all(
    attempts.map(async ([what, req]) => ({ what, res: await req })),
  );
  for (const { what, res } of answers) {
    expect({ what, status: res.status }).toEqual({ what, status: 503 });
    expect(res.body.error.message).toMatch(
      /ZooKeeper ensemble "local" \(127\.0\.0\.1:\d+\) is not reachable; retry when it is back/,
    );
  }

  // Longer than the session timeout, so archon's session expires and it must open a new one.
  await new Promise(r => setTimeout(r, 8000));
  await startService('zookeeper', options);

  const back = await until(
    () => request(server).get(`${api}/znodes/app/settings`),
    res => res.status === 200,
  );
  expect({ status: back.status, error: back.body?.error?.message }).toEqual({
    status: 200,
    error: undefined,
  });
  // What ZooKeeper confirmed is there; what was refused is not.
  expect(back.body.data.text).toBe('v1');
  expect(back.body.stat.version).toBe(0);
  expect((await request(server).get(`${api}/znodes/app/other`)).status).toBe(
    404,
  );
  const write = await request(server)
    .put(`${api}/znodes/app/settings`)
    .send({ data: { text: 'v2' }, expectedVersion: 0 });
  expect(write.status).toBe(200);
  expect(write.body.stat.version).toBe(1);
  const list = await request(server).get(`${api}/children/app`);
  expect(list.body.items.map((i: { name: string }) => i.name)).toEqual([
    'settings',
  ]);
});
