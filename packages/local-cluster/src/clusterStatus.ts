import { describeError } from './lib/errors';
import { isProcessAlive } from './lib/process';
import { environmentServiceOf } from './lib/environments';
import {
  ClusterOptions,
  ClusterSettings,
  resolveSettings,
} from './lib/settings';
import { ALL_SERVICES, readState, ServiceName } from './lib/state';
import { SERVICE_DEFINITIONS } from './services';
import { context, PROBE_TIMEOUT_MS, Session } from './clusterSession';

/**
 * running: alive and healthy; unhealthy: alive but failing its probe; stopped: not
 * running; crashed: recorded but its process is gone (a stale pid file);
 * untracked: a process of this run folder with no record (cluster.json lost).
 */
export type ServiceState =
  | 'running'
  | 'unhealthy'
  | 'stopped'
  | 'crashed'
  | 'untracked';

export interface ServiceStatus {
  name: ServiceName;
  state: ServiceState;
  pid?: number;
  port: number;
  ports: Record<string, number>;
  version?: string;
  logFile: string;
  /** Why it is not running/healthy, when known. */
  detail?: string;
}

/** One service's state (no lock: read-only). */
async function inspect(
  session: Session,
  name: ServiceName,
): Promise<ServiceStatus> {
  const def = SERVICE_DEFINITIONS[name];
  const ctx = context(session);
  const record = session.state.services[name];
  const base = {
    name,
    port: record?.port || defaultPort(session.settings, name),
    ports: record?.ports ?? {},
    logFile: record?.logFile || def.logFile(ctx),
  };
  if (!record) {
    const [orphan] = def.findOrphans(ctx);
    if (orphan) {
      return {
        ...base,
        state: 'untracked',
        pid: orphan,
        version: def.knownVersion(ctx),
        detail: `pid ${orphan} runs without a record in cluster.json; 'start' restarts it, 'stop' stops it`,
      };
    }
    return { ...base, state: 'stopped', version: def.knownVersion(ctx) };
  }
  if (!isProcessAlive(record.pid) || !def.isOurProcess(ctx, record.pid)) {
    return {
      ...base,
      state: 'crashed',
      pid: record.pid,
      version: record.version ?? def.knownVersion(ctx),
      detail: `pid ${record.pid} is gone; 'start' cleans up`,
    };
  }
  try {
    const health = await def.probe(ctx, record, PROBE_TIMEOUT_MS);
    return {
      ...base,
      state: 'running',
      pid: record.pid,
      version: health.version ?? record.version,
    };
  } catch (error) {
    return {
      ...base,
      state: 'unhealthy',
      pid: record.pid,
      version: record.version ?? def.knownVersion(ctx),
      detail: describeError(error),
    };
  }
}

/** The port a service binds by default: its environment's setting of its kind, or PostgreSQL's. */
function defaultPort(settings: ClusterSettings, name: ServiceName): number {
  const service = environmentServiceOf(name);
  return settings.ports[service ? service.env.ports[service.kind] : 'postgres'];
}

export async function clusterStatus(
  options: ClusterOptions = {},
): Promise<ServiceStatus[]> {
  const settings = resolveSettings(options);
  const session: Session = {
    settings,
    state: readState(settings.runDir, settings.cacheDir),
    portHints: {},
  };
  return Promise.all(ALL_SERVICES.map(name => inspect(session, name)));
}

/** Pids of our processes for `name` in this run folder (for tests and diagnostics). */
export function ourProcesses(
  name: ServiceName,
  options: ClusterOptions = {},
): number[] {
  const settings = resolveSettings(options);
  const session: Session = {
    settings,
    state: readState(settings.runDir, settings.cacheDir),
    portHints: {},
  };
  return SERVICE_DEFINITIONS[name].findOrphans(context(session));
}
