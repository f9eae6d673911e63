import { HealthCheckDefinition } from '../model/types';
import { HealthResult, Task } from './Task';
import {
  probeCommand,
  probeHttp,
  probeTcp,
  ProbeOutcome,
} from './healthProbes';

export interface HealthTransition {
  task: Task;
  index: number;
  check: HealthCheckDefinition;
  previous: HealthResult | undefined;
  current: HealthResult;
  /** The failure cause when this result was a failure. */
  failureCause?: string;
  /** True when consecutive failures reached maxConsecutiveFailures: the task must be killed. */
  killTask: boolean;
}

/**
 * Runs an app's health checks against one task and keeps its `healthCheckResults`, with
 * the server's HealthCheckActor semantics: failures before the first success inside
 * `gracePeriodSeconds` are ignored; `alive` follows the latest result; after
 * `maxConsecutiveFailures` (> 0) failures in a row the task is to be killed.
 *
 * All protocols run locally: HTTP/HTTPS/TCP like Marathon does, MESOS_HTTP/MESOS_HTTPS/
 * MESOS_TCP/COMMAND like the Mesos executor would (those start after `delaySeconds`).
 * The first Marathon-side check runs one second after the task is running (or after the
 * interval if that is shorter), not at the next global tick.
 */
export class HealthChecker {
  private readonly timers = new Map<string, NodeJS.Timeout[]>();

  constructor(
    private readonly host: string,
    private readonly onTransition: (transition: HealthTransition) => void,
  ) {}

  start(task: Task): void {
    this.stop(task.taskId);
    const timers: NodeJS.Timeout[] = [];
    this.timers.set(task.taskId, timers);
    task.app.healthChecks.forEach((check, index) => {
      const mesosSide =
        check.protocol.startsWith('MESOS_') || check.protocol === 'COMMAND';
      const firstDelayMs = mesosSide
        ? check.delaySeconds * 1000
        : Math.min(1000, Math.max(check.intervalSeconds, 0.1) * 1000);
      this.schedule(task, index, firstDelayMs);
    });
  }

  stop(taskId: string): void {
    for (const timer of this.timers.get(taskId) ?? []) clearTimeout(timer);
    this.timers.delete(taskId);
  }

  stopAll(): void {
    for (const taskId of [...this.timers.keys()]) this.stop(taskId);
  }

  private schedule(task: Task, index: number, delayMs: number): void {
    const timers = this.timers.get(task.taskId);
    if (!timers) return;
    const timer = setTimeout(() => void this.runOnce(task, index), delayMs);
    timer.unref();
    timers.push(timer);
  }

  private async runOnce(task: Task, index: number): Promise<void> {
    if (!this.timers.has(task.taskId) || task.state !== 'TASK_RUNNING') return;
    const check = task.app.healthChecks[index];
    const outcome = await this.probe(task, check);
    if (!this.timers.has(task.taskId) || task.state !== 'TASK_RUNNING') return;
    this.apply(task, index, check, outcome);
    if (this.timers.has(task.taskId)) {
      this.schedule(task, index, Math.max(check.intervalSeconds, 0.1) * 1000);
    }
  }

  private probe(
    task: Task,
    check: HealthCheckDefinition,
  ): Promise<ProbeOutcome> {
    const timeoutMs = Math.max(check.timeoutSeconds, 1) * 1000;
    if (check.protocol === 'COMMAND') {
      return probeCommand({
        command: check.command?.value ?? 'false',
        cwd: task.sandboxDir,
        env: task.env,
        timeoutMs,
      });
    }
    const port = check.port ?? task.hostPorts[check.portIndex ?? 0];
    if (port === undefined) {
      return Promise.resolve({
        healthy: false,
        cause: 'No port available for the health check',
      });
    }
    if (check.protocol === 'TCP' || check.protocol === 'MESOS_TCP') {
      return probeTcp(this.host, port, timeoutMs);
    }
    return probeHttp({
      secure: check.protocol === 'HTTPS' || check.protocol === 'MESOS_HTTPS',
      host: this.host,
      port,
      path: check.path ?? '/',
      timeoutMs,
      ignoreHttp1xx: check.ignoreHttp1xx === true,
    });
  }

  private apply(
    task: Task,
    index: number,
    check: HealthCheckDefinition,
    outcome: ProbeOutcome,
  ): void {
    if ('ignored' in outcome) return;
    const now = new Date().toISOString();
    const previous = task.healthResults[index];
    let current: HealthResult;
    if (outcome.healthy) {
      current = {
        alive: true,
        consecutiveFailures: 0,
        firstSuccess: previous?.firstSuccess ?? now,
        lastSuccess: now,
        lastFailure: previous?.lastFailure ?? null,
        lastFailureCause: previous?.lastFailureCause ?? null,
      };
    } else {
      const startedAt = Date.parse(task.startedAt ?? task.stagedAt);
      const inGracePeriod =
        !previous?.firstSuccess &&
        Date.now() < startedAt + check.gracePeriodSeconds * 1000;
      if (inGracePeriod) return;
      current = {
        alive: false,
        consecutiveFailures: (previous?.consecutiveFailures ?? 0) + 1,
        firstSuccess: previous?.firstSuccess ?? null,
        lastSuccess: previous?.lastSuccess ?? null,
        lastFailure: now,
        lastFailureCause: outcome.cause,
      };
    }
    task.healthResults[index] = current;
    const killTask =
      !current.alive &&
      check.maxConsecutiveFailures > 0 &&
      current.consecutiveFailures >= check.maxConsecutiveFailures;
    this.onTransition({
      task,
      index,
      check,
      previous,
      current,
      failureCause: outcome.healthy ? undefined : outcome.cause,
      killTask,
    });
  }
}
