/**
 * Deploys and app operations through the CLI against a real archon backend
 * with the Marathon module and a private local Marathon (the setup is in
 * __testUtils__/deploySuite.ts).
 */
import {
  cli,
  expectExit,
  json,
  path,
  runningEnv,
  useDeployBackend,
} from './__testUtils__/deploySuite';

jest.setTimeout(240_000);

useDeployBackend();

describe('deploy, releases, rollback', () => {
  const releases: string[] = [];

  it('deploy --dry-run shows the app definition and configuration to ship, deploying nothing', async () => {
    const r = await cli(['deploy', path, '--dry-run']);
    expectExit(r, 0);
    expect(r.stdout).toContain(
      `${path} → /foo/bar/service-1 on local (marathon)`,
    );
    expect(r.stdout).toContain('the app does not exist yet');
    expect(r.stdout).toMatch(/^ {2}\+ env\.X = 6$/m);
    expect(r.stdout).toMatch(/^ {2}\+ env\.S = 3$/m);
    expect(r.stdout).toContain(
      'Configuration (never deployed: everything is new)',
    );
    expect(r.stdout).toMatch(/^ {2}\+ w = 4 {2}\(\/foo\/bar\/service-1\)$/m);

    const plan = await json(['deploy', path, '--dry-run']);
    expect(plan).toMatchObject({
      dryRun: true,
      exists: false,
      workloadId: '/foo/bar/service-1',
    });
    expect(plan.definition.env).toEqual({
      X: '6',
      Y: '2',
      Z: '3',
      W: '4',
      S: '3',
    });
    expect((await json(['releases', path])).items).toEqual([]);
    // Not deployed: missing, which is not running as wanted (9).
    const missing = await cli(['apps', 'status', path]);
    expectExit(missing, 9);
    expect(missing.stderr).toMatch(/^error: missing: no app/m);
  });

  it('deploy follows the progress live and exits 0 once the app is healthy', async () => {
    const r = await cli(['deploy', path]);
    expectExit(r, 0);
    const lines = r.stdout.split('\n');
    // Accepted, then Marathon's steps and task events, then the outcome: in that order.
    const accepted = lines.findIndex(l =>
      /^deploy rel-\S+: \/foo\/bar\/service-1 → \/foo\/bar\/service-1 on local$/.test(
        l,
      ),
    );
    const running = lines.findIndex(l =>
      /^\d\d:\d\d:\d\d {2}Task \S+ TASK_RUNNING on 127\.0\.0\.1:\d+$/.test(l),
    );
    const healthy = lines.findIndex(l => / is healthy$/.test(l));
    const done = lines.findIndex(l =>
      /^✓ deploy rel-\S+ succeeded: \/foo\/bar\/service-1 on local \(1\/1 healthy, 1 running\)$/.test(
        l,
      ),
    );
    expect(accepted).toBeGreaterThanOrEqual(0);
    expect(running).toBeGreaterThan(accepted);
    expect(healthy).toBeGreaterThan(running);
    expect(done).toBeGreaterThan(healthy);
    releases.push(/^deploy (rel-\S+):/.exec(lines[accepted])![1]);

    expect(await runningEnv(path)).toMatchObject({
      X: '6',
      Y: '2',
      Z: '3',
      W: '4',
      S: '3',
    });
  });

  it('a configuration edit shows as pending in the dry run; deploying it makes a second release', async () => {
    expectExit(await cli(['config', 'set', path, 'x=7']), 0);
    const dry = await cli(['deploy', path, '--dry-run']);
    expect(dry.stdout).toContain('the app exists');
    expect(dry.stdout).toMatch(/^ {2}~ env\.X: 6 → 7$/m);
    expect(dry.stdout).toContain(`Configuration since release ${releases[0]}`);
    expect(dry.stdout).toMatch(/^ {2}~ x: 6 → 7/m);

    // -o json: one document on stdout (the finished deploy with its progress), steps on stderr.
    const flow = await json(['deploy', path]);
    expect(flow).toMatchObject({
      kind: 'deploy',
      status: 'succeeded',
      configPath: path,
      outcome: { result: 'succeeded' },
    });
    expect(
      flow.progress.some((p: { message: string }) =>
        /TASK_RUNNING/.test(p.message),
      ),
    ).toBe(true);
    releases.push(flow.id);
    expect(await runningEnv(path)).toMatchObject({ X: '7' });

    const listed = await cli(['releases', path]);
    expectExit(listed, 0);
    // The one running is live; the one it replaced is superseded.
    expect(listed.stdout).toMatch(
      new RegExp(`^${releases[1]}\\s+live\\s+local\\s`, 'm'),
    );
    expect(listed.stdout).toMatch(
      new RegExp(`^${releases[0]}\\s+superseded\\s+local\\s`, 'm'),
    );
    expect(
      (await json(['releases', 'ls', path])).items.map(
        (i: { id: string }) => i.id,
      ),
    ).toEqual([releases[1], releases[0]]);

    const diff = await cli(['releases', 'diff', releases[0], releases[1]]);
    expectExit(diff, 0);
    expect(diff.stdout).toMatch(/^~ x: 6 → 7/m);
    const shown = await json(['releases', 'show', releases[0]]);
    expect(shown).toMatchObject({
      id: releases[0],
      status: 'deployed',
      properties: { x: '6', s: '3' },
    });
  });

  it('rollback (default: the deployed release before the current one) restores the earlier environment', async () => {
    const dry = await json(['rollback', path, '--dry-run']);
    expect(dry).toMatchObject({
      dryRun: true,
      fromRelease: releases[0],
      exists: true,
    });
    expect(dry.changes).toEqual(
      expect.arrayContaining([
        { field: 'env.X', change: 'changed', before: '7', after: '6' },
      ]),
    );

    const r = await cli(['rollback', path]);
    expectExit(r, 0);
    expect(r.stdout).toMatch(/^rollback rel-\S+: \/foo\/bar\/service-1 → /m);
    expect(r.stdout).toMatch(/^✓ rollback rel-\S+ succeeded/m);
    expect(await runningEnv(path)).toMatchObject({ X: '6' });
    const [newest, ...older] = (await json(['releases', path])).items;
    // The rollback says what it rolled back from and to; that one is now rolled-back.
    expect(newest.target).toMatchObject({
      rollbackOf: releases[0],
      rolledBackFrom: releases[1],
    });
    expect(newest).toMatchObject({ status: 'deployed', state: 'live' });
    expect(
      older.map((o: { id: string; state: string }) => [o.id, o.state]),
    ).toEqual([
      [releases[1], 'rolled-back'],
      [releases[0], 'superseded'],
    ]);
    // Today's configuration still says 7: a rollback ships the snapshot, not the configuration.
    expect((await cli(['config', 'get', path, 'x'])).stdout).toBe('7\n');

    expectExit(await cli(['rollback', path, '--to', 'rel-does-not-exist']), 3);
  });

  it('a deploy whose health check keeps failing exits 10 with the reason', async () => {
    // Failing checks never get the task killed (100 in a row needed), so it stays unhealthy.
    expectExit(
      await cli([
        'config',
        'set',
        '/foo/bar/broken',
        'health_status=500',
        'marathon.healthCheck.maxConsecutiveFailures=100',
      ]),
      0,
    );
    const r = await cli(['deploy', '/foo/bar/broken']);
    expectExit(r, 10);
    expect(r.stdout).toMatch(/Health check HTTP \/health failed for \S+/);
    expect(r.stderr).toMatch(/^error: deploy rel-\S+ failed: .+/m);
    expect(r.stdout).not.toContain('✓');
    const [release] = (await json(['releases', '/foo/bar/broken'])).items;
    expect(release.status).toBe('failed');
  });

  it('a deploy that does not finish within --timeout exits 11', async () => {
    // Never healthy, and Marathon gives up only after MARATHON_DEPLOYMENT_TIMEOUT_MS: archon's 2 s come first.
    expectExit(
      await cli(['config', 'set', '/foo/bar/slow', 'health_status=503']),
      0,
    );
    const r = await cli([
      'deploy',
      '/foo/bar/slow',
      '--timeout',
      '2',
      '-o',
      'json',
    ]);
    expectExit(r, 11);
    expect(JSON.parse(r.stdout)).toMatchObject({
      status: 'timeout',
      outcome: { result: 'timeout' },
    });
    expect(r.stderr).toMatch(/^error: deploy rel-\S+ timed out/m);
  });

  it('--no-wait returns the accepted deploy; deployments watch follows it to its outcome', async () => {
    expectExit(await cli(['config', 'set', path, 'x=8']), 0);
    const accepted = await json(['deploy', path, '--no-wait']);
    expect(accepted).toMatchObject({ kind: 'deploy', configPath: path });
    const watched = await cli(['deployments', 'watch', accepted.id]);
    expectExit(watched, 0);
    expect(watched.stdout).toMatch(/TASK_RUNNING/);
    expect(watched.stdout).toContain(`✓ deploy ${accepted.id} succeeded`);
    expectExit(await cli(['deployments', 'watch', 'rel-nope']), 3);
    const listed = await json(['deployments', '--path', path]);
    expect(listed.items.map((f: { id: string }) => f.id)).toContain(
      accepted.id,
    );
  });

  it('deploy refuses clearly: unknown target (2), unresolvable configuration (7)', async () => {
    const target = await cli(['deploy', path, '--target', 'nope']);
    expectExit(target, 2);
    expect(target.stderr).toMatch(
      /Unknown deploy target "nope"; configured: local/,
    );
    expectExit(await cli(['config', 'set', '/foo/bar/bad', 'a=${missing}']), 0);
    const bad = await cli(['deploy', '/foo/bar/bad']);
    expectExit(bad, 7);
    expect(bad.stderr).toMatch(/missing/);
  });
});

