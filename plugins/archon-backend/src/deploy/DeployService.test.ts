import { mockServices } from '@backstage/backend-test-utils';
import type { ArchonDeployAdapter } from '@archon/plugin-archon-node';
import type { Knex } from 'knex';
import { fakeAdapter, fakeConfig } from '../__testUtils__/fakeDeploy';
import { memorySqlite } from '../__testUtils__/privatePostgres';
import { DeployFlowStore } from './store/DeployFlowStore';
import { DeployLockStore } from './store/DeployLockStore';
import { migrateDatabase } from '../database/migrateDatabase';
import type { ConfigService } from '../config/ConfigService';
import { DeployService } from './DeployService';

let db: { db: Knex; drop(): Promise<void> };
const services: DeployService[] = [];

beforeEach(async () => {
  db = await memorySqlite();
  await migrateDatabase({
    getClient: async () => db.db,
    migrations: { skip: false },
  });
});

afterEach(async () => {
  await Promise.all(services.splice(0).map(s => s.close()));
  await db.drop();
});

/** A DeployService on this test's database (several of them act as replicas, or as successive runs). */
function service(
  config: ReturnType<typeof fakeConfig>,
  adapter: ArchonDeployAdapter,
) {
  const created = new DeployService({
    config: config as unknown as ConfigService,
    adapters: [adapter],
    logger: mockServices.logger.mock(),
    defaultTimeoutMs: 1000,
    secretPatterns: ['password'],
    locks: new DeployLockStore(db.db),
    flows: new DeployFlowStore(db.db),
  });
  services.push(created);
  return created;
}

