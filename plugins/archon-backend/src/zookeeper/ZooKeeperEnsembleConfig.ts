import type { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';

/** One ZooKeeper ensemble from `archon.zookeeper.ensembles[]`. */
export interface ZooKeeperEnsembleConfig {
  name: string;
  connectionString: string;
  /** Znode under which Pheidippides configuration paths live. */
  root: string;
  encoding: 'json' | 'properties';
  sessionTimeoutMs: number;
  /**
   * The deadline of every call to this ensemble: a request answers 503/504
   * by then at the latest, whatever ZooKeeper does. Default
   * {@link DEFAULT_ZOOKEEPER_REQUEST_TIMEOUT_MS}.
   */
  requestTimeoutMs?: number;
  /** host:port pairs parsed from the connection string (chroot removed). */
  servers: Array<{ host: string; port: number }>;
}

/** `archon.zookeeper.requestTimeoutSeconds` when not set: 10 s. */
export const DEFAULT_ZOOKEEPER_REQUEST_TIMEOUT_MS = 10_000;

const NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;

/** Reads and checks `archon.zookeeper`, so a typo fails at start-up with a clear message. */
export function readZooKeeperEnsembles(config: Config): {
  ensembles: ZooKeeperEnsembleConfig[];
  defaultEnsemble?: string;
} {
  const section = config.getOptionalConfig('archon.zookeeper');
  if (!section) return { ensembles: [] };
  const requestTimeoutMs = readTimeoutSeconds(
    section,
    'requestTimeoutSeconds',
    'archon.zookeeper',
  );
  const ensembles = section.getConfigArray('ensembles').map(e => {
    const name = e.getString('name');
    if (!NAME.test(name)) {
      throw new InputError(
        `archon.zookeeper.ensembles: name "${name}" must be letters, digits, '_', '.' or '-'`,
      );
    }
    const connectionString = e.getString('connectionString');
    const root = e.getOptionalString('root') ?? '/pheidippides';
    if (!/^(\/[A-Za-z0-9_.-]+)+$/.test(root)) {
      throw new InputError(
        `archon.zookeeper.ensembles[${name}].root "${root}" must be an absolute znode path like /pheidippides`,
      );
    }
    const encoding = (e.getOptionalString('encoding') ?? 'json') as
      | 'json'
      | 'properties';
    if (encoding !== 'json' && encoding !== 'properties') {
      throw new InputError(
        `archon.zookeeper.ensembles[${name}].encoding must be json or properties`,
      );
    }
    return {
      name,
      connectionString,
      root,
      encoding,
      sessionTimeoutMs: e.getOptionalNumber('sessionTimeoutMs') ?? 15000,
      requestTimeoutMs:
        readTimeoutSeconds(
          e,
          'requestTimeoutSeconds',
          `archon.zookeeper.ensembles[${name}]`,
        ) ??
        requestTimeoutMs ??
        DEFAULT_ZOOKEEPER_REQUEST_TIMEOUT_MS,
      servers: parseConnectionString(connectionString, name),
    };
  });
  const names = new Set<string>();
  for (const e of ensembles) {
    if (names.has(e.name)) {
      throw new InputError(
        `archon.zookeeper.ensembles: the name "${e.name}" is used twice`,
      );
    }
    names.add(e.name);
  }
  const defaultEnsemble = section.getOptionalString('defaultEnsemble');
  if (defaultEnsemble && !names.has(defaultEnsemble)) {
    throw new InputError(
      `archon.zookeeper.defaultEnsemble "${defaultEnsemble}" is not one of ${[
        ...names,
      ].join(', ')}`,
    );
  }
  return { ensembles, defaultEnsemble };
}

function parseConnectionString(
  connectionString: string,
  ensemble: string,
): Array<{ host: string; port: number }> {
  const hosts = connectionString.split('/')[0];
  return hosts.split(',').map(part => {
    const [host, portText] = part.trim().split(':');
    const port = portText ? Number(portText) : 2181;
    if (!host || !Number.isInteger(port) || port <= 0 || port > 65535) {
      throw new InputError(
        `archon.zookeeper.ensembles[${ensemble}].connectionString: "${part}" is not host:port`,
      );
    }
    return { host, port };
  });
}

/** A positive number of seconds (fractions allowed, for tests) as ms, or undefined when not set. */
function readTimeoutSeconds(
  config: Config,
  key: string,
  where: string,
): number | undefined {
  const seconds = config.getOptionalNumber(key);
  if (seconds === undefined) return undefined;
  if (!(seconds > 0 && seconds <= 600)) {
    throw new InputError(
      `${where}.${key} must be a number of seconds above 0 and at most 600, not ${seconds}`,
    );
  }
  return Math.round(seconds * 1000);
}
