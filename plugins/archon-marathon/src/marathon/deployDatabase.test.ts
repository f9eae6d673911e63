import request from 'supertest';
import { PrivateCluster, startPrivateCluster } from '@archon/local-cluster';
import { startHarness, type Harness } from '../__testUtils__/harness';

jest.setTimeout(240_000);

/**
 * A deploy while archon's own database is frozen (#22), on a private
 * PostgreSQL and a private local Marathon: the deploy does not start (its
 * lock and release live in the database), the answer is 503/504 naming
 * archon's database within the request deadline + 2 s, and Marathon never
 * hears of the app. After the thaw the same deploy runs and its release is
 * recorded as deployed. A database that freezes once Marathon has the
 * change: the waiting caller gets 503/504 saying how the deploy ended and
 * that its record is pending, never a 2xx, and the release is recorded as
 * deployed after the thaw.
 */
const DEADLINE_MS = 3000;
/** The driver's own timeouts: far past the request deadline, so it is the one that ends the wait. */
const DRIVER_TIMEOUT_MS = 12_000;
const path = '/dbfrozen/svc';

let postgres: PrivateCluster;
let h: Harness;

beforeAll(async () => {
  postgres = await startPrivateCluster(['postgres'], { label: 'deploy-db' });
  const pg = new URL(postgres.info.postgres!.connectionString);
  h = await startHarness({
    label: 'deploydb',
    database: {
      backend: {
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
      archon: { requestTimeoutSeconds: DEADLINE_MS / 1000 },
    },
  });
  const put = await h.put(path, {
    'marathon.cpus': '0.1',
    'marathon.mem': '32',
    'marathon.cmd': 'sleep 600',
    'marathon.taskKillGracePeriodSeconds': '1',
  });
  if (put.status !== 200)
    throw new Error(
      `writing the configuration failed: ${JSON.stringify(put.body)}`,
    );
});

afterAll(async () => {
  await h?.stop();
  await postgres?.dispose();
});

const deploy = () =>
  request(h.server).post(h.api('/deployments')).send({
    configPath: path,
    instance: 'local',
    wait: true,
    timeoutSeconds: 60,
  });
// Asked of the local Marathon itself, not through archon.
const onMarathon = async () =>
  (await fetch(`${h.marathon.url}/v2/apps${path}`)).status;

it("does not start a deploy while archon's database is frozen, and deploys with its release recorded after the thaw", async () => {
  await postgres.freeze('postgres');
  const started = Date.now();
  let refused: request.Response;
  let marathonStatus: number;
  try {
    refused = await deploy().timeout(30_000);
    marathonStatus = await onMarathon();
  } finally {
    await postgres.thaw('postgres');
  }
  const ms = Date.now() - started;
  expect({
    status: [503, 504].includes(refused.status)
      ? 'unavailable'
      : refused.status,
    message: refused.body?.error?.message,
  }).toEqual({
    status: 'unavailable',
    message: expect.stringMatching(
      /^archon's database (did not answer in time|is not reachable) \(/,
    ),
  });
  expect(ms).toBeLessThanOrEqual(DEADLINE_MS + 2000);
  expect(marathonStatus).toBe(404);

  let deployed: request.Response | undefined;
  const until = Date.now() + 60_000;
  while (Date.now() < until) {
    deployed = await deploy();
    if (deployed.status === 200) break;
    await new Promise(r => setTimeout(r, 500));
  }
  expect(deployed?.body).toMatchObject({ status: 'succeeded' });
  expect(await onMarathon()).toBe(200);
  const releases = await request(h.server).get(h.api(`/releases?path=${path}`));
  expect(
    releases.body.items.map((r: { id: string; status: string }) => [
      r.id,
      r.status,
    ]),
  ).toEqual([[deployed!.body.releaseId, 'deployed']]);
});

it('answers 503/504 instead of the outcome when the database freezes after Marathon took the deploy, and records the release after the thaw', async () => {
  const other = '/dbfrozen/late';
  expect(
    (
      await h.put(other, {
        'marathon.cpus': '0.1',
        'marathon.mem': '32',
        'marathon.cmd': 'sleep 600',
        'marathon.taskKillGracePeriodSeconds': '1',
      })
    ).status,
  ).toBe(200);
  const pending = request(h.server)
    .post(h.api('/deployments'))
    .send({
      configPath: other,
      instance: 'local',
      wait: true,
      timeoutSeconds: 60,
    })
    .timeout(120_000)
    .then(
      res => res,
      error => ({ status: 0, body: { error: { message: String(error) } } }),
    );
  // Frozen as soon as Marathon has the app: archon follows a change its database cannot record.
  const until = Date.now() + 60_000;
  while (
    (await fetch(`${h.marathon.url}/v2/apps${other}`)).status !== 200 &&
    Date.now() < until
  ) {
    await new Promise(r => setTimeout(r, 50));
  }
  await postgres.freeze('postgres');
  let answer: { status: number; body: any };
  try {
    answer = await pending;
  } finally {
    await postgres.thaw('postgres');
  }
  expect({
    status: [503, 504].includes(answer.status) ? 'unavailable' : answer.status,
    message: answer.body?.error?.message,
  }).toEqual({
    status: 'unavailable',
    message: expect.stringMatching(
      /^archon's database (did not answer in time|is not reachable) \(while recording the outcome of deploy (rel-\S+)\): the deploy of \S+ on local ended succeeded, but its record is not stored yet; archon stores it as soon as the database answers\. Check: GET \/api\/archon\/deployments\/rel-\S+$/,
    ),
  });
  const id = /deployments\/(rel-\S+)$/.exec(answer.body.error.message)![1];
  // Recorded once the database answers, without a restart.
  const deadline = Date.now() + 60_000;
  let release: request.Response;
  do {
    await new Promise(r => setTimeout(r, 500));
    release = await request(h.server).get(h.api(`/releases/${id}`));
  } while (release.body?.status !== 'deployed' && Date.now() < deadline);
  expect(release.body).toMatchObject({ id, status: 'deployed' });
  const flow = await request(h.server).get(h.api(`/deployments/${id}`));
  expect(flow.body).toMatchObject({ id, status: 'succeeded' });
});
