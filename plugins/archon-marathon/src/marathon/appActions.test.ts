import { randomBytes } from 'node:crypto';
import archonPlugin from '@archon/plugin-archon-backend';
import {
  eventually,
  marathonRest,
  startArchonTestBackend,
  type ArchonTestBackend,
} from '@archon/test-utils';
import request from 'supertest';
import { archonModuleMarathon } from '../module';

jest.setTimeout(180_000);

/** The shared local cluster's Marathon (scripts/start.sh), where Marathon UI users' apps run. */
const MARATHON =
  process.env.ARCHON_TEST_MARATHON_URL ?? 'http://127.0.0.1:8080';
const group = `/h4-actions-${randomBytes(3).toString('hex')}`;

const marathon = marathonRest(MARATHON);

const appOf = async (id: string) =>
  (await marathon('GET', `/apps${id}?embed=app.counts`)).body?.app as
    | { instances: number; tasksRunning: number; labels?: object }
    | undefined;

/** A small app archon did not deploy (no ARCHON_CONFIG_PATH label). */
const plainApp = (id: string, extra: object = {}) => ({
  id,
  cmd: 'sleep 3600',
  cpus: 0.01,
  mem: 16,
  instances: 1,
  ...extra,
});

/**
 * Scale, restart, suspend and destroy of apps archon did not deploy, by
 * their Marathon id: archon's backend with the Marathon module in front of
 * the shared local Marathon, the apps created there through Marathon's REST.
 */
describe('actions on any Marathon app', () => {
  let backend: ArchonTestBackend;
  const plain = `${group}/plain`;
  const api = (p: string) => `/api/archon/marathon/local${p}`;

  beforeAll(async () => {
    backend = await startArchonTestBackend({
      label: 'app-actions',
      features: [archonPlugin, archonModuleMarathon],
      zookeeper: false,
      marathon: { url: MARATHON },
    });
    const created = await marathon('POST', '/apps', plainApp(plain));
    if (created.status !== 201)
      throw new Error(`creating ${plain}: ${JSON.stringify(created)}`);
  });

  afterAll(async () => {
    await marathon('DELETE', `/groups${group}?force=true`);
    await backend?.stop();
  });

  it('scales, restarts and suspends it, audited with the acting user, answering the deployment Marathon started', async () => {
    const scaled = await request(backend.server)
      .post(api(`/apps${plain}/scale`))
      .send({ instances: 2 });
    expect(scaled.status).toBe(202);
    expect(scaled.body).toMatchObject({
      instance: 'local',
      appId: plain,
      action: 'scale',
      instances: 2,
      deploymentId: expect.stringMatching(/.+/),
      version: expect.stringMatching(/.+/),
      app: { id: plain, instances: 2 },
    });
    await eventually(async () => {
      expect((await appOf(plain))?.tasksRunning).toBe(2);
    }, 60_000);

    const restarted = await request(backend.server)
      .post(api(`/apps${plain}/restart`))
      .send({});
    expect(restarted.status).toBe(202);
    expect(restarted.body).toMatchObject({
      action: 'restart',
      deploymentId: expect.stringMatching(/.+/),
    });
    expect(restarted.body.deploymentId).not.toBe(scaled.body.deploymentId);
    await eventually(async () => {
      const deployments = await marathon('GET', '/deployments');
      expect(
        deployments.body.filter((d: { affectedApps: string[] }) =>
          d.affectedApps.includes(plain),
        ),
      ).toEqual([]);
    }, 60_000);

    const suspended = await request(backend.server)
      .post(api(`/apps${plain}/suspend`))
      .send({});
    expect(suspended.status).toBe(202);
    expect(suspended.body).toMatchObject({ action: 'suspend', instances: 0 });
    await eventually(async () => {
      const app = await appOf(plain);
      expect(app).toMatchObject({ instances: 0, tasksRunning: 0 });
    }, 60_000);

    const audit = await request(backend.server).get(
      `/api/archon/audit?system=marathon&target=${encodeURIComponent(plain)}`,
    );
    expect(audit.status).toBe(200);
    const entries = (
      audit.body.items as Array<{
        action: string;
        outcome: string;
        actor: string;
      }>
    ).map(e => `${e.action} ${e.outcome} ${e.actor}`);
    expect(entries).toEqual(
      expect.arrayContaining([
        'marathon-app-scale success user:default/mock',
        'marathon-app-restart success user:default/mock',
        'marathon-app-suspend success user:default/mock',
      ]),
    );
  });

  it('refuses bad input in the request fields, an unknown app and an app archon deployed', async () => {
    for (const instances of [-1, 1.5, 'two']) {
      const res = await request(backend.server)
        .post(api(`/apps${plain}/scale`))
        .send({ instances });
      expect(res.status).toBe(400);
      expect(res.body.error.message).toMatch(/instances/);
    }
    const missing = await request(backend.server)
      .post(api(`/apps${plain}/scale`))
      .send({});
    expect(missing.status).toBe(400);
    expect(missing.body.error.message).toMatch(/instances/);

    const unknown = await request(backend.server)
      .post(api(`/apps${group}/nothing-here/restart`))
      .send({});
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.message).toMatch(/nothing-here/);

    const wrongConfirm = await request(backend.server)
      .post(api(`/apps${plain}/destroy`))
      .send({ confirm: `${group}/other` });
    expect(wrongConfirm.status).toBe(400);
    expect(wrongConfirm.body.error.message).toMatch(
      new RegExp(`confirm must be the app id ${plain}`),
    );
    expect(await appOf(plain)).toBeDefined();

    // An app with archon's label goes through its configuration path's routes.
    const managed = `${group}/managed`;
    expect(
      (
        await marathon(
          'POST',
          '/apps',
          plainApp(managed, {
            instances: 0,
            labels: { ARCHON_CONFIG_PATH: `${group}/managed` },
          }),
        )
      ).status,
    ).toBe(201);
    const refused = await request(backend.server)
      .post(api(`/apps${managed}/scale`))
      .send({ instances: 1 });
    expect(refused.status).toBe(409);
    expect(refused.body.error.message).toContain(
      `deployed by archon from ${group}/managed`,
    );
    expect(refused.body.error.message).toContain('/api/archon/apps/scale');
    expect((await appOf(managed))?.instances).toBe(0);
  });

  it('answers 409 while a Marathon deployment locks the app, and force overrides it', async () => {
    // Its task never turns healthy within the long grace period, so the deployment that starts it stays.
    const locked = `${group}/locked`;
    const created = await marathon(
      'POST',
      '/apps',
      plainApp(locked, {
        healthChecks: [
          {
            protocol: 'COMMAND',
            command: { value: 'false' },
            gracePeriodSeconds: 600,
            intervalSeconds: 60,
            maxConsecutiveFailures: 3,
          },
        ],
      }),
    );
    expect(created.status).toBe(201);
    const res = await request(backend.server)
      .post(api(`/apps${locked}/scale`))
      .send({ instances: 2 });
    expect(res.status).toBe(409);
    expect(res.body.error.message).toMatch(/locked by deployment/);
    expect((await appOf(locked))?.instances).toBe(1);

    const forced = await request(backend.server)
      .post(api(`/apps${locked}/destroy`))
      .send({ confirm: locked, force: true });
    expect(forced.status).toBe(202);
    await eventually(async () => {
      expect(await appOf(locked)).toBeUndefined();
    }, 60_000);
  });

  it('destroys it with the app id confirmed', async () => {
    const destroyed = await request(backend.server)
      .post(api(`/apps${plain}/destroy`))
      .send({ confirm: plain });
    expect(destroyed.status).toBe(202);
    expect(destroyed.body).toMatchObject({
      action: 'destroy',
      deploymentId: expect.stringMatching(/.+/),
    });
    expect(destroyed.body.app).toBeUndefined();
    await eventually(async () => {
      expect(await appOf(plain)).toBeUndefined();
    }, 60_000);
  });
});

