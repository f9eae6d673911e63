import { mockServices } from '@backstage/backend-test-utils';
import type {
  ArchonChangeHandle,
  ArchonDeployAdapter,
  ArchonDeployOutcome,
  ArchonWorkloadStatus,
} from '@archon/plugin-archon-node';
import type { Release } from '../../database/ReleaseStore';
import type { ConfigService } from '../ConfigService';
import { DeployService } from './DeployService';

/** Just enough of ConfigService: an in-memory release store and a fixed effective configuration. */
function fakeConfig(properties: Record<string, string>) {
  const releases = new Map<string, Release>();
  let n = 0;
  const make = (path: string, target: Record<string, unknown>, props: Record<string, string>): Release => {
    const release: Release = {
      id: `rel-${++n}`,
      ensemble: 'local',
      path,
      target,
      createdBy: 'me',
      createdAt: new Date().toISOString(),
      properties: { ...props },
      provenance: Object.fromEntries(Object.entries(props).map(([k, v]) => [k, { definedAt: path, raw: v, shadowed: [] }])),
      versions: {},
      status: 'created',
      updatedAt: new Date().toISOString(),
    };
    releases.set(release.id, release);
    return release;
  };
  const fake = {
    releases,
    ensemble: () => ({ config: { name: 'local' } }),
    effective: async (path: string) => ({
      path,
      properties,
      provenance: Object.fromEntries(Object.entries(properties).map(([k, v]) => [k, { definedAt: path, raw: v, shadowed: [] }])),
      versions: {},
    }),
    createRelease: async (o: { path: string; target: Record<string, unknown> }) => make(o.path, o.target, properties),
    createReleaseFromSnapshot: async (o: { from: Release; target: Record<string, unknown> }) => make(o.from.path, o.target, o.from.properties),
    getRelease: async (id: string) => releases.get(id)!,
    setReleaseStatus: async (id: string, status: Release['status'], outcome?: Record<string, unknown>) => {
      const r = releases.get(id)!;
      r.status = status;
      r.outcome = outcome;
    },
    listReleases: async (o: { status?: string }) => [...releases.values()].filter(r => !o.status || r.status === o.status),
  };
  return fake;
}

function fakeAdapter(status: Partial<ArchonWorkloadStatus> | ((id: string) => Partial<ArchonWorkloadStatus>) = {}) {
  const finishers: Array<(o: ArchonDeployOutcome) => void> = [];
  const rendered: Array<Record<string, string>> = [];
  const adapter: ArchonDeployAdapter = {
    kind: 'fake',
    targets: () => [{ name: 'local', kind: 'fake' }],
    workloadId: (_i, path) => path,
    render: r => {
      rendered.push({ ...r.properties });
      return {
        instance: r.instance,
        id: r.configPath,
        configPath: r.configPath,
        definition: { env: { ...r.properties }, release: r.releaseId },
        secretFields: Object.keys(r.properties).filter(k => r.isSecretKey?.(k)).map(k => `env.${k}`),
      };
    },
    diff: async () => ({ exists: false, changes: [] }),
    status: async ref => ({
      instance: ref.instance,
      id: ref.id,
      exists: false,
      state: 'missing',
      instances: 0,
      staged: 0,
      running: 0,
      healthy: 0,
      unhealthy: 0,
      deployments: [],
      ...(typeof status === 'function' ? status(ref.id) : status),
    }),
    deploy: async (): Promise<ArchonChangeHandle> => ({
      ref: { deploymentId: `d-${finishers.length + 1}` },
      done: new Promise(resolve => finishers.push(resolve)),
    }),
    scale: async () => ({ ref: {}, done: Promise.resolve({ result: 'succeeded' }) }),
    restart: async () => ({ ref: {}, done: Promise.resolve({ result: 'succeeded' }) }),
    destroy: async () => ({ ref: {}, done: Promise.resolve({ result: 'succeeded' }) }),
  };
  return { adapter, finishers, rendered };
}

function service(config: ReturnType<typeof fakeConfig>, adapter: ArchonDeployAdapter) {
  return new DeployService({
    config: config as unknown as ConfigService,
    adapters: [adapter],
    logger: mockServices.logger.mock(),
    defaultTimeoutMs: 1000,
    secretPatterns: ['password'],
  });
}

