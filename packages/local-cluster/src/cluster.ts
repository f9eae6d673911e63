import path from 'node:path';
import { ClusterError, describeError } from './lib/errors';
import { acquireLock, HeldLock } from './lib/lock';
import { Artifacts, ensureArtifacts } from './lib/maven';
import { assertPortsFree } from './lib/ports';
import {
  fileSize,
  isGroupAlive,
  isProcessAlive,
  lastErrorLine,
  sleep,
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
  ClusterState,
  readState,
  removePidFile,
  ServiceName,
  ServiceRecord,
  writePidFile,
  writeState,
} from './lib/state';
import {
  SERVICE_DEFINITIONS,
  ServiceContext,
  ServiceDefinition,
} from './services';

/**
 * The orchestrator: start (or reuse), stop, restart and inspect services. Every
 * mutating operation holds the run folder's lock, so concurrent `start`s (two
 * terminals, jest workers, the backend's start script) never launch a second
 * copy of anything or write cluster.json at the same time.
 */

/** How often start-up health probes run, and how long one may take. */
const PROBE_INTERVAL_MS = 300;
const PROBE_TIMEOUT_MS = 3_000;
/** A live process of ours that is not healthy yet (an interrupted start) gets this long before we replace it. */
const REUSE_GRACE_MS = 30_000;

export interface StartResult {
  name: ServiceName;
  action: 'reused' | 'started';
  record: ServiceRecord;
  durationMs: number;
}

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

interface Session {
  settings: ClusterSettings;
  state: ClusterState;
  /** The jar cache, fetched at most once per session even when services start in parallel. */
  artifacts?: Promise<Artifacts>;
  /** Records of services stopped for a restart, so they come back on the same ports. */
  portHints: Partial<Record<ServiceName, ServiceRecord>>;
}

function context(session: Session, artifacts?: Artifacts): ServiceContext {
  return { settings: session.settings, state: session.state, artifacts };
}

function lockDir(settings: ClusterSettings): string {
  return path.join(settings.runDir, '.lock');
}

async function lockRunDir(
  settings: ClusterSettings,
  purpose: string,
): Promise<HeldLock> {
  return acquireLock(lockDir(settings), {
    purpose,
    onWait: owner =>
      settings.log(
        `waiting for another local-cluster command${
          owner ? ` (pid ${owner.pid}: ${owner.purpose})` : ''
        }…`,
      ),
  });
}

/** Runs `fn` with the run folder locked and cluster.json loaded. */
async function withSession<T>(
  settings: ClusterSettings,
  purpose: string,
  fn: (session: Session) => Promise<T>,
): Promise<T> {
  const lock = await lockRunDir(settings, purpose);
  try {
    const session: Session = {
      settings,
      state: readState(settings.runDir, settings.cacheDir),
      portHints: {},
    };
    session.state.cacheDir = settings.cacheDir;
    return await fn(session);
  } finally {
    lock.release();
  }
}

/** `names` plus everything they depend on, in start order. */
export function withDependencies(names: ServiceName[]): ServiceName[] {
  const wanted = new Set<ServiceName>();
  const add = (name: ServiceName) => {
    if (wanted.has(name)) return;
    SERVICE_DEFINITIONS[name].dependsOn.forEach(add);
    wanted.add(name);
  };
  names.forEach(add);
  return ALL_SERVICES.filter(n => wanted.has(n));
}

function forget(session: Session, name: ServiceName) {
  delete session.state.services[name];
  removePidFile(session.settings.runDir, name);
  writeState(session.state);
}

/**
 * Polls the probe until it passes, the process dies, or the deadline passes.
 * Returns the health, or the reason it is not healthy.
 */
async function waitHealthy(
  session: Session,
  def: ServiceDefinition,
  record: ServiceRecord,
  timeoutMs: number,
): Promise<
  { ok: true; version?: string } | { ok: false; reason: string; died: boolean }
