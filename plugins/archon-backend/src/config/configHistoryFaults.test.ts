/*
 * A configuration write and its history while archon's database is away,
 * on a private PostgreSQL and ZooKeeper (#22): a frozen database refuses the
 * write with 503/504 naming archon's database before ZooKeeper is touched;
 * a database that stops answering after the ZooKeeper write (the history
 * table held by a lock here, so the moment is exact) answers 503/504 saying
 * the change is written, and its history entry is recorded once, when the
 * database answers again. Never a 2xx without history, never a 500.
 */
import { PrivateCluster, startPrivateCluster } from '@archon/local-cluster';
import request from 'supertest';
import knexFactory, { type Knex } from 'knex';
import { databaseServiceFactory } from '@backstage/backend-defaults/database';
import { startArchonTestBackend } from '@archon/test-utils';
import { archonPlugin } from '../plugin';

jest.setTimeout(240_000);

const DEADLINE_MS = 3000;
/** The driver's own timeouts: far past the request deadline, so it is the one that ends the wait. */
const DRIVER_TIMEOUT_MS = 12_000;
const SET = '/api/archon/config/sets/hist/app';
const HISTORY = '/api/archon/config/history/hist/app';

let postgres: PrivateCluster;
let zookeeper: PrivateCluster;
let backend: Awaited<ReturnType<typeof startArchonTestBackend>>;
let server: Parameters<typeof request>[0];
let admin: Knex;

async function timed(req: request.Test) {
  const started = Date.now();
  const res = await Promise.resolve(req.timeout(30_000)).catch(
    (error: Error) => ({
      status: 0,
      body: { error: { message: String(error) } },
    }),
  );
  return {
    status: res.status,
    body: res.body,
    message: String(res.body?.error?.message ?? ''),
    ms: Date.now() - started,
  };
}

async function until(
  send: () => request.Test,
  ok: (res: { status: number; body: any }) => boolean,
) {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const res = await timed(send());
    if (ok(res) || Date.now() > deadline) return res;
    await new Promise(r => setTimeout(r, 200));
  }
}

const historyOf = async () =>
  (await request(server).get(HISTORY)).body.items as Array<{
    version?: number;
    after?: Record<string, string>;
  }>;

beforeAll(async () => {
  [postgres, zookeeper] = await Promise.all([
    startPrivateCluster(['postgres'], { label: 'history-db' }),
    startPrivateCluster(['zookeeper'], { label: 'history-zk' }),
  ]);
  const pg = new URL(postgres.info.postgres!.connectionString);
  backend = await startArchonTestBackend({
    features: [archonPlugin, databaseServiceFactory],
    zookeeper: {
      connectionString: zookeeper.info.zookeeper.connectionString,
      root: '/pheidippides',
    },
    archon: { database: { requestTimeoutSeconds: DEADLINE_MS / 1000 } },
    config: {
      backend: {
        database: {
          client: 'pg',
          connection: {
            host: pg.hostname,
            port: Number(pg.port),
            user: 'postgres',
            query_timeout: DRIVER_TIMEOUT_MS,
            connectionTimeoutMillis: DRIVER_TIMEOUT_MS,
          },
          knexConfig: { acquireConnectionTimeout: DRIVER_TIMEOUT_MS },
        },
      },
    },
  });
  server = backend.server;
  // The plugin's own database, as Backstage names it.
  admin = knexFactory({
    client: 'pg',
    connection: {
      host: pg.hostname,
      port: Number(pg.port),
      user: 'postgres',
      database: 'backstage_plugin_archon',
    },
  });
});

afterAll(async () => {
  await admin?.destroy();
  await backend?.stop();
  await postgres?.dispose();
  await zookeeper?.dispose();
});

it("refuses a write with 503/504 naming archon's database before it touches ZooKeeper while PostgreSQL is frozen, and writes with history after the thaw", async () => {
  const first = await until(
    () =>
      request(server)
        .put(SET)
        .send({ properties: { a: '1' } }),
    res => res.status === 200,
  );
  expect(first.status).toBe(200);

  await postgres.freeze('postgres');
  const refused = await timed(
    request(server)
      .put(SET)
      .send({ properties: { a: '2' } }),
  );
  // Served from ZooKeeper (the cache), not the database: still the first set.
  const meanwhile = await request(server).get(SET);
  await postgres.thaw('postgres');

  expect({
    status: [503, 504].includes(refused.status)
      ? 'unavailable'
      : refused.status,
    message: refused.message,
  }).toEqual({
    status: 'unavailable',
    message: expect.stringMatching(
      /^archon's database (did not answer in time|is not reachable) \(.*history of \/hist\/app/,
    ),
  });
  expect(refused.ms).toBeLessThanOrEqual(DEADLINE_MS + 2000);
  expect(meanwhile.body).toMatchObject({
    properties: { a: '1' },
    version: first.body.version,
  });

  const after = await until(
    () =>
      request(server)
        .put(SET)
        .send({ properties: { a: '3' } }),
    res => res.status === 200,
  );
  expect(after.status).toBe(200);
  expect((await historyOf()).map(e => e.after)).toEqual([
    { a: '3' },
    { a: '1' },
  ]);
});

it('keeps the history of a write that landed in ZooKeeper while the database stopped answering, and records it once when it answers again', async () => {
  const current = await request(server).get(SET);
  expect(current.status).toBe(200);
  // The history table held by another transaction: the database answers
  // the write's check, then the history insert waits past the deadline,
  // after ZooKeeper took the change.
  const lock = await admin.transaction();
  await lock.raw('LOCK TABLE archon_config_history IN ACCESS EXCLUSIVE MODE');
  let write: Awaited<ReturnType<typeof timed>>;
  let stored: request.Response;
  try {
    write = await timed(
      request(server)
        .put(SET)
        .send({ properties: { a: '4' } }),
    );
    stored = await request(server).get(SET);
    // The insert archon gave up on still waits for the lock: cancel it, so
    // only archon's own retry can record the entry.
    await admin.raw(
      `select pg_cancel_backend(pid) from pg_stat_activity
        where pid <> pg_backend_pid() and query ilike 'insert into "archon_config_history"%'`,
    );
  } finally {
    await lock.commit();
  }
  const version = current.body.version + 1;
  expect({ status: write.status, message: write.message }).toEqual({
    status: 504,
    message: `archon's database did not answer in time (while recording the history of /hist/app): the change itself was written to ZooKeeper (version ${version}); archon keeps its history entry and records it as soon as the database answers. Do not write it again: read the set to see it`,
  });
  expect(write.ms).toBeLessThanOrEqual(DEADLINE_MS + 2000);
  expect(stored.body).toMatchObject({ properties: { a: '4' }, version });

  // Recorded by the retry once the table is free, once: every attempt
  // carries the same entry key.
  await until(
    () => request(server).get(HISTORY),
    res =>
      res.body?.items?.some((e: { version?: number }) => e.version === version),
  );
  const next = await until(
    () =>
      request(server)
        .put(SET)
        .send({ properties: { a: '5' } }),
    res => res.status === 200,
  );
  expect(next.status).toBe(200);
  expect((await historyOf()).map(e => e.after)).toEqual([
    { a: '5' },
    { a: '4' },
    { a: '3' },
    { a: '1' },
  ]);
});
