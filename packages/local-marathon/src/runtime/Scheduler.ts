import fs from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { AppDefinition, MesosTaskState, TaskFailure } from '../model/types';
import { safePath } from '../model/pathId';
import { EventBus } from '../events/EventBus';
import { HealthChecker, HealthTransition } from './HealthChecker';
import { ProcessExit, TaskRunner } from './TaskRunner';
import { isActive, Task } from './Task';
import {
  FAILURE_STATES,
  HEALTH_CHECK_KILL,
  taskFailureOf,
  terminalStatusOf,
} from './taskOutcome';
import { TaskEvents } from '../events/taskEvents';
import { buildTaskEnv } from './taskEnv';
import { newOfferStats, recordOffer } from './offerStats';
import {
  hostPortRequests,
  LAUNCH_BLOCKER_MESSAGES,
  launchBlockerOf,
  RunSpecState,
  SchedulerOptions,
} from './runSpecs';
import { SchedulerTasks } from './SchedulerTasks';

// Re-exported: callers import these from the Scheduler, as before the split.
export { LAUNCH_BLOCKER_MESSAGES, launchBlockerOf };
export type { LaunchBlocker, QueueEntry, SchedulerOptions } from './runSpecs';

/**
 * The local "Mesos agent + Marathon instance tracker + launch queue": keeps, per app, the
 * wanted number of instances with goal Running alive by launching local processes,
 * relaunches tasks that end (with back-off), runs health checks, kills on request, and
 * reports every state change as Marathon events. Deployments steer it through
 * `setRunSpec`, `setTarget` and `kill(task, reason, decommission = true)`.
 */
export class Scheduler extends SchedulerTasks {
  private readonly runner = new TaskRunner();
  private readonly health: HealthChecker;
  private readonly taskEvents: TaskEvents;
  private offerTimer?: NodeJS.Timeout;
  private readonly gcTimer: NodeJS.Timeout;
  private closed = false;

  constructor(
    private readonly options: SchedulerOptions,
    events: EventBus,
    private readonly recordFailure: (failure: TaskFailure) => void,
  ) {
    super();
    this.taskEvents = new TaskEvents(
      events,
      options.host,
      options.layout.agentId,
    );
    this.health = new HealthChecker(options.host, transition =>
      this.onHealthTransition(transition),
    );
    this.offerTimer = setInterval(
      () => this.reconcileAll(true),
      options.offerIntervalMs,
    );
    this.offerTimer.unref();
    this.gcTimer = setInterval(
      () => this.collectSandboxes(),
      Math.min(60_000, Math.max(1000, options.sandboxRetentionMs / 4)),
    );
    this.gcTimer.unref();
  }

  // ---- run specs -------------------------------------------------------------------

  /** Registers an app, or changes the definition new instances are launched from. */
  setRunSpec(app: AppDefinition, target?: number): void {
    const existing = this.specs.get(app.id);
    if (existing) {
      if (
        existing.app.versionInfo.lastConfigChangeAt !==
        app.versionInfo.lastConfigChangeAt
      ) {
        existing.since = undefined;
        existing.offers = newOfferStats();
      }
      existing.app = app;
      if (target !== undefined) existing.target = target;
    } else {
      this.specs.set(app.id, {
        app,
        target: target ?? 0,
        pending: 0,
        offers: newOfferStats(),
      });
    }
    this.reconcile(app.id);
  }

  setTarget(appId: string, target: number): void {
    const spec = this.specs.get(appId);
    if (!spec) return;
    spec.target = Math.max(0, target);
    this.reconcile(appId);
  }

  targetOf(appId: string): number {
    return this.specs.get(appId)?.target ?? 0;
  }

  runSpecOf(appId: string): AppDefinition | undefined {
    return this.specs.get(appId)?.app;
  }

  /** Forgets an app once its tasks are gone (after StopApplication). */
  unregister(appId: string): void {
    this.specs.delete(appId);
    this.delays.reset(appId);
  }

  // ---- killing ---------------------------------------------------------------------

