import { isObject, JsonObject } from '../util/json';
import { canonicalPath, parentOf } from './pathId';
import {
  AppDefinition,
  ContainerDefinition,
  HealthCheckDefinition,
  HealthCheckProtocol,
  NetworkDefinition,
  PortDefinition,
  PortMapping,
} from './types';

/**
 * Turns a request body (already accepted by the RAML shape check) into the canonical app
 * definition, the way the server's `AppNormalization` does: RAML defaults, deprecated
 * fields (`ports`, `uris`, `ipAddress`, `container.docker.network`,
 * `container.docker.portMappings`) migrated to their replacements, and a default port
 * definition for host networking. Version fields are filled in by the caller.
 */

export const APP_DEFAULTS = {
  cpus: 1,
  mem: 128,
  disk: 0,
  gpus: 0,
  instances: 1,
  backoffSeconds: 1,
  backoffFactor: 1.15,
  maxLaunchDelaySeconds: 300,
  executor: '',
  role: '*',
} as const;

const EXTRACTABLE = [
  '.tgz',
  '.tar.gz',
  '.tbz2',
  '.tar.bz2',
  '.txz',
  '.tar.xz',
  '.zip',
];

function num(value: unknown, fallback: number): number {
  return typeof value === 'number' ? value : fallback;
}

function strMap(value: unknown): Record<string, string> {
  return isObject(value) ? (value as Record<string, string>) : {};
}

function present(value: unknown): boolean {
  return value !== undefined && value !== null;
}

function normalizeFetch(raw: JsonObject): unknown[] {
  const fetch = Array.isArray(raw.fetch) ? (raw.fetch as JsonObject[]) : [];
  const uris = Array.isArray(raw.uris) ? (raw.uris as string[]) : [];
  const artifacts: JsonObject[] =
    fetch.length > 0 || uris.length === 0
      ? fetch
      : uris.map(uri => ({
          uri,
          extract: EXTRACTABLE.some(ext => uri.split('?')[0].endsWith(ext)),
        }));
  return artifacts.map(artifact => ({
    uri: artifact.uri,
    extract: artifact.extract ?? true,
    executable: artifact.executable ?? false,
    cache: artifact.cache ?? false,
    ...(artifact.destPath !== undefined ? { destPath: artifact.destPath } : {}),
  }));
}

function normalizeNetworks(raw: JsonObject): NetworkDefinition[] {
  const container = isObject(raw.container) ? raw.container : undefined;
  const docker =
    container && isObject(container.docker) ? container.docker : undefined;
  const ipAddress = isObject(raw.ipAddress) ? raw.ipAddress : undefined;
  // The pre-1.5 API chose the network through docker.network / ipAddress.
  if (docker && typeof docker.network === 'string') {
    if (docker.network === 'BRIDGE') return [{ mode: 'container/bridge' }];
    if (docker.network === 'USER') {
      const name =
        ipAddress && typeof ipAddress.networkName === 'string'
          ? ipAddress.networkName
          : undefined;
      return [{ mode: 'container', ...(name ? { name } : {}) }];
    }
    return [{ mode: 'host' }];
  }
  if (ipAddress && !Array.isArray(raw.networks)) {
    const name =
      typeof ipAddress.networkName === 'string'
        ? ipAddress.networkName
        : undefined;
    return [{ mode: 'container', ...(name ? { name } : {}) }];
  }
  const networks = Array.isArray(raw.networks)
    ? (raw.networks as JsonObject[])
    : [];
  if (networks.length === 0) return [{ mode: 'host' }];
  return networks.map(network => {
    const labels = strMap(network.labels);
    return {
      mode: (network.mode as NetworkDefinition['mode']) ?? 'container',
      ...(typeof network.name === 'string' ? { name: network.name } : {}),
      ...(Object.keys(labels).length > 0 ? { labels } : {}),
    };
  });
}

function normalizePortDefinition(raw: JsonObject): PortDefinition {
  const labels = strMap(raw.labels);
  return {
    port: num(raw.port, 0),
    protocol: typeof raw.protocol === 'string' ? raw.protocol : 'tcp',
    ...(typeof raw.name === 'string' ? { name: raw.name } : {}),
    ...(Object.keys(labels).length > 0 ? { labels } : {}),
  };
}

function normalizePortMapping(raw: JsonObject, bridged: boolean): PortMapping {
  const labels = strMap(raw.labels);
  // Bridge networking gives every mapping a host port (0 = dynamic) unless one is set.
  let hostPort: number | undefined = bridged ? 0 : undefined;
  if (typeof raw.hostPort === 'number') hostPort = raw.hostPort;
  return {
    containerPort: num(raw.containerPort, 0),
    ...(hostPort !== undefined ? { hostPort } : {}),
    servicePort: num(raw.servicePort, 0),
    protocol: typeof raw.protocol === 'string' ? raw.protocol : 'tcp',
    ...(typeof raw.name === 'string' ? { name: raw.name } : {}),
    ...(Object.keys(labels).length > 0 ? { labels } : {}),
    ...(Array.isArray(raw.networkNames)
      ? { networkNames: raw.networkNames as string[] }
      : {}),
  };
}

