import { Violations } from '../http/errors';
import { isObject, JsonObject } from '../util/json';
import { pathIdViolations, segmentsOf } from '../model/pathId';
import { portIndicesOf } from '../model/appNormalization';
import { AppDefinition } from '../model/types';

/**
 * Semantic validation ("Object is not valid"), after the RAML shape check passed. Rules,
 * paths and messages follow the server's AppValidation / PathId / SchedulingValidation /
 * EnvVarValidation validators. `raw` is the body before normalisation (the deprecated-API
 * checks look at it), `app` the canonical definition.
 */
export function validateApp(raw: JsonObject, app: AppDefinition): Violations {
  const violations = new Violations();
  validateDeprecatedApi(raw, violations);
  validateId(app, violations);
  validateCommand(app, violations);
  validateContainer(app, violations);
  validatePorts(app, violations);
  validateHealthChecks(app, violations);
  validateReadinessChecks(app, violations);
  validateEnvAndSecrets(app, violations);
  validateRoles(raw, app, violations);
  validateConstraints(app, violations);
  if (app.labels.MARATHON_SINGLE_INSTANCE_APP === 'true' && app.instances > 1) {
    violations.add('/', 'Single instance app may only have one instance');
  }
  return violations;
}

function validateDeprecatedApi(raw: JsonObject, violations: Violations): void {
  const ports = Array.isArray(raw.ports) ? (raw.ports as number[]) : undefined;
  const nonRandom = (ports ?? []).filter(port => port !== 0);
  if (new Set(nonRandom).size !== nonRandom.length)
    violations.add('/', 'ports must be unique');
  if (ports && Array.isArray(raw.portDefinitions)) {
    const definitionPorts = (raw.portDefinitions as JsonObject[]).map(
      d => d.port ?? 0,
    );
    const equivalent =
      definitionPorts.length === ports.length &&
      definitionPorts.every((p, i) => p === ports[i]);
    if (!equivalent)
      violations.add('/', 'cannot specify both ports and port definitions');
  }
  const container = isObject(raw.container) ? raw.container : undefined;
  const docker =
    container && isObject(container.docker) ? container.docker : undefined;
  if (
    docker &&
    typeof docker.network === 'string' &&
    Array.isArray(raw.networks)
  ) {
    violations.add(
      '/',
      'must not specify both container.docker.network and networks',
    );
  }
  if (isObject(raw.ipAddress) && Array.isArray(raw.networks)) {
    violations.add('/', 'must not specify both networks and ipAddress');
  }
  if (
    Array.isArray(raw.uris) &&
    raw.uris.length > 0 &&
    Array.isArray(raw.fetch) &&
    raw.fetch.length > 0
  ) {
    violations.add('/uris', 'may not be set in conjunction with fetch');
  }
}

function validateId(app: AppDefinition, violations: Violations): void {
  for (const error of pathIdViolations(app.id)) violations.add('/id', error);
  if (segmentsOf(app.id).length === 0) violations.add('/', 'must not be root');
  app.dependencies.forEach((dependency, index) => {
    for (const error of pathIdViolations(dependency))
      violations.add(`/dependencies(${index})`, error);
  });
}

function validateCommand(app: AppDefinition, violations: Violations): void {
  // The server rejects one-character commands too (its check is `length > 1`).
  if (app.cmd !== undefined && app.cmd.length <= 1)
    violations.add('/', 'must not be an empty string');
  const hasCmd = app.cmd !== undefined;
  const hasArgs = app.args !== undefined && app.args.length > 0;
  const container = app.container;
  const hasContainer =
    container !== undefined &&
    ((container.docker !== undefined &&
      (container.type === 'DOCKER' || container.type === 'MESOS')) ||
      (container.docker === undefined && container.type === 'MESOS'));
  if (!(hasCmd !== hasArgs || (!(hasCmd && hasArgs) && hasContainer))) {
    violations.add(
      '/',
      "AppDefinition must either contain one of 'cmd' or 'args', and/or a 'container'.",
    );
  }
}

function validateContainer(app: AppDefinition, violations: Violations): void {
  const container = app.container;
  if (!container) return;
  if (container.type === 'DOCKER' && !container.docker)
    violations.add('/container/docker', 'not defined');
  if (container.docker && container.docker.image.length === 0) {
    violations.add('/container/docker/image', 'must not be empty');
  }
  const names = (container.portMappings ?? []).flatMap(m =>
    m.name ? [m.name] : [],
  );
  if (new Set(names).size !== names.length) {
    violations.add('/container/portMappings', 'Port names must be unique.');
  }
}

function validatePorts(app: AppDefinition, violations: Violations): void {
  const definitions = app.portDefinitions ?? [];
  const names = definitions.flatMap(d => (d.name ? [d.name] : []));
  if (new Set(names).size !== names.length)
    violations.add('/portDefinitions', 'Port names must be unique.');
  const ports = definitions.map(d => d.port).filter(port => port !== 0);
  if (new Set(ports).size !== ports.length)
    violations.add('/portDefinitions', 'Ports must be unique.');
}

const MARATHON_PROTOCOLS = new Set(['HTTP', 'HTTPS', 'TCP']);
const MESOS_PROTOCOLS = new Set([
  'COMMAND',
  'MESOS_HTTP',
  'MESOS_HTTPS',
  'MESOS_TCP',
]);

