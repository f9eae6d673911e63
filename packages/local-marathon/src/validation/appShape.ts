import { RAML_PATH_ID_PATTERN } from '../model/pathId';
import { Shape } from './jsonShape';

/**
 * The RAML `App` type (raml/v2/types/app.raml and the types it uses) as a Shape, so that
 * request bodies are rejected with the same paths and error keys as the server's
 * generated readers. Only constraints the RAML declares are checked here; semantic rules
 * live in appValidation.ts.
 */

const str: Shape = { kind: 'string' };
const bool: Shape = { kind: 'boolean' };
const anyValue: Shape = { kind: 'any' };
const port: Shape = { kind: 'int', min: 0, max: 65535 };
const stringMap: Shape = { kind: 'map', values: str };
const pathId: Shape = {
  kind: 'string',
  minLength: 1,
  pattern: RAML_PATH_ID_PATTERN,
};
const legacyName: Shape = {
  kind: 'string',
  minLength: 1,
  pattern: /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/,
};
const networkProtocol: Shape = {
  kind: 'enum',
  values: ['tcp', 'udp', 'udp,tcp'],
};
const nonNegativeInt: Shape = { kind: 'int', min: 0 };
const uri: Shape = { kind: 'string', minLength: 1, maxLength: 1024 };

const envValue: Shape = {
  kind: 'custom',
  // EnvVarValueOrSecret is a union: a string, or an object {secret: string}.
  check: (value, path, violations) => {
    if (typeof value === 'string') return;
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
      const secret = (value as Record<string, unknown>).secret;
      if (secret === undefined)
        violations.add(`${path}/secret`, 'error.path.missing');
      else if (typeof secret !== 'string')
        violations.add(`${path}/secret`, 'error.expected.jsstring');
      return;
    }
    violations.add(path, 'error.expected.jsstring');
  },
};

const portMapping: Shape = {
  kind: 'object',
  properties: {
    containerPort: port,
    hostPort: port,
    servicePort: port,
    name: legacyName,
    protocol: networkProtocol,
    labels: stringMap,
    networkNames: { kind: 'array', items: str },
  },
};

const container: Shape = {
  kind: 'object',
  properties: {
    type: { kind: 'enum', values: ['DOCKER', 'MESOS'] },
    docker: {
      kind: 'object',
      required: ['image'],
      properties: {
        image: str,
        forcePullImage: bool,
        privileged: bool,
        network: { kind: 'enum', values: ['BRIDGE', 'HOST', 'NONE', 'USER'] },
        parameters: {
          kind: 'array',
          items: {
            kind: 'object',
            required: ['key', 'value'],
            properties: { key: str, value: str },
          },
        },
        portMappings: { kind: 'array', items: portMapping },
        credential: anyValue,
        pullConfig: anyValue,
      },
    },
    portMappings: { kind: 'array', items: portMapping },
    volumes: { kind: 'array', items: anyValue },
  },
};

const healthCheck: Shape = {
  kind: 'object',
  properties: {
    command: {
      kind: 'object',
      required: ['value'],
      properties: { value: str },
    },
    gracePeriodSeconds: nonNegativeInt,
    ignoreHttp1xx: bool,
    intervalSeconds: nonNegativeInt,
    maxConsecutiveFailures: nonNegativeInt,
    path: str,
    port,
    portIndex: port,
    protocol: {
      kind: 'enum',
      values: [
        'HTTP',
        'HTTPS',
        'TCP',
        'COMMAND',
        'MESOS_TCP',
        'MESOS_HTTP',
        'MESOS_HTTPS',
      ],
    },
    ipProtocol: { kind: 'enum', values: ['IPv4', 'IPv6'] },
    timeoutSeconds: { kind: 'int' },
    delaySeconds: nonNegativeInt,
  },
};

const readinessCheck: Shape = {
  kind: 'object',
  properties: {
    name: str,
    protocol: { kind: 'enum', values: ['HTTP', 'HTTPS'] },
    path: str,
    portName: str,
    intervalSeconds: nonNegativeInt,
    timeoutSeconds: nonNegativeInt,
    httpStatusCodesForReady: {
      kind: 'array',
      items: { kind: 'int', min: 100, max: 999 },
    },
    preserveLastResponse: bool,
  },
};

