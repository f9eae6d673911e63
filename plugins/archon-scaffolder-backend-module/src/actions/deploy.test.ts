import {
  DENIED_USER,
  TEST_USER,
  newRun,
  runAction,
  useArchonScaffolderTestBackend,
} from '../__testUtils__/archonScaffolderTestBackend';

jest.setTimeout(120_000);

const backend = useArchonScaffolderTestBackend('deploy');

const deploy = () => backend().actions.get('archon:deploy')!;
const writeConfig = () => backend().actions.get('archon:config:write')!;

// A process that stays up until Marathon stops it.
const LONG_RUNNING = `exec '${process.execPath}' -e "setInterval(() => {}, 1000)"`;

// An HTTP server on $PORT0 whose health check always answers 500.
const UNHEALTHY = {
  'marathon.cmd': `exec '${process.execPath}' -e "require('http').createServer((q, s) => { s.statusCode = 500; s.end(); }).listen(Number(process.env.PORT0), '127.0.0.1')"`,
  'marathon.mem': '64',
  'marathon.ports': 'http',
  'marathon.healthCheck.path': '/',
  'marathon.healthCheck.gracePeriodSeconds': '1',
  'marathon.healthCheck.intervalSeconds': '1',
  'marathon.healthCheck.timeoutSeconds': '1',
  'marathon.healthCheck.maxConsecutiveFailures': '1',
};

async function marathonApp(appId: string) {
  const res = await fetch(`${backend().marathon.url}/v2/apps${appId}`);
  return { status: res.status, body: (await res.json()) as any };
}

// startTestBackend stops the backend in its own afterAll, so apps are
// destroyed inside the tests.
async function destroy(configPath: string) {
  const res = await backend().api('/apps/destroy', {
    method: 'POST',
    body: JSON.stringify({
      configPath,
      instance: 'local',
      confirm: configPath,
      // A deploy that failed fast (crash loop, health checks) may leave Marathon still deploying.
      force: true,
      wait: true,
    }),
  });
  expect(res.status).toBeLessThan(300);
}

describe('archon:deploy', () => {
  it('deploys to the local Marathon as the initiator, outputs release and app id, and the app runs', async () => {
    const configPath = '/team-a/orders/runner';
    await runAction(
      writeConfig(),
      {
        path: configPath,
        properties: {
          'marathon.cmd': LONG_RUNNING,
          'marathon.instances': '1',
          'marathon.mem': '64',
        },
      },
      newRun(),
    );
    const run = newRun();
    try {
      await runAction(deploy(), { configPath, target: 'local' }, run);
      expect(run.outputs).toMatchObject({
        appId: '/team-a/orders/runner',
        status: 'succeeded',
      });
      expect(run.outputs.releaseId).toEqual(expect.any(String));

      const app = await marathonApp('/team-a/orders/runner');
      expect(app.body.app.tasksRunning).toBe(1);
      expect(app.body.app.labels.ARCHON_RELEASE).toBe(run.outputs.releaseId);

      // archon recorded the template's user, not the scaffolder, as the actor.
      const flow = (await (
        await backend().api(`/deployments/${run.outputs.deploymentId}`)
      ).json()) as any;
      expect(flow.actor).toBe(TEST_USER);
    } finally {
      await destroy(configPath);
    }
  });

  it("fails the task with the deploy's error when the app never turns healthy", async () => {
    const configPath = '/team-a/orders/crasher';
    await runAction(
      writeConfig(),
      {
        path: configPath,
        properties: UNHEALTHY,
      },
      newRun(),
    );
    const run = newRun();
    try {
      await expect(
        runAction(
          deploy(),
          { configPath, target: 'local', timeoutSeconds: 60 },
          run,
        ),
      ).rejects.toThrow(
        new RegExp(
          `^deploy \\S+ of ${configPath} to local failed: .*(health|unhealthy|500)`,
        ),
      );
      // The release is still an output, so the task page can link to it.
      expect(run.outputs.releaseId).toEqual(expect.any(String));
      expect(run.outputs.status).toBe('failed');
    } finally {
      await destroy(configPath);
    }
  });

  it('fails the task of a crash-looping app (exit 3) with its exit status and stderr', async () => {
    const configPath = '/team-a/orders/looper';
    await runAction(
      writeConfig(),
      {
        path: configPath,
        properties: {
          'marathon.cmd': 'echo "boom" >&2; exit 3',
          'marathon.mem': '32',
          'marathon.backoffSeconds': '1',
          'marathon.backoffFactor': '1',
        },
      },
      newRun(),
    );
    const run = newRun();
    try {
      await expect(
        runAction(
          deploy(),
          { configPath, target: 'local', timeoutSeconds: 60 },
          run,
        ),
      ).rejects.toThrow(/failed: .*exited with status 3.*last stderr: "boom"/);
      expect(run.outputs.status).toBe('failed');
    } finally {
      await destroy(configPath);
    }
  });

  it("surfaces the API's 422 for a configuration Marathon cannot run, and ships nothing", async () => {
    const configPath = '/team-a/orders/typo';
    await runAction(
      writeConfig(),
      {
        path: configPath,
        properties: { 'marathon.cmd': LONG_RUNNING, 'marathon.bogus': '1' },
      },
      newRun(),
    );
    await expect(
      runAction(deploy(), { configPath, target: 'local' }, newRun()),
    ).rejects.toThrow(/^archon answered 422: .*marathon\.bogus/);
    expect((await marathonApp('/team-a/orders/typo')).status).toBe(404);
  });

  it('fails with the 403 message for a user the policy denies, and ships nothing', async () => {
    const configPath = '/team-a/orders/denied';
    await runAction(
      writeConfig(),
      { path: configPath, properties: { 'marathon.cmd': LONG_RUNNING } },
      newRun(),
    );
    await expect(
      runAction(
        deploy(),
        { configPath, target: 'local' },
        newRun(),
        DENIED_USER,
      ),
    ).rejects.toThrow(/^archon answered 403: .*archon\.app\.deploy/);
    expect((await marathonApp('/team-a/orders/denied')).status).toBe(404);
  });

  it('rejects a bad configuration path before calling archon', async () => {
    await expect(
      runAction(
        deploy(),
        { configPath: '/team a/x', target: 'local' },
        newRun(),
      ),
    ).rejects.toThrow(
      'segment "team a" must be one or more of A-Z a-z 0-9 _ -',
    );
  });
});
