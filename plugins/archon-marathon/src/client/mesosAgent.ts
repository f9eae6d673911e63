/** The Mesos agent's `/state` (only what archon reads). */
export interface MesosAgentState {
  flags?: { work_dir?: string };
  frameworks?: MesosFrameworkState[];
  completed_frameworks?: MesosFrameworkState[];
}

interface MesosExecutorState {
  id: string;
  directory: string;
  tasks?: Array<{ id: string }>;
  completed_tasks?: Array<{ id: string }>;
  queued_tasks?: Array<{ id: string }>;
}

interface MesosFrameworkState {
  id: string;
  executors?: MesosExecutorState[];
  completed_executors?: MesosExecutorState[];
}

/** The sandbox directory of a task in an agent's state, as on a real cluster. */
export function sandboxOf(state: MesosAgentState, taskId: string): string | undefined {
  for (const framework of [...(state.frameworks ?? []), ...(state.completed_frameworks ?? [])]) {
    for (const executor of [...(framework.executors ?? []), ...(framework.completed_executors ?? [])]) {
      const runsTask =
        executor.id === taskId ||
        [...(executor.tasks ?? []), ...(executor.completed_tasks ?? []), ...(executor.queued_tasks ?? [])].some(
          t => t.id === taskId,
        );
      if (runsTask) return executor.directory;
    }
  }
  return undefined;
}
