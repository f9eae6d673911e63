/*
 * The Marathon routes while the (local) Marathon is frozen (SIGSTOP on a
 * private instance in its own process: the port accepts connections,
 * nothing answers): every route answers within the instance's deadline
 * + 2 s with 503/504 naming it, and after the thaw archon works again
 * without a restart.
 */
import crypto from 'node:crypto';
import { PrivateCluster, startPrivateCluster } from '@archon/local-cluster';
import archonPlugin from '@archon/plugin-archon-backend';
import { startArchonTestBackend } from '@archon/test-utils';
import request from 'supertest';
import { archonModuleMarathon } from '../module';
import { envServerCommand } from '../__testUtils__/harness';

jest.setTimeout(180_000);

const DEADLINE_S = 3;
const api = (path: string) => `/api/archon/marathon/private${path}`;

let cluster: PrivateCluster;
let backend: Awaited<ReturnType<typeof startArchonTestBackend>>;
let server: Parameters<typeof request>[0];

async function timed(req: request.Test) {
  const started = Date.now();
  const res = await Promise.resolve(req.timeout(30_000)).catch(
    (error: Error) => ({
      status: 0,
      body: { error: { message: String(error) } },
    }),
  );
  return {
    status: res.status,
    message: String(res.body?.error?.message ?? ''),
    ms: Date.now() - started,
  };
}

async function until(
  send: () => request.Test,
  ok: (status: number) => boolean,
) {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const res = await timed(send());
    if (ok(res.status) || Date.now() > deadline) return res;
    await new Promise(r => setTimeout(r, 200));
  }
}

/** An app whose health check never passes and is never killed for it: its deploy runs until stopped. */
async function writeNeverHealthyApp(configPath: string) {
  const written = await request(server)
    .put(`/api/archon/config/sets${configPath}`)
    .send({
      properties: {
        'marathon.cmd': envServerCommand(),
        'marathon.cpus': '0.01',
        'marathon.mem': '32',
        'marathon.env.HEALTH_STATUS': '503',
        'marathon.ports': 'http',
        'marathon.healthCheck.path': '/health',
        'marathon.healthCheck.gracePeriodSeconds': '1',
        'marathon.healthCheck.intervalSeconds': '1',
        'marathon.healthCheck.maxConsecutiveFailures': '1000',
      },
    });
  expect(written.status).toBe(200);
}

beforeAll(async () => {
  cluster = await startPrivateCluster(['marathon'], {
    label: 'marathon-deadline',
  });
  backend = await startArchonTestBackend({
    label: 'marathon-deadline',
    features: [archonPlugin, archonModuleMarathon],
    archon: {
      marathon: {
        requestTimeoutSeconds: DEADLINE_S,
        instances: [
          {
            name: 'private',
            url: cluster.info.marathon!.url,
            mesosAgentUrl: cluster.info.marathon!.url,
          },
        ],
      },
    },
  });
  server = backend.server;
});

afterAll(async () => {
  await backend?.stop();
  await cluster?.dispose();
});

it('answers every Marathon route within the deadline while Marathon is frozen, and recovers after the thaw', async () => {
  expect(
    (
      await until(
        () => request(server).get(api('/apps')),
        s => s === 200,
      )
    ).status,
  ).toBe(200);
  await cluster.freeze('marathon');
  const attempts: Array<[string, request.Test]> = [
    ['instance', request(server).get(api(''))],
    ['apps', request(server).get(api('/apps'))],
    ['app', request(server).get(api('/apps/nope'))],
    ['deployments', request(server).get(api('/deployments'))],
    ['queue', request(server).get(api('/queue'))],
  ];
  const answers = await Promise.all(
    attempts.map(async ([what, req]) => ({ what, ...(await timed(req)) })),
  );
  for (const { what, status, message, ms } of answers) {
    expect({
      what,
      status: [503, 504].includes(status) ? 'unavailable' : status,
    }).toEqual({ what, status: 'unavailable' });
    expect({ what, message }).toEqual({
      what,
      message: expect.stringMatching(/Marathon.*"private"|private.*Marathon/),
    });
    expect({ what, inTime: ms <= (DEADLINE_S + 2) * 1000 }).toEqual({
      what,
      inTime: true,
    });
  }
  await cluster.thaw('marathon');
  expect(
    (
      await until(
        () => request(server).get(api('/apps')),
        s => s === 200,
      )
    ).status,
  ).toBe(200);
});

