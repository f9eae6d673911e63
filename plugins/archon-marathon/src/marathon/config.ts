import type { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';

/** One Marathon instance from `archon.marathon.instances[]`. */
export interface MarathonInstanceConfig {
  name: string;
  url: string;
  auth?: { username?: string; password?: string; token?: string };
  requestTimeoutMs: number;
  /** `{host}` is replaced by a task's host. */
  mesosAgentUrl: string;
  /** '' or an absolute group id without trailing slash, e.g. `/archon`. */
  appIdPrefix: string;
  limits: { cpus: number; mem: number; disk: number; instances: number };
  /** The Kafka cluster the apps of this instance use unless their configuration says `kafka.cluster`. */
  kafkaCluster?: string;
}

const NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;

/** Reads `archon.marathon.instances`; a mistake fails start-up with a clear message. */
export function readMarathonInstances(
  config: Config,
): MarathonInstanceConfig[] {
  const seen = new Set<string>();
  // The deadline of every call when an instance sets no requestTimeoutMs (#22).
  const timeoutSeconds =
    config.getOptionalNumber('archon.marathon.requestTimeoutSeconds') ?? 10;
  if (!(timeoutSeconds > 0 && timeoutSeconds <= 600)) {
    throw new InputError(
      `archon.marathon.requestTimeoutSeconds must be a number of seconds above 0 and at most 600, not ${timeoutSeconds}`,
    );
  }
  const kafkaClusters = (
    config.getOptionalConfigArray('archon.kafka.clusters') ?? []
  ).map(k => k.getString('name'));
  return (config.getOptionalConfigArray('archon.marathon.instances') ?? []).map(
    c => {
      const name = c.getString('name');
      if (!NAME.test(name)) {
        throw new InputError(
          `archon.marathon.instances: name "${name}" must be letters, digits, '_', '.' or '-'`,
        );
      }
      if (seen.has(name))
        throw new InputError(
          `archon.marathon.instances: the name "${name}" is used twice`,
        );
      seen.add(name);
      const url = c.getString('url').replace(/\/+$/, '');
      if (!/^https?:\/\//.test(url)) {
        throw new InputError(
          `archon.marathon.instances "${name}": url "${url}" must start with http:// or https://`,
        );
      }
      const prefix = (c.getOptionalString('appIdPrefix') ?? '').replace(
        /\/+$/,
        '',
      );
      if (prefix && !/^(\/[a-z0-9]([a-z0-9.-]*[a-z0-9])?)+$/.test(prefix)) {
        throw new InputError(
          `archon.marathon.instances "${name}": appIdPrefix "${prefix}" must be an absolute Marathon group id like /archon`,
        );
      }
      const kafkaCluster = c.getOptionalString('kafkaCluster');
      // Checked when archon has Kafka clusters: a Marathon-only archon has none to name.
      if (
        kafkaCluster !== undefined &&
        kafkaClusters.length > 0 &&
        !kafkaClusters.includes(kafkaCluster)
      ) {
        throw new InputError(
          `archon.marathon.instances "${name}": kafkaCluster "${kafkaCluster}" is not a configured Kafka cluster (archon.kafka.clusters: ${kafkaClusters.join(
            ', ',
          )})`,
        );
      }
      const auth = c.getOptionalConfig('auth');
      return {
        name,
        url,
        auth: auth
          ? {
              username: auth.getOptionalString('username'),
              password: auth.getOptionalString('password'),
              token: auth.getOptionalString('token'),
            }
          : undefined,
        requestTimeoutMs:
          c.getOptionalNumber('requestTimeoutMs') ??
          Math.round(timeoutSeconds * 1000),
        mesosAgentUrl: (
          c.getOptionalString('mesosAgentUrl') ?? 'http://{host}:5051'
        ).replace(/\/+$/, ''),
        appIdPrefix: prefix,
        kafkaCluster,
        limits: {
          cpus: c.getOptionalNumber('limits.cpus') ?? 64,
          mem: c.getOptionalNumber('limits.mem') ?? 262_144,
          disk: c.getOptionalNumber('limits.disk') ?? 1_048_576,
          instances: c.getOptionalNumber('limits.instances') ?? 1000,
        },
      };
    },
  );
}
