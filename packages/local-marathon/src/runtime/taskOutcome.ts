import { MesosTaskState, TaskFailure } from '../model/types';
import { ProcessExit, signalName } from './TaskRunner';
import { Task } from './Task';

/** States recorded as the app's lastTaskFailure (server: TaskFailure.isFailureState). */
export const FAILURE_STATES: readonly MesosTaskState[] = [
  'TASK_FAILED',
  'TASK_ERROR',
  'TASK_LOST',
  'TASK_DROPPED',
  'TASK_GONE',
];

/** The kill reason used when a task fails its health checks. */
export const HEALTH_CHECK_KILL = 'HealthCheck';

/**
 * The terminal state and message of a task whose process ended, worded like the Mesos
 * command executor: a kill we asked for is TASK_KILLED, exit 0 is TASK_FINISHED, any
 * other exit or signal is TASK_FAILED.
 */
export function terminalStatusOf(
  task: Task,
  exit: ProcessExit,
): { state: MesosTaskState; message: string } {
  if (exit.spawnError)
    return {
      state: 'TASK_FAILED',
      message: `Failed to launch container: ${exit.spawnError}`,
    };
  const ended = exit.signal
    ? `Command terminated with signal ${signalName(exit.signal)}`
    : `Command exited with status ${exit.code}`;
  if (task.killReason) {
    const suffix =
      task.killReason === HEALTH_CHECK_KILL
        ? ' (killed: failed health checks)'
        : '';
    return { state: 'TASK_KILLED', message: `${ended}${suffix}` };
  }
  return {
    state: exit.code === 0 ? 'TASK_FINISHED' : 'TASK_FAILED',
    message: ended,
  };
}

/**
 * The lastTaskFailure entry for a task that ended, if it counts as a failure: the
 * server's failure states, plus (deliberately) kills caused by failed health checks.
 */
export function taskFailureOf(
  task: Task,
  state: MesosTaskState,
  message: string,
  where: { host: string; agentId: string },
): TaskFailure | undefined {
  const healthKill =
    state === 'TASK_KILLED' && task.killReason === HEALTH_CHECK_KILL;
  if (!FAILURE_STATES.includes(state) && !healthKill) return undefined;
  const cause = task.healthResults.find(r => r && !r.alive)?.lastFailureCause;
  return {
    appId: task.appId,
    host: where.host,
    message: healthKill
      ? `Task was killed since health check failed. Reason: ${
          cause ?? 'unknown'
        }. ${message}`
      : message,
    state,
    taskId: task.taskId,
    timestamp: new Date().toISOString(),
    version: task.app.version,
    slaveId: where.agentId,
  };
}