const unreachableStrategy: Shape = {
  kind: 'custom',
  check: (value, path, violations) => {
    if (value === 'disabled') return;
    if (typeof value === 'string') {
      violations.add(path, 'error.unknown.enum.literal');
      return;
    }
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      violations.add(path, 'error.expected.jsobject');
      return;
    }
    const strategy = value as Record<string, unknown>;
    for (const key of ['inactiveAfterSeconds', 'expungeAfterSeconds']) {
      const seconds = strategy[key];
      if (seconds === undefined || seconds === null) continue;
      if (typeof seconds !== 'number')
        violations.add(`${path}/${key}`, 'error.expected.jsnumber');
      else if (seconds < 0) violations.add(`${path}/${key}`, 'error.min');
    }
  },
};

function appProperties(): Record<string, Shape> {
  return {
    id: pathId,
    acceptedResourceRoles: { kind: 'array', items: str },
    args: { kind: 'array', items: str },
    backoffFactor: { kind: 'number', min: 1.0 },
    backoffSeconds: nonNegativeInt,
    cmd: { kind: 'string', minLength: 1 },
    constraints: { kind: 'array', items: { kind: 'array', items: str } },
    container,
    cpus: { kind: 'number', min: 0.001 },
    dependencies: { kind: 'array', items: pathId },
    disk: { kind: 'number', min: 0 },
    env: { kind: 'map', values: envValue },
    executor: str,
    executorResources: anyValue,
    fetch: {
      kind: 'array',
      items: {
        kind: 'object',
        required: ['uri'],
        properties: {
          uri,
          executable: bool,
          extract: bool,
          cache: bool,
          destPath: str,
        },
      },
    },
    healthChecks: { kind: 'array', items: healthCheck },
    check: anyValue,
    instances: nonNegativeInt,
    labels: stringMap,
    maxLaunchDelaySeconds: nonNegativeInt,
    mem: { kind: 'number', min: 0 },
    gpus: nonNegativeInt,
    ipAddress: {
      kind: 'object',
      properties: { networkName: str, labels: anyValue, discovery: anyValue },
    },
    networks: {
      kind: 'array',
      items: {
        kind: 'object',
        properties: {
          name: {
            kind: 'string',
            minLength: 1,
            maxLength: 63,
            pattern: /^[a-z0-9]([-a-z0-9_]*[a-z0-9])?$/,
          },
          mode: {
            kind: 'enum',
            values: ['container', 'container/bridge', 'host'],
          },
          labels: stringMap,
        },
      },
    },
    ports: { kind: 'array', items: port },
    portDefinitions: {
      kind: 'array',
      items: {
        kind: 'object',
        properties: {
          port,
          labels: stringMap,
          name: legacyName,
          protocol: networkProtocol,
        },
      },
    },
    readinessChecks: { kind: 'array', items: readinessCheck },
    residency: anyValue,
    resourceLimits: anyValue,
    requirePorts: bool,
    secrets: {
      kind: 'map',
      values: {
        kind: 'object',
        required: ['source'],
        properties: { source: str },
      },
    },
    taskKillGracePeriodSeconds: nonNegativeInt,
    upgradeStrategy: {
      kind: 'object',
      // Both fields are required by the RAML type: a partial strategy is rejected.
      required: ['maximumOverCapacity', 'minimumHealthCapacity'],
      properties: {
        maximumOverCapacity: { kind: 'number', min: 0, max: 1 },
        minimumHealthCapacity: { kind: 'number', min: 0, max: 1 },
      },
    },
    uris: { kind: 'array', items: uri },
    user: str,
    version: str,
    versionInfo: anyValue,
    killSelection: { kind: 'enum', values: ['YOUNGEST_FIRST', 'OLDEST_FIRST'] },
    unreachableStrategy,
    tty: bool,
    role: { kind: 'string', minLength: 1 },
  };
}

/** `raml.App`: what POST /v2/apps and complete replacements (PUT ?partialUpdate=false) read. */
export const APP_SHAPE: Shape = {
  kind: 'object',
  required: ['id'],
  properties: appProperties(),
};

/** `raml.AppUpdate`: every field optional (PUT with partial update, PATCH, PUT /v2/apps). */
export const APP_UPDATE_SHAPE: Shape = {
  kind: 'object',
  properties: appProperties(),
};

/** The fields of the RAML App type; anything else in a body is dropped like the server does. */
export const APP_FIELDS: readonly string[] = Object.keys(appProperties());
