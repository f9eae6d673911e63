import { mockServices } from '@backstage/backend-test-utils';
import type { ArchonDeployAdapter } from '@archon/plugin-archon-node';
import type { Knex } from 'knex';
import { fakeAdapter, fakeConfig } from '../__testUtils__/fakeDeploy';
import {
  sharedPostgres,
  sharedSqliteFile,
  type SharedTestDatabase,
} from '../__testUtils__/sharedTestDatabase';
import { DeployFlowStore } from './store/DeployFlowStore';
import { DeployLockStore } from './store/DeployLockStore';
import type { ConfigService } from '../config/ConfigService';
import type { DeployFlowView, DeployProgressEvent } from './DeployFlow';
import { DeployService } from './DeployService';
import { waitFor } from '@archon/test-utils';

jest.setTimeout(60_000);

/**
 * Two backend replicas on one database (SQLite in a file, and the local
 * cluster's PostgreSQL), each a DeployService with its own database client.
 * The orchestrator is an adapter fake because these tests are about the lock
 * and the shared progress; the replicas share it and the release store, as
 * they would share Marathon and ZooKeeper. Real deploys across two test
 * backends are in plugins/archon-marathon/src/replicas.test.ts.
 */
describe.each([
  ['SQLite (file)', sharedSqliteFile],
  ['PostgreSQL', () => sharedPostgres('archon_replicas')],
])('DeployService replicas on %s', (_name, open) => {
  let database: SharedTestDatabase;
  let config: ReturnType<typeof fakeConfig>;
  let fake: ReturnType<typeof fakeAdapter>;
  let a: DeployService;
  let b: DeployService;
  let db: Knex;

  const replica = (
    replicaId: string,
    adapter: ArchonDeployAdapter = fake.adapter,
  ) => {
    const client = database.connect();
    return new DeployService({
      config: config as unknown as ConfigService,
      adapters: [adapter],
      logger: mockServices.logger.mock(),
      defaultTimeoutMs: 10_000,
      secretPatterns: ['password'],
      locks: new DeployLockStore(client),
      flows: new DeployFlowStore(client),
      replicaId,
      remotePollMs: 50,
    });
  };

  beforeAll(async () => {
    database = await open();
    db = database.connect();
  });

  afterAll(async () => {
    await database?.drop();
  });

  beforeEach(() => {
    config = fakeConfig({ x: '1' });
    fake = fakeAdapter();
    a = replica('replica-a');
    b = replica('replica-b');
  });

  afterEach(async () => {
    fake.finishers.forEach(finish => finish({ result: 'succeeded' }));
    await Promise.all([a.close(), b.close()]);
    await db('archon_deploy_locks').delete();
  });

  it('runs exactly one of two concurrent deploys of an app; the other gets 409 naming it, whichever replica runs it', async () => {
    const results = await Promise.allSettled([
      a.deploy({ configPath: '/same', instance: 'local', actor: 'alice' }),
      b.deploy({ configPath: '/same', instance: 'local', actor: 'bob' }),
    ]);
    const won = results.filter(r => r.status === 'fulfilled');
    const lost = results.filter(
      (r): r is PromiseRejectedResult => r.status === 'rejected',
    );
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(1);
    const running = (
      won[0] as PromiseFulfilledResult<
        Awaited<ReturnType<DeployService['deploy']>>
      >
    ).value;
    expect(lost[0].reason).toMatchObject({
      name: 'DeploymentInProgressError',
      statusCode: 409,
    });
    expect(lost[0].reason.deployments[0]).toEqual({
      id: running.id,
      source: 'archon',
    });
    expect(config.releases.size).toBe(1);

    // Once accepted, a refusal on the other replica names the orchestrator's deployment too.
    const other = running.actor === 'alice' ? b : a;
    await expect(
      other.deploy({ configPath: '/same', instance: 'local', actor: 'carol' }),
    ).rejects.toMatchObject({
      message: expect.stringMatching(
        new RegExp(
          `\\(${running.id}, started by ${running.actor} at .* on backend replica replica-[ab]\\)`,
        ),
      ),
      deployments: [
        { id: running.id, source: 'archon' },
        { id: 'd-1', source: 'fake' },
      ],
    });
    expect(
      (await other.status({ configPath: '/same', instance: 'local' }))
        .activeFlow,
    ).toBe(running.id);

    fake.finishers[0]({ result: 'succeeded' });
    await running.done;
    // Free for either replica.
    await expect(
      other.deploy({ configPath: '/same', instance: 'local', actor: 'carol' }),
    ).resolves.toMatchObject({ status: 'running' });
  });

  it('runs changes of different apps in parallel on both replicas', async () => {
    const [onA, onB] = await Promise.all([
      a.deploy({ configPath: '/one', instance: 'local', actor: 'alice' }),
      b.deploy({ configPath: '/two', instance: 'local', actor: 'bob' }),
    ]);
    expect([onA.status, onB.status]).toEqual(['running', 'running']);
    expect(
      await db('archon_deploy_locks')
        .orderBy('workload_id')
        .select('workload_id', 'flow_id', 'holder'),
    ).toEqual([
      { workload_id: '/one', flow_id: onA.id, holder: 'replica-a' },
      { workload_id: '/two', flow_id: onB.id, holder: 'replica-b' },
    ]);
  });

  it('takes over the lock of a crashed replica once its lease has expired, not before', async () => {
    const stale = {
      instance: 'local',
      workload_id: '/crashed',
      flow_id: 'rel-of-a-crashed-replica',
      kind: 'deploy',
      target_kind: 'fake',
      actor: 'dave',
      holder: 'replica-gone',
      acquired_at: new Date(Date.now() - 120_000),
      expires_at: new Date(Date.now() - 60_000),
    };
    await db('archon_deploy_locks').insert([
      stale,
      {
        ...stale,
        workload_id: '/alive',
        flow_id: 'rel-still-running',
        expires_at: new Date(Date.now() + 60_000),
      },
    ]);

    const flow = await a.deploy({
      configPath: '/crashed',
      instance: 'local',
      actor: 'alice',
    });
    expect(
      await db('archon_deploy_locks')
        .where({ workload_id: '/crashed' })
        .first(),
    ).toMatchObject({ flow_id: flow.id, holder: 'replica-a' });
    await expect(
      b.deploy({ configPath: '/alive', instance: 'local', actor: 'bob' }),
    ).rejects.toMatchObject({
      message: expect.stringMatching(
        /rel-still-running, started by dave .* on backend replica replica-gone/,
      ),
      deployments: [{ id: 'rel-still-running', source: 'archon' }],
    });
  });

  it('renews the lease of a running flow while it runs', async () => {
    const shortLease = new DeployService({
      config: config as unknown as ConfigService,
      adapters: [fake.adapter],
      logger: mockServices.logger.mock(),
      defaultTimeoutMs: 10_000,
      secretPatterns: [],
      locks: new DeployLockStore(database.connect()),
      flows: new DeployFlowStore(database.connect()),
      replicaId: 'replica-short',
      lockLeaseMs: 1000,
    });
    const flow = await shortLease.deploy({
      configPath: '/long',
      instance: 'local',
      actor: 'alice',
    });
    const first = (
      await db('archon_deploy_locks').where({ flow_id: flow.id }).first()
    ).expires_at;
    const renewed = await waitFor(async () => {
      const row = await db('archon_deploy_locks')
        .where({ flow_id: flow.id })
        .first();
      return new Date(row.expires_at) > new Date(first) ? row : undefined;
    });
    expect(renewed.holder).toBe('replica-short');
    await expect(
      b.deploy({ configPath: '/long', instance: 'local', actor: 'bob' }),
    ).rejects.toMatchObject({ statusCode: 409 });
    await shortLease.close();
    expect(await db('archon_deploy_locks').where({ flow_id: flow.id })).toEqual(
      [],
    );
  });

  it("start-up settling leaves a live replica's release alone and settles one whose lock expired", async () => {
    let runs = '';
    const shows = fakeAdapter(id => ({
      exists: true,
      configPath: id,
      releaseId: runs,
      instances: 1,
      running: 1,
    }));
    const live = replica('replica-live', shows.adapter);
    const liveFlow = await live.deploy({
      configPath: '/live',
      instance: 'local',
      actor: 'alice',
    });
    runs = liveFlow.id;
    // A replica that crashed while deploying /dead: its release is open, its lock has expired.
    const crashed = replica('replica-crashed', shows.adapter);
    const deadFlow = await crashed.deploy({
      configPath: '/dead',
      instance: 'local',
      actor: 'bob',
    });
    await db('archon_deploy_locks')
      .where({ flow_id: deadFlow.id })
      .update({ expires_at: new Date(Date.now() - 1000) });

    const starting = replica('replica-starting', shows.adapter);
    expect(await starting.reconcile()).toEqual({
      deployed: [],
      failed: [deadFlow.id],
    });
    expect(config.releases.get(liveFlow.id)?.status).toBe('deploying');
    expect(config.releases.get(deadFlow.id)).toMatchObject({
      status: 'failed',
      outcome: { reason: expect.stringMatching(/now runs release/) },
    });
    expect(await starting.get(deadFlow.id)).toMatchObject({ status: 'failed' });
    expect(await starting.get(liveFlow.id)).toMatchObject({
      status: 'running',
    });
    await Promise.all([live.close(), crashed.close(), starting.close()]);
    shows.finishers.forEach(finish => finish({ result: 'succeeded' }));
  });

  it('shows and streams a flow another replica runs, through to its outcome', async () => {
    const flow = await a.deploy({
      configPath: '/watched',
      instance: 'local',
      actor: 'alice',
    });
    const progress: DeployProgressEvent[] = [];
    let result: DeployFlowView | undefined;
    const ended = new Promise<void>(resolve => {
      void b.watch(
        flow.id,
        0,
        event => progress.push(event),
        view => {
          result = view;
          resolve();
        },
      );
    });
    fake.reporters[0]({
      type: 'task',
      message: 'Task t-1 TASK_RUNNING',
      data: { taskId: 't-1' },
    });
    fake.reporters[0]({
      type: 'health',
      message: 't-1 is healthy',
      data: { alive: true },
    });
    await waitFor(async () => progress.length >= 3);
    expect(await b.get(flow.id)).toMatchObject({
      id: flow.id,
      status: 'running',
      ref: { deploymentId: 'd-1' },
    });
    fake.finishers[0]({ result: 'succeeded', reason: '1 of 1 healthy' });
    await ended;

    expect(progress.map(e => [e.seq, e.message])).toEqual([
      [1, `Release ${flow.id} of /watched: deploying /watched to local`],
      [2, 'Task t-1 TASK_RUNNING'],
      [3, 't-1 is healthy'],
    ]);
    expect(result).toMatchObject({
      id: flow.id,
      status: 'succeeded',
      outcome: { result: 'succeeded', reason: '1 of 1 healthy' },
    });
    const onB = await b.get(flow.id);
    expect(onB).toEqual({
      ...flow.view(true),
      progress: flow.view(true).progress,
    });
    expect(
      (await b.list({ configPath: '/watched', limit: 10 })).map(f => [
        f.id,
        f.status,
      ]),
    ).toEqual([[flow.id, 'succeeded']]);

    // Resuming after a sequence number replays only what came after it.
    const resumed: number[] = [];
    await new Promise<void>(resolve => {
      void b.watch(
        flow.id,
        2,
        event => resumed.push(event.seq),
        () => resolve(),
      );
    });
    expect(resumed).toEqual([3]);
    await expect(
      b.watch(
        'op-unknown',
        0,
        () => undefined,
        () => undefined,
      ),
    ).rejects.toMatchObject({ name: 'NotFoundError' });
  });
});
