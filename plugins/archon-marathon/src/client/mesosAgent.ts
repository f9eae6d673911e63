/** The Mesos agent's `/state` (only what archon reads). */
export interface MesosAgentState {
  flags?: { work_dir?: string };
  frameworks?: MesosFrameworkState[];
  completed_frameworks?: MesosFrameworkState[];
}

/** A task in an agent's state; finished ones carry their status updates. */
interface MesosTaskState {
  id: string;
  state?: string;
  statuses?: Array<{ state?: string; timestamp?: number; message?: string }>;
}

interface MesosExecutorState {
  id: string;
  directory: string;
  tasks?: MesosTaskState[];
  completed_tasks?: MesosTaskState[];
  queued_tasks?: MesosTaskState[];
}

interface MesosFrameworkState {
  id: string;
  executors?: MesosExecutorState[];
  completed_executors?: MesosExecutorState[];
}

/** The sandbox directory of a task in an agent's state, as on a real cluster. */
export function sandboxOf(
  state: MesosAgentState,
  taskId: string,
): string | undefined {
  for (const framework of [
    ...(state.frameworks ?? []),
    ...(state.completed_frameworks ?? []),
  ]) {
    for (const executor of [
      ...(framework.executors ?? []),
      ...(framework.completed_executors ?? []),
    ]) {
      const runsTask =
        executor.id === taskId ||
        [
          ...(executor.tasks ?? []),
          ...(executor.completed_tasks ?? []),
          ...(executor.queued_tasks ?? []),
        ].some(t => t.id === taskId);
      if (runsTask) return executor.directory;
    }
  }
  return undefined;
}

/** A finished task of an app as its Mesos agent remembers it (its sandbox still there). */
export interface FinishedTask {
  id: string;
  appId: string;
  host: string;
  state: string;
  /** The executor's last words, e.g. `Command exited with status 3`. */
  message?: string;
  exitStatus?: number;
  finishedAt?: string;
  directory: string;
}

/**
 * The app's finished tasks in an agent's state: Marathon task ids start with
 * the app id, slashes as `_` (`foo_bar_service-1.instance-…`), so the
 * agent's completed executors are matched on that prefix.
 */
export function finishedTasksOf(
  state: MesosAgentState,
  appId: string,
  host: string,
): FinishedTask[] {
  const prefix = `${appId.replace(/^\//, '').split('/').join('_')}.`;
  const found: FinishedTask[] = [];
  for (const framework of [
    ...(state.frameworks ?? []),
    ...(state.completed_frameworks ?? []),
  ]) {
    for (const executor of framework.completed_executors ?? []) {
      for (const task of executor.completed_tasks ?? []) {
        if (!task.id.startsWith(prefix)) continue;
        const last = (task.statuses ?? [])[(task.statuses ?? []).length - 1];
        const message = last?.message;
        const status = message
          ? /exited with status (\d+)/.exec(message)
          : null;
        found.push({
          id: task.id,
          appId,
          host,
          state: task.state ?? last?.state ?? 'TASK_UNKNOWN',
          message,
          exitStatus: status ? Number(status[1]) : undefined,
          finishedAt: last?.timestamp
            ? new Date(last.timestamp * 1000).toISOString()
            : undefined,
          directory: executor.directory,
        });
      }
    }
  }
  return found;
}
