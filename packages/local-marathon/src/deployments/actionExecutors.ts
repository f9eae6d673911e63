import { AppDefinition } from '../model/types';
import { EventBus } from '../events/EventBus';
import {
  Scheduler,
  launchBlockerOf,
  LAUNCH_BLOCKER_MESSAGES,
} from '../runtime/Scheduler';
import { isActive, isHealthy, Task } from '../runtime/Task';
import { DeploymentAction } from './DeploymentPlan';

/** `done`, or still waiting, with a human-readable description of what is missing. */
export type ActionProgress =
  | { done: true }
  | { done: false; waitingFor: string };

/** Carries out one action of a deployment step against the scheduler. */
export interface ActionExecutor {
  start(): void;
  poll(): ActionProgress;
}

function describeHealth(
  app: AppDefinition,
  tasks: Task[],
  wanted: number,
): string {
  const blocker = launchBlockerOf(app);
  if (blocker)
    return `${app.id} cannot be launched: ${LAUNCH_BLOCKER_MESSAGES[blocker]}`;
  const running = tasks.filter(t => t.state === 'TASK_RUNNING').length;
  const healthy = tasks.filter(isHealthy).length;
  const checks = app.healthChecks.length > 0 ? `, ${healthy} healthy` : '';
  const failure = tasks
    .flatMap(t => t.healthResults)
    .find(result => result && !result.alive)?.lastFailureCause;
  const cause = failure ? ` (last health check failure: ${failure})` : '';
  return `${app.id}: ${running} of ${wanted} instances running${checks}${cause}`;
}

/** YOUNGEST_FIRST kills the most recently staged tasks first. */
function byKillPreference(app: AppDefinition): (a: Task, b: Task) => number {
  const youngestFirst = app.killSelection !== 'OLDEST_FIRST';
  return (a, b) =>
    youngestFirst
      ? b.stagedAt.localeCompare(a.stagedAt)
      : a.stagedAt.localeCompare(b.stagedAt);
}

/** StartApplication: registers the app with 0 instances; a ScaleApplication step follows. */
class StartExecutor implements ActionExecutor {
  constructor(
    private readonly scheduler: Scheduler,
    private readonly app: AppDefinition,
  ) {}

  start(): void {
    const known = this.scheduler.runSpecOf(this.app.id) !== undefined;
    this.scheduler.setRunSpec(this.app, known ? undefined : 0);
  }

  poll(): ActionProgress {
    return { done: true };
  }
}

/**
 * ScaleApplication: kills surplus instances (the requested ones first, then by
 * killSelection) and launches missing ones; done when exactly `instances` instances are
 * running and healthy and the killed ones are gone.
 */
class ScaleExecutor implements ActionExecutor {
  private killed: Task[] = [];

  constructor(
    private readonly scheduler: Scheduler,
    private readonly app: AppDefinition,
    private readonly toKill: string[],
  ) {}

  start(): void {
    this.scheduler.delays.reset(this.app.id);
    this.scheduler.setRunSpec(this.app);
    const active = this.scheduler.activeTasksOf(this.app.id);
    const requested = active.filter(
      task =>
        this.toKill.includes(task.taskId) ||
        this.toKill.includes(task.instanceId),
    );
    const others = active
      .filter(task => !requested.includes(task))
      .sort(byKillPreference(this.app));
    const surplus = Math.max(0, active.length - this.app.instances);
    this.killed = [...requested, ...others].slice(
      0,
      Math.max(surplus, requested.length),
    );
    for (const task of this.killed) this.scheduler.kill(task, 'Scaling', true);
    this.scheduler.setTarget(this.app.id, this.app.instances);
  }

  poll(): ActionProgress {
    const active = this.scheduler.activeTasksOf(this.app.id);
    const stillDying = this.killed.filter(task => isActive(task));
    const healthy = active.filter(isHealthy).length;
    if (
      stillDying.length === 0 &&
      active.length === this.app.instances &&
      healthy === this.app.instances
    ) {
      return { done: true };
    }
    if (stillDying.length > 0)
      return {
        done: false,
        waitingFor: `${stillDying.length} tasks of ${this.app.id} to be killed`,
      };
    return {
      done: false,
      waitingFor: describeHealth(this.app, active, this.app.instances),
    };
  }
}

/**
 * RestartApplication: a rolling replacement like the server's TaskReplaceActor. With
 * minHealthy = ceil(instances * minimumHealthCapacity) and maxCapacity =
 * floor(instances * (1 + maximumOverCapacity)), it kills the old instances it may kill
 * right away, launches new ones up to maxCapacity, and kills one more old instance each
 * time a new one becomes healthy. Done when `instances` new instances are healthy and no
 * old one is left.
 */
