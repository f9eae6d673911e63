import request from 'supertest';
import {
  envServerCommand,
  startHarness,
  waitFor,
  type Harness,
} from '../__testUtils__/harness';

jest.setTimeout(180_000);

/**
 * A deploy's outcome tells the truth (issue #13): on a private local
 * Marathon that really runs the apps, a crash-looping app fails with its
 * stderr, an app that dies soon after starting fails inside the settle
 * window, an app whose health check fails fails after its grace period,
 * and only a healthy app succeeds.
 */
describe('deploy outcomes', () => {
  let h: Harness;

  beforeAll(async () => {
    // A settle window long enough to see the "crashes after 2 s" app die in it.
    h = await startHarness({
      label: 'outcome',
      deploymentTimeoutMs: 60_000,
      deploy: { settleSeconds: 4, crashLoopFailures: 3 },
    });
    const base = {
      'marathon.cpus': '0.1',
      'marathon.mem': '64',
      'marathon.backoffSeconds': '1',
      'marathon.backoffFactor': '1',
      'marathon.taskKillGracePeriodSeconds': '1',
    };
    const writes = [
      await h.put('/outcome/crash', {
        ...base,
        'marathon.cmd': 'echo starting; echo "boom" >&2; exit 3',
      }),
      await h.put('/outcome/late', {
        ...base,
        'marathon.cmd': 'sleep 2; echo "late boom" >&2; exit 4',
      }),
      await h.put('/outcome/sick', {
        ...base,
        'marathon.cmd': envServerCommand(),
        'marathon.env.HEALTH_STATUS': '500',
        'marathon.ports': 'http',
        'marathon.healthCheck.path': '/health',
        'marathon.healthCheck.gracePeriodSeconds': '1',
        'marathon.healthCheck.intervalSeconds': '1',
        'marathon.healthCheck.timeoutSeconds': '1',
        'marathon.healthCheck.maxConsecutiveFailures': '2',
      }),
      await h.put('/outcome/fine', { ...base, 'marathon.cmd': 'sleep 600' }),
      // Never healthy, never killed for it: only a timeout or a cancel ends its deploy.
      await h.put('/outcome/stuck', {
        ...base,
        'marathon.cmd': envServerCommand(),
        'marathon.env.HEALTH_STATUS': '503',
        'marathon.ports': 'http',
        'marathon.healthCheck.path': '/health',
        'marathon.healthCheck.gracePeriodSeconds': '1',
        'marathon.healthCheck.intervalSeconds': '1',
        'marathon.healthCheck.maxConsecutiveFailures': '1000',
      }),
    ];
    if (writes.some(w => w.status !== 200))
      throw new Error(
        `writing the configuration failed: ${JSON.stringify(
          writes.map(w => w.body),
        )}`,
      );
  });

  afterAll(async () => {
    await h?.stop();
  });

  const deployAndWait = async (configPath: string) => {
    const started = Date.now();
    const res = await request(h.server)
      .post(h.api('/deployments'))
      .send({ configPath, instance: 'local', wait: true, timeoutSeconds: 90 });
    return { res, seconds: (Date.now() - started) / 1000 };
  };

  it('a crash-looping app (exit 3) fails at its first crash, naming its exit status and stderr', async () => {
    const { res, seconds } = await deployAndWait('/outcome/crash');
    expect(res.body).toMatchObject({
      status: 'failed',
      outcome: { result: 'failed' },
    });
    // Marathon calls a task without health checks deployed once it runs, so the crash lands in the settle window.
    expect(res.body.outcome.reason).toMatch(/crash loop|settle window/);
    expect(res.body.outcome.reason).toMatch(/exited with status 3/);
    expect(res.body.outcome.reason).toMatch(/last stderr: "boom"/);
    expect(res.body.outcome.details.lastFailure).toMatchObject({
      state: 'TASK_FAILED',
      exitStatus: 3,
      stderr: 'boom',
    });
    // Well before the 90 s timeout.
    expect(seconds).toBeLessThan(45);
    const release = await request(h.server).get(
      h.api(`/releases/${res.body.id}`),
    );
    expect(release.body).toMatchObject({
      status: 'failed',
      outcome: expect.objectContaining({ result: 'failed' }),
    });
  });

  it('keeps the crashed tasks: listed as terminated with exit status, their stderr served by the task-logs route', async () => {
    const list = await request(h.server).get(
      h.api(
        '/marathon/local/apps/outcome/crash/tasks?state=terminated&limit=2',
      ),
    );
    expect(list.status).toBe(200);
    expect(list.body.items.length).toBeGreaterThanOrEqual(1);
    expect(list.body.items.length).toBeLessThanOrEqual(2);
    expect(list.body.items[0]).toMatchObject({
      appId: '/outcome/crash',
      state: 'TASK_FAILED',
      exitStatus: 3,
      message: 'Command exited with status 3',
    });
    const running = await request(h.server).get(
      h.api('/marathon/local/apps/outcome/crash/tasks'),
    );
    expect(running.body.items.map((t: { id: string }) => t.id)).not.toContain(
      list.body.items[0].id,
    );
    const log = await request(h.server).get(
      h.api(
        `/marathon/local/apps/outcome/crash/tasks/${list.body.items[0].id}/logs?file=stderr`,
      ),
    );
    expect(log.status).toBe(200);
    expect(log.body.data).toBe('boom\n');
  });

  it('an app that dies 2 s after starting fails inside the settle window', async () => {
    const { res } = await deployAndWait('/outcome/late');
    expect(res.body.status).toBe('failed');
    expect(res.body.outcome.reason).toMatch(/settle window/);
    expect(res.body.outcome.reason).toMatch(/exited with status 4/);
    expect(res.body.outcome.reason).toMatch(/late boom/);
  });

  it('an app whose HTTP health check fails fails after its grace period', async () => {
    const { res } = await deployAndWait('/outcome/sick');
    expect(res.body.status).toBe('failed');
    expect(res.body.outcome.reason).toMatch(
      /health checks failed past their grace period/,
    );
    expect(res.body.outcome.details.lastFailure).toMatchObject({
      healthKill: true,
    });
  });

  it('a healthy app succeeds only after staying up through the settle window', async () => {
    const { res, seconds } = await deployAndWait('/outcome/fine');
    expect(res.body).toMatchObject({
      status: 'succeeded',
      outcome: { result: 'succeeded' },
    });
    expect(res.body.outcome.reason).toMatch(
      /1 of 1 instance\(s\) running through the 4 s settle window/,
    );
    expect(seconds).toBeGreaterThanOrEqual(4);
    const status = await waitFor(
      async () => {
        const s = await request(h.server).get(
          h.api('/apps/status?instance=local&configPath=/outcome/fine'),
        );
        return s.body.state === 'running' ? s.body : undefined;
      },
      10_000,
      'the app to show as running',
    );
    expect(status).toMatchObject({ running: 1, instances: 1 });
  });

  it('a timeout names the Marathon deployment still running; cancelling it afterwards leaves a coherent status', async () => {
    const res = await request(h.server).post(h.api('/deployments')).send({
      configPath: '/outcome/stuck',
      instance: 'local',
      wait: true,
      timeoutSeconds: 2,
    });
    expect(res.body).toMatchObject({
      status: 'timeout',
      outcome: { result: 'timeout' },
    });
    const deploymentId = res.body.ref.deploymentId as string;
    expect(res.body.outcome.reason).toContain(
      `Marathon deployment ${deploymentId} had not finished`,
    );
    const status = await request(h.server).get(
      h.api('/apps/status?instance=local&configPath=/outcome/stuck'),
    );
    expect(status.body).toMatchObject({
      state: 'deploying',
      deployments: [deploymentId],
    });

    const cancel = await request(h.server)
      .post(h.api(`/deployments/${res.body.id}/cancel`))
      .send({});
    expect(cancel.status).toBe(200);
    expect(cancel.body).toMatchObject({
      id: res.body.id,
      status: 'timeout',
      force: false,
      ref: { deploymentId },
      cancelledBy: expect.any(String),
    });
    // Marathon rolls a new app back by removing it: then it is missing, and nothing is left to cancel.
    const after = await waitFor(
      async () => {
        const s = await request(h.server).get(
          h.api('/apps/status?instance=local&configPath=/outcome/stuck'),
        );
        return s.body.deployments.length === 0 ? s.body : undefined;
      },
      30_000,
      'the rollback to finish',
    );
    expect(after.state).toBe('missing');
    const again = await request(h.server)
      .post(h.api(`/deployments/${res.body.id}/cancel`))
      .send({});
    expect(again.status).toBe(409);
    expect(again.body.error.message).toMatch(/not running any more/);
  });

  it('cancelling a running deploy ends it failed, naming who cancelled it', async () => {
    const accepted = await request(h.server)
      .post(h.api('/deployments'))
      .send({ configPath: '/outcome/stuck', instance: 'local' });
    expect(accepted.status).toBe(202);
    const cancel = await request(h.server)
      .post(h.api(`/deployments/${accepted.body.id}/cancel`))
      .send({ force: true });
    expect(cancel.status).toBe(200);
    expect(cancel.body).toMatchObject({ status: 'running', force: true });
    const ended = await waitFor(
      async () => {
        const flow = await request(h.server).get(
          h.api(`/deployments/${accepted.body.id}`),
        );
        return flow.body.status !== 'running' ? flow.body : undefined;
      },
      30_000,
      'the cancelled deploy to end',
    );
    expect(ended.status).toBe('failed');
    expect(ended.outcome.reason).toMatch(/^cancelled by /);
    const audit = await request(h.server).get(
      h.api('/audit?action=deployment-cancel'),
    );
    expect(audit.status).toBe(200);
    expect(JSON.stringify(audit.body.items)).toContain(accepted.body.id);
  });
});
