/*
 * ZooKeeper frozen (SIGSTOP: its port stays open, nothing answers) on a
 * private instance: every request touching it answers within its deadline
 * + 2 s with 503/504 naming the ensemble, a write cut off mid-flight ends
 * landed or not written (never guessed), and after the thaw archon works
 * again without a restart, seeing what another client changed meanwhile.
 */
import { PrivateCluster, startPrivateCluster } from '@archon/local-cluster';
import zookeeper from 'node-zookeeper-client';
import request from 'supertest';
import { startArchonTestBackend } from '@archon/test-utils';
import { archonPlugin } from '../plugin';

jest.setTimeout(180_000);

const DEADLINE_S = 6;
const api = '/api/archon/zookeeper/local';

let cluster: PrivateCluster;
let backend: Awaited<ReturnType<typeof startArchonTestBackend>>;
let server: Parameters<typeof request>[0];

type Answer = {
  status: number;
  body: any;
  ms: number;
  headers: Record<string, string>;
};

/** The answer and how long it took; a request still open after 30 s is status 0. */
async function timed(req: request.Test): Promise<Answer> {
  const started = Date.now();
  const res = await Promise.resolve(req.timeout(30_000)).catch(
    (error: Error) => ({
      status: 0,
      body: { error: { message: String(error) } },
      headers: {},
    }),
  );
  return {
    status: res.status,
    body: res.body,
    ms: Date.now() - started,
    headers: res.headers as Record<string, string>,
  };
}

/** Sends until `ok` holds or 60 s have passed; returns the last answer. */
async function until(
  send: () => request.Test,
  ok: (res: Answer) => boolean,
): Promise<Answer> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const res = await timed(send());
    if (ok(res) || Date.now() > deadline) return res;
    await new Promise(r => setTimeout(r, 100));
  }
}

/** A ZooKeeper client of its own: "another client" changing things while archon is cut off. */
async function otherClient(connectionString: string) {
  const client = zookeeper.createClient(connectionString, {
    sessionTimeout: 10_000,
  });
  await new Promise<void>(resolve => {
    client.once('connected', () => resolve());
    client.connect();
  });
  return client;
}

beforeAll(async () => {
  cluster = await startPrivateCluster(['zookeeper'], { label: 'zk-deadline' });
  backend = await startArchonTestBackend({
    features: [archonPlugin],
    zookeeper: {
      connectionString: cluster.info.zookeeper.connectionString,
      root: '/pheidippides',
    },
    archon: {
      zookeeper: {
        requestTimeoutSeconds: DEADLINE_S,
        ensembles: [
          {
            name: 'local',
            connectionString: cluster.info.zookeeper.connectionString,
            root: '/pheidippides',
            sessionTimeoutMs: 4000,
          },
        ],
      },
    },
  });
  server = backend.server;
  const created = await until(
    () =>
      request(server)
        .post(`${api}/znodes/app/settings`)
        .send({ createParents: true, data: { text: 'v1' } }),
    res => res.status === 201,
  );
  if (created.status !== 201)
    throw new Error(
      `could not create the test znode: ${JSON.stringify(created.body)}`,
    );
});

afterAll(async () => {
  await backend?.stop();
  await cluster?.dispose();
});

const NAMED = /ZooKeeper ensemble "local" \(127\.0\.0\.1:\d+\)/;

it('answers every request within the deadline while ZooKeeper is frozen, and recovers after the thaw', async () => {
  await cluster.freeze('zookeeper');
  const attempts: Array<[string, () => request.Test]> = [
    ['read', () => request(server).get(`${api}/znodes/app/settings`)],
    ['list', () => request(server).get(`${api}/children/app`)],
    ['acl', () => request(server).get(`${api}/acl/app`)],
    [
      'create',
      () =>
        request(server)
          .post(`${api}/znodes/app/other`)
          .send({ data: { text: 'x' } }),
    ],
    [
      'set',
      () =>
        request(server)
          .put(`${api}/znodes/app/settings`)
          .send({ data: { text: 'lost?' }, expectedVersion: 0 }),
    ],
    [
      'delete',
      () =>
        request(server).delete(`${api}/znodes/app/settings?expectedVersion=0`),
    ],
    [
      'config write',
      () =>
        request(server)
          .put('/api/archon/config/sets/frozen/app')
          .send({ properties: { a: '1' } }),
    ],
  ];
  const answers = await Promise.all(
    attempts.map(async ([what, send]) => ({ what, res: await timed(send()) })),
  );
  for (const { what, res } of answers) {
    expect({ what, status: [503, 504].includes(res.status) }).toEqual({
      what,
      status: true,
    });
    expect({ what, message: res.body.error?.message }).toEqual({
      what,
      message: expect.stringMatching(NAMED),
    });
    expect({ what, inTime: res.ms <= (DEADLINE_S + 2) * 1000 }).toEqual({
      what,
      inTime: true,
    });
  }
  // The write that reached the frozen server cannot be read back either:
  // the answer says the outcome is unknown and how to check.
  const write = answers.find(a => a.what === 'set')!.res;
  expect(write.body.error.message).toMatch(
    /the outcome is unknown.*compare the version/,
  );

  // A second round, once archon has noticed the frozen server: fail fast, 503.
  const fast = await until(
    () => request(server).get(`${api}/znodes/app/settings`),
    res => res.status === 503,
  );
  expect(fast.status).toBe(503);
  expect(fast.body.error.message).toMatch(NAMED);
  expect(fast.ms).toBeLessThanOrEqual((DEADLINE_S + 2) * 1000);

  await cluster.thaw('zookeeper');
  // Meanwhile another client changes the znode archon reads.
  const other = await otherClient(cluster.info.zookeeper.connectionString);
  const current = await until(
    () => request(server).get(`${api}/znodes/app/settings`),
    res => res.status === 200,
  );
  await new Promise<void>((resolve, reject) =>
    other.setData(
      '/app/settings',
      Buffer.from('from-elsewhere'),
      current.body.stat.version,
      e => (e ? reject(e) : resolve()),
    ),
  );
  other.close();
  const seen = await until(
    () => request(server).get(`${api}/znodes/app/settings`),
    res => res.status === 200 && res.body.data?.text === 'from-elsewhere',
  );
  expect(seen.body.data.text).toBe('from-elsewhere');
  expect((await timed(request(server).get(`${api}/children/app`))).status).toBe(
    200,
  );
});

