/*
 * ZooKeeper going away under the configuration API, against a private
 * ZooKeeper of the test's own (the shared one serves other test files):
 * requests answer 503 while it is away, the service recovers by itself, and
 * no write is lost or reported done without ZooKeeper's confirmation.
 */
import { findFreePort, startService, stopService } from '@archon/local-cluster';
import { mkdtemp, rm } from 'node:fs/promises';
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

async function until<T>(
  fn: () => Promise<T>,
  ok: (value: T) => boolean,
): Promise<T> {
  for (let i = 0; ; i++) {
    const value = await fn();
    if (ok(value) || i > 600) return value;
    await new Promise(r => setTimeout(r, 100));
  }
}

beforeAll(async () => {
  runDir = await mkdtemp(join(tmpdir(), 'archon-zk-faults-'));
  options = {
    runDir,
    ports: {
      zookeeper: await findFreePort(),
      zookeeperAdmin: await findFreePort(),
    },
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

const effective = (path: string) =>
  request(backend.server).get(`/api/archon/config/effective${path}`);

it('answers writes 503 and reads stale while ZooKeeper is down, recovers by itself, and loses no confirmed write', async () => {
  const server = backend.server;
  const first = await until(
    () =>
      request(server)
        .put('/api/archon/config/sets/svc')
        .send({ properties: { a: '1' } }),
    res => res.status === 200,
  );
  expect(first.status).toBe(200);

  await stopService('zookeeper', options);

  // Reads the cache can answer are served, marked stale as of the outage (#22).
  const read = await effective('/svc');
  expect(read.status).toBe(200);
  expect(read.body).toMatchObject({ stale: true, properties: { a: '1' } });
  expect(read.headers.warning).toMatch(
    /ZooKeeper ensemble 'local' .* is not reachable/,
  );
  const write = await request(server)
    .put('/api/archon/config/sets/svc')
    .send({ properties: { a: 'lost?' } });
  expect(write.status).toBe(503);

  // Longer than the session timeout, so the session expires and archon must
  // open a new one and reload its cache.
  await new Promise(r => setTimeout(r, 8000));
  await startService('zookeeper', options);

  const back = await until(
    () => effective('/svc'),
    res => res.status === 200 && !res.body.stale,
  );
  expect({ status: back.status, stale: back.body.stale }).toEqual({
    status: 200,
    stale: undefined,
  });
  // The confirmed write is there; the refused one is not.
  expect(back.body.properties).toEqual({ a: '1' });

  const again = await request(server)
    .patch('/api/archon/config/sets/svc')
    .send({ set: { b: '2' } });
  expect(again.status).toBe(200);
  expect((await effective('/svc')).body.properties).toEqual({ a: '1', b: '2' });

  const history = await request(server).get('/api/archon/config/history/svc');
  expect(history.body.items.map((i: { action: string }) => i.action)).toEqual([
    'patch',
    'put',
  ]);
});
