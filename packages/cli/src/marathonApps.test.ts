/**
 * `archon apps scale|restart|suspend|destroy` on an app archon did not
 * deploy: bin/archon against a real archon backend with the Marathon module
 * in front of the shared local Marathon, the app created there through
 * Marathon's own REST.
 */
import { randomBytes } from 'node:crypto';
import archonPlugin from '@archon/plugin-archon-backend';
import archonModuleMarathon from '@archon/plugin-archon-marathon';
import {
  eventually,
  marathonRest,
  startArchonTestBackend,
  type ArchonTestBackend,
} from '@archon/test-utils';
import {
  makeCliHome,
  runCli,
  type CliResult,
} from './__testUtils__/cliTestBackend';

jest.setTimeout(180_000);

const MARATHON =
  process.env.ARCHON_TEST_MARATHON_URL ?? 'http://127.0.0.1:8080';
const group = `/cli-actions-${randomBytes(3).toString('hex')}`;
const app = `${group}/plain`;

const marathon = marathonRest(MARATHON);

const marathonApp = async () =>
  (await marathon('GET', `/apps${app}?embed=app.counts`)).body?.app as
    | { instances: number; tasksRunning: number }
    | undefined;

function expectExit(r: CliResult, code: number) {
  if (r.code !== code)
    throw new Error(
      `exited ${r.code}, not ${code}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`,
    );
}

describe('archon apps operations on an app archon did not deploy', () => {
  let backend: ArchonTestBackend;
  let home: string;
  const cli = (args: string[]) =>
    runCli(args, {
      home,
      timeoutMs: 120_000,
      env: { ARCHON_URL: backend.url },
    });

  beforeAll(async () => {
    backend = await startArchonTestBackend({
      label: 'cli-app-actions',
      features: [archonPlugin, archonModuleMarathon],
      zookeeper: false,
      marathon: { url: MARATHON },
    });
    home = makeCliHome();
    const created = await marathon('POST', '/apps', {
      id: app,
      cmd: 'sleep 3600',
      cpus: 0.01,
      mem: 16,
      instances: 1,
    });
    if (created.status !== 201)
      throw new Error(`creating ${app}: ${JSON.stringify(created)}`);
  });

  afterAll(async () => {
    await marathon('DELETE', `/groups${group}?force=true`);
    await backend?.stop();
  });

  it('scales and waits for the deployment Marathon started, restarts without waiting, suspends', async () => {
    const scaled = await cli(['apps', 'scale', app, '2']);
    expectExit(scaled, 0);
    expect(scaled.stdout).toMatch(
      new RegExp(
        `^scale ${app} on local to 2 instances: Marathon's deployment \\S+ is no longer in progress$`,
        'm',
      ),
    );
    expect(await marathonApp()).toMatchObject({ instances: 2 });

    const restarted = await cli([
      'apps',
      'restart',
      app,
      '--no-wait',
      '-o',
      'json',
    ]);
    expectExit(restarted, 0);
    expect(JSON.parse(restarted.stdout)).toMatchObject({
      instance: 'local',
      appId: app,
      action: 'restart',
      deploymentId: expect.stringMatching(/.+/),
    });

    const suspended = await cli(['apps', 'suspend', app]);
    expectExit(suspended, 0);
    await eventually(async () => {
      expect(await marathonApp()).toMatchObject({
        instances: 0,
        tasksRunning: 0,
      });
    }, 60_000);
  });

  it('refuses a count that is no whole number, and an unknown app, in its own terms', async () => {
    const fraction = await cli(['apps', 'scale', app, '1.5']);
    expectExit(fraction, 2);
    expect(fraction.stderr).toContain(
      '<instances> must be an integer >= 0, not "1.5"',
    );
    const unknown = await cli(['apps', 'restart', `${group}/nothing-here`]);
    expectExit(unknown, 3);
    expect(unknown.stderr).toContain(`no app ${group}/nothing-here`);
  });

  it('destroys it only when confirmed', async () => {
    const unconfirmed = await cli(['apps', 'destroy', app]);
    expectExit(unconfirmed, 2);
    expect(await marathonApp()).toBeDefined();

    const destroyed = await cli(['apps', 'destroy', app, '--yes']);
    expectExit(destroyed, 0);
    expect(destroyed.stdout).toMatch(
      new RegExp(`^destroy ${app} on local: Marathon's deployment \\S+`, 'm'),
    );
    await eventually(async () => {
      expect(await marathonApp()).toBeUndefined();
    }, 60_000);
  });
});