describe('actions on any Marathon app without the permission', () => {
  let backend: ArchonTestBackend;
  const app = `${group}-denied/app`;

  beforeAll(async () => {
    backend = await startArchonTestBackend({
      label: 'app-actions-denied',
      features: [archonPlugin, archonModuleMarathon],
      zookeeper: false,
      marathon: { url: MARATHON },
      deny: ({ permission }) =>
        permission === 'archon.app.scale' ||
        permission === 'archon.app.destroy',
    });
    const created = await marathon('POST', '/apps', plainApp(app));
    if (created.status !== 201)
      throw new Error(`creating ${app}: ${JSON.stringify(created)}`);
  });

  afterAll(async () => {
    await marathon('DELETE', `/groups${group}-denied?force=true`);
    await backend?.stop();
  });

  it('refuses with 403 naming the permission and changes nothing', async () => {
    const api = (p: string) => `/api/archon/marathon/local/apps${app}${p}`;
    const scale = await request(backend.server)
      .post(api('/scale'))
      .send({ instances: 3 });
    expect(scale.status).toBe(403);
    expect(scale.body.error.message).toMatch(/archon\.app\.scale/);
    const destroy = await request(backend.server)
      .post(api('/destroy'))
      .send({ confirm: app });
    expect(destroy.status).toBe(403);
    expect(destroy.body.error.message).toMatch(/archon\.app\.destroy/);
    expect(await appOf(app)).toMatchObject({ instances: 1 });
  });
});