it('resolves a write cut off mid-flight by reading it back: landed with its version, or not written', async () => {
  const before = await until(
    () => request(server).get(`${api}/znodes/app/settings`),
    res => res.status === 200,
  );
  await cluster.freeze('zookeeper');
  // Sent to the frozen server: its kernel buffers the request, nothing answers.
  const pending = timed(
    request(server)
      .put(`${api}/znodes/app/settings`)
      .send({
        data: { text: 'mid-flight' },
        expectedVersion: before.body.stat.version,
      }),
  );
  // Once archon has noticed (reads fail fast), let ZooKeeper run again
  // while the write still waits for its read-back.
  await until(
    () => request(server).get(`${api}/children/app`),
    res => res.status === 503,
  );
  await cluster.thaw('zookeeper');
  const write = await pending;
  expect(write.ms).toBeLessThanOrEqual((DEADLINE_S + 2) * 1000);

  const after = await until(
    () => request(server).get(`${api}/znodes/app/settings`),
    res => res.status === 200,
  );
  const message: string = write.body.error?.message ?? '';
  let outcome = `${write.status}: ${message}`;
  if (write.status === 200) outcome = 'landed';
  else if (
    write.status === 503 &&
    /not written/.test(message) &&
    NAMED.test(message)
  )
    outcome = 'not written';
  const landed = { text: 'mid-flight', version: write.body.stat?.version };
  const untouched = {
    text: before.body.data.text,
    version: before.body.stat.version,
  };
  // ZooKeeper is back well before the deadline, so the read-back decides.
  expect(['landed', 'not written']).toContain(outcome);
  expect({
    text: after.body.data.text,
    version: after.body.stat.version,
  }).toEqual(outcome === 'landed' ? landed : untouched);
});

it('serves effective configuration from the cache marked stale while ZooKeeper is frozen, and current again after the thaw', async () => {
  const put = await until(
    () =>
      request(server)
        .put('/api/archon/config/sets/stale/app')
        .send({ properties: { color: 'blue' } }),
    res => res.status === 200,
  );
  expect(put.status).toBe(200);
  const effective = () =>
    request(server).get('/api/archon/config/effective/stale/app');
  const fresh = await until(
    effective,
    res => res.status === 200 && res.body.properties?.color === 'blue',
  );
  expect(fresh.body.stale).toBeUndefined();

  await cluster.freeze('zookeeper');
  const frozenAt = Date.now();
  // Every answer meanwhile is the cached configuration, in time; once archon
  // has noticed ZooKeeper stopped answering, it says the answer is stale.
  const stale = await until(
    effective,
    res =>
      res.status !== 200 ||
      res.ms > (DEADLINE_S + 2) * 1000 ||
      res.body.stale === true,
  );
  expect({
    status: stale.status,
    inTime: stale.ms <= (DEADLINE_S + 2) * 1000,
  }).toEqual({ status: 200, inTime: true });
  expect(stale.body).toMatchObject({
    stale: true,
    properties: { color: 'blue' },
  });
  expect(Date.parse(stale.body.asOf)).toBeGreaterThanOrEqual(frozenAt - 1000);
  expect(Date.parse(stale.body.asOf)).toBeLessThanOrEqual(Date.now());
  expect(stale.headers.warning).toMatch(
    /^110 archon "Response is Stale: ZooKeeper ensemble 'local' \(127\.0\.0\.1:\d+\) is not reachable; this answer is as of /,
  );
  // Reads that need ZooKeeper itself do not pretend.
  const raw = await timed(request(server).get(`${api}/znodes/stale/app`));
  expect(raw.status).toBe(503);

  await cluster.thaw('zookeeper');
  // Another client changes the set directly in ZooKeeper; archon's cache,
  // not restarted, sees it and stops saying stale.
  const other = await otherClient(cluster.info.zookeeper.connectionString);
  await new Promise<void>((resolve, reject) =>
    other.setData(
      '/pheidippides/stale/app',
      Buffer.from('{\n  "color": "green"\n}\n'),
      -1,
      e => (e ? reject(e) : resolve()),
    ),
  );
  other.close();
  const current = await until(
    effective,
    res =>
      res.status === 200 &&
      res.body.properties?.color === 'green' &&
      !res.body.stale,
  );
  expect(current.body).toMatchObject({ properties: { color: 'green' } });
  expect(current.body.stale).toBeUndefined();
});
