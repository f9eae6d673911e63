/*
 * GET /config/undeployed and the Home count behind it (#18), with an app
 * really deployed to a private local Marathon: after a configuration edit
 * the app is listed with its running release and what changed, the Home
 * count is the list's length, and a redeploy clears it. A caller who may not
 * reveal secrets sees the same rows with secret values masked.
 */
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import request from 'supertest';
import { startHarness, waitFor, type Harness } from '../__testUtils__/harness';

jest.setTimeout(180_000);

let h: Harness;
const path = '/undeployed/app-1';
/** May read configuration, may not reveal its secrets. */
const viewer = 'user:default/undeployed-viewer';

beforeAll(async () => {
  h = await startHarness({
    label: 'undeployed',
    features: [
      mockServices.permissions.mock({
        authorize: async (requests, options) =>
          requests.map(r => ({
            result:
              r.permission.name === 'archon.config.secrets.reveal' &&
              (options?.credentials.principal as { userEntityRef?: string })
                ?.userEntityRef === viewer
                ? AuthorizeResult.DENY
                : AuthorizeResult.ALLOW,
          })),
      }).factory,
    ],
  });
  const put = await h.put(path, {
    'marathon.cpus': '0.05',
    'marathon.mem': '32',
    'marathon.cmd': 'sleep 600',
    'marathon.taskKillGracePeriodSeconds': '1',
    'db.password': 'first-secret',
  });
  if (put.status !== 200)
    throw new Error(
      `writing the configuration failed: ${JSON.stringify(put.body)}`,
    );
});

afterAll(async () => {
  await request(h?.server)
    .post(h.api('/apps/destroy'))
    .send({ configPath: path, instance: 'local', confirm: path, wait: true });
  await h?.stop();
});

const deploy = async () => {
  const res = await request(h.server)
    .post(h.api('/deployments'))
    .send({ configPath: path, instance: 'local', wait: true });
  expect(res.status).toBe(200);
  expect(res.body.status).toBe('succeeded');
  return res.body.id as string;
};

const undeployed = async (user?: string) => {
  const res = await request(h.server)
    .get(h.api('/config/undeployed'))
    .set(user ? { authorization: mockCredentials.user.header(user) } : {});
  expect(res.status).toBe(200);
  return res.body as { items: any[] };
};

const homeCount = async () => {
  const res = await request(h.server).get(h.api('/home/summary'));
  return res.body.counts.find(
    (c: { id: string }) => c.id === 'config-undeployed',
  );
};

it('lists an app whose configuration changed since its deployed release, until it is redeployed', async () => {
  const release = await deploy();
  // Deployed as configured: nothing to list once the graph holds the app.
  await waitFor(
    async () => (await homeCount())?.count === 0,
    60_000,
    'the graph to hold the app',
  );
  expect((await undeployed()).items).toEqual([]);

  const patched = await h.patch(path, {
    set: { 'db.password': 'second-secret', greeting: 'hello' },
    unset: ['marathon.taskKillGracePeriodSeconds'],
  });
  expect(patched.status).toBe(200);

  const { items } = await undeployed();
  expect(items).toEqual([
    {
      path,
      app: path,
      target: 'local',
      latestRelease: release,
      releasedAt: expect.any(String),
      masked: false,
      diff: {
        added: [expect.objectContaining({ key: 'greeting', value: 'hello' })],
        changed: [
          expect.objectContaining({
            key: 'db.password',
            from: 'first-secret',
            to: 'second-secret',
          }),
        ],
        removed: [
          expect.objectContaining({
            key: 'marathon.taskKillGracePeriodSeconds',
          }),
        ],
      },
    },
  ]);
  const count = await homeCount();
  expect(count).toMatchObject({ count: 1, items: [path] });

  // The same row for a caller who may not reveal secrets: the secret's
  // values masked on both sides, the rest as it is.
  const masked = (await undeployed(viewer)).items;
  expect(masked).toEqual([
    expect.objectContaining({
      path,
      latestRelease: release,
      masked: true,
      diff: {
        added: [expect.objectContaining({ key: 'greeting', value: 'hello' })],
        changed: [
          expect.objectContaining({
            key: 'db.password',
            from: '********',
            to: '********',
          }),
        ],
        removed: [
          expect.objectContaining({
            key: 'marathon.taskKillGracePeriodSeconds',
          }),
        ],
      },
    }),
  ]);
  expect(JSON.stringify(masked)).not.toMatch(/first-secret|second-secret/);

  await deploy();
  expect((await undeployed()).items).toEqual([]);
  expect(await homeCount()).toMatchObject({ count: 0 });
});
