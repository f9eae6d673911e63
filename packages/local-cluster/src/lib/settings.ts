import path from 'node:path';
import {
  ENVIRONMENT_NAMES,
  ENVIRONMENTS,
  EnvironmentPortName,
  PORT_ROLES,
  PortRole,
} from './environments';
import { ClusterError } from './errors';
import { findPackageRoot, findRepoRoot, mavenDir } from './paths';

/**
 * Every port the cluster binds, all on 127.0.0.1: PostgreSQL's and each
 * environment's (environments.ts: `zookeeper`, `zookeeperAdmin`, `kafka`,
 * `kafkaController`, `connect`, `marathon`; dr's with `Dr` appended).
 */
export type PortName = 'postgres' | EnvironmentPortName;
export type PortSettings = Record<PortName, number>;

/** The variable of each port role, after its environment's prefix (`ARCHON_`, `ARCHON_DR_`). */
const ROLE_VARIABLES: Record<PortRole, string> = {
  zookeeper: 'ZK_PORT',
  zookeeperAdmin: 'ZK_ADMIN_PORT',
  kafka: 'KAFKA_PORT',
  kafkaController: 'KAFKA_CONTROLLER_PORT',
  connect: 'CONNECT_PORT',
  marathon: 'MARATHON_PORT',
};

/** Each environment's port settings, `local` first, each a broker's before its controller's. */
const ENVIRONMENT_PORTS = ENVIRONMENT_NAMES.flatMap(name =>
  PORT_ROLES.map(role => ({
    env: ENVIRONMENTS[name],
    role,
    setting: ENVIRONMENTS[name].ports[role],
  })),
);

/** The environment variable that moves each port (named in port-taken errors). */
export const PORT_ENV = {
  postgres: 'ARCHON_PG_PORT',
  ...Object.fromEntries(
    ENVIRONMENT_PORTS.map(({ env, role, setting }) => [
      setting,
      `${env.variablePrefix}${ROLE_VARIABLES[role]}`,
    ]),
  ),
} as Record<PortName, string>;

type ControllerPortName = `kafkaController${string}`;

/** The default ports (5433 so a system PostgreSQL on 5432 does not clash); controllers: resolveSettings. */
export const DEFAULT_PORTS = {
  postgres: 5433,
  ...Object.fromEntries(
    ENVIRONMENT_PORTS.flatMap(({ env, role, setting }) =>
      role === 'kafkaController' ? [] : [[setting, env.defaultPorts[role]]],
    ),
  ),
} as Record<Exclude<PortName, ControllerPortName>, number>;

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

  const ports = {
    postgres: pick('postgres', DEFAULT_PORTS.postgres),
  } as PortSettings;
  for (const { env: environment, role, setting } of ENVIRONMENT_PORTS) {
    ports[setting] =
      role === 'kafkaController'
        ? pick(setting, ports[environment.ports.kafka] + 1)
        : pick(
            setting,
            DEFAULT_PORTS[setting as Exclude<PortName, ControllerPortName>],
          );
  }

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
