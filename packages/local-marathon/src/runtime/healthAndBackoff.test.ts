import {
  httpServerCommand,
  SseClient,
  startTestServer,
  TestServer,
  waitFor,
} from '../__testUtils__/testKit';

jest.setTimeout(180_000);

/** Failing health checks, deployment deadlines, launch back-off and unlaunchable apps. */
describe('health checks, deadlines and the launch queue', () => {
  let server: TestServer;
  let events: SseClient;

  beforeAll(async () => {
    server = await startTestServer({
      portRange: { min: 33300, max: 33499 },
      deploymentTimeoutMs: 6000,
    });
    events = await SseClient.connect(server.url);
  });

  afterAll(async () => {
    events?.close();
    await server?.stop();
  });

  it('fails the deployment when the HTTP health check never passes', async () => {
    const { api } = server;
    const created = await api.post('/v2/apps', {
      id: '/sick',
      cmd: httpServerCommand(500),
      cpus: 0.1,
      mem: 16,
      backoffSeconds: 1,
      healthChecks: [
        {
          protocol: 'HTTP',
          path: '/health',
          gracePeriodSeconds: 0,
          intervalSeconds: 1,
          timeoutSeconds: 1,
          maxConsecutiveFailures: 2,
        },
      ],
    });
    expect(created.status).toBe(201);
    const deploymentId = created.headers.get('marathon-deployment-id')!;

    const unhealthy = await events.waitForEvent(
      e =>
        e.event === 'health_status_changed_event' && e.data.appId === '/sick',
    );
    expect(unhealthy.data).toMatchObject({
      alive: false,
      instanceId: expect.stringMatching(/^sick\.instance-/),
    });
    const killEvent = await events.waitForEvent(
      e =>
        e.event === 'unhealthy_instance_kill_event' && e.data.appId === '/sick',
    );
    expect(killEvent.data.reason).toContain('500');
    expect(
      events.events.some(
        e =>
          e.event === 'failed_health_check_event' && e.data.appId === '/sick',
      ),
    ).toBe(true);

    const failed = await events.waitForEvent(
      e => e.event === 'deployment_failed' && e.data.id === deploymentId,
      60_000,
    );
    expect(failed.data.reason).toMatch(/did not finish within 6s/);
    expect(failed.data.reason).toContain('/sick');
    expect(
      events.events.some(
        e =>
          e.event === 'deployment_step_failure' &&
          e.data.plan.id === deploymentId,
      ),
    ).toBe(true);
    expect(
      (await api.get('/v2/deployments')).body.some(
        (d: any) => d.id === deploymentId,
      ),
    ).toBe(false);

    const app = await api.app('/sick');
    expect(app.lastTaskFailure).toMatchObject({
      appId: '/sick',
      host: '127.0.0.1',
      state: 'TASK_KILLED',
      taskId: expect.stringMatching(/^sick\.instance-/),
      version: app.version,
    });
    expect(app.lastTaskFailure.message).toMatch(/health check failed/i);
    expect(app.lastTaskFailure.message).toContain('500');

    // The app keeps trying, as Marathon does; unhealthy results are visible on tasks.
    const withResults = await waitFor(
      async () => {
        const current = await api.app('/sick');
        return current.tasks.find((t: any) =>
          t.healthCheckResults.some((r: any) => r.alive === false),
        );
      },
      60_000,
      'an unhealthy task',
    );
    expect(withResults.healthCheckResults[0].lastFailureCause).toContain('500');
    await api.delete('/v2/apps/sick');
  });

  it('relaunches crashing tasks with a growing back-off visible in the queue', async () => {
    const { api } = server;
    const created = await api.post('/v2/apps', {
      id: '/crashy',
      cmd: 'echo starting; exit 3',
      cpus: 0.1,
      mem: 16,
      backoffSeconds: 2,
      backoffFactor: 2,
      maxLaunchDelaySeconds: 60,
    });
    expect(created.status).toBe(201);
    const failure = await events.waitForEvent(
      e =>
        e.event === 'status_update_event' &&
        e.data.appId === '/crashy' &&
        e.data.taskStatus === 'TASK_FAILED',
    );
    expect(failure.data.message).toBe('Command exited with status 3');
    const delayed = await waitFor(
      async () => {
        const queue = await api.get('/v2/queue');
        const entry = queue.body.queue.find((q: any) => q.app.id === '/crashy');
        return entry && entry.delay.overdue === false ? entry : undefined;
      },
      30_000,
      'a delayed queue entry',
    );
    expect(delayed).toMatchObject({
      count: 1,
      role: '*',
      since: expect.any(String),
    });
    expect(delayed.delay.timeLeftSeconds).toBeGreaterThanOrEqual(0);
    expect(delayed.processedOffersSummary).toMatchObject({
      processedOffersCount: expect.any(Number),
    });

    const app = await api.app('/crashy');
    expect(app.lastTaskFailure).toMatchObject({
      state: 'TASK_FAILED',
      message: 'Command exited with status 3',
    });

    // Resetting the delay launches again right away.
    const reset = await api.delete('/v2/queue/crashy/delay');
    expect(reset.status).toBe(204);
    const failures = () =>
      events.events.filter(
        e =>
          e.event === 'status_update_event' &&
          e.data.appId === '/crashy' &&
          e.data.taskStatus === 'TASK_FAILED',
      ).length;
    const before = failures();
    await waitFor(
      () => failures() > before,
      30_000,
      'another launch after the reset',
    );
    await api.delete('/v2/apps/crashy');
  });

  it('keeps an image-only app in the queue with a reason and does not finish its deployment', async () => {
    const { api } = server;
    const created = await api.post('/v2/apps', {
      id: '/image-only',
      container: { type: 'DOCKER', docker: { image: 'nginx:1.19' } },
      cpus: 0.1,
      mem: 16,
    });
    expect(created.status).toBe(201);
    const deploymentId = created.headers.get('marathon-deployment-id')!;
    const entry = await waitFor(
      async () => {
        const queue = await api.get('/v2/queue?embed=lastUnusedOffers');
        return queue.body.queue.find(
          (q: any) =>
            q.app.id === '/image-only' &&
            q.processedOffersSummary.unusedOffersCount > 0,
        );
      },
      30_000,
      'queue entry',
    );
    expect(entry).toMatchObject({
      count: 1,
      delay: { timeLeftSeconds: 0, overdue: true },
      role: '*',
    });
    const summary = entry.processedOffersSummary;
    expect(summary.unusedOffersCount).toBe(summary.processedOffersCount);
    expect(summary.rejectSummaryLaunchAttempt).toEqual(
      expect.arrayContaining([
        {
          reason: 'NoDockerRuntime',
          declined: summary.processedOffersCount,
          processed: summary.processedOffersCount,
        },
      ]),
    );
    expect(entry.lastUnusedOffers[0]).toMatchObject({
      reason: ['NoDockerRuntime'],
      offer: { hostname: '127.0.0.1' },
    });
    const deployments = await api.get('/v2/deployments');
    expect(
      deployments.body.find((d: any) => d.id === deploymentId),
    ).toMatchObject({ currentStep: 2, totalSteps: 2 });
    expect((await api.app('/image-only')).tasks).toEqual([]);

    const failed = await events.waitForEvent(
      e => e.event === 'deployment_failed' && e.data.id === deploymentId,
      60_000,
    );
    expect(failed.data.reason).toContain(
      'no Docker runtime on this agent: give cmd or args',
    );
    await api.delete('/v2/apps/image-only');
  });

  it('runs a docker app that gives a command locally', async () => {
    const { api } = server;
    const created = await api.post('/v2/apps', {
      id: '/docker-with-cmd',
      cmd: httpServerCommand(),
      container: {
        type: 'DOCKER',
        docker: { image: 'node:22' },
        portMappings: [{ containerPort: 8080, hostPort: 0, name: 'web' }],
      },
      networks: [{ mode: 'container/bridge' }],
      healthChecks: [
        {
          protocol: 'TCP',
          portIndex: 0,
          intervalSeconds: 1,
          gracePeriodSeconds: 10,
        },
      ],
      cpus: 0.1,
      mem: 16,
    });
    expect(created.status).toBe(201);
    expect(created.body.container.portMappings[0]).toMatchObject({
      containerPort: 8080,
      hostPort: 0,
      servicePort: expect.any(Number),
    });
    expect(created.body.portDefinitions).toBeUndefined();
    await api.waitForDeployments([
      created.headers.get('marathon-deployment-id')!,
    ]);
    const app = await api.app('/docker-with-cmd');
    expect(app.tasksHealthy).toBe(1);
    await api.delete('/v2/apps/docker-with-cmd');
  });

  it('rolls back a running deployment with DELETE /v2/deployments/{id}', async () => {
    const { api } = server;
    const created = await api.post('/v2/apps', {
      id: '/rollback',
      cmd: 'sleep 600',
      cpus: 0.1,
      mem: 16,
      instances: 1,
    });
    await api.waitForDeployments([
      created.headers.get('marathon-deployment-id')!,
    ]);
    // Never healthy: failures inside the grace period are ignored, so it never becomes alive.
    const neverHealthy = [
      {
        protocol: 'COMMAND',
        command: { value: 'false' },
        delaySeconds: 0,
        intervalSeconds: 1,
        gracePeriodSeconds: 300,
      },
    ];
    const stuck = await api.put('/v2/apps/rollback', {
      instances: 2,
      cmd: 'sleep 601',
      healthChecks: neverHealthy,
    });
    expect(stuck.status).toBe(200);
    const rollback = await api.delete(
      `/v2/deployments/${stuck.body.deploymentId}`,
    );
    expect(rollback.status).toBe(200);
    expect(rollback.headers.get('marathon-deployment-id')).toBe(
      rollback.body.deploymentId,
    );
    await api.waitForDeployments([rollback.body.deploymentId]);
    const app = await api.app('/rollback');
    expect(app).toMatchObject({
      instances: 1,
      cmd: 'sleep 600',
      tasksRunning: 1,
    });
    expect(app.healthChecks).toBeUndefined();

    const again = await api.put('/v2/apps/rollback', {
      cmd: 'sleep 602',
      healthChecks: neverHealthy,
    });
    const forced = await api.delete(
      `/v2/deployments/${again.body.deploymentId}?force=true`,
    );
    expect(forced.status).toBe(202);
    expect(forced.text).toBe('');
    await api.delete('/v2/apps/rollback');
  });
});