function validateHealthChecks(
  app: AppDefinition,
  violations: Violations,
): void {
  const portCount = portIndicesOf(app);
  const isDocker = app.container?.type === 'DOCKER';
  app.healthChecks.forEach((check, index) => {
    const path = `/healthChecks(${index})`;
    if (!check.command && MARATHON_PROTOCOLS.has(check.protocol)) {
      const valid =
        check.portIndex !== undefined
          ? check.portIndex < portCount
          : check.port !== undefined || portCount === 1;
      if (!valid) {
        violations.add(
          path,
          'Health check port indices must address an element of the ports array or container port mappings.',
        );
      }
    }
    const isMesosNetworkCheck =
      MESOS_PROTOCOLS.has(check.protocol) && check.protocol !== 'COMMAND';
    if (check.ipProtocol !== 'IPv4' && !(isMesosNetworkCheck && isDocker)) {
      violations.add(
        path,
        'IPv6 can only be used for container type DOCKER and Mesos http/https/tcp health checks',
      );
    }
    if (check.protocol === 'COMMAND' && !check.command) {
      violations.add(`${path}/command`, 'not defined');
    }
  });
  const mesosChecks = app.healthChecks.filter(
    c => c.command || MESOS_PROTOCOLS.has(c.protocol),
  ).length;
  const commandChecks = app.healthChecks.filter(c => c.command).length;
  if (mesosChecks - commandChecks > 1) {
    violations.add(
      '/',
      'AppDefinition can contain at most one Mesos health check',
    );
  }
}

function validateReadinessChecks(
  app: AppDefinition,
  violations: Violations,
): void {
  const checks = app.readinessChecks as JsonObject[];
  if (checks.length > 1)
    violations.add(
      '/readinessChecks',
      `got ${checks.length}, expected 1 or less`,
    );
  const portNames = new Set(
    (app.container?.portMappings && app.container.portMappings.length > 0
      ? app.container.portMappings
      : app.portDefinitions ?? []
    ).flatMap(p => (p.name ? [p.name] : [])),
  );
  checks.forEach((check, index) => {
    const path = `/readinessChecks(${index})`;
    if (!portNames.has(String(check.portName))) {
      violations.add(
        `${path}/portName`,
        `No port definition reference for portName ${check.portName}`,
      );
    }
    const timeout = Number(check.timeoutSeconds);
    const interval = Number(check.intervalSeconds);
    if (!(timeout < interval)) {
      violations.add(
        `${path}/timeoutSeconds`,
        `got ${timeout}, expected less than ${interval}`,
      );
    }
  });
}

function validateEnvAndSecrets(
  app: AppDefinition,
  violations: Violations,
): void {
  const secretRefs = Object.values(app.env).filter(
    value => typeof value !== 'string',
  );
  if (secretRefs.length > 0) {
    violations.add(
      '/env',
      'use of secret-references in the environment requires the secrets feature to be enabled',
    );
  }
  if (Object.keys(app.secrets).length > 0) {
    violations.add(
      '/secrets',
      'Feature secrets is not enabled. Enable with --enable_features secrets)',
    );
  }
}

function validateRoles(
  raw: JsonObject,
  app: AppDefinition,
  violations: Violations,
): void {
  const topLevelGroup =
    segmentsOf(app.id).length > 1 ? segmentsOf(app.id)[0] : undefined;
  const validRoles = new Set(['*', ...(topLevelGroup ? [topLevelGroup] : [])]);
  if (!validRoles.has(app.role)) {
    violations.add('/role', `is not one of (${[...validRoles].join(',')})`);
  }
  if (
    Array.isArray(raw.acceptedResourceRoles) &&
    raw.acceptedResourceRoles.length === 0
  ) {
    violations.add('/acceptedResourceRoles', 'must not be empty');
  }
  const allowed = new Set(['*', app.role]);
  if ((app.acceptedResourceRoles ?? []).some(role => !allowed.has(role))) {
    violations.add(
      '/acceptedResourceRoles',
      `acceptedResourceRoles can only contain ${[...allowed]
        .sort()
        .join(' and ')}`,
    );
  }
}

function isValidRegex(text: string): boolean {
  try {
    return RegExp(text) instanceof RegExp;
  } catch {
    return false;
  }
}

const CONSTRAINT_OPERATORS = [
  'UNIQUE',
  'CLUSTER',
  'GROUP_BY',
  'LIKE',
  'UNLIKE',
  'MAX_PER',
  'IS',
];

function constraintViolation(constraint: string[]): string | undefined {
  if (constraint.length < 2 || constraint.length > 3)
    return 'Each constraint must have either 2 or 3 fields';
  const [field, operator, value] = constraint;
  if (!field) return 'illegal constraint specification';
  const op = operator.toUpperCase();
  if (!CONSTRAINT_OPERATORS.includes(op)) {
    return 'operator must be one of the following UNIQUE, CLUSTER, GROUP_BY, LIKE, MAX_PER, UNLIKE or IS';
  }
  const isInt = (text: string) => /^-?\d+$/.test(text);
  switch (op) {
    case 'UNIQUE':
      return value === undefined ? undefined : 'UNIQUE does not accept a value';
    case 'GROUP_BY':
      return value === undefined || isInt(value)
        ? undefined
        : 'GROUP BY must define an integer value or else no value at all';
    case 'MAX_PER':
      return value !== undefined && isInt(value)
        ? undefined
        : 'MAX_PER requires an integer value';
    case 'LIKE':
    case 'UNLIKE':
      if (value === undefined)
        return 'LIKE and UNLIKE require a non-empty, regular expression value';
      return isValidRegex(value)
        ? undefined
        : 'is not a valid regular expression';
    case 'IS':
      return /^[a-zA-Z0-9_/.-]*$/.test(value ?? '')
        ? undefined
        : 'IS only supports Mesos text and float values (see http://mesos.apache.org/documentation/latest/attributes-resources/)';
    default:
      return undefined;
  }
}

function validateConstraints(app: AppDefinition, violations: Violations): void {
  app.constraints.forEach((constraint, index) => {
    const error = constraintViolation(constraint);
    if (error) violations.add(`/constraints(${index})`, error);
  });
}
