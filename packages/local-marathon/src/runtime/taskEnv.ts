import { AppDefinition } from '../model/types';

/**
 * The environment a task gets (server: TaskBuilder.commandInfo + EnvironmentHelper), plus
 * the variables the Mesos agent adds (MESOS_SANDBOX, MESOS_DIRECTORY). Later entries win,
 * so the app's own `env` overrides what Marathon sets, as on a real cluster.
 */
export interface TaskEnvInput {
  app: AppDefinition;
  taskId: string;
  host: string;
  hostPorts: number[];
  sandboxDir: string;
}

/** Marathon renders resources with Scala's Double.toString ("0.1", "128.0"). */
function scalaDouble(value: number): string {
  return Number.isInteger(value) ? `${value}.0` : String(value);
}

const MAX_ENV_LENGTH = 512;
const LABEL_PREFIX = 'MARATHON_APP_LABEL_';

export function labelsToEnv(
  labels: Record<string, string>,
): Record<string, string> {
  const escape = (name: string) =>
    name.replace(/[^a-zA-Z0-9_]+/g, '_').toUpperCase();
  const valid = Object.entries(labels).filter(
    ([key, value]) =>
      key.length < MAX_ENV_LENGTH - LABEL_PREFIX.length &&
      value.length < MAX_ENV_LENGTH,
  );
  const env: Record<string, string> = {
    MARATHON_APP_LABELS: valid.map(([key]) => escape(key)).join(' '),
  };
  for (const [key, value] of valid)
    env[`${LABEL_PREFIX}${escape(key)}`] = value;
  return env;
}

interface PortRequest {
  name?: string;
  port: number;
}

/** PORT0..n, PORT, PORTS, PORT_<declared port>, PORT_<NAME>. */
export function portsEnv(
  requested: PortRequest[],
  hostPorts: number[],
): Record<string, string> {
  if (hostPorts.length === 0) return {};
  const env: Record<string, string> = {};
  hostPorts.forEach((port, index) => {
    env[`PORT${index}`] = String(port);
  });
  requested.forEach((request, index) => {
    const effective = hostPorts[index];
    if (effective === undefined) return;
    env[`PORT_${request.port !== 0 ? request.port : effective}`] =
      String(effective);
    if (request.name)
      env[`PORT_${request.name.toUpperCase()}`] = String(effective);
  });
  env.PORT = String(hostPorts[0]);
  env.PORTS = hostPorts.join(',');
  return env;
}

export function buildTaskEnv(input: TaskEnvInput): Record<string, string> {
  const { app } = input;
  const mappings = app.container?.portMappings;
  const requested: PortRequest[] =
    mappings && mappings.length > 0
      ? mappings.map(m => ({ name: m.name, port: m.containerPort }))
      : (app.portDefinitions ?? []).map(d => ({ name: d.name, port: d.port }));
  const env: Record<string, string> = {
    MESOS_SANDBOX: input.sandboxDir,
    MESOS_DIRECTORY: input.sandboxDir,
    MESOS_TASK_ID: input.taskId,
    MARATHON_APP_ID: app.id,
    MARATHON_APP_VERSION: app.version,
    ...(app.container?.docker
      ? { MARATHON_APP_DOCKER_IMAGE: app.container.docker.image }
      : {}),
    MARATHON_APP_RESOURCE_CPUS: scalaDouble(app.cpus),
    MARATHON_APP_RESOURCE_MEM: scalaDouble(app.mem),
    MARATHON_APP_RESOURCE_DISK: scalaDouble(app.disk),
    MARATHON_APP_RESOURCE_GPUS: String(app.gpus),
    ...labelsToEnv(app.labels),
    ...portsEnv(requested, input.hostPorts),
    HOST: input.host,
  };
  for (const [key, value] of Object.entries(app.env)) {
    // Secret references cannot be resolved here (no secret store), so they are left out.
    if (typeof value === 'string') env[key] = value;
  }
  return env;
}
