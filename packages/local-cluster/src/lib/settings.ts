import path from 'node:path';
import { ClusterError } from './errors';
import { findPackageRoot, findRepoRoot, mavenDir } from './paths';

/** Every port the cluster binds, all on 127.0.0.1. */
export interface PortSettings {
  zookeeper: number;
  /** ZooKeeper's AdminServer (HTTP). When not set explicitly, a free port is picked if 2182 is taken. */
  zookeeperAdmin: number;
  kafka: number;
  /** KRaft controller listener; defaults to the Kafka port + 1. */
  kafkaController: number;
  connect: number;
  postgres: number;
  /** The local Marathon-compatible server (packages/local-marathon). */
  marathon: number;
  /** The same for the second environment, `dr` (see environments.ts). */
  zookeeperDr: number;
  zookeeperAdminDr: number;
  kafkaDr: number;
  /** Defaults to the dr Kafka port + 1. */
  kafkaControllerDr: number;
  connectDr: number;
  marathonDr: number;
}

export type PortName = keyof PortSettings;

/** The environment variable that moves each port (named in port-taken errors). */
export const PORT_ENV: Record<PortName, string> = {
  zookeeper: 'ARCHON_ZK_PORT',
  zookeeperAdmin: 'ARCHON_ZK_ADMIN_PORT',
  kafka: 'ARCHON_KAFKA_PORT',
  kafkaController: 'ARCHON_KAFKA_CONTROLLER_PORT',
  connect: 'ARCHON_CONNECT_PORT',
  postgres: 'ARCHON_PG_PORT',
  marathon: 'ARCHON_MARATHON_PORT',
  zookeeperDr: 'ARCHON_DR_ZK_PORT',
  zookeeperAdminDr: 'ARCHON_DR_ZK_ADMIN_PORT',
  kafkaDr: 'ARCHON_DR_KAFKA_PORT',
  kafkaControllerDr: 'ARCHON_DR_KAFKA_CONTROLLER_PORT',
  connectDr: 'ARCHON_DR_CONNECT_PORT',
  marathonDr: 'ARCHON_DR_MARATHON_PORT',
};

export const DEFAULT_PORTS: Omit<
  PortSettings,
  'kafkaController' | 'kafkaControllerDr'
> = {
  zookeeper: 2181,
  zookeeperAdmin: 2182,
  kafka: 9092,
  connect: 8083,
  postgres: 5433,
  marathon: 8080,
  // dr: each local port + 10 (+ 100 for the HTTP/broker ones), so they read as a pair.
  zookeeperDr: 2191,
  zookeeperAdminDr: 2192,
  kafkaDr: 9192,
  connectDr: 8183,
  marathonDr: 8180,
};

/** Options accepted by every library entry point; anything left out comes from the environment. */
export interface ClusterOptions {
  /** Run folder (config, data, logs, pid files, cluster.json). Env: ARCHON_RUN_DIR. */
  runDir?: string;
  /** Jar cache folder. Env: ARCHON_CACHE_DIR. */
  cacheDir?: string;
  /** Port overrides; unset ones come from ARCHON_*_PORT or the defaults. */
  ports?: Partial<PortSettings>;
  /** Progress lines (the CLI prints them; the library is silent by default). */
  log?: (line: string) => void;
  /** Environment to read ARCHON_* from (defaults to process.env). */
  env?: NodeJS.ProcessEnv;
}

export interface ClusterSettings {
  packageRoot: string;
  repoRoot: string;
  mavenDir: string;
  runDir: string;
  cacheDir: string;
  ports: PortSettings;
  /** Ports the user chose (env or options): those are never swapped for a free one. */
  explicitPorts: Set<PortName>;
  log: (line: string) => void;
  env: NodeJS.ProcessEnv;
}

function parsePort(name: PortName, raw: string): number {
  const value = Number(raw);
  if (!/^\d+$/.test(raw.trim()) || value < 1 || value > 65535) {
    throw new ClusterError(
      `${PORT_ENV[name]} must be a port number between 1 and 65535, got '${raw}'`,
    );
  }
  return value;
}

export function resolveSettings(options: ClusterOptions = {}): ClusterSettings {
  const env = options.env ?? process.env;
  const packageRoot = findPackageRoot();
  const repoRoot = findRepoRoot(packageRoot);
  const explicitPorts = new Set<PortName>();

  const pick = (name: PortName, fallback: number): number => {
    const given = options.ports?.[name];
    if (given !== undefined) {
      explicitPorts.add(name);
      return parsePort(name, String(given));
    }
    const raw = env[PORT_ENV[name]];
    if (raw !== undefined && raw !== '') {
      explicitPorts.add(name);
      return parsePort(name, raw);
    }
    return fallback;
  };

  const kafka = pick('kafka', DEFAULT_PORTS.kafka);
  const kafkaDr = pick('kafkaDr', DEFAULT_PORTS.kafkaDr);
  const ports: PortSettings = {
    zookeeper: pick('zookeeper', DEFAULT_PORTS.zookeeper),
    zookeeperAdmin: pick('zookeeperAdmin', DEFAULT_PORTS.zookeeperAdmin),
    kafka,
    kafkaController: pick('kafkaController', kafka + 1),
    connect: pick('connect', DEFAULT_PORTS.connect),
    postgres: pick('postgres', DEFAULT_PORTS.postgres),
    marathon: pick('marathon', DEFAULT_PORTS.marathon),
    zookeeperDr: pick('zookeeperDr', DEFAULT_PORTS.zookeeperDr),
    zookeeperAdminDr: pick('zookeeperAdminDr', DEFAULT_PORTS.zookeeperAdminDr),
    kafkaDr,
    kafkaControllerDr: pick('kafkaControllerDr', kafkaDr + 1),
    connectDr: pick('connectDr', DEFAULT_PORTS.connectDr),
    marathonDr: pick('marathonDr', DEFAULT_PORTS.marathonDr),
  };

  const dir = (given: string | undefined, envName: string, fallback: string) =>
    path.resolve(given ?? (env[envName] || fallback));

  return {
    packageRoot,
    repoRoot,
    mavenDir: mavenDir(packageRoot),
    runDir: dir(
      options.runDir,
      'ARCHON_RUN_DIR',
      path.join(repoRoot, '.archon', 'run'),
    ),
    cacheDir: dir(
      options.cacheDir,
      'ARCHON_CACHE_DIR',
      path.join(repoRoot, '.archon', 'cache'),
    ),
    ports,
    explicitPorts,
    log: options.log ?? (() => {}),
    env,
  };
}