  /**
   * Kills a task. With `decommission` the instance is not replaced (scale down, upgrade,
   * delete); without it (a plain API kill or a failed health check) the scheduler
   * launches a replacement.
   */
  kill(task: Task, reason: string, decommission: boolean): void {
    if (decommission) task.goal = 'Decommissioned';
    if (!isActive(task)) return;
    if (task.killReason) return;
    task.killReason = reason;
    if (task.pid === undefined) return; // the launch finishes the kill once the process exists
    this.transition(task, 'TASK_KILLING', '');
    const graceMs =
      task.app.taskKillGracePeriodSeconds !== undefined
        ? task.app.taskKillGracePeriodSeconds * 1000
        : this.options.defaultKillGraceMs;
    this.runner.kill(task.pid, graceMs);
    this.notify();
  }

  // ---- reconciliation --------------------------------------------------------------

  reconcileAll(fromOfferCycle = false): void {
    for (const appId of [...this.specs.keys()])
      this.reconcile(appId, fromOfferCycle);
  }

  /** `fromOfferCycle`: a periodic retry, which counts as one offer for blocked launches. */
  private reconcile(appId: string, fromOfferCycle = false): void {
    if (this.closed) return;
    const spec = this.specs.get(appId);
    if (!spec) return;
    const missing =
      spec.target - this.activeTasksOf(appId).length - spec.pending;
    if (missing <= 0) {
      if (spec.target - this.activeTasksOf(appId).length <= 0) {
        spec.since = undefined;
        spec.blocker = undefined;
      }
      return;
    }
    spec.since ??= new Date().toISOString();
    const blocker = launchBlockerOf(spec.app);
    if (blocker) {
      if (spec.blocker !== blocker) {
        this.options.log(
          `cannot launch ${appId}: ${LAUNCH_BLOCKER_MESSAGES[blocker]}`,
        );
      }
      spec.blocker = blocker;
      if (fromOfferCycle || spec.offers.processed === 0)
        recordOffer(spec.offers, blocker);
      return;
    }
    if (this.delays.remainingMs(spec.app) > 0) return; // the offer cycle retries later
    for (let i = 0; i < missing; i++) void this.launch(spec);
  }

  private async launch(spec: RunSpecState): Promise<void> {
    const app = spec.app;
    spec.pending++;
    // While ports are allocated the launch is "pending"; once startTask registered the
    // task it counts as an active task instead.
    let pending = true;
    let hostPorts: number[] | undefined;
    try {
      hostPorts = await this.options.ports.acquire(hostPortRequests(app));
      if (!hostPorts) {
        spec.blocker = 'InsufficientPorts';
        recordOffer(spec.offers, 'InsufficientPorts');
        return;
      }
      if (this.closed || this.specs.get(app.id) !== spec || spec.app !== app) {
        this.options.ports.release(hostPorts);
        return;
      }
      spec.blocker = undefined;
      recordOffer(spec.offers, undefined);
      const started = this.startTask(app, hostPorts);
      spec.pending--;
      pending = false;
      await started;
    } catch (error) {
      if (hostPorts && pending) this.options.ports.release(hostPorts);
      process.emitWarning(
        `local-marathon: launching a task of ${app.id} failed: ${
          (error as Error).message
        }`,
      );
    } finally {
      if (pending) spec.pending--;
      this.notify();
    }
  }

  private async startTask(
    app: AppDefinition,
    hostPorts: number[],
  ): Promise<void> {
    const instanceId = `${safePath(app.id)}.instance-${randomUUID()}`;
    const taskId = `${instanceId}._app.1`;
    const containerId = randomUUID();
    const sandboxDir = this.options.layout.create(taskId, containerId);
    const env = {
      ...this.options.baseEnv,
      ...buildTaskEnv({
        app,
        taskId,
        host: this.options.host,
        hostPorts,
        sandboxDir,
      }),
    };
    const servicePorts =
      app.container?.portMappings && app.container.portMappings.length > 0
        ? app.container.portMappings.map(m => m.servicePort)
        : (app.portDefinitions ?? []).map(d => d.port);
    const task: Task = {
      taskId,
      instanceId,
      appId: app.id,
      app,
      state: 'TASK_STAGING',
      goal: 'Running',
      stagedAt: new Date().toISOString(),
      hostPorts,
      servicePorts,
      containerId,
      sandboxDir,
      env,
      healthResults: [],
      message: '',
    };
    this.tasks.set(taskId, task);
    this.taskEvents.status(task);
    this.notify();
    const command = app.cmd !== undefined ? app.cmd : app.args!.join(' ');
    fs.appendFileSync(
      path.join(sandboxDir, 'stdout'),
      `Received LAUNCH event\nStarting task ${taskId}\n${
        app.cmd !== undefined ? `sh -c '${command}'` : command
      }\n`,
    );
    const pid = await this.runner.start(
      {
        shell: app.cmd,
        argv: app.cmd === undefined ? app.args : undefined,
        cwd: sandboxDir,
        env,
        stdoutPath: path.join(sandboxDir, 'stdout'),
        stderrPath: path.join(sandboxDir, 'stderr'),
      },
      exit => this.onExit(task, exit),
    );
    if (pid === undefined || !isActive(task)) return;
    task.pid = pid;
    this.transition(task, 'TASK_STARTING', '');
    task.startedAt = new Date().toISOString();
    this.transition(task, 'TASK_RUNNING', '');
    this.delays.advance(app);
    if (task.killReason) {
      const reason = task.killReason;
      task.killReason = undefined;
      this.kill(task, reason, task.goal === 'Decommissioned');
      return;
    }
    this.health.start(task);
  }

