import { AppDefinition, MesosTaskState } from '../model/types';

/** Marathon's per-health-check status of one instance (`raml.Health`). */
export interface HealthResult {
  alive: boolean;
  consecutiveFailures: number;
  firstSuccess: string | null;
  lastSuccess: string | null;
  lastFailure: string | null;
  lastFailureCause: string | null;
}

/**
 * `Running`: the scheduler keeps this instance alive (replaces it if it dies).
 * `Decommissioned`: it is being stopped on purpose (scale down, upgrade, delete).
 */
export type TaskGoal = 'Running' | 'Decommissioned';

/** One task (= one Marathon instance with a single task) and the local process behind it. */
export interface Task {
  taskId: string;
  instanceId: string;
  appId: string;
  /** The app definition the task was launched from (its `version` is the task version). */
  app: AppDefinition;
  state: MesosTaskState;
  goal: TaskGoal;
  stagedAt: string;
  startedAt?: string;
  /** When the task reached its terminal state. */
  finishedAt?: string;
  hostPorts: number[];
  servicePorts: number[];
  containerId: string;
  sandboxDir: string;
  pid?: number;
  /** The environment the process was started with (COMMAND health checks reuse it). */
  env: Record<string, string>;
  /** One entry per app health check; undefined until that check produced a result. */
  healthResults: Array<HealthResult | undefined>;
  /** Why we are killing it, which decides the terminal state and message. */
  killReason?: string;
  /** Message of the last status update (Mesos' TaskStatus.message). */
  message: string;
}

export function isActive(task: Task): boolean {
  return ![
    'TASK_FINISHED',
    'TASK_FAILED',
    'TASK_KILLED',
    'TASK_ERROR',
    'TASK_LOST',
    'TASK_DROPPED',
    'TASK_GONE',
  ].includes(task.state);
}

/** Healthy as the deployment logic sees it: running, and every health check alive. */
export function isHealthy(task: Task): boolean {
  if (task.state !== 'TASK_RUNNING') return false;
  // Index explicitly: healthResults is sparse until every check reported once.
  return task.app.healthChecks.every(
    (_, index) => task.healthResults[index]?.alive === true,
  );
}

/** What counts as healthy/unhealthy in tasksHealthy/tasksUnhealthy (only tasks with results). */
export function healthSummary(task: Task): 'healthy' | 'unhealthy' | 'unknown' {
  const results = task.app.healthChecks.map(
    (_, index) => task.healthResults[index],
  );
  if (results.every(r => r === undefined)) return 'unknown';
  if (results.some(r => r !== undefined && !r.alive)) return 'unhealthy';
  return results.every(r => r?.alive) ? 'healthy' : 'unknown';
}