/** Reads an event stream served by archon (GET, or POST with `body`) into `text` until `stop()`. */
function follow(path: string, body?: unknown) {
  const { port } = (
    server as unknown as import('node:http').Server
  ).address() as import('node:net').AddressInfo;
  const abort = new AbortController();
  const state = { status: 0, text: '', ended: false };
  const done = fetch(`http://127.0.0.1:${port}${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: {
      accept: 'text/event-stream',
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: abort.signal,
  })
    .then(async res => {
      state.status = res.status;
      const decoder = new TextDecoder();
      for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
        state.text += decoder.decode(chunk, { stream: true });
      }
    })
    .catch(() => undefined)
    .finally(() => {
      state.ended = true;
    });
  const waitFor = async (ok: () => boolean, ms: number) => {
    const deadline = Date.now() + ms;
    while (!ok() && Date.now() < deadline)
      await new Promise(r => setTimeout(r, 50));
    return ok();
  };
  const stop = async () => {
    abort.abort();
    await done;
  };
  return { state, waitFor, stop };
}

it('ends an app event stream with an error frame naming Marathon within the deadline when Marathon freezes, and attaches again after the thaw', async () => {
  const appId = `/deadline-${crypto.randomBytes(3).toString('hex')}`;
  const created = await fetch(`${cluster.info.marathon!.url}/v2/apps`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      id: appId,
      cmd: 'sleep 600',
      cpus: 0.01,
      mem: 16,
      instances: 0,
    }),
  });
  expect(created.status).toBe(201);
  const path = api(`/apps/${encodeURIComponent(appId)}/events`);
  const stream = follow(path);
  expect(
    await stream.waitFor(
      () => stream.state.text.includes('event: attached'),
      30_000,
    ),
  ).toBe(true);
  expect(stream.state.status).toBe(200);

  await cluster.freeze('marathon');
  const frozenAt = Date.now();
  try {
    expect(
      await stream.waitFor(() => stream.state.ended, (DEADLINE_S + 5) * 1000),
    ).toBe(true);
    const ms = Date.now() - frozenAt;
    const frame = stream.state.text
      .split('\n\n')
      .find(f => f.startsWith('event: error'));
    expect(frame).toMatch(
      /Marathon instance \\?"private\\?".*stopped answering/,
    );
    expect({ ms, inTime: ms <= (DEADLINE_S + 2) * 1000 }).toEqual({
      ms,
      inTime: true,
    });
  } finally {
    await stream.stop();
    await cluster.thaw('marathon');
  }

  // After the thaw a new stream attaches again, without restarting archon.
  const deadline = Date.now() + 60_000;
  let attached = false;
  while (!attached && Date.now() < deadline) {
    const again = follow(path);
    attached = await again.waitFor(
      () => again.state.text.includes('event: attached'),
      10_000,
    );
    await again.stop();
  }
  expect(attached).toBe(true);
});

/** The `data:` of the first frame named `event`, parsed. */
function frameOf(text: string, event: string): any {
  const frame = text.split('\n\n').find(f => f.startsWith(`event: ${event}\n`));
  return frame
    ? JSON.parse(frame.slice(frame.indexOf('data: ') + 6))
    : undefined;
}

it('ends a deploy-progress stream within the deadline when Marathon freezes, saying the outcome is unknown, and resumes after the thaw', async () => {
  const configPath = `/deadline/svc-${crypto.randomBytes(3).toString('hex')}`;
  // Never healthy and never killed for it: the deploy runs until we look again.
  await writeNeverHealthyApp(configPath);

  const stream = follow('/api/archon/deployments', {
    configPath,
    instance: 'private',
    timeoutSeconds: 300,
  });
  expect(
    await stream.waitFor(() => /TASK_RUNNING/.test(stream.state.text), 60_000),
  ).toBe(true);
  const id = frameOf(stream.state.text, 'accepted').id as string;

  await cluster.freeze('marathon');
  const frozenAt = Date.now();
  try {
    expect(
      await stream.waitFor(() => stream.state.ended, (DEADLINE_S + 5) * 1000),
    ).toBe(true);
    const ms = Date.now() - frozenAt;
    expect(frameOf(stream.state.text, 'error')).toMatchObject({
      system: 'marathon',
      instance: 'private',
      outcome: 'unknown',
      check: `GET /api/archon/deployments/${id}`,
      message: expect.stringMatching(
        /Marathon instance "private".*stopped answering.*is unknown/,
      ),
    });
    expect(frameOf(stream.state.text, 'result')).toBeUndefined();
    expect({ ms, inTime: ms <= (DEADLINE_S + 2) * 1000 }).toEqual({
      ms,
      inTime: true,
    });
    // The record says it is still running (not a success), and why.
    const record = await request(server).get(`/api/archon/deployments/${id}`);
    expect(record.body.status).toBe('running');
    expect(record.body.progress.map((e: { type: string }) => e.type)).toContain(
      'unreachable',
    );
    // While Marathon stays silent, a new stream ends at once with the same frame.
    const again = follow(`/api/archon/deployments/${id}/events`);
    expect(await again.waitFor(() => again.state.ended, 10_000)).toBe(true);
    expect(frameOf(again.state.text, 'error')).toMatchObject({
      outcome: 'unknown',
    });
  } finally {
    await stream.stop();
    await cluster.thaw('marathon');
  }

  // After the thaw archon follows the deploy again and says events may have
  // been missed; a new stream stays open and carries the deploy to its end.
  const deadline = Date.now() + 60_000;
  let next = follow(`/api/archon/deployments/${id}/events`);
  while (Date.now() < deadline) {
    const current = next;
    if (
      await current.waitFor(
        () =>
          /"type":"reachable"/.test(current.state.text) || current.state.ended,
        5_000,
      )
    ) {
      if (!current.state.ended) break;
    }
    await current.stop();
    next = follow(`/api/archon/deployments/${id}/events`);
  }
  try {
    expect(next.state.text).toMatch(/"type":"reachable".*may have been missed/);
    expect(next.state.ended).toBe(false);
    const cancelled = await request(server)
      .post(`/api/archon/deployments/${id}/cancel`)
      .send({});
    expect(cancelled.status).toBe(200);
    expect(await next.waitFor(() => next.state.ended, 60_000)).toBe(true);
    expect(frameOf(next.state.text, 'error')).toBeUndefined();
    expect(frameOf(next.state.text, 'result')).toMatchObject({ id });
  } finally {
    await next.stop();
  }
});

it('answers a deploy waited for as JSON with 503 "outcome unknown" within the deadline when Marathon freezes', async () => {
  const configPath = `/deadline/wait-${crypto.randomBytes(3).toString('hex')}`;
  // Never healthy: the deploy runs until Marathon stops answering.
  await writeNeverHealthyApp(configPath);

  const waited = timed(
    request(server).post('/api/archon/deployments').send({
      configPath,
      instance: 'private',
      timeoutSeconds: 300,
      wait: true,
    }),
  );
  // The flow is running on Marathon once a task runs.
  let id: string | undefined;
  const seenBy = Date.now() + 60_000;
  while (!id && Date.now() < seenBy) {
    const list = await request(server)
      .get('/api/archon/deployments')
      .query({ configPath, status: 'running' });
    const flow: { id: string } | undefined = list.body.items?.[0];
    if (flow) {
      const full = await request(server).get(
        `/api/archon/deployments/${flow.id}`,
      );
      if (/TASK_RUNNING/.test(JSON.stringify(full.body.progress ?? [])))
        id = flow.id;
    }
    if (!id) await new Promise(r => setTimeout(r, 300));
  }
  if (!id)
    throw new Error(
      `no running deploy seen; the waited answer: ${JSON.stringify(
        await waited,
      )}`,
    );

  await cluster.freeze('marathon');
  const frozenAt = Date.now();
  try {
    const answer = await waited;
    const ms = Date.now() - frozenAt;
    expect({ status: answer.status, message: answer.message }).toEqual({
      status: 503,
      message: expect.stringMatching(
        new RegExp(
          `Marathon instance "private".*stopped answering.*is unknown.*GET /api/archon/deployments/${id}`,
        ),
      ),
    });
    expect({ ms, inTime: ms <= (DEADLINE_S + 2) * 1000 }).toEqual({
      ms,
      inTime: true,
    });
  } finally {
    await cluster.thaw('marathon');
  }
  const cancelled = await until(
    () => request(server).post(`/api/archon/deployments/${id}/cancel`).send({}),
    status => status === 200,
  );
  expect(cancelled.status).toBe(200);
});

it('ends a task-log follow with the error frame naming Marathon within the deadline when Marathon freezes', async () => {
  const appId = `/logs-${crypto.randomBytes(3).toString('hex')}`;
  const created = await fetch(`${cluster.info.marathon!.url}/v2/apps`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      id: appId,
      cmd: 'while true; do echo tick; sleep 1; done',
      cpus: 0.01,
      mem: 16,
      instances: 1,
    }),
  });
  expect(created.status).toBe(201);
  const app = api(`/apps/${encodeURIComponent(appId)}`);
  const deadline = Date.now() + 60_000;
  let taskId: string | undefined;
  while (!taskId && Date.now() < deadline) {
    const res = await request(server).get(`${app}/tasks`);
    const tasks = (res.body.items ?? res.body ?? []) as Array<{
      id: string;
      state: string;
    }>;
    taskId = tasks.find(t => t.state === 'TASK_RUNNING')?.id;
    if (!taskId) await new Promise(r => setTimeout(r, 200));
  }
  expect(taskId).toBeDefined();
  const stream = follow(
    `${app}/tasks/${encodeURIComponent(taskId!)}/logs?follow=true`,
  );
  expect(
    await stream.waitFor(() => stream.state.text.includes('tick'), 30_000),
  ).toBe(true);

  await cluster.freeze('marathon');
  const frozenAt = Date.now();
  try {
    expect(
      await stream.waitFor(() => stream.state.ended, (DEADLINE_S + 5) * 1000),
    ).toBe(true);
    const ms = Date.now() - frozenAt;
    expect(frameOf(stream.state.text, 'error')).toMatchObject({
      system: 'marathon',
      instance: 'private',
      message: expect.stringMatching(/Marathon.*"private"|private.*Marathon/),
    });
    expect({ ms, inTime: ms <= (DEADLINE_S + 2) * 1000 }).toEqual({
      ms,
      inTime: true,
    });
  } finally {
    await stream.stop();
    await cluster.thaw('marathon');
  }
});
