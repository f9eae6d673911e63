import { QueueEntry, RunSpecState } from './runSpecs';
import { LaunchDelays } from './LaunchDelays';
import { healthSummary, isActive, Task } from './Task';

/** The scheduler's instance tracker: what is running, queued and recently ended. */
export class SchedulerTasks {
  protected readonly specs = new Map<string, RunSpecState>();
  protected readonly tasks = new Map<string, Task>();
  protected readonly terminated: Task[] = [];
  protected readonly changeListeners = new Set<() => void>();
  readonly delays = new LaunchDelays();

  // ---- task queries ----------------------------------------------------------------

  tasksOf(appId: string): Task[] {
    return [...this.tasks.values()].filter(task => task.appId === appId);
  }

  allTasks(): Task[] {
    return [...this.tasks.values()];
  }

  /** Instances the scheduler keeps alive (goal Running, not terminal). */
  activeTasksOf(appId: string): Task[] {
    return this.tasksOf(appId).filter(
      task => task.goal === 'Running' && isActive(task),
    );
  }

  task(taskId: string): Task | undefined {
    return this.tasks.get(taskId);
  }

  /** A live task, or one that ended recently (for its sandbox). */
  knownTask(taskId: string): Task | undefined {
    return (
      this.tasks.get(taskId) ??
      this.terminated.find(task => task.taskId === taskId)
    );
  }

  recentlyTerminated(): Task[] {
    return [...this.terminated];
  }

  countsOf(appId: string): {
    staged: number;
    running: number;
    healthy: number;
    unhealthy: number;
  } {
    const tasks = this.tasksOf(appId);
    return {
      staged: tasks.filter(
        t => t.state === 'TASK_STAGING' || t.state === 'TASK_STARTING',
      ).length,
      running: tasks.filter(t => t.state === 'TASK_RUNNING').length,
      healthy: tasks.filter(t => healthSummary(t) === 'healthy').length,
      unhealthy: tasks.filter(t => healthSummary(t) === 'unhealthy').length,
    };
  }

  queue(): QueueEntry[] {
    const entries: QueueEntry[] = [];
    for (const spec of this.specs.values()) {
      const count = spec.target - this.activeTasksOf(spec.app.id).length;
      if (count <= 0) continue;
      entries.push({
        app: spec.app,
        count,
        since: spec.since ?? new Date().toISOString(),
        delayMs: this.delays.remainingMs(spec.app),
        blocker: spec.blocker,
        offers: spec.offers,
      });
    }
    return entries;
  }

  onChange(listener: () => void): () => void {
    this.changeListeners.add(listener);
    return () => this.changeListeners.delete(listener);
  }

  protected notify(): void {
    for (const listener of [...this.changeListeners]) listener();
  }

  /** Process ids of running tasks with their sandboxes (to reap orphans after a crash). */
  processes(): Array<{ pid: number; sandboxDir: string }> {
    return [...this.tasks.values()]
      .filter(task => task.pid !== undefined)
      .map(task => ({ pid: task.pid!, sandboxDir: task.sandboxDir }));
  }
}
