import {
  httpServerCommand,
  readSandboxFile,
  SseClient,
  startTestServer,
  TestServer,
  waitFor,
} from '../__testUtils__/testKit';

jest.setTimeout(180_000);

/** Creating, scaling, restarting, updating and deleting apps that really run. */
describe('app lifecycle against real processes', () => {
  let server: TestServer;
  let events: SseClient;

  beforeAll(async () => {
    server = await startTestServer({ portRange: { min: 33100, max: 33299 } });
    events = await SseClient.connect(server.url);
  });

  afterAll(async () => {
    events?.close();
    await server?.stop();
  });

  const healthCheck = {
    protocol: 'HTTP',
    path: '/',
    portIndex: 0,
    gracePeriodSeconds: 10,
    intervalSeconds: 1,
    timeoutSeconds: 1,
    maxConsecutiveFailures: 3,
  };

  it('creates an app whose tasks run and become healthy', async () => {
    const { api } = server;
    const created = await api.post('/v2/apps', {
      id: 'web',
      cmd: httpServerCommand(),
      instances: 1,
      cpus: 0.1,
      mem: 32,
      portDefinitions: [{ port: 0, name: 'http' }],
      healthChecks: [healthCheck],
    });
    expect(created.status).toBe(201);
    expect(created.headers.get('location')).toBe('/web');
    const deploymentId = created.headers.get('marathon-deployment-id');
    expect(deploymentId).toBeTruthy();
    expect(created.body).toMatchObject({
      id: '/web',
      instances: 1,
      tasksStaged: 0,
      tasksRunning: 0,
      tasksHealthy: 0,
      tasksUnhealthy: 0,
      deployments: [{ id: deploymentId }],
    });
    expect(created.body.portDefinitions[0].port).toBeGreaterThanOrEqual(10000);

    const info = await events.waitForEvent(
      e => e.event === 'deployment_info' && e.data.plan.id === deploymentId,
    );
    expect(info.data.plan).toEqual({
      id: deploymentId,
      version: created.body.version,
      steps: [
        { actions: [{ action: 'StartApplication', app: '/web' }] },
        { actions: [{ action: 'ScaleApplication', app: '/web' }] },
      ],
    });

    await events.waitForEvent(
      e => e.event === 'deployment_success' && e.data.id === deploymentId,
    );
    const app = await api.app('/web');
    expect(app).toMatchObject({
      tasksRunning: 1,
      tasksHealthy: 1,
      tasksUnhealthy: 0,
      deployments: [],
    });
    const task = app.tasks[0];
    expect(task.id).toMatch(/^web\.instance-[0-9a-f-]{36}\._app\.1$/);
    expect(task.state).toBe('TASK_RUNNING');
    expect(task.ports[0]).toBeGreaterThanOrEqual(33100);
    expect(task.healthCheckResults[0]).toMatchObject({
      alive: true,
      consecutiveFailures: 0,
    });

    // The task really serves HTTP on its assigned port.
    const direct = await fetch(`http://127.0.0.1:${task.ports[0]}/`);
    expect(direct.status).toBe(200);

    // The stream told the story: staging -> running, healthy.
    const statuses = events.events
      .filter(
        e => e.event === 'status_update_event' && e.data.taskId === task.id,
      )
      .map(e => e.data.taskStatus);
    expect(statuses).toEqual(
      expect.arrayContaining(['TASK_STAGING', 'TASK_STARTING', 'TASK_RUNNING']),
    );
    const statusEvent = events.events.find(
      e => e.event === 'status_update_event' && e.data.taskId === task.id,
    )!;
    expect(statusEvent.data).toMatchObject({
      appId: '/web',
      host: '127.0.0.1',
      ports: task.ports,
      eventType: 'status_update_event',
    });
    expect(
      events.events.some(
        e => e.event === 'health_status_changed_event' && e.data.alive === true,
      ),
    ).toBe(true);
    expect(
      events.events.some(
        e => e.event === 'api_post_event' && e.data.appDefinition.id === '/web',
      ),
    ).toBe(true);
  });

  it('gives tasks the Marathon environment, readable through the sandbox files API', async () => {
    const { api } = server;
    const created = await api.post('/v2/apps', {
      id: '/env/printer',
      cmd: 'env; sleep 600',
      cpus: 0.1,
      mem: 16,
      portDefinitions: [{ port: 0, name: 'http' }, { port: 0 }],
      labels: { owner: 'zeus', 'team.name': 'olympus' },
      env: { GREETING: 'hello' },
    });
    expect(created.status).toBe(201);
    await api.waitForDeployments([
      created.headers.get('marathon-deployment-id')!,
    ]);
    const app = await api.app('/env/printer');
    const task = app.tasks[0];
    expect(task.id).toMatch(/^env_printer\.instance-/);

    const sandbox = await api.get(`/v2/tasks/${task.id}/sandbox`);
    expect(sandbox.status).toBe(200);
    // The same directory a client finds the Mesos way: agent /state -> executor.directory.
    const agent = await api.get('/state');
    const executor = agent.body.frameworks[0].executors.find(
      (e: any) => e.id === task.id,
    );
    expect(executor.directory).toBe(sandbox.body.directory);
    expect(sandbox.body.directory).toBe(
      `${agent.body.flags.work_dir}/slaves/${task.slaveId}/frameworks/${agent.body.frameworks[0].id}` +
        `/executors/${task.id}/runs/${sandbox.body.containerId}`,
    );
    expect(agent.body.frameworks[0].id).toBe(
      (await api.get('/v2/info')).body.frameworkId,
    );
    const listing = await api.get(
      `/files/browse?path=${encodeURIComponent(sandbox.body.directory)}`,
    );
    expect(listing.status).toBe(200);
    const names = listing.body.map((entry: any) => entry.path.split('/').pop());
    expect(names).toEqual(expect.arrayContaining(['stdout', 'stderr']));
    expect(listing.body[0]).toEqual(
      expect.objectContaining({
        mode: expect.any(String),
        size: expect.any(Number),
        mtime: expect.any(Number),
        nlink: expect.any(Number),
        uid: expect.any(String),
        gid: expect.any(String),
      }),
    );

    const stdoutPath = sandbox.body.files.stdout;
    const stdout = await waitFor(
      async () => {
        const text = await readSandboxFile(api, stdoutPath);
        return text.includes('GREETING=') ? text : undefined;
      },
      30_000,
      'env output',
    );
    const env = Object.fromEntries(
      stdout
        .split('\n')
        .filter(line => /^[A-Z_][A-Z0-9_]*=/.test(line))
        .map(line => [
          line.slice(0, line.indexOf('=')),
          line.slice(line.indexOf('=') + 1),
        ]),
    );
    expect(env).toMatchObject({
      GREETING: 'hello',
      MARATHON_APP_ID: '/env/printer',
      MARATHON_APP_VERSION: app.version,
      MESOS_TASK_ID: task.id,
      HOST: '127.0.0.1',
      PORT0: String(task.ports[0]),
      PORT1: String(task.ports[1]),
      PORT: String(task.ports[0]),
      PORTS: `${task.ports[0]},${task.ports[1]}`,
      PORT_HTTP: String(task.ports[0]),
      MARATHON_APP_LABEL_OWNER: 'zeus',
      MARATHON_APP_LABEL_TEAM_NAME: 'olympus',
      MARATHON_APP_RESOURCE_CPUS: '0.1',
      MARATHON_APP_RESOURCE_MEM: '16.0',
    });
    expect(env.MARATHON_APP_LABELS.split(' ').sort()).toEqual([
      'OWNER',
      'TEAM_NAME',
    ]);

    const size = await api.get(
      `/files/read?path=${encodeURIComponent(stdoutPath)}&offset=-1`,
    );
    expect(size.body).toEqual({ data: '', offset: Buffer.byteLength(stdout) });
    const chunk = await api.get(
      `/files/read?path=${encodeURIComponent(stdoutPath)}&offset=5&length=10`,
    );
    expect(chunk.body).toEqual({ data: stdout.slice(5, 15), offset: 5 });
    const outside = await api.get(
      `/files/read?path=${encodeURIComponent('/etc/hostname')}&offset=0`,
    );
    expect(outside.status).toBe(404);
  });

  it('scales up and down', async () => {
    const { api } = server;
    const up = await api.put('/v2/apps/web', { instances: 3 });
    expect(up.status).toBe(200);
    expect(up.body).toEqual({
      version: expect.any(String),
      deploymentId: up.headers.get('marathon-deployment-id'),
    });
    await api.waitForDeployments([up.body.deploymentId]);
    let app = await api.app('/web');
    expect(app).toMatchObject({
      instances: 3,
      tasksRunning: 3,
      tasksHealthy: 3,
    });
    // Scaling is not a config change.
    expect(app.versionInfo.lastScalingAt).toBe(app.version);
    expect(app.versionInfo.lastConfigChangeAt).not.toBe(app.version);
    const tasksBefore = app.tasks.map((t: any) => t.id);

    const scaleStep = events.events.find(
      e =>
        e.event === 'deployment_info' &&
        e.data.plan.id === up.body.deploymentId,
    );
    expect(scaleStep?.data.currentStep.actions).toEqual([
      { action: 'ScaleApplication', app: '/web' },
    ]);

    const down = await api.patch('/v2/apps/web', { instances: 1 });
    expect(down.status).toBe(200);
    await api.waitForDeployments([down.body.deploymentId]);
    app = await api.app('/web');
    expect(app).toMatchObject({ instances: 1, tasksRunning: 1 });
    expect(tasksBefore).toContain(app.tasks[0].id);
    expect(
      events.events.some(
        e =>
          e.event === 'status_update_event' &&
          e.data.taskStatus === 'TASK_KILLED',
      ),
    ).toBe(true);
  });

  it('restarts with a new deployment that replaces every task', async () => {
    const { api } = server;
    await api
      .put('/v2/apps/web', { instances: 2 })
      .then(r => api.waitForDeployments([r.body.deploymentId]));
    const before = (await api.app('/web')).tasks.map((t: any) => t.id);
    const restart = await api.post('/v2/apps/web/restart');
    expect(restart.status).toBe(200);
    expect(restart.headers.get('marathon-deployment-id')).toBe(
      restart.body.deploymentId,
    );
    const info = await events.waitForEvent(
      e =>
        e.event === 'deployment_info' &&
        e.data.plan.id === restart.body.deploymentId,
    );
    expect(info.data.plan.steps).toEqual([
      { actions: [{ action: 'RestartApplication', app: '/web' }] },
    ]);
    await api.waitForDeployments([restart.body.deploymentId]);
    const app = await api.app('/web');
    const after = app.tasks.map((t: any) => t.id);
    expect(after).toHaveLength(2);
    expect(after.filter((id: string) => before.includes(id))).toEqual([]);
    expect(app.tasks.every((t: any) => t.version === app.version)).toBe(true);
    expect(app.versionInfo.lastConfigChangeAt).toBe(app.version);
    expect(app.tasksHealthy).toBe(2);
  });

  it('rejects a concurrent change with 409 and accepts it with force=true', async () => {
    const { api } = server;
    // A deployment that cannot finish quickly: the new version never becomes healthy.
    const slow = await api.put('/v2/apps/web', { cmd: 'sleep 600' });
    expect(slow.status).toBe(200);
    const locked = await api.put('/v2/apps/web', { instances: 5 });
    expect(locked.status).toBe(409);
    expect(locked.body).toEqual({
      message:
        "App is locked by one or more deployments. Override with the option '?force=true'. " +
        "View details at '/v2/deployments/<DEPLOYMENT_ID>'.",
      deployments: [{ id: slow.body.deploymentId }],
    });
    const appDuringDeployment = await api.app('/web');
    expect(appDuringDeployment.deployments).toEqual([
      { id: slow.body.deploymentId },
    ]);
    const running = (await api.get('/v2/deployments')).body.find(
      (d: any) => d.id === slow.body.deploymentId,
    );
    expect(running).toEqual({
      id: slow.body.deploymentId,
      version: slow.body.version,
      affectedApps: ['/web'],
      affectedPods: [],
      steps: [{ actions: [{ action: 'RestartApplication', app: '/web' }] }],
      currentActions: [
        {
          action: 'RestartApplication',
          app: '/web',
          readinessCheckResults: [],
        },
      ],
      currentStep: 1,
      totalSteps: 1,
    });

    const forced = await api.put('/v2/apps/web?force=true', {
      cmd: httpServerCommand(),
    });
    expect(forced.status).toBe(200);
    const cancelled = await events.waitForEvent(
      e =>
        e.event === 'deployment_failed' && e.data.id === slow.body.deploymentId,
    );
    expect(cancelled.data.plan.id).toBe(slow.body.deploymentId);
    await api.waitForDeployments([forced.body.deploymentId]);
    const app = await api.app('/web');
    expect(app.cmd).toBe(httpServerCommand());
    expect(app.tasksHealthy).toBe(2);
    expect(app.tasks).toHaveLength(2);
  });

  it('lists versions and restores an old one', async () => {
    const { api } = server;
    const versions = await api.get('/v2/apps/web/versions');
    expect(versions.status).toBe(200);
    expect(versions.body.versions.length).toBeGreaterThanOrEqual(5);
    const oldest = [...versions.body.versions].sort()[0];
    const old = await api.get(`/v2/apps/web/versions/${oldest}`);
    expect(old.status).toBe(200);
    expect(old.body).toMatchObject({
      id: '/web',
      instances: 1,
      version: oldest,
    });
    expect(old.body.tasks).toBeUndefined();

    const restore = await api.put('/v2/apps/web', { version: oldest });
    expect(restore.status).toBe(200);
    await api.waitForDeployments([restore.body.deploymentId]);
    const app = await api.app('/web');
    expect(app.instances).toBe(1);
    expect(app.version).toBe(restore.body.version);
    expect(app.tasksRunning).toBe(1);

    const mixed = await api.put('/v2/apps/web', {
      version: oldest,
      cmd: 'sleep 1',
    });
    expect(mixed.status).toBe(422);
    expect(mixed.body).toEqual({
      message: 'Object is not valid',
      details: [
        {
          path: '/',
          errors: [
            "The 'version' field may only be combined with the 'id' field.",
          ],
        },
      ],
    });
    const missing = await api.get(
      '/v2/apps/web/versions/2001-01-01T00:00:00.000Z',
    );
    expect(missing.status).toBe(404);
    expect(missing.body.message).toBe(
      "App '/web' does not exist in version 2001-01-01T00:00:00.000Z",
    );
  });

  it('kills a task and scales down with scale=true', async () => {
    const { api } = server;
    await api
      .put('/v2/apps/web', { instances: 2 })
      .then(r => api.waitForDeployments([r.body.deploymentId]));
    const [victim] = (await api.app('/web')).tasks;
    const killed = await api.delete(
      `/v2/apps/web/tasks/${victim.id}?scale=true`,
    );
    expect(killed.status).toBe(200);
    expect(killed.body.deploymentId).toBeTruthy();
    await api.waitForDeployments([killed.body.deploymentId]);
    const app = await api.app('/web');
    expect(app.instances).toBe(1);
    expect(app.tasks.map((t: any) => t.id)).not.toContain(victim.id);

    // Without scale the task is replaced.
    const [other] = app.tasks;
    const replaced = await api.delete(`/v2/apps/web/tasks/${other.id}`);
    expect(replaced.status).toBe(200);
    expect(replaced.body.task.id).toBe(other.id);
    await waitFor(
      async () => {
        const current = await api.app('/web');
        return (
          current.tasks.length === 1 &&
          current.tasks[0].id !== other.id &&
          current.tasksHealthy === 1
        );
      },
      60_000,
      'replacement task',
    );
  });

  it('answers with Marathon 404 messages', async () => {
    const { api } = server;
    expect((await api.get('/v2/apps/nope')).body).toEqual({
      message: "App '/nope' does not exist",
    });
    expect((await api.get('/v2/apps/nope')).status).toBe(404);
    expect((await api.get('/v2/apps/nope/tasks')).status).toBe(404);
    expect((await api.delete('/v2/apps/nope')).body).toEqual({
      message: "App '/nope' does not exist",
    });
    expect((await api.post('/v2/apps/nope/restart')).status).toBe(404);
    const task = await api.delete(
      '/v2/apps/web/tasks/web.instance-00000000-0000-0000-0000-000000000000._app.1',
    );
    expect(task).toMatchObject({
      status: 404,
      body: {
        message:
          "Task 'web.instance-00000000-0000-0000-0000-000000000000._app.1' does not exist",
      },
    });
    expect((await api.get('/v2/groups/nope')).body).toEqual({
      message: "Group '/nope' does not exist",
    });
    expect((await api.delete('/v2/deployments/abc')).body).toEqual({
      message: 'DeploymentPlan abc does not exist',
    });
    expect((await api.delete('/v2/queue/nope/delay')).status).toBe(404);
    const duplicate = await api.post('/v2/apps', {
      id: '/web',
      cmd: 'sleep 10',
    });
    expect(duplicate).toMatchObject({
      status: 409,
      body: { message: 'An app with id [/web] already exists.' },
    });
  });

  it('derives groups from app ids and deletes groups', async () => {
    const { api } = server;
    const root = await api.get('/v2/groups');
    expect(root.status).toBe(200);
    expect(root.body.id).toBe('/');
    expect(root.body.apps.map((a: any) => a.id)).toContain('/web');
    const envGroup = root.body.groups.find((g: any) => g.id === '/env');
    expect(envGroup.apps.map((a: any) => a.id)).toEqual(['/env/printer']);
    const single = await api.get('/v2/groups/env');
    expect(single.body.apps[0].id).toBe('/env/printer');

    const deleted = await api.delete('/v2/groups/env');
    expect(deleted.status).toBe(200);
    await events.waitForEvent(
      e =>
        e.event === 'app_terminated_event' && e.data.appId === '/env/printer',
    );
    await api.waitForDeployments([deleted.body.deploymentId]);
    expect((await api.get('/v2/groups/env')).status).toBe(404);
    expect((await api.get('/v2/apps/env/printer')).status).toBe(404);
  });

  it('filters the app list and embeds tasks', async () => {
    const { api } = server;
    await api
      .post('/v2/apps', {
        id: '/labelled',
        cmd: 'sleep 600',
        cpus: 0.1,
        mem: 16,
        labels: { tier: 'backend', env: 'prod' },
      })
      .then(r =>
        api.waitForDeployments([r.headers.get('marathon-deployment-id')!]),
      );
    const byLabel = await api.get(
      `/v2/apps?label=${encodeURIComponent(
        'tier==backend,env in (prod, stage)',
      )}`,
    );
    expect(byLabel.body.apps.map((a: any) => a.id)).toEqual(['/labelled']);
    const byId = await api.get('/v2/apps?id=web');
    expect(byId.body.apps.map((a: any) => a.id)).toEqual(['/web']);
    const embedded = await api.get(
      '/v2/apps?embed=apps.tasks&embed=apps.lastTaskFailure&embed=apps.readiness',
    );
    const web = embedded.body.apps.find((a: any) => a.id === '/web');
    expect(web.tasks).toHaveLength(1);
    expect(web.readinessCheckResults).toEqual([]);
    expect(web.tasksRunning).toBe(1);
    const plain = await api.get('/v2/apps');
    expect(plain.body.apps[0].tasks).toBeUndefined();
    expect(plain.body.apps[0].deployments).toEqual([]);

    const tasks = await api.get('/v2/tasks?status=running');
    expect(tasks.body.tasks.map((t: any) => t.appId)).toEqual(
      expect.arrayContaining(['/web', '/labelled']),
    );
    const text = await api.get('/v2/apps/web/tasks', { Accept: 'text/plain' });
    expect(text.text).toMatch(/^web\t\d+\t127\.0\.0\.1:\d+/);
  });

  it('filters the event stream by event_type', async () => {
    const filtered = await SseClient.connect(
      server.url,
      '?event_type=deployment_success',
    );
    try {
      const restart = await server.api.post('/v2/apps/labelled/restart');
      await filtered.waitForEvent(
        e =>
          e.event === 'deployment_success' &&
          e.data.id === restart.body.deploymentId,
      );
      expect(new Set(filtered.events.map(e => e.event))).toEqual(
        new Set(['deployment_success']),
      );
    } finally {
      filtered.close();
    }
    const rejected = await fetch(`${server.url}/v2/events`);
    expect(rejected.status).toBe(405);
  });

  it('deletes an app and emits app_terminated_event', async () => {
    const { api } = server;
    const deleted = await api.delete('/v2/apps/labelled');
    expect(deleted.status).toBe(200);
    await events.waitForEvent(
      e => e.event === 'app_terminated_event' && e.data.appId === '/labelled',
    );
    await api.waitForDeployments([deleted.body.deploymentId]);
    expect((await api.get('/v2/apps/labelled')).status).toBe(404);
    expect(
      (await api.get('/v2/tasks')).body.tasks.some(
        (t: any) => t.appId === '/labelled',
      ),
    ).toBe(false);
  });
});
