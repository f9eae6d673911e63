import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import {
  collectSse,
  envServerCommand,
  startHarness,
  type Harness,
} from '../__testUtils__/harness';

jest.setTimeout(180_000);

/**
 * Two archon backends (replicas) sharing one database (SQLite files in one
 * directory), one ZooKeeper root and one local Marathon: a deploy running on
 * one is refused on the other with 409 naming it, and the other shows and
 * streams it from the database to its outcome.
 */
describe('deploying with two backend replicas', () => {
  let dbDir: string;
  let a: Harness;
  let b: Harness;
  const configPath = '/replicas/service-1';

  beforeAll(async () => {
    dbDir = fs.mkdtempSync(path.join(os.tmpdir(), 'archon-replicas-db-'));
    a = await startHarness({
      label: 'replicas',
      deploymentTimeoutMs: 12_000,
      sqliteDirectory: dbDir,
    });
    b = await startHarness({
      label: 'replicas',
      replicaOf: a,
      sqliteDirectory: dbDir,
    });
    const written = await a.put(configPath, {
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
    });
    if (written.status !== 200)
      throw new Error(
        `writing the configuration failed: ${JSON.stringify(written.body)}`,
      );
  });

  afterAll(async () => {
    await b?.stop();
    await a?.stop();
    fs.rmSync(dbDir, { recursive: true, force: true });
  });

  const deploy = (h: Harness, body: object = {}) =>
    request(h.server)
      .post(h.api('/deployments'))
      .send({ configPath, instance: 'local', ...body });

  it('refuses a deploy on one replica while the other runs one, and streams that one from the database', async () => {
    const first = await deploy(a);
    expect(first.status).toBe(202);
    const id = first.body.id as string;

    const refused = await deploy(b);
    expect(refused.status).toBe(409);
    expect(refused.body.error.message).toMatch(
      new RegExp(
        `already in progress \\(${id}, started by .* on backend replica `,
      ),
    );
    expect(refused.body.error.deployments).toEqual([
      { id, source: 'archon' },
      { id: first.body.ref.deploymentId, source: 'marathon' },
    ]);
    expect(await request(b.server).get(b.api(`/releases/${id}`))).toMatchObject(
      { status: 200, body: { status: 'deploying' } },
    );

    // B does not run it: it polls the database until the outcome.
    const { frames } = await collectSse(
      b.baseUrl,
      'GET',
      b.api(`/deployments/${id}/events`),
    );
    const progress = frames
      .filter(f => f.event === 'progress')
      .map(f => f.data.message as string);
    expect(progress[0]).toBe(
      `Release ${id} of ${configPath}: deploying /replicas/service-1 to local`,
    );
    expect(progress.some(m => /TASK_RUNNING on 127\.0\.0\.1:\d+/.test(m))).toBe(
      true,
    );
    expect(progress.some(m => /is healthy/.test(m))).toBe(true);
    expect(frames[frames.length - 1]).toMatchObject({
      event: 'result',
      data: { id, status: 'succeeded', outcome: { result: 'succeeded' } },
    });

    // The same flow, read on either replica.
    const onA = await request(a.server).get(a.api(`/deployments/${id}`));
    const onB = await request(b.server).get(b.api(`/deployments/${id}`));
    expect(onB.body).toMatchObject({
      id,
      status: 'succeeded',
      ref: first.body.ref,
    });
    expect(onB.body.progress.map((e: { seq: number }) => e.seq)).toEqual(
      onA.body.progress.map((e: { seq: number }) => e.seq),
    );
    expect(
      (
        await request(b.server).get(
          b.api(`/deployments?configPath=${configPath}`),
        )
      ).body.items.map((f: { id: string }) => f.id),
    ).toEqual([id]);

    // Free again, for the other replica too.
    const next = await deploy(b, { wait: true });
    expect(next.status).toBe(200);
    expect(next.body).toMatchObject({ status: 'succeeded' });
  });
});
