import { ENVIRONMENTS, EnvironmentSpec } from './lib/environments';
import { LOOPBACK } from './lib/ports';
import { isProcessAlive } from './lib/process';
import { ClusterState, ServiceRecord } from './lib/state';
import {
  CONNECT_VERSION,
  KAFKA_VERSION,
  ZOOKEEPER_VERSION,
} from './lib/versions';
import { connectUrl } from './services/connect';
import { marathonUrl } from './services/marathon';
import { postgresConnectionString } from './services/postgres';

/** How to reach one environment's ZooKeeper, Kafka, Connect and Marathon. */
export interface EnvironmentInfo {
  zookeeper: {
    /** "127.0.0.1:2181" */
    connectionString: string;
    port: number;
    /** AdminServer (HTTP) port. */
    adminPort?: number;
    /** e.g. "3.9.5" (from `srvr`). */
    version: string;
  };
  kafka: {
    /** ["127.0.0.1:9092"] */
    brokers: string[];
    port: number;
    controllerPort?: number;
    version: string;
  };
  connect: {
    /** "http://127.0.0.1:8083" */
    url: string;
    port: number;
    version: string;
  };
  /** Present when the local Marathon-compatible server runs. */
  marathon?: {
    /** "http://127.0.0.1:8080" */
    url: string;
    port: number;
    version?: string;
  };
}

/**
 * How to reach the local cluster: what tests and the backend's start script
 * need. The top level is the `local` environment (as before there was a second
 * one); `dr` is the second environment when its ZooKeeper, Kafka and Connect run.
 */
export interface LocalClusterInfo extends EnvironmentInfo {
  /** Present when PostgreSQL runs (start --with-postgres / start postgres). */
  postgres?: {
    /** "postgresql://postgres@127.0.0.1:5433/postgres" */
    connectionString: string;
    port: number;
    version?: string;
  };
  /** The second environment (ports 2191, 9192, 8183, 8180 by default). */
  dr?: EnvironmentInfo;
  /** The run folder (logs, data, cluster.json). */
  runDir: string;
}

const live = (r?: ServiceRecord): r is ServiceRecord =>
  !!r && !!r.port && isProcessAlive(r.pid);

/** One environment's addresses; undefined unless its ZooKeeper, Kafka and Connect run. */
function environmentInfo(
  state: ClusterState,
  env: EnvironmentSpec,
): EnvironmentInfo | undefined {
  const zookeeper = state.services[env.services.zookeeper];
  const kafka = state.services[env.services.kafka];
  const connect = state.services[env.services.connect];
  const marathon = state.services[env.services.marathon];
  if (!live(zookeeper) || !live(kafka) || !live(connect)) return undefined;
  return {
    zookeeper: {
      connectionString: `${LOOPBACK}:${zookeeper.port}`,
      port: zookeeper.port,
      adminPort: zookeeper.ports.admin,
      version: zookeeper.version ?? ZOOKEEPER_VERSION,
    },
    kafka: {
      brokers: [`${LOOPBACK}:${kafka.port}`],
      port: kafka.port,
      controllerPort: kafka.ports.controller,
      version: kafka.version ?? KAFKA_VERSION,
    },
    connect: {
      url: connectUrl(connect.port),
      port: connect.port,
      version: connect.version ?? CONNECT_VERSION,
    },
    ...(live(marathon)
      ? {
          marathon: {
            url: marathonUrl(marathon.port),
            port: marathon.port,
            version: marathon.version,
          },
        }
      : {}),
  };
}

/**
 * Builds the info from cluster.json; undefined unless the local environment's
 * ZooKeeper, Kafka and Connect are all recorded with live processes.
 */
export function infoFromState(
  state: ClusterState,
): LocalClusterInfo | undefined {
  const local = environmentInfo(state, ENVIRONMENTS.local);
  if (!local) return undefined;
  const info: LocalClusterInfo = { ...local, runDir: state.runDir };
  const { postgres } = state.services;
  if (live(postgres)) {
    info.postgres = {
      connectionString: postgresConnectionString(postgres.port),
      port: postgres.port,
      version: postgres.version,
    };
  }
  const dr = environmentInfo(state, ENVIRONMENTS.dr);
  if (dr) info.dr = dr;
  return info;
}