function normalizeContainer(
  raw: JsonObject,
  networks: NetworkDefinition[],
): ContainerDefinition | undefined {
  const hostNetworking = networks.some(n => n.mode === 'host');
  const bridged = networks.some(n => n.mode === 'container/bridge');
  if (!isObject(raw.container)) {
    // Container networking without a container gets a MESOS container with a default mapping.
    return hostNetworking
      ? undefined
      : {
          type: 'MESOS',
          volumes: [],
          portMappings: [normalizePortMapping({ name: 'default' }, bridged)],
        };
  }
  const {
    docker: rawDocker,
    portMappings: rawMappings,
    volumes,
    type,
    ...rest
  } = raw.container;
  const container: ContainerDefinition = {
    ...rest,
    type: (type as ContainerDefinition['type']) ?? 'DOCKER',
    volumes: Array.isArray(volumes) ? volumes : [],
  };
  let mappings = Array.isArray(rawMappings)
    ? (rawMappings as JsonObject[])
    : undefined;
  if (isObject(rawDocker)) {
    const {
      network: _network,
      portMappings: dockerMappings,
      ...docker
    } = rawDocker;
    if (!mappings && Array.isArray(dockerMappings))
      mappings = dockerMappings as JsonObject[];
    container.docker = {
      ...docker,
      image: String(docker.image ?? ''),
      forcePullImage: docker.forcePullImage === true,
      privileged: docker.privileged === true,
      parameters: Array.isArray(docker.parameters)
        ? (docker.parameters as Array<{ key: string; value: string }>)
        : [],
    };
  }
  if (!hostNetworking) {
    const given =
      mappings && mappings.length > 0 ? mappings : [{ name: 'default' }];
    container.portMappings = given.map(mapping =>
      normalizePortMapping(mapping, bridged),
    );
  }
  return container;
}

const HEALTH_DEFAULTS = {
  gracePeriodSeconds: 300,
  intervalSeconds: 60,
  timeoutSeconds: 20,
  maxConsecutiveFailures: 3,
  delaySeconds: 15,
};

function normalizeHealthCheck(
  raw: JsonObject,
  hasPorts: boolean,
): HealthCheckDefinition {
  const protocol = (raw.protocol as HealthCheckProtocol) ?? 'HTTP';
  const check: HealthCheckDefinition = {
    gracePeriodSeconds: num(
      raw.gracePeriodSeconds,
      HEALTH_DEFAULTS.gracePeriodSeconds,
    ),
    intervalSeconds: num(raw.intervalSeconds, HEALTH_DEFAULTS.intervalSeconds),
    maxConsecutiveFailures: num(
      raw.maxConsecutiveFailures,
      HEALTH_DEFAULTS.maxConsecutiveFailures,
    ),
    protocol,
    ipProtocol: raw.ipProtocol === 'IPv6' ? 'IPv6' : 'IPv4',
    timeoutSeconds: num(raw.timeoutSeconds, HEALTH_DEFAULTS.timeoutSeconds),
    delaySeconds: num(raw.delaySeconds, HEALTH_DEFAULTS.delaySeconds),
  };
  if (isObject(raw.command))
    check.command = { value: String(raw.command.value) };
  if (typeof raw.port === 'number') check.port = raw.port;
  if (typeof raw.portIndex === 'number') check.portIndex = raw.portIndex;
  // Health checks that need a port address the first one unless told otherwise.
  if (
    protocol !== 'COMMAND' &&
    hasPorts &&
    check.port === undefined &&
    check.portIndex === undefined
  ) {
    check.portIndex = 0;
  }
  if (typeof raw.path === 'string') check.path = raw.path;
  if (protocol === 'HTTP' || protocol === 'HTTPS')
    check.ignoreHttp1xx = raw.ignoreHttp1xx === true;
  return check;
}

function normalizeReadinessCheck(raw: JsonObject): JsonObject {
  return {
    name: raw.name ?? 'readinessCheck',
    protocol: raw.protocol ?? 'HTTP',
    path: raw.path ?? '/',
    portName: raw.portName ?? 'http-api',
    intervalSeconds: raw.intervalSeconds ?? 30,
    timeoutSeconds: raw.timeoutSeconds ?? 10,
    httpStatusCodesForReady:
      Array.isArray(raw.httpStatusCodesForReady) &&
      raw.httpStatusCodesForReady.length > 0
        ? raw.httpStatusCodesForReady
        : [200],
    preserveLastResponse: raw.preserveLastResponse ?? false,
  };
}