describe('apps', () => {
  it('apps lists every app with its status; apps status shows tasks, health and release', async () => {
    const list = await cli(['apps']);
    expectExit(list, 0);
    expect(list.stdout).toMatch(
      /^local\s+\/foo\/bar\/service-1\s+healthy\s+1\/1\s+1\s+rel-\S+\s+\/foo\/bar\/service-1$/m,
    );
    const items = (await json(['apps', 'ls'])).items;
    expect(items).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          instance: 'local',
          id: '/foo/bar/service-1',
          status: 'healthy',
          configPath: path,
        }),
      ]),
    );

    const status = await cli(['apps', 'status', 'foo/bar/service-1']);
    expectExit(status, 0);
    expect(status.stdout).toMatch(/^status:\s+healthy$/m);
    expect(status.stdout).toMatch(/^config path:\s+\/foo\/bar\/service-1$/m);
    expect(status.stdout).toMatch(
      /^\S+\s+TASK_RUNNING\s+127\.0\.0\.1:\d+\s+\S+\s+healthy$/m,
    );
    const detail = await json(['apps', 'status', path]);
    expect(detail).toMatchObject({
      instance: 'local',
      summary: { id: '/foo/bar/service-1', running: 1 },
    });

    expectExit(await cli(['apps', 'status', '/no/such/app']), 9);
  });

  it('apps status exits 9 for an app whose tasks fail their health checks', async () => {
    // /foo/bar/broken was deployed with HEALTH_STATUS=500 (its deploy failed above).
    const r = await cli(['apps', 'status', '/foo/bar/broken']);
    expectExit(r, 9);
    expect(r.stdout).toMatch(/^status:\s+degraded$/m);
    expect(r.stderr).toMatch(
      /^error: \/foo\/bar\/broken is degraded: 1 of 1 running, 0 healthy/m,
    );
  });

  it('a crash-looping app (exit 3) fails the deploy with exit 10 and its stderr; its logs stay readable with --previous', async () => {
    expectExit(
      await cli([
        'config',
        'set',
        '/loop/app',
        'marathon.cmd=echo "boom" >&2; exit 3',
        'marathon.cpus=0.1',
        'marathon.mem=32',
        'marathon.backoffSeconds=1',
        'marathon.backoffFactor=1',
      ]),
      0,
    );
    const r = await cli(['deploy', '/loop/app']);
    expectExit(r, 10);
    expect(r.stderr).toMatch(/exited with status 3/);
    expect(r.stderr).toMatch(/last stderr: "boom"/);
    expect(r.stdout).not.toContain('✓');

    const status = await cli(['apps', 'status', '/loop/app']);
    expectExit(status, 9);
    expect(status.stdout).toMatch(/^status:\s+crash-looping$/m);

    // The crashed task is gone from the running list, but its stderr is kept.
    const previous = await cli([
      'apps',
      'logs',
      '/loop/app',
      '--previous',
      '--stderr',
    ]);
    expectExit(previous, 0);
    expect(previous.stdout).toBe('boom\n');
    const all = await json(['apps', 'tasks', '/loop/app', '--all']);
    expect(all.finished[0]).toMatchObject({
      state: 'TASK_FAILED',
      exitStatus: 3,
    });
    const byId = await cli([
      'apps',
      'logs',
      '/loop/app',
      '--task',
      all.finished[0].id,
      '--stderr',
    ]);
    expectExit(byId, 0);
    expect(byId.stdout).toBe('boom\n');
    expectExit(await cli(['apps', 'logs', '/loop/app', '--previous', '-f']), 2);
    expectExit(await cli(['apps', 'destroy', '/loop/app', '--yes']), 0);
  });

  it('scale, restart and suspend follow the operation to its outcome', async () => {
    const scaled = await cli(['apps', 'scale', path, '2']);
    expectExit(scaled, 0);
    expect(scaled.stdout).toMatch(
      /^✓ scale op-\S+ succeeded: \/foo\/bar\/service-1 on local \(2\/2 healthy, 2 running\)$/m,
    );

    const before = (await json(['apps', 'status', path])).tasks
      .map((t: { id: string }) => t.id)
      .sort();
    const restarted = await cli(['apps', 'restart', path]);
    expectExit(restarted, 0);
    const after = (await json(['apps', 'status', path])).tasks
      .map((t: { id: string }) => t.id)
      .sort();
    expect(after).toHaveLength(2);
    expect(after.filter((id: string) => before.includes(id))).toEqual([]);

    const suspended = await json(['apps', 'suspend', path]);
    expect(suspended).toMatchObject({ kind: 'suspend', status: 'succeeded' });
    expect(
      (await json(['apps', 'ls'])).items.find(
        (a: { id: string }) => a.id === path,
      ),
    ).toMatchObject({
      status: 'suspended',
      instances: 0,
    });
    expectExit(await cli(['apps', 'scale', path, '1']), 0);
  });

  it('apps logs -f follows a task until Ctrl-C', async () => {
    const r = await cli(['apps', 'logs', path, '-f'], {
      interruptWhen: out => out.includes('ENV {'),
    });
    expectExit(r, 0);
    expect(r.stdout).toMatch(/^ENV \{.*"X":"8"/m);
  });

  it("apps events follows the app's Marathon events until Ctrl-C", async () => {
    const following = cli(['apps', 'events', path], {
      interruptWhen: out =>
        / {2}status_update_event {2}task \S+ TASK_RUNNING/.test(out),
    });
    let done = false;
    following.then(() => (done = true));
    // Restart until the follower (started concurrently) has seen a task start.
    for (let i = 0; i < 10 && !done; i++)
      expectExit(await cli(['apps', 'restart', path]), 0);
    const r = await following;
    expectExit(r, 0);
    expect(r.stdout).toMatch(
      /^\d\d:\d\d:\d\d {2}status_update_event {2}task \S+ TASK_RUNNING on 127\.0\.0\.1:\d+$/m,
    );
  });

  it('apps queue explains why an app does not launch', async () => {
    // An image without a command: the local server has no Docker, so the launch is declined.
    expectExit(
      await cli([
        'config',
        'set',
        '/img/app',
        'marathon.image=nginx:1.27',
        'marathon.cpus=0.1',
        'marathon.mem=32',
      ]),
      0,
    );
    expectExit(await cli(['deploy', '/img/app', '--no-wait']), 0);
    let queue: any;
    for (let i = 0; i < 60; i++) {
      queue = await json(['apps', 'queue', '/img/app']);
      if (
        queue.reasons.some(
          (r: { reason: string; declined?: number }) =>
            r.reason === 'NoDockerRuntime' && r.declined,
        )
      )
        break;
      await new Promise(resolve => setTimeout(resolve, 250));
    }
    expect(queue).toMatchObject({
      instance: 'local',
      appId: '/img/app',
      queued: true,
    });
    const r = await cli(['apps', 'queue', '/img/app']);
    expectExit(r, 0);
    expect(r.stdout).toMatch(/^\/img\/app: 1 waiting to launch/m);
    expect(r.stdout).toMatch(/^NoDockerRuntime\s+[1-9]\d*\s+\d+\s+.+$/m);

    const idle = await cli(['apps', 'queue', path]);
    expect(idle.stdout).toBe(`${path} is not waiting to launch anything\n`);
  });

  it('apps destroy --yes removes an app', async () => {
    const r = await cli(['apps', 'destroy', '/foo/bar/slow', '--yes']);
    expectExit(r, 0);
    expect(r.stdout).toMatch(
      /^✓ destroy op-\S+ succeeded: \/foo\/bar\/slow on local$/m,
    );
    expectExit(await cli(['apps', 'status', '/foo/bar/slow']), 9);
  });

  it('apps destroy refuses without a terminal and without --yes, before sending anything', async () => {
    const r = await cli(['apps', 'destroy', path]);
    expectExit(r, 2);
    expect((await json(['apps', 'status', path])).summary.id).toBe(path);
  });
});

