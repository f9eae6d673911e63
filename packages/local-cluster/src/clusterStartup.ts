import { ClusterError } from './lib/errors';
import { Artifacts, ensureArtifacts } from './lib/maven';
import { assertPortsFree } from './lib/ports';
import {
  fileSize,
  isProcessAlive,
  lastErrorLine,
  spawnDetached,
  stopProcessGroup,
} from './lib/process';
import {
  ClusterOptions,
  ClusterSettings,
  resolveSettings,
} from './lib/settings';
import {
  ALL_SERVICES,
  readState,
  removePidFile,
  ServiceName,
  ServiceRecord,
  writePidFile,
  writeState,
} from './lib/state';
import { SERVICE_DEFINITIONS, ServiceDefinition } from './services';
import {
  context,
  forget,
  PROBE_TIMEOUT_MS,
  Session,
  stopRecorded,
  waitHealthy,
  withDependencies,
} from './clusterSession';

/** A live process of ours that is not healthy yet (an interrupted start) gets this long before we replace it. */
const REUSE_GRACE_MS = 30_000;

export interface StartResult {
  name: ServiceName;
  action: 'reused' | 'started';
  record: ServiceRecord;
  durationMs: number;
}

/** Set by interruptStart(): no new process is launched after it. */
let interrupted = false;

async function ensureServiceUp(
  session: Session,
  def: ServiceDefinition,
): Promise<StartResult> {
  const started = Date.now();
  const { settings, state } = session;
  const ctx = context(session);
  const previous = state.services[def.name];

  if (previous) {
    const ours =
      isProcessAlive(previous.pid) && def.isOurProcess(ctx, previous.pid);
    if (ours && previous.port) {
      // Ours and alive: reuse it once healthy (it may still be starting after an interrupted start).
      const health = await waitHealthy(session, def, previous, REUSE_GRACE_MS);
      if (health.ok) {
        if (health.version) previous.version = health.version;
        writeState(state);
        return {
          name: def.name,
          action: 'reused',
          record: previous,
          durationMs: Date.now() - started,
        };
      }
      settings.log(
        `${def.name}: pid ${previous.pid} is running but not healthy (${health.reason}); restarting it`,
      );
      await stopRecorded(session, def);
    } else if (ours) {
      // Known only from its pid file (cluster.json was lost): its ports are unknown, so restart it.
      settings.log(
        `${def.name}: restarting pid ${previous.pid} (cluster.json had no record of it)`,
      );
      await stopRecorded(session, def);
    } else {
      settings.log(
        `${def.name}: cleaning up after a previous run (pid ${previous.pid} is gone)`,
      );
      forget(session, def.name);
    }
  }
  for (const orphan of def.findOrphans(ctx)) {
    settings.log(
      `${def.name}: stopping an untracked process of this run folder (pid ${orphan})`,
    );
    await stopProcessGroup(orphan, {
      signal: def.stopSignal,
      timeoutMs: def.stopTimeoutMs,
    });
  }

  const plan = await def.planPorts(
    ctx,
    previous ?? session.portHints[def.name],
  );
  await assertPortsFree(plan.claims);
  let artifacts: Artifacts | undefined;
  if (def.usesJars) {
    session.artifacts ??= ensureArtifacts(settings);
    artifacts = await session.artifacts;
  }
  const spec = await def.prepare(context(session, artifacts), plan);
  if (interrupted) throw new ClusterError('start-up was interrupted');
  settings.log(`${def.name}: starting on 127.0.0.1:${plan.port}…`);
  const logStart = fileSize(def.logFile(ctx));
  const outStart = fileSize(spec.outFile);
  const { pid, pgid } = spawnDetached(spec);
  const record: ServiceRecord = {
    pid,
    pgid,
    port: plan.port,
    ports: plan.ports,
    version: def.knownVersion(ctx),
    startedAt: new Date().toISOString(),
    logFile: def.logFile(ctx),
  };
  state.services[def.name] = record;
  writePidFile(settings.runDir, def.name, pid);
  writeState(state);

  const health = await waitHealthy(session, def, record, def.startTimeoutMs);
  if (!health.ok) {
    const why =
      lastErrorLine(record.logFile, logStart) ??
      lastErrorLine(spec.outFile, outStart);
    await stopRecorded(session, def);
    throw new ClusterError(
      health.died
        ? `${def.name} exited during start-up${why ? `: ${why}` : ''}; see ${
            record.logFile
          } and ${spec.outFile}`
        : `${def.name} did not become healthy within ${Math.round(
            def.startTimeoutMs / 1000,
          )} s (${health.reason}); see ${record.logFile}`,
    );
  }
  if (health.version) record.version = health.version;
  record.healthyAt = new Date().toISOString();
  writeState(state);
  return {
    name: def.name,
    action: 'started',
    record,
    durationMs: Date.now() - started,
  };
}

