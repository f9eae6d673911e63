import { LOOPBACK } from './lib/ports';
import { isProcessAlive } from './lib/process';
import { ClusterState } from './lib/state';
import {
  CONNECT_VERSION,
  KAFKA_VERSION,
  ZOOKEEPER_VERSION,
} from './lib/versions';
import { connectUrl } from './services/connect';
import { marathonUrl } from './services/marathon';
import { postgresConnectionString } from './services/postgres';

/** How to reach the local cluster: what tests and the backend's start script need. */
export interface LocalClusterInfo {
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
  /** Present when PostgreSQL runs (start --with-postgres / start postgres). */
  postgres?: {
    /** "postgresql://postgres@127.0.0.1:5433/postgres" */
    connectionString: string;
    port: number;
    version?: string;
  };
  /** Present when the local Marathon-compatible server runs. */
  marathon?: {
    /** "http://127.0.0.1:8080" */
    url: string;
    port: number;
    version?: string;
  };
  /** The run folder (logs, data, cluster.json). */
  runDir: string;
}

/**
 * Builds the info from cluster.json; undefined unless ZooKeeper, Kafka and
 * Connect are all recorded with live processes.
 */
export function infoFromState(
  state: ClusterState,
): LocalClusterInfo | undefined {
  const { zookeeper, kafka, connect, postgres, marathon } = state.services;
  const live = (r?: { pid: number; port: number }) =>
    !!r && !!r.port && isProcessAlive(r.pid);
  if (!live(zookeeper) || !live(kafka) || !live(connect)) return undefined;
  const info: LocalClusterInfo = {
    zookeeper: {
      connectionString: `${LOOPBACK}:${zookeeper!.port}`,
      port: zookeeper!.port,
      adminPort: zookeeper!.ports.admin,
      version: zookeeper!.version ?? ZOOKEEPER_VERSION,
    },
    kafka: {
      brokers: [`${LOOPBACK}:${kafka!.port}`],
      port: kafka!.port,
      controllerPort: kafka!.ports.controller,
      version: kafka!.version ?? KAFKA_VERSION,
    },
    connect: {
      url: connectUrl(connect!.port),
      port: connect!.port,
      version: connect!.version ?? CONNECT_VERSION,
    },
    runDir: state.runDir,
  };
  if (live(marathon)) {
    info.marathon = {
      url: marathonUrl(marathon!.port),
      port: marathon!.port,
      version: marathon!.version,
    };
  }
  if (live(postgres)) {
    info.postgres = {
      connectionString: postgresConnectionString(postgres!.port),
      port: postgres!.port,
      version: postgres!.version,
    };
  }
  return info;
}
