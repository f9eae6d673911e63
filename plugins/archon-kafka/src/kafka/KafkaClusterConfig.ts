import type { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';

/** One Kafka cluster from `archon.kafka.clusters[]`. */
export interface KafkaClusterConfig {
  name: string;
  brokers: string[];
  clientId: string;
  ssl?: boolean | { ca?: string; rejectUnauthorized?: boolean };
  sasl?: {
    mechanism: 'plain' | 'scram-sha-256' | 'scram-sha-512';
    username: string;
    password: string;
  };
  requestTimeoutMs: number;
}

/** One Connect cluster from `archon.kafkaConnect.clusters[]`. */
export interface ConnectClusterConfig {
  name: string;
  url: string;
  kafkaCluster?: string;
  auth?: { username?: string; password?: string; token?: string };
  requestTimeoutMs: number;
}

const NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;

function checkNames(section: string, names: string[]) {
  const seen = new Set<string>();
  for (const name of names) {
    if (!NAME.test(name)) {
      throw new InputError(
        `${section}: name "${name}" must be letters, digits, '_', '.' or '-'`,
      );
    }
    if (seen.has(name)) {
      throw new InputError(`${section}: the name "${name}" is used twice`);
    }
    seen.add(name);
  }
}

/** The deadline of every call when a cluster sets no `requestTimeoutMs`: 10 s. */
export const DEFAULT_REQUEST_TIMEOUT_MS = 10_000;

/** `<section>.requestTimeoutSeconds` (fractions allowed, for tests) in ms. */
function requestTimeoutMs(config: Config, section: string): number {
  const seconds = config.getOptionalNumber(`${section}.requestTimeoutSeconds`);
  if (seconds === undefined) return DEFAULT_REQUEST_TIMEOUT_MS;
  if (!(seconds > 0 && seconds <= 600)) {
    throw new InputError(
      `${section}.requestTimeoutSeconds must be a number of seconds above 0 and at most 600, not ${seconds}`,
    );
  }
  return Math.round(seconds * 1000);
}

/** Reads `archon.kafka.clusters`; a mistake fails start-up with a clear message. */
export function readKafkaClusters(config: Config): KafkaClusterConfig[] {
  const defaultKafka = requestTimeoutMs(config, 'archon.kafka');
  const clusters = (
    config.getOptionalConfigArray('archon.kafka.clusters') ?? []
  ).map(c => {
    const sslConfig = c.getOptional('ssl');
    const sasl = c.getOptionalConfig('sasl');
    return {
      name: c.getString('name'),
      brokers: c.getStringArray('brokers'),
      clientId: c.getOptionalString('clientId') ?? 'archon',
      ssl:
        typeof sslConfig === 'object'
          ? {
              ca: c.getOptionalString('ssl.ca'),
              rejectUnauthorized: c.getOptionalBoolean(
                'ssl.rejectUnauthorized',
              ),
            }
          : c.getOptionalBoolean('ssl'),
      sasl: sasl && {
        mechanism: sasl.getString('mechanism') as NonNullable<
          KafkaClusterConfig['sasl']
        >['mechanism'],
        username: sasl.getString('username'),
        password: sasl.getString('password'),
      },
      requestTimeoutMs: c.getOptionalNumber('requestTimeoutMs') ?? defaultKafka,
    };
  });
  checkNames(
    'archon.kafka.clusters',
    clusters.map(c => c.name),
  );
  return clusters;
}

/** Reads `archon.kafkaConnect.clusters` and checks their Kafka cluster names. */
export function readConnectClusters(
  config: Config,
  kafkaClusters: KafkaClusterConfig[],
): ConnectClusterConfig[] {
  const defaultConnect = requestTimeoutMs(config, 'archon.kafkaConnect');
  const clusters = (
    config.getOptionalConfigArray('archon.kafkaConnect.clusters') ?? []
  ).map(c => {
    const auth = c.getOptionalConfig('auth');
    const kafkaCluster = c.getOptionalString('kafkaCluster');
    const name = c.getString('name');
    if (kafkaCluster && !kafkaClusters.some(k => k.name === kafkaCluster)) {
      throw new InputError(
        `archon.kafkaConnect.clusters[${name}].kafkaCluster "${kafkaCluster}" is not in archon.kafka.clusters`,
      );
    }
    return {
      name,
      url: c.getString('url').replace(/\/+$/, ''),
      kafkaCluster,
      auth: auth && {
        username: auth.getOptionalString('username'),
        password: auth.getOptionalString('password'),
        token: auth.getOptionalString('token'),
      },
      requestTimeoutMs:
        c.getOptionalNumber('requestTimeoutMs') ?? defaultConnect,
    };
  });
  checkNames(
    'archon.kafkaConnect.clusters',
    clusters.map(c => c.name),
  );
  return clusters;
}