describe('tasks, launch delay, deployment cancel', () => {
  it('apps tasks lists host, ports, health and start time; kill refuses without a terminal, kills with --yes', async () => {
    const r = await cli(['apps', 'tasks', path]);
    expectExit(r, 0);
    expect(r.stdout).toMatch(
      /^TASK\s+STATE\s+HOST:PORTS\s+STARTED\s+HEALTH\s+VERSION$/m,
    );
    expect(r.stdout).toMatch(
      /^foo_bar_service-1\.\S+\s+TASK_RUNNING\s+127\.0\.0\.1:\d+\s+\S+\s+healthy\s+\S+$/m,
    );
    const listed = await json(['apps', 'tasks', 'ls', path]);
    expect(listed).toMatchObject({ instance: 'local', appId: path });
    expect(listed.items).toHaveLength(1);
    const [task] = listed.items;
    expect(task).toMatchObject({ state: 'TASK_RUNNING', healthy: true });

    // Destructive: refused before anything is sent, the task still runs.
    const refused = await cli(['apps', 'tasks', 'kill', task.id]);
    expectExit(refused, 2);
    expect(refused.stderr).toMatch(/pass --yes/);
    expectExit(await cli(['apps', 'tasks', 'kill', `${task.id}x`, '--yes']), 3);
    expect(
      (await json(['apps', 'tasks', path])).items.map(
        (t: { id: string }) => t.id,
      ),
    ).toEqual([task.id]);

    // The app is read from the task id; Marathon replaces the killed task.
    const killed = await json(['apps', 'tasks', 'kill', task.id, '--yes']);
    expect(killed).toMatchObject({
      instance: 'local',
      appId: path,
      taskId: task.id,
      scaled: false,
    });
    let ids: string[] = [];
    for (let i = 0; i < 60; i++) {
      ids = (await json(['apps', 'tasks', path])).items
        .filter((t: { state: string }) => t.state === 'TASK_RUNNING')
        .map((t: { id: string }) => t.id);
      if (ids.length === 1 && ids[0] !== task.id) break;
      await new Promise(resolve => setTimeout(resolve, 250));
    }
    expect(ids).toHaveLength(1);
    expect(ids[0]).not.toBe(task.id);
  });

  it('apps queue --reset-delay launches a crashing app again now instead of after its back-off', async () => {
    expectExit(
      await cli([
        'config',
        'set',
        '/crash/app',
        'marathon.cmd=exit 1',
        'marathon.cpus=0.1',
        'marathon.mem=32',
        'marathon.backoffSeconds=600',
      ]),
      0,
    );
    expectExit(await cli(['deploy', '/crash/app', '--no-wait']), 0);
    let queue: any;
    for (let i = 0; i < 60; i++) {
      queue = await json(['apps', 'queue', '/crash/app']);
      if (queue.delay?.timeLeftSeconds > 60 && queue.lastTaskFailure) break;
      await new Promise(resolve => setTimeout(resolve, 250));
    }
    expect(queue.delay.timeLeftSeconds).toBeGreaterThan(60);
    const failed = queue.lastTaskFailure.taskId;
    const tasks = await cli(['apps', 'tasks', '/crash/app']);
    expectExit(tasks, 0);
    expect(tasks.stdout).toMatch(/^last failure:\s+\S+ TASK_FAILED/m);

    const reset = await cli([
      'apps',
      'queue',
      '/crash/app',
      '--reset-delay',
      '-o',
      'json',
    ]);
    expectExit(reset, 0);
    expect(JSON.parse(reset.stdout)).toMatchObject({
      instance: 'local',
      appId: '/crash/app',
    });
    expect(reset.stderr).toContain('launch delay of /crash/app on local reset');
    // Without the reset nothing would launch for 600 s: a new failure means it launched again.
    let latest = failed;
    for (let i = 0; i < 60 && latest === failed; i++) {
      latest = (await json(['apps', 'tasks', '/crash/app'])).lastTaskFailure
        ?.taskId;
      await new Promise(resolve => setTimeout(resolve, 250));
    }
    expect(latest).not.toBe(failed);
  });

  it('deployments cancel stops a deploy in progress (asks; --yes)', async () => {
    // Never healthy: its Marathon deployment stays in progress until MARATHON_DEPLOYMENT_TIMEOUT_MS.
    expectExit(
      await cli(['config', 'set', '/foo/bar/stuck', 'health_status=503']),
      0,
    );
    const accepted = await json(['deploy', '/foo/bar/stuck', '--no-wait']);
    expectExit(await cli(['deployments', 'cancel', accepted.id]), 2);
    const cancelled = await json([
      'deployments',
      'cancel',
      accepted.id,
      '--yes',
    ]);
    expect(cancelled).toMatchObject({
      instance: 'local',
      cancelled: true,
      deploymentId: accepted.ref.deploymentId,
    });
    // That Marathon deployment is gone: a second cancel finds nothing to cancel.
    const again = await cli(['deployments', 'cancel', accepted.id, '--yes']);
    expect([3, 4]).toContain(again.code);
    expectExit(
      await cli(['deployments', 'cancel', 'no-such-deployment', '--yes']),
      3,
    );
  });

  it('deploy accepts --instance as the name of --target', async () => {
    const plan = await json([
      'deploy',
      path,
      '--instance',
      'local',
      '--dry-run',
    ]);
    expect(plan).toMatchObject({ dryRun: true, instance: 'local' });
    expectExit(
      await cli(['deploy', path, '--instance', 'nope', '--dry-run']),
      2,
    );
  });
});
