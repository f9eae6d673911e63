import fs from 'node:fs';
import path from 'node:path';
import {
  ENVIRONMENT_NAMES,
  ENVIRONMENTS,
  EnvironmentServiceName,
} from './environments';
import { writeFileAtomic } from './paths';
import { CONNECT_VERSION, KAFKA_VERSION, ZOOKEEPER_VERSION } from './versions';

/** Each environment's ZooKeeper, Kafka, Connect and Marathon (`kafka`, `kafka-dr`, ...), and PostgreSQL. */
export type ServiceName = 'postgres' | EnvironmentServiceName;
/**
 * Every service, in the order `status` lists them: local's with PostgreSQL
 * before its Marathon (the order they were added in), then each other
 * environment's.
 */
export const ALL_SERVICES: ServiceName[] = ENVIRONMENT_NAMES.flatMap(name => {
  const { zookeeper, kafka, connect, marathon } = ENVIRONMENTS[name].services;
  return name === 'local'
    ? [zookeeper, kafka, connect, 'postgres' as const, marathon]
    : [zookeeper, kafka, connect, marathon];
});
/** What `start` with no service names starts: both environments (PostgreSQL only on request). */
export const DEFAULT_SERVICES: ServiceName[] = ALL_SERVICES.filter(
  name => name !== 'postgres',
);

export function isServiceName(value: string): value is ServiceName {
  return (ALL_SERVICES as string[]).includes(value);
}

/** One running service as recorded in cluster.json. */
export interface ServiceRecord {
  pid: number;
  /** Process group (== pid: each service is started as its own session leader). */
  pgid: number;
  /** The main port clients use. */
  port: number;
  /** Every port it binds, by role (client, admin, controller, ...). */
  ports: Record<string, number>;
  version?: string;
  startedAt: string;
  /** When it first answered its health probe. */
  healthyAt?: string;
  logFile: string;
}

/** Contents of <run>/cluster.json. */
export interface ClusterState {
  formatVersion: 1;
  runDir: string;
  cacheDir: string;
  versions: {
    zookeeper: string;
    kafka: string;
    connect: string;
    postgres?: string;
  };
  services: Partial<Record<ServiceName, ServiceRecord>>;
  updatedAt: string;
}

export function stateFile(runDir: string): string {
  return path.join(runDir, 'cluster.json');
}

export function serviceDir(runDir: string, name: ServiceName): string {
  return path.join(runDir, name);
}

export function pidFile(runDir: string, name: ServiceName): string {
  return path.join(serviceDir(runDir, name), `${name}.pid`);
}

export function emptyState(runDir: string, cacheDir: string): ClusterState {
  return {
    formatVersion: 1,
    runDir,
    cacheDir,
    versions: {
      zookeeper: ZOOKEEPER_VERSION,
      kafka: KAFKA_VERSION,
      connect: CONNECT_VERSION,
    },
    services: {},
    updatedAt: new Date().toISOString(),
  };
}

export function readState(runDir: string, cacheDir = ''): ClusterState {
  try {
    const state = JSON.parse(
      fs.readFileSync(stateFile(runDir), 'utf8'),
    ) as ClusterState;
    if (state.formatVersion === 1 && state.services) return state;
  } catch {
    // missing or unreadable: start over (pid files still let us find running services)
  }
  const state = emptyState(runDir, cacheDir);
  // Recover pids from pid files when cluster.json is gone.
  for (const name of ALL_SERVICES) {
    const pid = readPidFile(runDir, name);
    if (pid) {
      state.services[name] = {
        pid,
        pgid: pid,
        port: 0,
        ports: {},
        startedAt: '',
        logFile: '',
      };
    }
  }
  return state;
}

export function writeState(state: ClusterState): void {
  state.updatedAt = new Date().toISOString();
  writeFileAtomic(
    stateFile(state.runDir),
    `${JSON.stringify(state, null, 2)}\n`,
  );
}

export function readPidFile(
  runDir: string,
  name: ServiceName,
): number | undefined {
  try {
    const pid = Number(fs.readFileSync(pidFile(runDir, name), 'utf8').trim());
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

export function writePidFile(
  runDir: string,
  name: ServiceName,
  pid: number,
): void {
  writeFileAtomic(pidFile(runDir, name), `${pid}\n`);
}

export function removePidFile(runDir: string, name: ServiceName): void {
  fs.rmSync(pidFile(runDir, name), { force: true });
}