  private onExit(task: Task, exit: ProcessExit): void {
    this.health.stop(task.taskId);
    this.options.ports.release(task.hostPorts);
    const { state, message } = terminalStatusOf(task, exit);
    if (task.pid !== undefined) {
      fs.appendFile(
        path.join(task.sandboxDir, 'stdout'),
        `${message} (pid: ${task.pid})\n`,
        () => undefined,
      );
    }
    this.transition(task, state, message);
    task.finishedAt = new Date().toISOString();
    this.tasks.delete(task.taskId);
    this.terminated.push(task);
    this.collectSandboxes();
    const failure = taskFailureOf(task, state, message, {
      host: this.options.host,
      agentId: this.options.layout.agentId,
    });
    if (failure) this.recordFailure(failure);
    // Like the server's rate limiter: failed or finished tasks delay the next launch, kills do not.
    if (
      task.goal === 'Running' &&
      (FAILURE_STATES.includes(state) || state === 'TASK_FINISHED')
    ) {
      this.delays.increase(this.specs.get(task.appId)?.app ?? task.app);
    }
    this.reconcile(task.appId);
    this.notify();
  }

  /**
   * Like a Mesos agent's sandbox garbage collection: a finished task's sandbox
   * (and its record) goes after the retention window, or when its app has
   * more finished tasks than it may keep; the newest stay.
   */
  private collectSandboxes(now = Date.now()): void {
    const kept = new Map<string, number>();
    const survivors: Task[] = [];
    // Newest first, so the per-app budget keeps the latest ones.
    for (const task of [...this.terminated].reverse()) {
      const count = kept.get(task.appId) ?? 0;
      const age = now - Date.parse(task.finishedAt ?? task.stagedAt);
      if (
        age <= this.options.sandboxRetentionMs &&
        count < this.options.sandboxesPerApp &&
        survivors.length < 500
      ) {
        kept.set(task.appId, count + 1);
        survivors.push(task);
      } else {
        fs.rm(
          this.options.layout.executorDir(task.taskId),
          { recursive: true, force: true },
          () => undefined,
        );
      }
    }
    this.terminated.splice(0, this.terminated.length, ...survivors.reverse());
  }

  private onHealthTransition(transition: HealthTransition): void {
    const { task, current } = transition;
    this.taskEvents.health(transition);
    if (transition.killTask && !task.killReason) {
      this.taskEvents.unhealthyKill(
        task,
        current.lastFailureCause ?? 'health check failed',
      );
      this.kill(task, HEALTH_CHECK_KILL, false);
    }
    this.notify();
  }

  private transition(task: Task, state: MesosTaskState, message: string): void {
    task.state = state;
    task.message = message;
    this.taskEvents.status(task);
    this.notify();
  }

  // ---- shutdown --------------------------------------------------------------------

  async close(): Promise<void> {
    this.closed = true;
    if (this.offerTimer) clearInterval(this.offerTimer);
    clearInterval(this.gcTimer);
    this.health.stopAll();
    for (const task of this.tasks.values()) task.killReason ??= 'Shutdown';
    await this.runner.killAll(this.options.defaultKillGraceMs);
  }
}
