import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { eventually } from '@archon/test-utils';
import { mockServices } from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import request from 'supertest';
import {
  collectSse,
  envServerCommand,
  startHarness,
  waitFor,
  type Harness,
} from '../__testUtils__/harness';

jest.setTimeout(180_000);

/** Bad input and faults: every refusal is a clear error, and no release is marked deployed unless Marathon said so. */
describe('deploy faults and monitoring edge cases', () => {
  let h: Harness;
  let silent: net.Server;
  const sockets = new Set<net.Socket>();

  beforeAll(async () => {
    // Accepts connections and never answers: a Marathon that hangs.
    silent = net.createServer(socket => {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
    });
    await new Promise<void>(resolve =>
      silent.listen(0, '127.0.0.1', () => resolve()),
    );
    h = await startHarness({
      label: 'faults',
      deploymentTimeoutMs: 6000,
      extraInstances: [
        { name: 'down', url: 'http://127.0.0.1:1', requestTimeoutMs: 2000 },
        {
          name: 'slow',
          url: `http://127.0.0.1:${(silent.address() as AddressInfo).port}`,
          requestTimeoutMs: 800,
        },
      ],
      features: [
        mockServices.permissions.mock({
          authorize: async requests =>
            requests.map(r => ({
              result:
                // Like the local policy: nobody sees secrets; and nothing under /locked may be deployed or its logs read.
                r.permission.name === 'archon.config.secrets.reveal' ||
                ((r.permission.name === 'archon.app.deploy' ||
                  r.permission.name === 'archon.app.logs.read') &&
                  'resourceRef' in r &&
                  String(r.resourceRef).startsWith('/locked'))
                  ? AuthorizeResult.DENY
                  : AuthorizeResult.ALLOW,
            })),
        }).factory,
      ],
    });
    await h.put('/app', {
      'marathon.cmd': envServerCommand(),
      'marathon.ports': 'http',
      'marathon.cpus': '0.1',
      'marathon.mem': '64',
    });
  });

  afterAll(async () => {
    await h?.stop();
    for (const socket of sockets) socket.destroy();
    silent?.close();
  });

  const deploy = (body: object) =>
    request(h.server).post(h.api('/deployments')).send(body);
  const releasesOf = async (path: string) =>
    (await request(h.server).get(h.api(`/releases?path=${path}`))).body.items;

  it('refuses unknown instances, naming the configured ones', async () => {
    const res = await deploy({ configPath: '/app', instance: 'nope' });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toBe(
      'Unknown deploy target "nope"; configured: local, down, slow',
    );
    const apps = await request(h.server).get(h.api('/marathon/nope/apps'));
    expect(apps.status).toBe(400);
    expect(apps.body.error.message).toMatch(
      /Unknown Marathon instance "nope"; configured: local, down, slow/,
    );
  });

  it('refuses paths that cannot be app ids and configurations that cannot be rendered, with details, recording nothing', async () => {
    await h.put('/app/_tmp', { x: '1' });
    const badId = await deploy({ configPath: '/app/_tmp', instance: 'local' });
    expect(badId.status).toBe(422);
    expect(badId.body.error.message).toMatch(/segment 2 "_tmp" becomes "-tmp"/);

    await h.put('/app/big', {
      'marathon.cpus': '1000',
      'marathon.mem': '-5',
      'marathon.instances': 'many',
      port: '80',
    });
    const big = await deploy({ configPath: '/app/big', instance: 'local' });
    expect(big.status).toBe(422);
    expect(big.body.error.name).toBe('UnprocessableError');
    const byKey = Object.fromEntries(
      big.body.error.details.map((d: { path: string; errors: string[] }) => [
        d.path,
        d.errors.join(' | '),
      ]),
    );
    expect(byKey).toMatchObject({
      'marathon.cpus': expect.stringMatching(/more than the limit 64/),
      'marathon.mem': expect.stringMatching(/greater than 0/),
      'marathon.instances': expect.stringMatching(/not a number/),
      port: expect.stringMatching(/PORT, which Marathon sets/),
    });
    // The dry run says the same.
    expect(
      (
        await deploy({
          configPath: '/app/big',
          instance: 'local',
          dryRun: true,
        })
      ).status,
    ).toBe(422);
    expect(await releasesOf('/app/big')).toEqual([]);
    expect(await releasesOf('/app/_tmp')).toEqual([]);
  });

  it("passes the resolver's 422 through for a configuration that does not resolve", async () => {
    await h.put('/app/broken', { s: '${missing}' });
    const res = await deploy({ configPath: '/app/broken', instance: 'local' });
    expect(res.status).toBe(422);
    expect(res.body.error.name).toBe('ConfigResolutionError');
    expect(res.body.error.details).toBeDefined();
    expect(JSON.stringify(res.body.error.details)).toMatch(/missing/);
    expect(await releasesOf('/app/broken')).toEqual([]);
    expect(
      (await deploy({ configPath: '/nowhere', instance: 'local' })).status,
    ).toBe(404);
    expect(
      (await deploy({ configPath: 'no-slash', instance: 'local' })).status,
    ).toBe(400);
  });

  it('names the instance when Marathon is down (503) or does not answer in time (504)', async () => {
    await h.put('/app/svc', { x: '1' });
    const down = await deploy({ configPath: '/app/svc', instance: 'down' });
    expect(down.status).toBe(503);
    expect(down.body.error.message).toMatch(
      /Marathon instance "down" \(http:\/\/127\.0\.0\.1:1\) is not reachable/,
    );
    const slow = await deploy({ configPath: '/app/svc', instance: 'slow' });
    expect(slow.status).toBe(504);
    expect(slow.body.error.message).toMatch(
      /Marathon instance "slow" .* did not answer within 800 ms/,
    );
    expect((await request(h.server).get(h.api('/marathon/down'))).status).toBe(
      503,
    );
    expect(
      (await request(h.server).get(h.api('/marathon/slow/apps'))).status,
    ).toBe(504);
    expect(
      (await request(h.server).get(h.api('/gateway/routes'))).body.errors
        .map((e: { instance: string }) => e.instance)
        .sort(),
    ).toEqual(['down', 'slow']);
    expect(await releasesOf('/app/svc')).toEqual([]);

    // Health answers from background probes: a probe of the local instance that
    // timed out on a loaded machine shows until the next one, so wait for it.
    await eventually(
      async () => {
        const health = await request(h.server).get(
          h.api('/health?kind=marathon'),
        );
        expect(
          health.body.systems
            .map(
              (s: { name: string; status: string }) => `${s.name}:${s.status}`,
            )
            .sort(),
        ).toEqual(['down:unreachable', 'local:up', 'slow:unreachable']);
      },
      60_000,
      500,
    );
  });

  it("passes Marathon's own 422 through with its details; the release is recorded as refused, never deployed", async () => {
    await h.put('/app/dup', { 'marathon.ports': 'a:31001,b:31001' });
    const res = await deploy({ configPath: '/app/dup', instance: 'local' });
    expect(res.status).toBe(422);
    expect(res.body.error.message).toMatch(
      /Marathon instance "local" .* rejected PUT \/v2\/apps\/app\/dup: Object is not valid: \/portDefinitions: Ports must be unique/,
    );
    expect(res.body.error.details).toEqual([
      { path: '/portDefinitions', errors: ['Ports must be unique.'] },
    ]);
    const [release] = await releasesOf('/app/dup');
    expect(release).toMatchObject({
      status: 'failed',
      outcome: { result: 'refused', reason: res.body.error.message },
    });
  });

  it('403 names the permission', async () => {
    await h.put('/locked', { 'marathon.cmd': 'sleep 100' });
    const res = await deploy({ configPath: '/locked', instance: 'local' });
    expect(res.status).toBe(403);
    expect(res.body.error.message).toMatch(
      /needs the permission "archon.app.deploy" on \/locked/,
    );
    expect(await releasesOf('/locked')).toEqual([]);
  });

  it('explains why an app does not launch, and times out with what is missing', async () => {
    // Not under /app: that level's marathon.cmd would run it without Docker.
    await h.put('/image', {
      'marathon.image': 'nginx:1.19',
      'marathon.mem': '64',
      'marathon.cpus': '0.1',
    });
    const started = await deploy({
      configPath: '/image',
      instance: 'local',
      timeoutSeconds: 3,
    });
    expect(started.status).toBe(202);
    const queue = await waitFor(
      async () => {
        const q = await request(h.server).get(
          h.api('/marathon/local/apps/image/queue'),
        );
        return q.body.reasons?.length ? q.body : undefined;
      },
      20_000,
      'a declined offer',
    );
    expect(queue).toMatchObject({ appId: '/image', queued: true, count: 1 });
    expect(queue.reasons[0]).toMatchObject({
      reason: 'NoDockerRuntime',
      explanation: expect.stringMatching(/cannot run container images/),
    });
    expect(queue.explanation.join(' ')).toMatch(/NoDockerRuntime/);
    const reset = await request(h.server).delete(
      h.api('/marathon/local/apps/image/queue/delay'),
    );
    expect(reset.status).toBe(200);
    expect(reset.body).toEqual({ appId: '/image', reset: true });
    const all = await request(h.server).get(h.api('/marathon/local/queue'));
    expect(all.body.items.map((i: { appId: string }) => i.appId)).toContain(
      '/image',
    );

    const deployments = await request(h.server).get(
      h.api('/marathon/local/deployments'),
    );
    expect(deployments.body.items[0]).toMatchObject({
      affectedApps: ['/image'],
      totalSteps: 2,
      currentStep: expect.any(Number),
      steps: expect.any(Array),
    });

    const done = await waitFor(
      async () => {
        const flow = await request(h.server).get(
          h.api(`/deployments/${started.body.id}`),
        );
        return flow.body.status !== 'running' ? flow.body : undefined;
      },
      20_000,
      'the deploy to time out',
    );
    expect(done).toMatchObject({
      status: 'timeout',
      outcome: {
        result: 'timeout',
        reason: expect.stringMatching(
          /had not finished after \d+ s.*0 of 1 instance\(s\) running/,
        ),
      },
    });
    const release = await request(h.server).get(
      h.api(`/releases/${started.body.id}`),
    );
    expect(release.body).toMatchObject({
      status: 'failed',
      outcome: { result: 'timeout' },
    });

    // A deployment that cannot finish, started in Marathon directly: cancel it from archon (force: no rollback deployment).
    const created = await fetch(`${h.marathon.url}/v2/apps`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        id: '/stuck',
        container: { type: 'DOCKER', docker: { image: 'nginx' } },
        cpus: 0.1,
        mem: 16,
      }),
    });
    const stuckId = created.headers.get('marathon-deployment-id');
    const cancelled = await request(h.server).delete(
      h.api(`/marathon/local/deployments/${stuckId}?force=true`),
    );
    expect(cancelled.status).toBe(200);
    expect(cancelled.body).toMatchObject({
      deploymentId: stuckId,
      cancelled: true,
      force: true,
    });
    const left = await request(h.server).get(
      h.api('/marathon/local/deployments'),
    );
    expect(left.body.items.map((d: { id: string }) => d.id)).not.toContain(
      stuckId,
    );
    expect(
      (
        await request(h.server).delete(
          h.api('/marathon/local/deployments/no-such-id'),
        )
      ).status,
    ).toBe(404);
  });

  it("streams an app's live events, masks secrets, and validates app ids in URLs", async () => {
    await h.put('/app/live', {
      'db.password': 'hunter2',
      'marathon.cmd': 'sleep 1000',
      'marathon.cpus': '0.1',
      'marathon.mem': '32',
    });
    const deployed = await deploy({
      configPath: '/app/live',
      instance: 'local',
      wait: true,
    });
    expect(deployed.body.status).toBe('succeeded');
    const app = await request(h.server).get(
      h.api('/marathon/local/apps/app/live'),
    );
    expect(app.body.definition.env).toEqual({ DB_PASSWORD: '********' });
    expect(app.body.masked).toBe(true);
    const dry = await deploy({
      configPath: '/app/live',
      instance: 'local',
      dryRun: true,
    });
    expect(dry.body.definition.env).toEqual({ DB_PASSWORD: '********' });

    // Scale only once the stream is subscribed (its `attached` frame), or
    // the deployment's events can pass before it listens.
    let attached = false;
    const feed = collectSse(
      h.baseUrl,
      'GET',
      h.api('/marathon/local/apps/app/live/events'),
      undefined,
      f => {
        if (f.event === 'attached') attached = true;
        return f.event === 'deployment_success';
      },
      30_000,
    );
    await waitFor(() => attached, 30_000, 'the app event stream to attach');
    const scaled = await request(h.server)
      .post(h.api('/apps/scale'))
      .send({ configPath: '/app/live', instance: 'local', instances: 2 });
    expect(scaled.status).toBe(202);
    const { frames } = await feed;
    const types = frames.map(f => f.event);
    expect(types).toEqual(
      expect.arrayContaining([
        'deployment_info',
        'status_update_event',
        'deployment_success',
      ]),
    );
    expect(
      frames.find(f => f.event === 'status_update_event')!.data,
    ).toMatchObject({ appId: '/app/live', taskStatus: expect.any(String) });

    expect(
      (await request(h.server).get(h.api('/marathon/local/apps/App/Live')))
        .status,
    ).toBe(400);
    const missing = await request(h.server).get(
      h.api('/marathon/local/apps/no/such/app'),
    );
    expect(missing.status).toBe(404);
    expect(missing.body.error.message).toMatch(
      /App '\/no\/such\/app' does not exist/,
    );
  });

  it('reads task logs through the sandbox files API, tail and follow, behind archon.app.logs.read', async () => {
    await h.put('/app/logger', {
      'marathon.cmd':
        'i=0; while true; do echo "line $i"; echo "oops $i" >&2; i=$((i+1)); sleep 0.3; done',
      'marathon.cpus': '0.1',
      'marathon.mem': '32',
    });
    expect(
      (
        await deploy({
          configPath: '/app/logger',
          instance: 'local',
          wait: true,
        })
      ).body.status,
    ).toBe('succeeded');
    const tasks = await request(h.server).get(
      h.api('/marathon/local/apps/app/logger/tasks'),
    );
    const taskId = tasks.body.items[0].id;
    const url = h.api(`/marathon/local/apps/app/logger/tasks/${taskId}/logs`);
    const stdout = await waitFor(
      async () => {
        const r = await request(h.server).get(`${url}?file=stdout`);
        return /line 2/.test(r.body.data ?? '') ? r.body : undefined;
      },
      20_000,
      'three log lines',
    );
    expect(stdout).toMatchObject({
      taskId,
      file: 'stdout',
      host: '127.0.0.1',
      offset: 0,
    });
    const stderr = await request(h.server).get(`${url}?file=stderr&tail=7`);
    expect(stderr.body.data).toMatch(/\d+\n$/);
    expect(stderr.body.data.length).toBeLessThanOrEqual(7);
    expect(stderr.body.offset).toBe(stderr.body.size - 7);

    const followed = await collectSse(
      h.baseUrl,
      'GET',
      `${url}?follow=true&offset=${stdout.nextOffset}`,
      undefined,
      f =>
        f.event === 'log' &&
        /line/.test(f.data.data) &&
        f.data.offset > stdout.nextOffset,
      20_000,
    );
    expect(followed.frames[0]).toMatchObject({
      event: 'log',
      data: { offset: stdout.nextOffset },
    });
    expect(
      followed.frames.some(
        f => f.event === 'log' && /line \d+/.test(f.data.data),
      ),
    ).toBe(true);

    await h.put('/locked/logs', {
      'marathon.cmd': 'echo secret-stuff; sleep 1000',
      'marathon.cpus': '0.1',
      'marathon.mem': '32',
    });
    // Deploying under /locked is denied; put the app there through Marathon directly.
    await fetch(`${h.marathon.url}/v2/apps/locked/logs`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        cmd: 'echo secret-stuff; sleep 1000',
        cpus: 0.1,
        mem: 32,
        labels: { ARCHON_CONFIG_PATH: '/locked/logs' },
      }),
    });
    const lockedTask = await waitFor(
      async () =>
        (
          await request(h.server).get(
            h.api('/marathon/local/apps/locked/logs/tasks'),
          )
        ).body.items?.[0]?.id,
      20_000,
      'the locked app task',
    );
    const denied = await request(h.server).get(
      h.api(`/marathon/local/apps/locked/logs/tasks/${lockedTask}/logs`),
    );
    expect(denied.status).toBe(403);
    expect(denied.body.error.message).toMatch(
      /"archon.app.logs.read" on \/locked\/logs/,
    );
  });
});