class RestartExecutor implements ActionExecutor {
  private maxCapacity = 0;
  private readonly oldQueue: Task[] = [];
  private readonly killedOld: Task[] = [];
  private creditedHealthy = 0;

  constructor(
    private readonly scheduler: Scheduler,
    private readonly app: AppDefinition,
  ) {}

  private isOld(task: Task): boolean {
    return task.app.version !== this.app.version;
  }

  start(): void {
    const { app, scheduler } = this;
    scheduler.delays.reset(app.id);
    scheduler.setRunSpec(app);
    const target = app.instances;
    const current = scheduler.activeTasksOf(app.id);
    const healthyCount = current.filter(isHealthy).length;
    const minHealthy = Math.ceil(
      target * app.upgradeStrategy.minimumHealthCapacity,
    );
    this.maxCapacity = Math.floor(
      target * (1 + app.upgradeStrategy.maximumOverCapacity),
    );
    let killNow = Math.max(0, healthyCount - minHealthy);
    if (minHealthy === this.maxCapacity && this.maxCapacity <= healthyCount)
      this.maxCapacity += 1;
    if (target < current.length)
      killNow = Math.max(current.length - target, killNow);
    // Unhealthy old instances go first.
    const old = current.filter(task => this.isOld(task));
    this.oldQueue.push(
      ...old.filter(t => !isHealthy(t)),
      ...old.filter(t => isHealthy(t)),
    );
    for (let i = 0; i < killNow; i++) this.killNextOld();
    this.creditedHealthy = current.filter(
      t => !this.isOld(t) && isHealthy(t),
    ).length;
    this.updateTarget();
  }

  private killNextOld(): void {
    const next = this.oldQueue.shift();
    if (!next) return;
    this.killedOld.push(next);
    this.scheduler.kill(next, 'Upgrading', true);
  }

  private updateTarget(): void {
    const oldActive = this.scheduler
      .activeTasksOf(this.app.id)
      .filter(t => this.isOld(t)).length;
    const wantedNew = Math.min(
      this.app.instances,
      Math.max(0, this.maxCapacity - oldActive),
    );
    this.scheduler.setTarget(this.app.id, oldActive + wantedNew);
  }

  poll(): ActionProgress {
    const active = this.scheduler.activeTasksOf(this.app.id);
    const fresh = active.filter(t => !this.isOld(t));
    const newHealthy = fresh.filter(isHealthy).length;
    while (this.creditedHealthy < newHealthy && this.oldQueue.length > 0) {
      this.creditedHealthy++;
      this.killNextOld();
    }
    this.creditedHealthy = Math.max(this.creditedHealthy, newHealthy);
    // Old instances that died on their own are not replaced by old ones.
    for (const task of this.oldQueue.filter(t => !isActive(t)))
      this.oldQueue.splice(this.oldQueue.indexOf(task), 1);
    this.updateTarget();
    const oldLeft =
      active.filter(t => this.isOld(t)).length +
      this.killedOld.filter(isActive).length;
    if (oldLeft === 0 && newHealthy >= this.app.instances)
      return { done: true };
    const waiting = describeHealth(this.app, fresh, this.app.instances);
    return {
      done: false,
      waitingFor:
        oldLeft > 0 ? `${waiting}; ${oldLeft} old instances left` : waiting,
    };
  }
}

/** StopApplication: kills every instance; done when they are gone (then app_terminated_event). */
class StopExecutor implements ActionExecutor {
  constructor(
    private readonly scheduler: Scheduler,
    private readonly app: AppDefinition,
    private readonly events: EventBus,
  ) {}

  start(): void {
    this.scheduler.setTarget(this.app.id, 0);
    for (const task of this.scheduler.tasksOf(this.app.id))
      this.scheduler.kill(task, 'Deleting', true);
  }

  poll(): ActionProgress {
    const left = this.scheduler.tasksOf(this.app.id).length;
    if (left > 0)
      return {
        done: false,
        waitingFor: `${left} tasks of ${this.app.id} to be killed`,
      };
    if (this.scheduler.targetOf(this.app.id) === 0) {
      this.scheduler.unregister(this.app.id);
      this.events.publish('app_terminated_event', { appId: this.app.id });
    }
    return { done: true };
  }
}

export function createExecutor(
  action: DeploymentAction,
  scheduler: Scheduler,
  events: EventBus,
): ActionExecutor {
  switch (action.action) {
    case 'StartApplication':
      return new StartExecutor(scheduler, action.spec);
    case 'ScaleApplication':
      return new ScaleExecutor(scheduler, action.spec, action.toKill ?? []);
    case 'RestartApplication':
      return new RestartExecutor(scheduler, action.spec);
    case 'StopApplication':
      return new StopExecutor(scheduler, action.spec, events);
    default:
      throw new Error(`Unknown deployment action ${String(action.action)}`);
  }
}
