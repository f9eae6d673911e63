import type {
  ArchonChangeHandle,
  ArchonChangeOptions,
  ArchonDeployAdapter,
  ArchonDeployOutcome,
  ArchonWorkloadStatus,
} from '@archon/plugin-archon-node';
import { NotFoundError } from '@backstage/errors';
import type { Release } from '../deploy/store/ReleaseStore';

/**
 * Just enough of ConfigService for the deploy flow (an in-memory release
 * store and a fixed effective configuration); replicas in one test share it.
 */
export function fakeConfig(properties: Record<string, string>) {
  const releases = new Map<string, Release>();
  let n = 0;
  const make = (
    path: string,
    target: Record<string, unknown>,
    props: Record<string, string>,
    id?: string,
  ): Release => {
    const release: Release = {
      id: id ?? `rel-${++n}`,
      ensemble: 'local',
      path,
      target,
      createdBy: 'me',
      createdAt: new Date().toISOString(),
      properties: { ...props },
      provenance: Object.fromEntries(
        Object.entries(props).map(([k, v]) => [
          k,
          { definedAt: path, raw: v, shadowed: [] },
        ]),
      ),
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
      provenance: Object.fromEntries(
        Object.entries(properties).map(([k, v]) => [
          k,
          { definedAt: path, raw: v, shadowed: [] },
        ]),
      ),
      versions: {},
    }),
    createRelease: async (o: {
      path: string;
      target: Record<string, unknown>;
      id?: string;
    }) => make(o.path, o.target, properties, o.id),
    createReleaseFromSnapshot: async (o: {
      from: Release;
      target: Record<string, unknown>;
      id?: string;
    }) => make(o.from.path, o.target, o.from.properties, o.id),
    getRelease: async (id: string) => {
      const release = releases.get(id);
      if (!release) throw new NotFoundError(`There is no release ${id}`);
      return release;
    },
    setReleaseStatus: async (
      id: string,
      status: Release['status'],
      outcome?: Record<string, unknown>,
    ) => {
      const r = releases.get(id)!;
      r.status = status;
      r.outcome = outcome;
    },
    listReleases: async (o: { status?: string }) =>
      [...releases.values()].filter(r => !o.status || r.status === o.status),
  };
  return fake;
}

/**
 * An adapter fake for tests about the flow itself (locking, recording,
 * replicas): changes end when the test calls `finishers[i]`, progress is
 * reported through `reporters[i]`. Real deploys are tested against a local
 * Marathon in plugins/archon-marathon.
 */
export function fakeAdapter(
  status:
    | Partial<ArchonWorkloadStatus>
    | ((id: string) => Partial<ArchonWorkloadStatus>) = {},
) {
  const finishers: Array<(o: ArchonDeployOutcome) => void> = [];
  const reporters: Array<ArchonChangeOptions['onProgress']> = [];
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
        definition: {
          id: r.configPath,
          env: { ...r.properties },
          release: r.releaseId,
        },
        secretFields: Object.keys(r.properties)
          .filter(k => r.isSecretKey?.(k))
          .map(k => `env.${k}`),
        instances: r.scaledInstances ?? 1,
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
    deploy: async (_workload, options): Promise<ArchonChangeHandle> => {
      reporters.push(options.onProgress);
      return {
        ref: { deploymentId: `d-${finishers.length + 1}` },
        done: new Promise(resolve => finishers.push(resolve)),
      };
    },
    scale: async () => ({
      ref: {},
      done: Promise.resolve({ result: 'succeeded' }),
    }),
    restart: async () => ({
      ref: {},
      done: Promise.resolve({ result: 'succeeded' }),
    }),
    destroy: async () => ({
      ref: {},
      done: Promise.resolve({ result: 'succeeded' }),
    }),
  };
  return { adapter, finishers, reporters, rendered };
}
