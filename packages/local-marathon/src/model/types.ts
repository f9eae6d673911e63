/**
 * Canonical (normalised) app definition as stored and served. Field names and defaults
 * follow Marathon 1.11's `raml.App` after `AppNormalization`. Fields this server does not
 * interpret (volumes, fetch, secrets, ...) are kept so they round-trip.
 */

export type HealthCheckProtocol =
  | 'HTTP'
  | 'HTTPS'
  | 'TCP'
  | 'COMMAND'
  | 'MESOS_HTTP'
  | 'MESOS_HTTPS'
  | 'MESOS_TCP';

export interface HealthCheckDefinition {
  protocol: HealthCheckProtocol;
  path?: string;
  portIndex?: number;
  port?: number;
  command?: { value: string };
  gracePeriodSeconds: number;
  intervalSeconds: number;
  timeoutSeconds: number;
  maxConsecutiveFailures: number;
  delaySeconds: number;
  ignoreHttp1xx?: boolean;
  ipProtocol: 'IPv4' | 'IPv6';
}

export interface PortDefinition {
  port: number;
  protocol: string;
  name?: string;
  labels?: Record<string, string>;
}

export interface PortMapping {
  containerPort: number;
  hostPort?: number;
  servicePort: number;
  protocol: string;
  name?: string;
  labels?: Record<string, string>;
  networkNames?: string[];
}

export interface DockerDefinition {
  image: string;
  forcePullImage: boolean;
  privileged: boolean;
  parameters: Array<{ key: string; value: string }>;
  [extra: string]: unknown;
}

export interface ContainerDefinition {
  type: 'DOCKER' | 'MESOS';
  docker?: DockerDefinition;
  portMappings?: PortMapping[];
  volumes: unknown[];
  [extra: string]: unknown;
}

export interface NetworkDefinition {
  mode: 'host' | 'container' | 'container/bridge';
  name?: string;
  labels?: Record<string, string>;
}

export interface UpgradeStrategy {
  minimumHealthCapacity: number;
  maximumOverCapacity: number;
}

export type EnvValue = string | { secret: string };

export interface AppDefinition {
  id: string;
  acceptedResourceRoles?: string[];
  args?: string[];
  backoffFactor: number;
  backoffSeconds: number;
  cmd?: string;
  constraints: string[][];
  container?: ContainerDefinition;
  cpus: number;
  dependencies: string[];
  disk: number;
  env: Record<string, EnvValue>;
  executor: string;
  fetch: unknown[];
  gpus: number;
  healthChecks: HealthCheckDefinition[];
  check?: unknown;
  instances: number;
  labels: Record<string, string>;
  maxLaunchDelaySeconds: number;
  mem: number;
  networks: NetworkDefinition[];
  portDefinitions?: PortDefinition[];
  readinessChecks: unknown[];
  residency?: unknown;
  resourceLimits?: unknown;
  requirePorts: boolean;
  secrets: Record<string, unknown>;
  taskKillGracePeriodSeconds?: number;
  upgradeStrategy: UpgradeStrategy;
  user?: string;
  version: string;
  versionInfo: { lastScalingAt: string; lastConfigChangeAt: string };
  unreachableStrategy: unknown;
  killSelection: 'YOUNGEST_FIRST' | 'OLDEST_FIRST';
  tty?: boolean;
  executorResources?: unknown;
  role: string;
}

/** Task states as Mesos reports them (strings.MesosTaskState). */
export type MesosTaskState =
  | 'TASK_STAGING'
  | 'TASK_STARTING'
  | 'TASK_RUNNING'
  | 'TASK_KILLING'
  | 'TASK_FINISHED'
  | 'TASK_FAILED'
  | 'TASK_KILLED'
  | 'TASK_ERROR'
  | 'TASK_LOST'
  | 'TASK_DROPPED'
  | 'TASK_GONE'
  | 'TASK_UNREACHABLE'
  | 'TASK_UNKNOWN';

export const TERMINAL_STATES: ReadonlySet<MesosTaskState> =
  new Set<MesosTaskState>([
    'TASK_FINISHED',
    'TASK_FAILED',
    'TASK_KILLED',
    'TASK_ERROR',
    'TASK_LOST',
    'TASK_DROPPED',
    'TASK_GONE',
  ]);

/** Marathon's instance condition names for the task states this server produces. */
export function conditionOf(state: MesosTaskState): string {
  switch (state) {
    case 'TASK_STAGING':
      return 'Staging';
    case 'TASK_STARTING':
      return 'Starting';
    case 'TASK_RUNNING':
      return 'Running';
    case 'TASK_KILLING':
      return 'Killing';
    case 'TASK_FINISHED':
      return 'Finished';
    case 'TASK_FAILED':
      return 'Failed';
    case 'TASK_KILLED':
      return 'Killed';
    case 'TASK_ERROR':
      return 'Error';
    case 'TASK_DROPPED':
      return 'Dropped';
    case 'TASK_GONE':
      return 'Gone';
    case 'TASK_UNREACHABLE':
      return 'Unreachable';
    default:
      return 'Unknown';
  }
}

export interface TaskFailure {
  appId: string;
  host: string;
  message: string;
  state: string;
  taskId: string;
  timestamp: string;
  version: string;
  slaveId?: string;
}
