import fs from 'node:fs';
import {
  startPrivateCluster,
  type PrivateCluster,
} from '@archon/local-cluster';
import {
  startArchonTestBackend,
  type ArchonTestBackend,
} from '@archon/test-utils';
import archonPlugin from '@archon/plugin-archon-backend';
import { makeCliHome, runCli } from './__testUtils__/cliTestBackend';

jest.setTimeout(180_000);

/**
 * The CLI while ZooKeeper is frozen (#22), against a real archon backend on
 * a private ZooKeeper: a configuration read answers from archon's cache with
 * a one-line warning on stderr and exit 0, a read that needs ZooKeeper
 * itself and a write exit 6 with the message naming the ensemble, and both
 * within the deadline; after the thaw everything works again.
 */
const DEADLINE_S = 4;

let cluster: PrivateCluster;
let backend: ArchonTestBackend;
let url: string;
let home: string;

const cli = (args: string[]) =>
  runCli(args, { home, env: { ARCHON_URL: url } });

/** Runs the command until `ok`, or 60 s have passed; returns the last result. */
async function until(
  args: string[],
  ok: (r: Awaited<ReturnType<typeof cli>>) => boolean,
) {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const result = await cli(args);
    if (ok(result) || Date.now() > deadline) return result;
    await new Promise(r => setTimeout(r, 200));
  }
}

beforeAll(async () => {
  cluster = await startPrivateCluster(['zookeeper'], { label: 'cli-faults' });
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
  url = backend.url;
  home = makeCliHome();
  const set = await until(
    ['config', 'set', '/svc', 'color=blue'],
    r => r.code === 0,
  );
  if (set.code !== 0)
    throw new Error(`could not write the test set: ${set.stderr}`);
});

afterAll(async () => {
  await backend?.stop();
  await cluster?.dispose();
  if (home) fs.rmSync(home, { recursive: true, force: true });
});

it('warns about stale answers and exits 6 on what needs ZooKeeper while it is frozen', async () => {
  expect((await cli(['config', 'resolve', '/svc', '-o', 'json'])).stderr).toBe(
    '',
  );
  await cluster.freeze('zookeeper');

  // Once archon has noticed, the cached answer comes with the warning.
  const stale = await until(
    ['config', 'resolve', '/svc', '-o', 'json'],
    r => r.code !== 0 || r.stderr !== '',
  );
  expect(stale.code).toBe(0);
  expect(JSON.parse(stale.stdout)).toMatchObject({
    properties: { color: 'blue' },
    stale: true,
  });
  expect(stale.stderr).toMatch(
    /^warning: Response is Stale: ZooKeeper ensemble 'local' \(127\.0\.0\.1:\d+\) is not reachable; this answer is as of \S+\n$/,
  );

  const started = Date.now();
  const raw = await cli(['zk', 'get', '/svc']);
  const write = await cli(['config', 'set', '/svc', 'color=red']);
  expect(Date.now() - started).toBeLessThanOrEqual(2 * (DEADLINE_S + 2) * 1000);
  expect({ code: raw.code, stderr: raw.stderr }).toEqual({
    code: 6,
    stderr: expect.stringContaining('ZooKeeper ensemble "local"'),
  });
  expect({ code: write.code, stderr: write.stderr }).toEqual({
    code: 6,
    stderr: expect.stringContaining('ZooKeeper ensemble "local"'),
  });

  await cluster.thaw('zookeeper');
  const written = await until(
    ['config', 'set', '/svc', 'color=green'],
    r => r.code === 0,
  );
  expect(written.code).toBe(0);
  const current = await until(
    ['config', 'resolve', '/svc', '-o', 'json'],
    r => r.code === 0 && r.stderr === '' && /green/.test(r.stdout),
  );
  expect({
    stderr: current.stderr,
    color: JSON.parse(current.stdout).properties.color,
  }).toEqual({ stderr: '', color: 'green' });
});
