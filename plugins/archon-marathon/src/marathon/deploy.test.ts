import request from 'supertest';
import {
  collectSse,
  envServerCommand,
  startHarness,
  waitFor,
  type Harness,
} from '../__testUtils__/harness';

jest.setTimeout(180_000);

/**
 * The deploy flow end to end: archon's backend plugin (OpenAPI validation in
 * front) with this module, the real local ZooKeeper, and a local
 * Marathon-compatible server that runs the app as a real process.
 */
describe('deploying the published Pheidippides example to Marathon', () => {
  let h: Harness;
  const path = '/foo/bar/service-1';
  const appUrl = '/marathon/local/apps/foo/bar/service-1';
  const releases: string[] = [];

  beforeAll(async () => {
    h = await startHarness({ label: 'deploy', deploymentTimeoutMs: 12_000 });
    // The example (x=1; y=2, z=3; w=4, s=${z}, x=6) plus how to run it, inherited from /foo.
    const writes = [
      await h.put('/foo', {
        x: '1',
        'marathon.cmd': envServerCommand(),
        'marathon.ports': 'http',
        'marathon.cpus': '0.1',
        'marathon.mem': '64',
        'marathon.healthCheck.path': '/health',
        'marathon.healthCheck.gracePeriodSeconds': '2',
        'marathon.healthCheck.intervalSeconds': '1',
        'marathon.healthCheck.timeoutSeconds': '1',
        'marathon.healthCheck.maxConsecutiveFailures': '2',
        'marathon.upgrade.minimumHealthCapacity': '0',
        'marathon.taskKillGracePeriodSeconds': '1',
        'archon.owner': 'group:default/team-foo',
      }),
      await h.put('/foo/bar', { y: '2', z: '3' }),
      await h.put(path, { w: '4', s: '${z}', x: '6' }),
    ];
    if (writes.some(w => w.status !== 200))
      throw new Error(
        `writing the example failed: ${JSON.stringify(
          writes.map(w => w.body),
        )}`,
      );
  });

  afterAll(async () => {
    await h?.stop();
  });

  /** The environment the running task printed at start (read through archon's log route). */
  async function runningEnv(): Promise<Record<string, string>> {
    return waitFor(
      async () => {
        const tasks = await request(h.server).get(h.api(`${appUrl}/tasks`));
        const running = tasks.body.items.filter(
          (t: { state: string }) => t.state === 'TASK_RUNNING',
        );
        if (running.length !== 1) return undefined;
        const log = await request(h.server).get(
          h.api(`${appUrl}/tasks/${running[0].id}/logs?file=stdout`),
        );
        if (log.status !== 200)
          throw new Error(`logs: ${log.status} ${JSON.stringify(log.body)}`);
        const line = (log.body.data as string)
          .split('\n')
          .find(l => l.startsWith('ENV '));
        return line ? JSON.parse(line.slice(4)) : undefined;
      },
      30_000,
      'the running task to print its environment',
    );
  }

  const deploy = (body: object) =>
    request(h.server)
      .post(h.api('/deployments'))
      .send({ configPath: path, instance: 'local', ...body });

  it('lists the deploy targets', async () => {
    const res = await request(h.server).get(h.api('/deploy-targets'));
    expect(res.status).toBe(200);
    expect(res.body.items).toEqual([
      { name: 'local', kind: 'marathon', endpoint: h.marathon.url },
    ]);
  });

  it('dry run: renders the definition and diffs it against nothing running, deploying nothing', async () => {
    const res = await deploy({ dryRun: true });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      dryRun: true,
      instance: 'local',
      targetKind: 'marathon',
      workloadId: '/foo/bar/service-1',
      exists: false,
      definition: {
        id: '/foo/bar/service-1',
        env: { X: '6', Y: '2', Z: '3', W: '4', S: '3' },
        labels: {
          ARCHON_CONFIG_PATH: path,
          ARCHON_OWNER: 'group:default/team-foo',
        },
      },
    });
    expect(Object.keys(res.body.definition.env).sort()).toEqual([
      'S',
      'W',
      'X',
      'Y',
      'Z',
    ]);
    expect(res.body.changes).toEqual(
      expect.arrayContaining([{ field: 'env.X', change: 'added', after: '6' }]),
    );
    expect(res.body.pending.added.map((a: { key: string }) => a.key)).toEqual(
      expect.arrayContaining(['s', 'w', 'x', 'y', 'z']),
    );
    expect(
      (await request(h.server).get(h.api(`/releases?path=${path}`))).body.items,
    ).toEqual([]);
    expect((await request(h.server).get(h.api(appUrl))).status).toBe(404);
  });

  it('deploys with live progress, records the release as deployed, and the task runs the effective config', async () => {
    const { status, frames, contentType } = await collectSse(
      h.baseUrl,
      'POST',
      h.api('/deployments'),
      {
        configPath: path,
        instance: 'local',
      },
    );
    expect(status).toBe(200);
    expect(contentType).toMatch(/text\/event-stream/);
    expect(frames[0].event).toBe('accepted');
    const releaseId = frames[0].data.id as string;
    expect(releaseId).toMatch(/^rel-/);
    releases.push(releaseId);
    const progress = frames
      .filter(f => f.event === 'progress')
      .map(f => f.data.message as string);
    expect(
      progress.some(m =>
        /accepted the deploy of \/foo\/bar\/service-1: deployment/.test(m),
      ),
    ).toBe(true);
    expect(progress.some(m => /TASK_RUNNING on 127\.0\.0\.1:\d+/.test(m))).toBe(
      true,
    );
    expect(progress.some(m => /is healthy/.test(m))).toBe(true);
    const result = frames[frames.length - 1];
    expect(result.event).toBe('result');
    expect(result.data).toMatchObject({
      id: releaseId,
      kind: 'deploy',
      status: 'succeeded',
      outcome: { result: 'succeeded' },
    });

    const release = await request(h.server).get(
      h.api(`/releases/${releaseId}`),
    );
    expect(release.body).toMatchObject({
      status: 'deployed',
      path,
      target: {
        kind: 'marathon',
        instance: 'local',
        workloadId: '/foo/bar/service-1',
      },
      properties: expect.objectContaining({ x: '6', s: '3' }),
      outcome: expect.objectContaining({
        result: 'succeeded',
        ref: expect.objectContaining({ deploymentId: expect.any(String) }),
      }),
    });

    const env = await runningEnv();
    expect(env).toMatchObject({ X: '6', Y: '2', Z: '3', W: '4', S: '3' });
    expect(
      Object.keys(env).some(
        k => k.startsWith('MARATHON_CMD') || k === 'ARCHON_OWNER',
      ),
    ).toBe(false);

    const flow = await request(h.server).get(
      h.api(`/deployments/${releaseId}`),
    );
    expect(flow.body).toMatchObject({
      status: 'succeeded',
      releaseId,
      workloadId: '/foo/bar/service-1',
    });
    expect(flow.body.progress.length).toBeGreaterThan(2);
  });

  it('shows the app: status, tasks with host, ports, start and health, labels leading back to the config', async () => {
    const status = await request(h.server).get(
      h.api(`/apps/status?instance=local&configPath=${path}`),
    );
    expect(status.body).toMatchObject({
      exists: true,
      state: 'healthy',
      instances: 1,
      running: 1,
      healthy: 1,
      configPath: path,
      releaseId: releases[0],
    });

    const app = await request(h.server).get(h.api(appUrl));
    expect(app.status).toBe(200);
    expect(app.body.summary).toMatchObject({
      id: '/foo/bar/service-1',
      status: 'healthy',
      configPath: path,
      releaseId: releases[0],
    });
    expect(app.body.tasks[0]).toMatchObject({
      host: '127.0.0.1',
      state: 'TASK_RUNNING',
      healthy: true,
      ports: [expect.any(Number)],
      startedAt: expect.any(String),
    });
    // The encoded form reaches the same app.
    expect(
      (
        await request(h.server).get(
          h.api('/marathon/local/apps/foo%2Fbar%2Fservice-1'),
        )
      ).body.summary.id,
    ).toBe('/foo/bar/service-1');

    const list = await request(h.server).get(
      h.api(`/marathon/local/apps?configPath=${path}`),
    );
    expect(list.body.items.map((a: { id: string }) => a.id)).toEqual([
      '/foo/bar/service-1',
    ]);
    // The resources the configuration asked for (marathon.cpus, marathon.mem).
    expect(list.body.items[0]).toMatchObject({ cpus: 0.1, mem: 64 });
  });

  it('a config edit changes nothing that runs; pending shows what the next deploy ships; redeploy makes a new release', async () => {
    expect((await h.patch(path, { set: { w: '5' } })).status).toBe(200);
    const pending = await request(h.server).get(
      h.api(`/config/pending${path}`),
    );
    expect(pending.body.latestRelease).toBe(releases[0]);
    expect(pending.body.diff.changed).toEqual([
      expect.objectContaining({ key: 'w', from: '4', to: '5' }),
    ]);
    expect((await runningEnv()).W).toBe('4');

    const dry = await deploy({ dryRun: true });
    expect(dry.body.exists).toBe(true);
    expect(dry.body.changes).toEqual([
      { field: 'env.W', change: 'changed', before: '4', after: '5' },
    ]);

    const res = await deploy({ wait: true });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'succeeded', kind: 'deploy' });
    releases.push(res.body.id);
    expect(res.body.id).not.toBe(releases[0]);
    expect(
      (await request(h.server).get(h.api(`/releases/${res.body.id}`))).body
        .status,
    ).toBe('deployed');
    expect((await runningEnv()).W).toBe('5');
    const after = await request(h.server).get(h.api(`/config/pending${path}`));
    expect(after.body).toMatchObject({
      latestRelease: res.body.id,
      diff: { added: [], removed: [], changed: [] },
    });
  });

  it("rollback ships the earlier release snapshot, not today's config", async () => {
    const dry = await request(h.server)
      .post(h.api('/deployments/rollback'))
      .send({ releaseId: releases[0], dryRun: true });
    expect(dry.body).toMatchObject({
      fromRelease: releases[0],
      changes: [{ field: 'env.W', change: 'changed', before: '5', after: '4' }],
    });

    const res = await request(h.server)
      .post(h.api('/deployments/rollback'))
      .send({ releaseId: releases[0], wait: true });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      kind: 'rollback',
      status: 'succeeded',
      rollbackOf: releases[0],
    });
    releases.push(res.body.id);
    const release = await request(h.server).get(
      h.api(`/releases/${res.body.id}`),
    );
    expect(release.body).toMatchObject({
      status: 'deployed',
      target: { rollbackOf: releases[0] },
      properties: expect.objectContaining({ w: '4' }),
    });
    expect((await runningEnv()).W).toBe('4');
    // The configuration still says 5: that is pending again.
    const pending = await request(h.server).get(
      h.api(`/config/pending${path}`),
    );
    expect(pending.body.diff.changed).toEqual([
      expect.objectContaining({ key: 'w', from: '4', to: '5' }),
    ]);
  });

  it('a failing health check fails the deployment with the reason, and the release is not marked deployed', async () => {
    expect(
      (await h.patch(path, { set: { 'health.status': '500' } })).status,
    ).toBe(200);
    const res = await deploy({ wait: true });
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('failed');
    expect(res.body.outcome.reason).toMatch(
      /health check failure: 500|unhealthy|500/i,
    );
    expect(
      res.body.progress.some(
        (p: { type: string; message: string }) =>
          p.type === 'health' || /unhealthy/.test(p.message),
      ),
    ).toBe(true);
    const release = await request(h.server).get(
      h.api(`/releases/${res.body.id}`),
    );
    expect(release.body.status).toBe('failed');
    expect(release.body.outcome.reason).toBe(res.body.outcome.reason);
    // Pending is measured against what last deployed successfully.
    const pending = await request(h.server).get(
      h.api(`/config/pending${path}`),
    );
    expect(pending.body.latestRelease).toBe(releases[2]);
    releases.push(res.body.id);

    // Back to healthy.
    expect((await h.patch(path, { unset: ['health.status'] })).status).toBe(
      200,
    );
    await waitFor(
      async () =>
        (
          await request(h.server).get(
            h.api(`/apps/status?instance=local&configPath=${path}`),
          )
        ).body.deployments.length === 0,
      30_000,
      'the failed deployment to end',
    );
    const fixed = await deploy({ wait: true });
    expect(fixed.body).toMatchObject({ status: 'succeeded' });
    releases.push(fixed.body.id);
  });

  it('refuses a concurrent deploy clearly, naming the one in progress', async () => {
    expect((await h.patch(path, { set: { w: '7' } })).status).toBe(200);
    const first = await deploy({});
    expect(first.status).toBe(202);
    expect(first.headers.location).toBe(
      `/api/archon/deployments/${first.body.id}`,
    );
    const second = await deploy({});
    expect(second.status).toBe(409);
    expect(second.body.error.message).toMatch(
      new RegExp(`already in progress \\(${first.body.id}`),
    );
    expect(second.body.error.deployments).toEqual(
      expect.arrayContaining([{ id: first.body.id, source: 'archon' }]),
    );
    const scale = await request(h.server)
      .post(h.api('/apps/scale'))
      .send({ configPath: path, instance: 'local', instances: 2 });
    expect(scale.status).toBe(409);

    // Follow the first one to its end over SSE.
    const events = await collectSse(
      h.baseUrl,
      'GET',
      h.api(`/deployments/${first.body.id}/events`),
    );
    expect(events.frames[events.frames.length - 1]).toMatchObject({
      event: 'result',
      data: { status: 'succeeded' },
    });
    releases.push(first.body.id);
  });

  it('refuses a deploy while a Marathon deployment holds the app, naming it; force only on request', async () => {
    // Someone changes the app in Marathon directly: an unhealthy restart that keeps the app locked.
    const locked = await fetch(`${h.marathon.url}/v2/apps/foo/bar/service-1`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        env: { X: '6', Y: '2', Z: '3', W: '7', S: '3', HEALTH_STATUS: '503' },
      }),
    });
    expect(locked.status).toBe(200);
    const { deploymentId } = await locked.json();
    const refused = await deploy({});
    expect(refused.status).toBe(409);
    expect(refused.body.error.deployments).toEqual([
      { id: deploymentId, source: 'marathon' },
    ]);
    expect(refused.body.error.message).toMatch(/locked by marathon deployment/);

    const forced = await deploy({ force: true, wait: true });
    expect(forced.body).toMatchObject({ status: 'succeeded' });
    releases.push(forced.body.id);
    expect((await runningEnv()).HEALTH_STATUS).toBeUndefined();
  });

  it('scales, restarts and suspends', async () => {
    const op = (name: string, body: object = {}) =>
      request(h.server)
        .post(h.api(`/apps/${name}`))
        .send({ configPath: path, instance: 'local', wait: true, ...body });
    const scaled = await op('scale', { instances: 2 });
    expect(scaled.body).toMatchObject({
      kind: 'scale',
      status: 'succeeded',
      instances: 2,
      id: expect.stringMatching(/^op-/),
    });
    let status = await request(h.server).get(
      h.api(`/apps/status?instance=local&configPath=${path}`),
    );
    expect(status.body).toMatchObject({
      instances: 2,
      running: 2,
      healthy: 2,
      state: 'healthy',
    });

    const before = (
      await request(h.server).get(h.api(`${appUrl}/tasks`))
    ).body.items.map((t: { id: string }) => t.id);
    const restarted = await op('restart');
    expect(restarted.body).toMatchObject({
      kind: 'restart',
      status: 'succeeded',
    });
    const after = (
      await request(h.server).get(h.api(`${appUrl}/tasks`))
    ).body.items.map((t: { id: string }) => t.id);
    expect(after).toHaveLength(2);
    expect(after.some((id: string) => before.includes(id))).toBe(false);

    const suspended = await op('suspend');
    expect(suspended.body).toMatchObject({
      kind: 'suspend',
      status: 'succeeded',
      instances: 0,
    });
    status = await request(h.server).get(
      h.api(`/apps/status?instance=local&configPath=${path}`),
    );
    expect(status.body).toMatchObject({
      state: 'suspended',
      instances: 0,
      running: 0,
    });
    expect((await op('scale', { instances: 1 })).body.status).toBe('succeeded');
    // Scaling to what it already wants starts no Marathon deployment (the version history below stays as is).
    const same = await op('scale', { instances: 1 });
    expect(same.body).toMatchObject({
      status: 'succeeded',
      outcome: {
        reason: expect.stringMatching(
          /already wants 1 instance\(s\): nothing to change, no deployment started/,
        ),
      },
    });
    expect(same.body.ref).toBeUndefined();
    expect((await op('scale', { instances: -1 })).status).toBe(400);
    // A path that was never deployed: 404.
    expect((await op('restart', { configPath: '/foo/bar' })).status).toBe(404);
  });

  it('keeps the version history with diffs between versions', async () => {
    const versions = await request(h.server).get(h.api(`${appUrl}/versions`));
    expect(versions.body.items.length).toBeGreaterThanOrEqual(5);
    const newest = versions.body.items[0];
    const scaleDiff = await request(h.server).get(
      h.api(`${appUrl}/versions/${newest}/diff`),
    );
    expect(scaleDiff.body.changes).toEqual([
      { field: 'instances', change: 'changed', before: 0, after: 1 },
    ]);
    const definition = await request(h.server).get(
      h.api(`${appUrl}/versions/${newest}`),
    );
    expect(definition.body).toMatchObject({
      id: '/foo/bar/service-1',
      env: expect.objectContaining({ W: '7' }),
    });
  });

  it('destroys only with confirmation', async () => {
    const destroy = (confirm?: string) =>
      request(h.server)
        .post(h.api('/apps/destroy'))
        .send({ configPath: path, instance: 'local', wait: true, confirm });
    const unconfirmed = await destroy();
    expect(unconfirmed.status).toBe(400);
    expect(unconfirmed.body.error.message).toMatch(
      /confirm with "confirm": "\/foo\/bar\/service-1"/,
    );
    const done = await destroy(path);
    expect(done.body).toMatchObject({ kind: 'destroy', status: 'succeeded' });
    const status = await request(h.server).get(
      h.api(`/apps/status?instance=local&configPath=${path}`),
    );
    expect(status.body).toMatchObject({ exists: false, state: 'missing' });
    // Every release is still there, and the deploys are listed.
    const list = await request(h.server).get(h.api(`/releases?path=${path}`));
    expect(list.body.items.map((r: { id: string }) => r.id).sort()).toEqual(
      [...releases].sort(),
    );
    expect(
      list.body.items
        .map((r: { status: string }) => r.status)
        .filter((s: string) => s !== 'deployed'),
    ).toEqual(['failed']);
    const flows = await request(h.server).get(
      h.api(`/deployments?configPath=${path}`),
    );
    expect(flows.body.items[0]).toMatchObject({ kind: 'destroy' });
  });
});