/**
 * Starts `names` (and their dependencies), each as soon as its dependencies are
 * healthy: ZooKeeper, Kafka and PostgreSQL in parallel, Connect after Kafka.
 */
export async function startInSession(
  session: Session,
  names: ServiceName[],
): Promise<StartResult[]> {
  const order = withDependencies(names);
  const tasks = new Map<ServiceName, Promise<StartResult>>();
  for (const name of order) {
    const def = SERVICE_DEFINITIONS[name];
    const deps = def.dependsOn.map(dep => tasks.get(dep)!);
    tasks.set(
      name,
      Promise.all(deps).then(async () => {
        const result = await ensureServiceUp(session, def);
        session.settings.log(
          result.action === 'reused'
            ? `${name}: already running (pid ${result.record.pid}, port ${result.record.port})`
            : `${name}: healthy on 127.0.0.1:${result.record.port} (pid ${
                result.record.pid
              }) in ${(result.durationMs / 1000).toFixed(1)} s`,
        );
        return result;
      }),
    );
  }
  const settled = await Promise.allSettled(order.map(name => tasks.get(name)!));
  const failure = settled.find(s => s.status === 'rejected') as
    | PromiseRejectedResult
    | undefined;
  if (failure) throw failure.reason;
  return settled.map(s => (s as PromiseFulfilledResult<StartResult>).value);
}

/** Quick check without the lock: every named service is ours, alive and healthy. */
export async function allHealthy(
  settings: ClusterSettings,
  names: ServiceName[],
): Promise<boolean> {
  const session: Session = {
    settings,
    state: readState(settings.runDir, settings.cacheDir),
    portHints: {},
  };
  for (const name of withDependencies(names)) {
    const record = session.state.services[name];
    const def = SERVICE_DEFINITIONS[name];
    if (
      !record?.port ||
      !isProcessAlive(record.pid) ||
      !def.isOurProcess(context(session), record.pid)
    ) {
      return false;
    }
    try {
      await def.probe(context(session), record, PROBE_TIMEOUT_MS);
    } catch {
      return false;
    }
  }
  return true;
}

/**
 * For Ctrl-C during a start in this process (`start --foreground`): the start
 * holds the lock, so stopping through the lock would wait for it to finish.
 * Instead: launch nothing more, and stop every recorded service directly.
 */
export async function interruptStart(
  options: ClusterOptions = {},
): Promise<void> {
  interrupted = true;
  const settings = resolveSettings(options);
  const state = readState(settings.runDir, settings.cacheDir);
  await Promise.all(
    ALL_SERVICES.map(async name => {
      const record = state.services[name];
      const def = SERVICE_DEFINITIONS[name];
      if (!record) return;
      const ctx = context({ settings, state, portHints: {} });
      if (def.isOurProcess(ctx, record.pid)) {
        await stopProcessGroup(record.pgid, {
          signal: def.stopSignal,
          timeoutMs: def.stopTimeoutMs,
        });
      }
      delete state.services[name];
      removePidFile(settings.runDir, name);
      settings.log(`${name}: stopped`);
    }),
  );
  writeState(state);
}
