/**
 * A fault harness for tests: freeze a service (SIGSTOP of its whole process
 * group: it keeps its sockets open but answers nothing, like a partition or
 * a long GC pause), thaw it (SIGCONT), stop and start it again — only ever
 * on a PRIVATE instance, a run folder of the test's own. The shared cluster
 * serves every other test file and the portal, so it is refused by name.
 *
 *   const cluster = await startPrivateCluster(['zookeeper'], { label: 'zk-faults' });
 *   await cluster.freeze('zookeeper');   // ... assert deadlines ...
 *   await cluster.thaw('zookeeper');
 *   await cluster.dispose();             // thaws, stops and removes everything
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startServices, stopServices } from './cluster';
import { ClusterError } from './lib/errors';
import { findFreePort } from './lib/ports';
import { isGroupAlive, sleep } from './lib/process';
import {
  ClusterOptions,
  PORT_ENV,
  PortName,
  PortSettings,
  resolveSettings,
} from './lib/settings';
import { readState, ServiceName } from './lib/state';
import { infoFromState, LocalClusterInfo } from './info';
import { SERVICE_DEFINITIONS } from './services';

/** The run folder of the shared cluster: what the environment (or the default) names. */
function sharedRunDir(options: ClusterOptions): string {
  return resolveSettings({ env: options.env }).runDir;
}

/** Throws unless `options` names a run folder other than the shared cluster's. */
export function assertPrivateInstance(
  options: ClusterOptions,
  what: string,
): string {
  if (!options.runDir) {
    throw new ClusterError(
      `refusing to ${what}: pass the runDir of a private instance (startPrivateCluster makes one); the shared cluster is never frozen or stopped by tests`,
    );
  }
  const runDir = resolveSettings(options).runDir;
  if (runDir === sharedRunDir(options)) {
    throw new ClusterError(
      `refusing to ${what}: ${runDir} is the shared cluster's run folder; use a private instance (startPrivateCluster)`,
    );
  }
  return runDir;
}

/** The recorded process group of `name` in a private run folder, checked to be ours. */
function serviceGroup(
  name: ServiceName,
  options: ClusterOptions,
  what: string,
): { pgid: number; pid: number } {
  const runDir = assertPrivateInstance(options, `${what} ${name}`);
  const record = readState(runDir).services[name];
  if (!record || !isGroupAlive(record.pgid)) {
    throw new ClusterError(
      `cannot ${what} ${name}: it is not running in ${runDir}`,
    );
  }
  // The service's own argv check, so a recycled pid of somebody else's is never signalled.
  const settings = resolveSettings(options);
  const ctx = { settings, state: readState(runDir) };
  if (!SERVICE_DEFINITIONS[name].isOurProcess(ctx, record.pid)) {
    throw new ClusterError(
      `cannot ${what} ${name}: pid ${record.pid} is not the ${name} of ${runDir}`,
    );
  }
  return { pgid: record.pgid, pid: record.pid };
}

/** pid → [state, ppid, pgrp] of every process, from /proc. */
function processTable(): Map<
  number,
  { state: string; ppid: number; pgrp: number }
> {
  const table = new Map<
    number,
    { state: string; ppid: number; pgrp: number }
  >();
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      table.set(Number(entry), {
        state: fields[0],
        ppid: Number(fields[1]),
        pgrp: Number(fields[2]),
      });
    } catch {
      // gone meanwhile
    }
  }
  return table;
}

/**
 * The service's processes: its process group, and every descendant of its
 * main process — PostgreSQL's backends call setsid() and leave the group,
 * yet a frozen PostgreSQL must not answer through them either.
 */
function serviceProcesses(pgid: number, pid: number): number[] {
  const table = processTable();
  const found = new Set<number>();
  for (const [p, info] of table) if (info.pgrp === pgid) found.add(p);
  const queue = [pid, ...found];
  while (queue.length) {
    const parent = queue.shift()!;
    for (const [p, info] of table) {
      if (info.ppid === parent && !found.has(p)) {
        found.add(p);
        queue.push(p);
      }
    }
  }
  found.add(pid);
  // Parents first: a stopped parent forks no new child meanwhile.
  return [...found]
    .filter(p => table.get(p)?.state !== 'Z')
    .sort((a, b) => a - b);
}

/** Signals every process of the service and waits (polling /proc, 5 s at most) until each shows the state. */
async function signalService(
  pgid: number,
  pid: number,
  signal: 'SIGSTOP' | 'SIGCONT',
): Promise<void> {
  const pids = serviceProcesses(pgid, pid);
  for (const p of pids) {
    try {
      process.kill(p, signal);
    } catch {
      // exited meanwhile
    }
  }
  const frozen = (s: string) => s === 'T' || s === 't';
  const deadline = Date.now() + 5_000;
  while (Date.now() < deadline) {
    const table = processTable();
    const states = pids
      .map(p => table.get(p)?.state)
      .filter((s): s is string => !!s && s !== 'Z');
    if (signal === 'SIGSTOP' ? states.every(frozen) : !states.some(frozen))
      return;
    await sleep(20);
  }
  throw new ClusterError(
    `the processes of group ${pgid} did not take ${signal} within 5 s`,
  );
}