> {
  const deadline = Date.now() + timeoutMs;
  let lastError = 'no probe yet';
  for (;;) {
    if (!isProcessAlive(record.pid)) {
      return { ok: false, reason: 'the process exited', died: true };
    }
    try {
      const health = await def.probe(
        context(session),
        record,
        PROBE_TIMEOUT_MS,
      );
      return { ok: true, version: health.version };
    } catch (error) {
      lastError = describeError(error);
    }
    if (Date.now() > deadline)
      return { ok: false, reason: lastError, died: false };
    await sleep(PROBE_INTERVAL_MS);
  }
}

async function stopRecorded(
  session: Session,
  def: ServiceDefinition,
): Promise<string> {
  const ctx = context(session);
  const record = session.state.services[def.name];
  const groups = new Set<number>();
  if (
    record &&
    isGroupAlive(record.pgid) &&
    def.isOurProcess(ctx, record.pid)
  ) {
    groups.add(record.pgid);
  }
  // Our processes whose pid file was lost still hold the ports: stop them too.
  for (const pid of def.findOrphans(ctx)) groups.add(pid);
  let outcome = 'not running';
  for (const pgid of groups) {
    const result = await stopProcessGroup(pgid, {
      signal: def.stopSignal,
      timeoutMs: def.stopTimeoutMs,
    });
    if (result !== 'not-running') outcome = result;
  }
  forget(session, def.name);
  return outcome;
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
async function startInSession(
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
async function allHealthy(
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

export async function startServices(
  names: ServiceName[],
  options: ClusterOptions = {},
): Promise<StartResult[]> {
  const settings = resolveSettings(options);
  return withSession(settings, `start ${names.join(' ')}`, session =>
    startInSession(session, names),
  );
}

/**
 * Starts what is not running, reusing what is. Returns the final state. Takes
 * no lock when everything is already up (cheap for many jest workers).
 */
export async function ensureServices(
  names: ServiceName[],
  options: ClusterOptions = {},
): Promise<ClusterState> {
  const settings = resolveSettings(options);
  if (await allHealthy(settings, names))
    return readState(settings.runDir, settings.cacheDir);
  return withSession(settings, `start ${names.join(' ')}`, async session => {
    await startInSession(session, names);
    return session.state;
  });
}

/** Stops services (all recorded ones when `names` is empty): Connect first, then the rest in parallel. */
export async function stopServices(
  names: ServiceName[] = [],
  options: ClusterOptions = {},
): Promise<Array<{ name: ServiceName; outcome: string }>> {
  const settings = resolveSettings(options);
  return withSession(
    settings,
    `stop ${names.join(' ') || 'all'}`,
    async session => {
      const targets = names.length ? names : ALL_SERVICES;
      const results: Array<{ name: ServiceName; outcome: string }> = [];
      const stopOne = async (name: ServiceName) => {
        const outcome = await stopRecorded(session, SERVICE_DEFINITIONS[name]);
        if (outcome !== 'not running' || names.length)
          settings.log(`${name}: ${outcome}`);
        results.push({ name, outcome });
      };
      // Connect depends on Kafka: stopping it first avoids a burst of reconnect errors.
      if (targets.includes('connect')) await stopOne('connect');
      await Promise.all(targets.filter(n => n !== 'connect').map(stopOne));
      return ALL_SERVICES.filter(n => targets.includes(n)).map(
        n => results.find(r => r.name === n)!,
      );
    },
  );
}

/** Stops one service and starts it again on the same ports; its dependencies are started if down. */
export async function restartServiceByName(
  name: ServiceName,
  options: ClusterOptions = {},
): Promise<StartResult> {
  const settings = resolveSettings(options);
  return withSession(settings, `restart ${name}`, async session => {
    const previous = session.state.services[name];
    // Remember the ports (e.g. a fallback AdminServer port) so clients find it again.
    if (previous) session.portHints[name] = previous;
    const outcome = await stopRecorded(session, SERVICE_DEFINITIONS[name]);
    settings.log(`${name}: ${outcome}`);
    const results = await startInSession(session, [name]);
    return results.find(r => r.name === name)!;
  });
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

function defaultPort(settings: ClusterSettings, name: ServiceName): number {
  return {
    zookeeper: settings.ports.zookeeper,
    kafka: settings.ports.kafka,
    connect: settings.ports.connect,
    postgres: settings.ports.postgres,
    marathon: settings.ports.marathon,
  }[name];
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