describe('DeployService', () => {
  it('records the release, holds the lock while the deploy runs, and records the outcome before the flow ends', async () => {
    const config = fakeConfig({ x: '1', 'db.password': 'p' });
    const { adapter, finishers } = fakeAdapter();
    const deploy = service(config, adapter);
    const flow = await deploy.deploy({ configPath: '/a', instance: 'local', actor: 'me' });
    expect(flow.id).toBe('rel-1');
    expect(config.releases.get('rel-1')).toMatchObject({ status: 'deploying', outcome: { ref: { deploymentId: 'd-1' } } });

    await expect(deploy.deploy({ configPath: '/a', instance: 'local', actor: 'you' })).rejects.toMatchObject({
      name: 'DeploymentInProgressError',
      deployments: [
        { id: 'rel-1', source: 'archon' },
        { id: 'd-1', source: 'fake' },
      ],
    });
    await expect(deploy.operate({ kind: 'restart', configPath: '/a', instance: 'local', actor: 'you' })).rejects.toMatchObject({ statusCode: 409 });
    // Another app is not held up.
    await deploy.deploy({ configPath: '/b', instance: 'local', actor: 'me' });

    finishers[0]({ result: 'failed', reason: 'unhealthy' });
    await flow.done;
    expect(flow.status).toBe('failed');
    expect(config.releases.get('rel-1')).toMatchObject({ status: 'failed', outcome: { result: 'failed', reason: 'unhealthy' } });
    // Free again.
    await deploy.deploy({ configPath: '/a', instance: 'local', actor: 'me' });
    expect((await deploy.get('rel-1')).progress?.[0].message).toMatch(/Release rel-1 of \/a/);
  });

  it('marks secret keys for masking, and rolls back to a snapshot', async () => {
    const config = fakeConfig({ x: '1', 'db.password': 'p', url: 'u:${db.password}' });
    const { adapter, finishers, rendered } = fakeAdapter({ exists: true, configPath: '/a' });
    const deploy = service(config, adapter);
    const plan = await deploy.plan({ configPath: '/a', instance: 'local' });
    expect(plan.workload.secretFields.sort()).toEqual(['env.db.password', 'env.url']);

    const first = await deploy.deploy({ configPath: '/a', instance: 'local', actor: 'me' });
    finishers[0]({ result: 'succeeded' });
    await first.done;
    expect(config.releases.get(first.id)?.status).toBe('deployed');

    config.releases.get(first.id)!.properties.x = '1';
    const rollback = await deploy.rollback({ releaseId: first.id, actor: 'me' });
    expect(rollback.kind).toBe('rollback');
    expect(config.releases.get(rollback.id)).toMatchObject({ target: { rollbackOf: first.id, instance: 'local' } });
    expect(rendered[rendered.length - 1]).toMatchObject({ x: '1' });
    finishers[1]({ result: 'succeeded' });
    await rollback.done;
  });

  it('refuses what it must before recording anything', async () => {
    const config = fakeConfig({ x: '1' });
    const busy = service(config, fakeAdapter({ exists: true, configPath: '/a', deployments: ['m-1'] }).adapter);
    await expect(busy.deploy({ configPath: '/a', instance: 'local', actor: 'me' })).rejects.toMatchObject({
      deployments: [{ id: 'm-1', source: 'fake' }],
    });
    const foreign = service(config, fakeAdapter({ exists: true, configPath: '/other' }).adapter);
    await expect(foreign.deploy({ configPath: '/a', instance: 'local', actor: 'me' })).rejects.toThrow(/runs the configuration of \/other/);
    const unmanaged = service(config, fakeAdapter({ exists: true }).adapter);
    await expect(unmanaged.deploy({ configPath: '/a', instance: 'local', actor: 'me' })).rejects.toThrow(/not deployed by archon/);
    await expect(unmanaged.deploy({ configPath: '/a', instance: 'nope', actor: 'me' })).rejects.toThrow(/Unknown deploy target "nope"; configured: local/);
    expect(config.releases.size).toBe(0);
    // A lock that was refused is released.
    expect((await fakeDeployable(config)).status).toBe('running');
  });

  async function fakeDeployable(config: ReturnType<typeof fakeConfig>) {
    return service(config, fakeAdapter().adapter).deploy({ configPath: '/a', instance: 'local', actor: 'me' });
  }

  it('settles releases a previous run left open, from what the orchestrator shows', async () => {
    const config = fakeConfig({ x: '1' });
    // Both apps exist; both run rel-1 (so rel-2 never made it to /b).
    const runsIt = fakeAdapter(id => ({ exists: true, configPath: id, releaseId: 'rel-1', instances: 1, running: 1 }));
    await service(config, runsIt.adapter).deploy({ configPath: '/a', instance: 'local', actor: 'me' });
    await service(config, runsIt.adapter).deploy({ configPath: '/b', instance: 'local', actor: 'me' });
    // A new process: nothing follows rel-1 / rel-2 any more.
    const settled = await service(config, runsIt.adapter).reconcile();
    expect(settled).toEqual({ deployed: ['rel-1'], failed: ['rel-2'] });
    expect(config.releases.get('rel-1')).toMatchObject({ status: 'deployed', outcome: { result: 'succeeded' } });
    expect(config.releases.get('rel-2')?.outcome?.reason).toMatch(/now runs release rel-1/);
  });
});