/** Freezes a service of a private instance: every process of its group (and its descendants) gets SIGSTOP. */
export async function freezeService(
  name: ServiceName,
  options: ClusterOptions,
): Promise<void> {
  const { pgid, pid } = serviceGroup(name, options, 'freeze');
  await signalService(pgid, pid, 'SIGSTOP');
}

/** Thaws a frozen service of a private instance (SIGCONT to its group). */
export async function thawService(
  name: ServiceName,
  options: ClusterOptions,
): Promise<void> {
  const { pgid, pid } = serviceGroup(name, options, 'thaw');
  await signalService(pgid, pid, 'SIGCONT');
}

/** A cluster of the test's own: its run folder, free ports, and fault controls. */
export interface PrivateCluster {
  /** Pass to startService/stopService/restartService for this instance. */
  options: { runDir: string; cacheDir?: string; ports: Partial<PortSettings> };
  /** Connection details; services not started are absent or point nowhere. */
  info: LocalClusterInfo;
  freeze(name: ServiceName): Promise<void>;
  thaw(name: ServiceName): Promise<void>;
  stop(name: ServiceName): Promise<void>;
  /** Starts it again on the same ports; resolves when it is healthy. */
  start(name: ServiceName): Promise<void>;
  /** Thaws, stops everything and removes the run folder (logs go to `keepLogsIn` when given). */
  dispose(options?: { keepLogsIn?: string }): Promise<void>;
}

/**
 * Starts `services` (and what they depend on) in a fresh temporary run folder
 * on free ports, reusing the shared jar cache. Nothing of it touches the
 * shared cluster.
 */
export async function startPrivateCluster(
  services: ServiceName[],
  options: {
    label?: string;
    env?: NodeJS.ProcessEnv;
    log?: (line: string) => void;
  } = {},
): Promise<PrivateCluster> {
  const runDir = fs.mkdtempSync(
    path.join(os.tmpdir(), `archon-private-${options.label ?? 'cluster'}-`),
  );
  // mkdtemp makes it 0700; PostgreSQL runs as its own OS user when we are
  // root and must be able to enter it (to reach its data folder inside).
  fs.chmodSync(runDir, 0o711);
  // Every port setting, each environment's, on a free port of its own.
  const ports: Partial<PortSettings> = {};
  for (const setting of Object.keys(PORT_ENV) as PortName[]) {
    ports[setting] = await findFreePort();
  }
  const clusterOptions = { runDir, ports, env: options.env, log: options.log };
  const frozen = new Set<ServiceName>();
  try {
    await startServices(services, clusterOptions);
  } catch (error) {
    await stopServices([], clusterOptions).catch(() => {});
    fs.rmSync(runDir, { recursive: true, force: true });
    throw error;
  }
  const state = readState(runDir);
  const s = state.services;
  // infoFromState wants ZooKeeper, Kafka and Connect; a partial cluster still
  // gets addresses for what runs.
  const info: LocalClusterInfo = infoFromState(state) ?? {
    zookeeper: {
      connectionString: `127.0.0.1:${ports.zookeeper}`,
      port: ports.zookeeper!,
      version: s.zookeeper?.version ?? '',
    },
    kafka: {
      brokers: [`127.0.0.1:${ports.kafka}`],
      port: ports.kafka!,
      version: s.kafka?.version ?? '',
    },
    connect: {
      url: `http://127.0.0.1:${ports.connect}`,
      port: ports.connect!,
      version: s.connect?.version ?? '',
    },
    ...(s.postgres
      ? {
          postgres: {
            connectionString: `postgresql://postgres@127.0.0.1:${ports.postgres}/postgres`,
            port: ports.postgres!,
          },
        }
      : {}),
    ...(s.marathon
      ? {
          marathon: {
            url: `http://127.0.0.1:${ports.marathon}`,
            port: ports.marathon!,
          },
        }
      : {}),
    runDir,
  };
  const cluster: PrivateCluster = {
    options: { runDir, ports },
    info,
    async freeze(name) {
      await freezeService(name, clusterOptions);
      frozen.add(name);
    },
    async thaw(name) {
      await thawService(name, clusterOptions);
      frozen.delete(name);
    },
    async stop(name) {
      if (frozen.has(name)) await cluster.thaw(name);
      await stopServices([name], clusterOptions);
    },
    async start(name) {
      await startServices([name], clusterOptions);
    },
    async dispose({ keepLogsIn } = {}) {
      // A stopped process cannot run its shutdown hooks: thaw before stopping.
      for (const name of [...frozen]) await cluster.thaw(name).catch(() => {});
      await stopServices([], clusterOptions).catch(() => {});
      if (keepLogsIn) copyLogs(runDir, keepLogsIn);
      fs.rmSync(runDir, { recursive: true, force: true });
    },
  };
  return cluster;
}

function copyLogs(runDir: string, target: string) {
  for (const service of fs.readdirSync(runDir)) {
    const logs = path.join(runDir, service, 'logs');
    if (fs.existsSync(logs)) {
      fs.cpSync(logs, path.join(target, service), { recursive: true });
    }
  }
}
