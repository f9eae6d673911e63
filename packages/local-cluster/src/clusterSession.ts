import path from 'node:path';
import { describeError } from './lib/errors';
import { acquireLock, HeldLock } from './lib/lock';
import { Artifacts } from './lib/maven';
import {
  isGroupAlive,
  isProcessAlive,
  sleep,
  stopProcessGroup,
} from './lib/process';
import { ClusterSettings } from './lib/settings';
import {
  ALL_SERVICES,
  ClusterState,
  readState,
  removePidFile,
  ServiceName,
  ServiceRecord,
  writeState,
} from './lib/state';
import {
  SERVICE_DEFINITIONS,
  ServiceContext,
  ServiceDefinition,
} from './services';

/** How often start-up health probes run, and how long one may take. */
const PROBE_INTERVAL_MS = 300;
export const PROBE_TIMEOUT_MS = 3_000;

export interface Session {
  settings: ClusterSettings;
  state: ClusterState;
  /** The jar cache, fetched at most once per session even when services start in parallel. */
  artifacts?: Promise<Artifacts>;
  /** Records of services stopped for a restart, so they come back on the same ports. */
  portHints: Partial<Record<ServiceName, ServiceRecord>>;
}

export function context(
  session: Session,
  artifacts?: Artifacts,
): ServiceContext {
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
export async function withSession<T>(
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

export function forget(session: Session, name: ServiceName) {
  delete session.state.services[name];
  removePidFile(session.settings.runDir, name);
  writeState(session.state);
}

/**
 * Polls the probe until it passes, the process dies, or the deadline passes.
 * Returns the health, or the reason it is not healthy.
 */
export async function waitHealthy(
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

export async function stopRecorded(
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