export function normalizeApp(
  raw: JsonObject,
  canonicalId: string,
): AppDefinition {
  const networks = normalizeNetworks(raw);
  const hostNetworking = networks.some(n => n.mode === 'host');
  const container = normalizeContainer(raw, networks);

  let portDefinitions: PortDefinition[] | undefined;
  if (hostNetworking) {
    if (Array.isArray(raw.portDefinitions)) {
      portDefinitions = (raw.portDefinitions as JsonObject[]).map(
        normalizePortDefinition,
      );
    } else if (Array.isArray(raw.ports)) {
      portDefinitions = (raw.ports as number[]).map(port => ({
        port,
        protocol: 'tcp',
      }));
    } else {
      portDefinitions = [{ port: 0, protocol: 'tcp', name: 'default' }];
    }
  }
  // Like the server, only explicitly requested ports make a health check default to portIndex 0
  // (the default port definition does not); the runtime still probes the first port then.
  const hasPorts =
    (Array.isArray(raw.portDefinitions) && raw.portDefinitions.length > 0) ||
    (Array.isArray(raw.ports) && raw.ports.length > 0) ||
    (container?.portMappings?.length ?? 0) > 0;

  const parent = parentOf(canonicalId);
  const app: AppDefinition = {
    id: canonicalId,
    backoffFactor: num(raw.backoffFactor, APP_DEFAULTS.backoffFactor),
    backoffSeconds: num(raw.backoffSeconds, APP_DEFAULTS.backoffSeconds),
    constraints: Array.isArray(raw.constraints)
      ? (raw.constraints as string[][])
      : [],
    cpus: num(raw.cpus, APP_DEFAULTS.cpus),
    dependencies: Array.isArray(raw.dependencies)
      ? (raw.dependencies as string[]).map(dep => canonicalPath(dep, parent))
      : [],
    disk: num(raw.disk, APP_DEFAULTS.disk),
    env: isObject(raw.env) ? (raw.env as AppDefinition['env']) : {},
    executor:
      typeof raw.executor === 'string' ? raw.executor : APP_DEFAULTS.executor,
    fetch: normalizeFetch(raw),
    gpus: num(raw.gpus, APP_DEFAULTS.gpus),
    healthChecks: Array.isArray(raw.healthChecks)
      ? (raw.healthChecks as JsonObject[]).map(check =>
          normalizeHealthCheck(check, hasPorts),
        )
      : [],
    instances: num(raw.instances, APP_DEFAULTS.instances),
    labels: strMap(raw.labels),
    maxLaunchDelaySeconds: num(
      raw.maxLaunchDelaySeconds,
      APP_DEFAULTS.maxLaunchDelaySeconds,
    ),
    mem: num(raw.mem, APP_DEFAULTS.mem),
    networks,
    readinessChecks: Array.isArray(raw.readinessChecks)
      ? (raw.readinessChecks as JsonObject[]).map(normalizeReadinessCheck)
      : [],
    requirePorts: hostNetworking ? raw.requirePorts === true : false,
    secrets: isObject(raw.secrets) ? raw.secrets : {},
    upgradeStrategy: isObject(raw.upgradeStrategy)
      ? {
          minimumHealthCapacity: num(
            raw.upgradeStrategy.minimumHealthCapacity,
            1,
          ),
          maximumOverCapacity: num(raw.upgradeStrategy.maximumOverCapacity, 1),
        }
      : { minimumHealthCapacity: 1, maximumOverCapacity: 1 },
    version: '',
    versionInfo: { lastScalingAt: '', lastConfigChangeAt: '' },
    unreachableStrategy: present(raw.unreachableStrategy)
      ? raw.unreachableStrategy
      : { inactiveAfterSeconds: 0, expungeAfterSeconds: 0 },
    killSelection:
      raw.killSelection === 'OLDEST_FIRST' ? 'OLDEST_FIRST' : 'YOUNGEST_FIRST',
    role: typeof raw.role === 'string' ? raw.role : APP_DEFAULTS.role,
  };
  if (typeof raw.cmd === 'string') app.cmd = raw.cmd;
  if (Array.isArray(raw.args) && raw.args.length > 0)
    app.args = raw.args as string[];
  if (typeof raw.user === 'string') app.user = raw.user;
  if (container) app.container = container;
  if (portDefinitions) app.portDefinitions = portDefinitions;
  if (
    Array.isArray(raw.acceptedResourceRoles) &&
    raw.acceptedResourceRoles.length > 0
  ) {
    app.acceptedResourceRoles = raw.acceptedResourceRoles as string[];
  }
  if (typeof raw.taskKillGracePeriodSeconds === 'number') {
    app.taskKillGracePeriodSeconds = raw.taskKillGracePeriodSeconds;
  }
  if (typeof raw.tty === 'boolean') app.tty = raw.tty;
  for (const passthrough of [
    'check',
    'residency',
    'resourceLimits',
    'executorResources',
  ] as const) {
    if (present(raw[passthrough])) app[passthrough] = raw[passthrough];
  }
  return app;
}

/** Host ports the app asks for per task: one per port definition or per mapping with a hostPort. */
export function portIndicesOf(app: AppDefinition): number {
  if (app.container?.portMappings && app.container.portMappings.length > 0) {
    return app.container.portMappings.length;
  }
  return app.portDefinitions?.length ?? 0;
}