describe('DeployService', () => {
  it('records the release, holds the lock while the deploy runs, and records the outcome before the flow ends', async () => {
    const config = fakeConfig({ x: '1', 'db.password': 'p' });
    const { adapter, finishers } = fakeAdapter();
    const deploy = service(config, adapter);
    const flow = await deploy.deploy({
      configPath: '/a',
      instance: 'local',
      actor: 'me',
    });
    expect(flow.id).toMatch(/^rel-/);
    expect(config.releases.get(flow.id)).toMatchObject({
      status: 'deploying',
      outcome: { ref: { deploymentId: 'd-1' } },
    });

    await expect(
      deploy.deploy({ configPath: '/a', instance: 'local', actor: 'you' }),
    ).rejects.toMatchObject({
      name: 'DeploymentInProgressError',
      deployments: [
        { id: flow.id, source: 'archon' },
        { id: 'd-1', source: 'fake' },
      ],
    });
    await expect(
      deploy.operate({
        kind: 'restart',
        configPath: '/a',
        instance: 'local',
        actor: 'you',
      }),
    ).rejects.toMatchObject({ statusCode: 409 });
    // Another app is not held up.
    await deploy.deploy({ configPath: '/b', instance: 'local', actor: 'me' });

    finishers[0]({ result: 'failed', reason: 'unhealthy' });
    await flow.done;
    expect(flow.status).toBe('failed');
    expect(config.releases.get(flow.id)).toMatchObject({
      status: 'failed',
      outcome: { result: 'failed', reason: 'unhealthy' },
    });
    // Free again.
    await deploy.deploy({ configPath: '/a', instance: 'local', actor: 'me' });
    expect((await deploy.get(flow.id)).progress?.[0].message).toBe(
      `Release ${flow.id} of /a: deploying /a to local`,
    );
  });

  it('marks secret keys for masking, and rolls back to a snapshot', async () => {
    const config = fakeConfig({
      x: '1',
      'db.password': 'p',
      url: 'u:${db.password}',
    });
    const { adapter, finishers, rendered } = fakeAdapter({
      exists: true,
      configPath: '/a',
    });
    const deploy = service(config, adapter);
    const plan = await deploy.plan({ configPath: '/a', instance: 'local' });
    expect(plan.workload.secretFields.sort()).toEqual([
      'env.db.password',
      'env.url',
    ]);

    const first = await deploy.deploy({
      configPath: '/a',
      instance: 'local',
      actor: 'me',
    });
    finishers[0]({ result: 'succeeded' });
    await first.done;
    expect(config.releases.get(first.id)?.status).toBe('deployed');

    config.releases.get(first.id)!.properties.x = '1';
    const rollback = await deploy.rollback({
      releaseId: first.id,
      actor: 'me',
    });
    expect(rollback.kind).toBe('rollback');
    expect(config.releases.get(rollback.id)).toMatchObject({
      target: { rollbackOf: first.id, instance: 'local' },
    });
    expect(rendered[rendered.length - 1]).toMatchObject({ x: '1' });
    finishers[1]({ result: 'succeeded' });
    await rollback.done;
  });

  it('refuses what it must before recording anything', async () => {
    const config = fakeConfig({ x: '1' });
    const busy = service(
      config,
      fakeAdapter({ exists: true, configPath: '/a', deployments: ['m-1'] })
        .adapter,
    );
    await expect(
      busy.deploy({ configPath: '/a', instance: 'local', actor: 'me' }),
    ).rejects.toMatchObject({
      deployments: [{ id: 'm-1', source: 'fake' }],
    });
    const foreign = service(
      config,
      fakeAdapter({ exists: true, configPath: '/other' }).adapter,
    );
    await expect(
      foreign.deploy({ configPath: '/a', instance: 'local', actor: 'me' }),
    ).rejects.toThrow(/runs the configuration of \/other/);
    const unmanaged = service(config, fakeAdapter({ exists: true }).adapter);
    await expect(
      unmanaged.deploy({ configPath: '/a', instance: 'local', actor: 'me' }),
    ).rejects.toThrow(/not deployed by archon/);
    await expect(
      unmanaged.deploy({ configPath: '/a', instance: 'nope', actor: 'me' }),
    ).rejects.toThrow(/Unknown deploy target "nope"; configured: local/);
    expect(config.releases.size).toBe(0);
    // A lock that was refused is released.
    expect((await fakeDeployable(config)).status).toBe('running');
  });

  async function fakeDeployable(config: ReturnType<typeof fakeConfig>) {
    return service(config, fakeAdapter().adapter).deploy({
      configPath: '/a',
      instance: 'local',
      actor: 'me',
    });
  }

  it('settles releases a stopped run left open, from what the orchestrator shows', async () => {
    const config = fakeConfig({ x: '1' });
    // Both apps exist; both run the first release (so the second never made it to /b).
    let first = '';
    const runsIt = fakeAdapter(id => ({
      exists: true,
      configPath: id,
      releaseId: first,
      instances: 1,
      running: 1,
    }));
    const stopped = service(config, runsIt.adapter);
    first = (
      await stopped.deploy({ configPath: '/a', instance: 'local', actor: 'me' })
    ).id;
    const second = (
      await stopped.deploy({ configPath: '/b', instance: 'local', actor: 'me' })
    ).id;
    // While its run is alive (its locks live), a new one leaves them alone.
    expect(await service(config, runsIt.adapter).reconcile()).toEqual({
      deployed: [],
      failed: [],
    });
    // It stops: nothing follows them any more.
    await stopped.close();
    const restarted = service(config, runsIt.adapter);
    expect(await restarted.reconcile()).toEqual({
      deployed: [first],
      failed: [second],
    });
    expect(config.releases.get(first)).toMatchObject({
      status: 'deployed',
      outcome: { result: 'succeeded' },
    });
    expect(config.releases.get(second)?.outcome?.reason).toMatch(
      new RegExp(`now runs release ${first}`),
    );
    // The stored flows take the outcome of their releases.
    expect(await restarted.get(first)).toMatchObject({
      status: 'succeeded',
      outcome: { result: 'succeeded' },
    });
    expect(await restarted.get(second)).toMatchObject({ status: 'failed' });
  });
});
