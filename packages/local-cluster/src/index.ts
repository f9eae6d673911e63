/**
 * @archon/local-cluster: a local ZooKeeper + Kafka (KRaft) + Kafka Connect
 * cluster, plus an optional PostgreSQL, on 127.0.0.1 for the demo and the tests.
 * See README.md for the CLI, folders, ports and environment variables.
 */
import {
  clusterStatus,
  ensureServices,
  restartServiceByName,
  ServiceStatus,
  startServices,
  StartResult,
  stopServices,
} from './cluster';
import { infoFromState, LocalClusterInfo } from './info';
import { ClusterError } from './lib/errors';
import { ensureArtifacts, Artifacts } from './lib/maven';
import { ClusterOptions, resolveSettings } from './lib/settings';
import { DEFAULT_SERVICES, readState, ServiceName } from './lib/state';

export type { LocalClusterInfo, EnvironmentInfo } from './info';
export { ENVIRONMENTS, ENVIRONMENT_NAMES } from './lib/environments';
export type { EnvironmentName, EnvironmentSpec } from './lib/environments';
export type { ClusterOptions, PortSettings } from './lib/settings';
export type { ServiceName, ServiceRecord, ClusterState } from './lib/state';
export type { ServiceStatus, ServiceState, StartResult } from './cluster';
export type { Artifacts } from './lib/maven';
export { ClusterError } from './lib/errors';
export { PORT_ENV, DEFAULT_PORTS } from './lib/settings';
export {
  ZOOKEEPER_VERSION,
  KAFKA_VERSION,
  CONNECT_VERSION,
} from './lib/versions';
export * as probes from './lib/probes';
export { findFreePort } from './lib/ports';

export interface EnsureOptions extends ClusterOptions {
  /** Also start PostgreSQL (not started by default). */
  withPostgres?: boolean;
}

/**
 * Starts both environments' ZooKeeper, Kafka, Connect and Marathon (and
 * PostgreSQL with `withPostgres`), or reuses them when they already run healthy;
 * resolves once all are healthy.
 */
export async function ensureLocalCluster(
  options: EnsureOptions = {},
): Promise<LocalClusterInfo> {
  const names: ServiceName[] = options.withPostgres
    ? [...DEFAULT_SERVICES, 'postgres']
    : DEFAULT_SERVICES;
  const state = await ensureServices(names, options);
  const info = infoFromState(state);
  if (!info) {
    throw new ClusterError(
      'the local cluster started but cluster.json does not list all services',
    );
  }
  return info;
}

/** Stops the given services, or every service of the run folder. */
export async function stopLocalCluster(
  services: ServiceName[] = [],
  options: ClusterOptions = {},
): Promise<void> {
  await stopServices(services, options);
}

/** Stops and starts one service (same ports), e.g. for fault tests; resolves when it is healthy again. */
export function restartService(
  name: ServiceName,
  options: ClusterOptions = {},
): Promise<StartResult> {
  return restartServiceByName(name, options);
}

/** Stops one service (its process group), leaving the others running. */
export async function stopService(
  name: ServiceName,
  options: ClusterOptions = {},
): Promise<void> {
  await stopServices([name], options);
}

/** Starts one service (and whatever it depends on), reusing it if it is already healthy. */
export async function startService(
  name: ServiceName,
  options: ClusterOptions = {},
): Promise<StartResult> {
  const results = await startServices([name], options);
  return results.find(r => r.name === name)!;
}

/**
 * The cluster as recorded in <run>/cluster.json, or undefined when ZooKeeper,
 * Kafka and Connect are not all running. Synchronous and cheap: it checks that
 * the recorded pids are alive but does not probe.
 */
export function readClusterInfo(
  options: ClusterOptions = {},
): LocalClusterInfo | undefined {
  const settings = resolveSettings(options);
  return infoFromState(readState(settings.runDir, settings.cacheDir));
}

/** Each service's state, port, version and log file (probes the running ones). */
export function getClusterStatus(
  options: ClusterOptions = {},
): Promise<ServiceStatus[]> {
  return clusterStatus(options);
}

/** Downloads the jars into the cache unless they are already there. */
export function fetchArtifacts(
  options: ClusterOptions & { force?: boolean } = {},
): Promise<Artifacts> {
  return ensureArtifacts(resolveSettings(options), { force: options.force });
}
export {
  assertPrivateInstance,
  freezeService,
  thawService,
  startPrivateCluster,
} from './faults';
export type { PrivateCluster } from './faults';
/** For what starts processes of its own beside a private cluster (e.g. a second portal). */
export { isGroupAlive, stopProcessGroup } from './lib/process';
