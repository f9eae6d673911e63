/*
 * One configuration path deployed to two Marathon instances (#20): two real
 * local Marathon servers of this suite's own, `local` and `dr`. Each target
 * keeps its own release state: the releases, the pending changes, a deploy's
 * dry run, the app status and the undeployed list are read per target, and
 * a redeploy to one target neither hides nor changes the other's.
 */
import {
  marathonRest,
  startPrivateMarathon,
  type PrivateMarathon,
} from '@archon/test-utils';
import request from 'supertest';
import { startHarness, waitFor, type Harness } from '../__testUtils__/harness';

jest.setTimeout(180_000);

let h: Harness;
let dr: PrivateMarathon;
const path = '/twotargets/app-1';

beforeAll(async () => {
  dr = await startPrivateMarathon({ deploymentTimeoutMs: 20_000 });
  h = await startHarness({
    label: 'twotargets',
    extraInstances: [
      { name: 'dr', url: dr.marathon.url, mesosAgentUrl: dr.marathon.url },
    ],
  });
  const put = await h.put(path, {
    'marathon.cpus': '0.05',
    'marathon.mem': '32',
    'marathon.cmd': 'sleep 600',
    'marathon.taskKillGracePeriodSeconds': '1',
    greeting: 'first',
  });
  if (put.status !== 200)
    throw new Error(
      `writing the configuration failed: ${JSON.stringify(put.body)}`,
    );
});

afterAll(async () => {
  for (const instance of ['local', 'dr']) {
    await request(h?.server)
      .post(h.api('/apps/destroy'))
      .send({ configPath: path, instance, confirm: path, wait: true });
  }
  await h?.stop();
  await dr?.close();
});

const deployTo = async (instance: string) => {
  const res = await request(h.server)
    .post(h.api('/deployments'))
    .send({ configPath: path, instance, wait: true });
  expect(res.status).toBe(200);
  expect(res.body).toMatchObject({ status: 'succeeded', instance });
  return res.body.id as string;
};

const releasesOf = async (instance?: string) => {
  const res = await request(h.server)
    .get(h.api('/releases'))
    .query({ path, ...(instance && { instance }) });
  expect(res.status).toBe(200);
  return (res.body.items as Array<{ id: string; target: any }>).map(r => ({
    id: r.id,
    instance: r.target.instance,
  }));
};

const pendingOn = async (instance: string) => {
  const res = await request(h.server)
    .get(h.api(`/config/pending${path}`))
    .query({ instance });
  expect(res.status).toBe(200);
  return res.body as {
    latestRelease?: string;
    diff: { added: any[]; changed: any[]; removed: any[] };
  };
};

const statusOn = async (instance: string) => {
  const res = await request(h.server)
    .get(h.api('/apps/status'))
    .query({ instance, configPath: path });
  expect(res.status).toBe(200);
  return res.body;
};

it('keeps a release state per target: the same path on local and dr, then a redeploy to local only', async () => {
  const targets = await request(h.server).get(h.api('/deploy-targets'));
  expect(targets.body.items.map((t: { name: string }) => t.name)).toEqual([
    'local',
    'dr',
  ]);

  const onLocal = await deployTo('local');
  const onDr = await deployTo('dr');
  expect(onDr).not.toBe(onLocal);
  // Two real apps, one on each server.
  for (const url of [h.marathon.url, dr.marathon.url]) {
    expect((await marathonRest(url)('GET', `/apps${path}`)).status).toBe(200);
  }

  expect(await releasesOf('local')).toEqual([
    { id: onLocal, instance: 'local' },
  ]);
  expect(await releasesOf('dr')).toEqual([{ id: onDr, instance: 'dr' }]);
  expect(await releasesOf()).toEqual([
    { id: onDr, instance: 'dr' },
    { id: onLocal, instance: 'local' },
  ]);
  expect((await statusOn('local')).releaseId).toBe(onLocal);
  expect((await statusOn('dr')).releaseId).toBe(onDr);

  // A change, shipped to local only.
  expect((await h.patch(path, { set: { greeting: 'second' } })).status).toBe(
    200,
  );
  const localAgain = await deployTo('local');

  // local runs the change; dr still runs its first release and has it pending.
  expect(await pendingOn('local')).toMatchObject({
    latestRelease: localAgain,
    diff: { added: [], changed: [], removed: [] },
  });
  expect(await pendingOn('dr')).toMatchObject({
    latestRelease: onDr,
    diff: {
      changed: [
        expect.objectContaining({
          key: 'greeting',
          from: 'first',
          to: 'second',
        }),
      ],
    },
  });
  expect(await releasesOf('dr')).toEqual([{ id: onDr, instance: 'dr' }]);
  expect((await statusOn('local')).releaseId).toBe(localAgain);
  expect((await statusOn('dr')).releaseId).toBe(onDr);

  // A deploy's dry run compares with what runs on its own target.
  const plan = async (instance: string) => {
    const res = await request(h.server)
      .post(h.api('/deployments'))
      .send({ configPath: path, instance, dryRun: true });
    expect(res.status).toBe(200);
    return res.body;
  };
  expect(await plan('dr')).toMatchObject({
    instance: 'dr',
    latestRelease: onDr,
    pending: { changed: [expect.objectContaining({ key: 'greeting' })] },
  });
  expect(await plan('local')).toMatchObject({
    instance: 'local',
    latestRelease: localAgain,
    pending: { added: [], changed: [], removed: [] },
  });

  // The undeployed list names the target that lags, and only it, once the
  // graph holds both apps.
  let items: any[] = [];
  await waitFor(
    async () => {
      const res = await request(h.server).get(h.api('/config/undeployed'));
      items = res.status === 200 ? res.body.items : [];
      return items.length > 0;
    },
    60_000,
    'the graph to hold the apps',
  );
  expect(items).toEqual([
    expect.objectContaining({ path, target: 'dr', latestRelease: onDr }),
  ]);
});
