/*
 * /health from background probes, against a private ZooKeeper: it answers
 * from the last results with their age, a frozen system turns `unreachable`
 * within one probe interval and `up` again after the thaw, and `fresh=true`
 * probes live.
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

/** Asks until the ZooKeeper system has `status`, or 30 s have passed; returns the last answer and when it came. */
async function untilZooKeeper(
  status: 'up' | 'unreachable',
): Promise<Health & { at: number }> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const res = await health();
    if (res.body.systems?.[0]?.status === status || Date.now() > deadline)
      return { ...res, at: Date.now() };
    await new Promise(r => setTimeout(r, 50));
  }
}

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
  expect(zk.ageMs).toBeGreaterThanOrEqual(0);
  expect(zk.ageMs).toBeLessThanOrEqual(INTERVAL_MS + 1000);
  expect(Date.parse(zk.checkedAt)).toBeLessThanOrEqual(Date.now());

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

  await cluster.thaw('zookeeper');
  const back = await untilZooKeeper('up');
  expect(back.body.systems[0].status).toBe('up');
});
