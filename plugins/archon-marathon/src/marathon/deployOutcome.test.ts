import request from 'supertest';
import { envServerCommand, startHarness, waitFor, type Harness } from '../__testUtils__/harness';

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
    h = await startHarness({ label: 'outcome', deploymentTimeoutMs: 60_000, deploy: { settleSeconds: 4, crashLoopFailures: 3 } });
    const base = {
      'marathon.cpus': '0.1',
      'marathon.mem': '64',
      'marathon.backoffSeconds': '1',
      'marathon.backoffFactor': '1',
      'marathon.taskKillGracePeriodSeconds': '1',
    };
    const writes = [
      await h.put('/outcome/crash', { ...base, 'marathon.cmd': 'echo starting; echo "boom" >&2; exit 3' }),
      await h.put('/outcome/late', { ...base, 'marathon.cmd': 'sleep 2; echo "late boom" >&2; exit 4' }),
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
    ];
    if (writes.some(w => w.status !== 200)) throw new Error(`writing the configuration failed: ${JSON.stringify(writes.map(w => w.body))}`);
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
    expect(res.body).toMatchObject({ status: 'failed', outcome: { result: 'failed' } });
    // Marathon calls a task without health checks deployed once it runs, so the crash lands in the settle window.
    expect(res.body.outcome.reason).toMatch(/crash loop|settle window/);
    expect(res.body.outcome.reason).toMatch(/exited with status 3/);
    expect(res.body.outcome.reason).toMatch(/last stderr: "boom"/);
    expect(res.body.outcome.details.lastFailure).toMatchObject({ state: 'TASK_FAILED', exitStatus: 3, stderr: 'boom' });
    // Well before the 90 s timeout.
    expect(seconds).toBeLessThan(45);
    const release = await request(h.server).get(h.api(`/releases/${res.body.id}`));
    expect(release.body).toMatchObject({ status: 'failed', outcome: expect.objectContaining({ result: 'failed' }) });
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
    expect(res.body.outcome.reason).toMatch(/health checks failed past their grace period/);
    expect(res.body.outcome.details.lastFailure).toMatchObject({ healthKill: true });
  });

  it('a healthy app succeeds only after staying up through the settle window', async () => {
    const { res, seconds } = await deployAndWait('/outcome/fine');
    expect(res.body).toMatchObject({ status: 'succeeded', outcome: { result: 'succeeded' } });
    expect(res.body.outcome.reason).toMatch(/1 of 1 instance\(s\) running through the 4 s settle window/);
    expect(seconds).toBeGreaterThanOrEqual(4);
    const status = await waitFor(async () => {
      const s = await request(h.server).get(h.api('/apps/status?instance=local&configPath=/outcome/fine'));
      return s.body.state === 'running' ? s.body : undefined;
    }, 10_000, 'the app to show as running');
    expect(status).toMatchObject({ running: 1, instances: 1 });
  });
});
