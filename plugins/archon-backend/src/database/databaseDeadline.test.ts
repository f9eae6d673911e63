/*
 * archon's own database (PostgreSQL) frozen, on a private instance: a route
 * that reads it answers 503 naming the database within its deadline, never
 * a hang or a 500, and works again after the thaw without a restart. The
 * deadline comes from the connection's `query_timeout` and knex's
 * `acquireConnectionTimeout` (backend.database in the app config); it is
 * per query, not per request.
 */
import { PrivateCluster, startPrivateCluster } from '@archon/local-cluster';
import request from 'supertest';
import { databaseServiceFactory } from '@backstage/backend-defaults/database';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { archonPlugin } from '../plugin';

jest.setTimeout(240_000);

const DEADLINE_MS = 3000;

let cluster: PrivateCluster;
let zookeeper: PrivateCluster;
let backend: Awaited<ReturnType<typeof startTestBackend>>;
let server: Parameters<typeof request>[0];

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
    message: String(res.body?.error?.message ?? ''),
    ms: Date.now() - started,
  };
}

async function until(
  send: () => request.Test,
  ok: (status: number) => boolean,
) {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const res = await timed(send());
    if (ok(res.status) || Date.now() > deadline) return res;
    await new Promise(r => setTimeout(r, 200));
  }
}

beforeAll(async () => {
  [cluster, zookeeper] = await Promise.all([
    startPrivateCluster(['postgres'], { label: 'db-deadline' }),
    startPrivateCluster(['zookeeper'], { label: 'db-deadline-zk' }),
  ]);
  const pg = new URL(cluster.info.postgres!.connectionString);
  backend = await startTestBackend({
    features: [
      archonPlugin,
      databaseServiceFactory,
      mockServices.rootConfig.factory({
        data: {
          backend: {
            database: {
              client: 'pg',
              connection: {
                host: pg.hostname,
                port: Number(pg.port),
                user: 'postgres',
                query_timeout: DEADLINE_MS,
                connectionTimeoutMillis: DEADLINE_MS,
              },
              knexConfig: { acquireConnectionTimeout: DEADLINE_MS },
            },
          },
          archon: {
            zookeeper: {
              ensembles: [
                {
                  name: 'local',
                  connectionString: zookeeper.info.zookeeper.connectionString,
                  root: '/pheidippides',
                  sessionTimeoutMs: 6000,
                },
              ],
            },
          },
        },
      }),
    ],
  });
  server = backend.server;
});

afterAll(async () => {
  await backend?.stop();
  await cluster?.dispose();
  await zookeeper?.dispose();
});

it('answers 503/504 naming the database within the deadline while PostgreSQL is frozen, and recovers after the thaw', async () => {
  expect(
    (
      await until(
        () => request(server).get('/api/archon/audit'),
        s => s === 200,
      )
    ).status,
  ).toBe(200);
  await cluster.freeze('postgres');
  const answers = await Promise.all([
    timed(request(server).get('/api/archon/audit')),
    timed(request(server).get('/api/archon/audit')),
  ]);
  for (const a of answers) {
    expect({
      status: [503, 504].includes(a.status) ? 'unavailable' : a.status,
      message: a.message,
    }).toEqual({
      status: 'unavailable',
      message: expect.stringMatching(
        /^archon's database (did not answer in time|is not reachable) \(/,
      ),
    });
    // The deadline is per query (the driver's query_timeout): the audit list
    // runs two queries one after the other, so up to twice that (+ 2 s).
    expect(a.ms).toBeLessThanOrEqual(2 * DEADLINE_MS + 2000);
  }
  await cluster.thaw('postgres');
  expect(
    (
      await until(
        () => request(server).get('/api/archon/audit'),
        s => s === 200,
      )
    ).status,
  ).toBe(200);
});
