/*
 * archon's own database (PostgreSQL) frozen, on a private instance: a route
 * that reads it answers 503/504 naming the database within its deadline,
 * never a hang or a 500, and works again after the thaw without a restart.
 * The deadline is per request (archon.database.requestTimeoutSeconds), not
 * per query: the driver's own timeouts are set well above it here, so an
 * answer within the request deadline shows that the request deadline, not
 * the driver, ended the wait.
 */
import { PrivateCluster, startPrivateCluster } from '@archon/local-cluster';
import request from 'supertest';
import { databaseServiceFactory } from '@backstage/backend-defaults/database';
import { startArchonTestBackend } from '@archon/test-utils';
import { archonPlugin } from '../plugin';

jest.setTimeout(240_000);

const DEADLINE_MS = 3000;
/** The driver's per-query and pool timeouts: far past the request deadline. */
const DRIVER_TIMEOUT_MS = 12_000;

let cluster: PrivateCluster;
let zookeeper: PrivateCluster;
let backend: Awaited<ReturnType<typeof startArchonTestBackend>>;
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
    timed(request(server).get('/api/archon/config/history/db-deadline/app')),
    timed(request(server).get('/api/archon/releases?path=/db-deadline/app')),
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
    // One deadline for the whole request, however many queries it runs.
    expect(a.ms).toBeLessThanOrEqual(DEADLINE_MS + 2000);
  }
  await cluster.thaw('postgres');
  const thawed = server;
  for (const url of [
    '/api/archon/audit',
    '/api/archon/config/history/db-deadline/app',
    '/api/archon/releases?path=/db-deadline/app',
  ]) {
    expect(
      (
        await until(
          () => request(thawed).get(url),
          s => s === 200,
        )
      ).status,
    ).toBe(200);
  }
});
