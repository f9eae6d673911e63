import type { ArchonDeployOutcome } from '@archon/plugin-archon-node';
import type { MarathonEvent } from '../client/types';
import type { FollowOptions } from './followDeployment';
import {
  crashLoopOutcome,
  failedDeploymentReason,
  judgeEndedDeployment,
  timeoutReason,
} from './deploymentVerdicts';
import {
  describeStep,
  failedTaskOf,
  healthProgress,
  stepProgress,
  taskProgress,
  unhealthyKillProgress,
} from './deploymentProgress';
import { judgeSettleWindow } from './settleWindow';
import {
  failedTaskOfApp,
  isTaskFailure,
  stderrTail,
  type FailedTask,
} from './taskFailure';

const POLL_MS = 2000;
/** After a deployment leaves /v2/deployments, how long its final event may still take. */
const EVENT_GRACE_MS = 1500;
/** A launch delay this long (back-off after failed tasks) means the app crash-loops. */
const BACKOFF_CRASH_LOOP_SECONDS = 5;
export const DEFAULT_CRASH_LOOP_FAILURES = 3;

/**
 * The state of following one Marathon deployment: the handlers of its
 * events, of the `/v2/deployments` poll, of the event stream's connection and
 * of the timeout share it, and the first outcome wins ({@link finish}).
 */
export class DeploymentFollower {
  readonly #options: FollowOptions;
  readonly #close: () => void;
  /** Whether the hub's event stream is connected (then it, not a failed poll, says Marathon is lost). */
  readonly #streamConnected: () => boolean;
  readonly #started = Date.now();
  readonly #crashLoopFailures: number;
  readonly #settleMs: number;
  #lastHealthFailure: string | undefined;
  #lastTaskFailure: string | undefined;
  #lastStep: string | undefined;
  #finished = false;
  /** Since when Marathon has not answered (set while it is unreachable). */
  #unreachableSince: number | undefined;
  /** Failed tasks of this change's version seen so far, oldest first. */
  readonly #failures: FailedTask[] = [];
  /** Set once Marathon is done and the settle window runs. */
  #settlingSince: number | undefined;
  /** Set once an outcome is being worked out (stderr read, app re-read): the first judgement wins. */
  #judging = false;
  /** Since when the deployment is no longer listed in /v2/deployments. */
  #goneSince: number | undefined;
  #polling = false;
  readonly #timers: NodeJS.Timeout[] = [];
  readonly #intervals: NodeJS.Timeout[] = [];
  #resolveOutcome!: (outcome: ArchonDeployOutcome) => void;
  readonly #outcome = new Promise<ArchonDeployOutcome>(resolve => {
    this.#resolveOutcome = resolve;
  });

  constructor(
    options: FollowOptions,
    subscription: { close: () => void; streamConnected: () => boolean },
  ) {
    this.#options = options;
    this.#close = subscription.close;
    this.#streamConnected = subscription.streamConnected;
    this.#crashLoopFailures = Math.max(
      1,
      options.crashLoopFailures ?? DEFAULT_CRASH_LOOP_FAILURES,
    );
    this.#settleMs = options.expectGone
      ? 0
      : Math.max(0, options.settleMs ?? 0);
  }

  /** Polls `/v2/deployments` every {@link POLL_MS}: the events' safety net. */
  startPolling(): void {
    const poller = setInterval(() => void this.#poll(), POLL_MS);
    poller.unref();
    this.#intervals.push(poller);
  }

  /** Arms the timeout; resolves with the first outcome. */
  startTimeout(): Promise<ArchonDeployOutcome> {
    const timeout = setTimeout(
      () => void this.#onTimeout(),
      this.#options.timeoutMs,
    );
    timeout.unref();
    this.#timers.push(timeout);
    if (!this.#options.deploymentId)
      this.#finish({ result: 'succeeded', reason: 'nothing to change' });
    return this.#outcome;
  }

  onConnect(): void {
    this.#regainedContact();
    void this.#poll();
  }

  onDisconnect(reason: string, unanswered: boolean): void {
    if (unanswered) this.#lostContact(reason);
    else void this.#poll();
  }

  onEvent(event: MarathonEvent): void {
    if (this.#finished) return;
    const { appId, deploymentId, onProgress } = this.#options;
    const e = event as Record<string, any>;
    const at = typeof e.timestamp === 'string' ? e.timestamp : undefined;
    switch (event.eventType) {
      case 'deployment_info':
      case 'deployment_step_success':
      case 'deployment_step_failure':
        if (e.plan?.id !== deploymentId) return;
        if (event.eventType === 'deployment_info')
          this.#lastStep = describeStep(e.plan, e.currentStep);
        onProgress(stepProgress(e, at));
        return;
      case 'deployment_success':
        if (e.id !== deploymentId && e.plan?.id !== deploymentId) return;
        onProgress({
          type: 'info',
          at,
          message: `Marathon deployment ${deploymentId} succeeded`,
        });
        this.#settle(`Marathon deployment ${deploymentId} succeeded`);
        return;
      case 'deployment_failed': {
        if (e.id !== deploymentId && e.plan?.id !== deploymentId) return;
        const reason = failedDeploymentReason(
          e.reason,
          this.#lastHealthFailure,
          this.#lastTaskFailure,
        );
        onProgress({
          type: 'warning',
          at,
          message: `Marathon deployment ${deploymentId} failed: ${reason}`,
        });
        this.#finish({ result: 'failed', reason });
        return;
      }
      default:
        break;
    }
    if (e.appId !== appId && e.runSpecId !== appId) return;
    switch (event.eventType) {
      case 'status_update_event':
        if (['TASK_FAILED', 'TASK_ERROR'].includes(e.taskStatus) && e.message)
          this.#lastTaskFailure = `task ${e.taskId} ${e.taskStatus}: ${e.message}`;
        if (isTaskFailure(e.taskStatus, e.message))
          this.#noteFailure(failedTaskOf(e, at));
        onProgress(taskProgress(e, at));
        return;
      case 'health_status_changed_event':
      case 'failed_health_check_event':
        onProgress(healthProgress(e, at));
        return;
      case 'unhealthy_instance_kill_event':
      case 'unhealthy_task_kill_event':
        this.#lastHealthFailure = e.reason ?? this.#lastHealthFailure;
        onProgress(unhealthyKillProgress(e, at));
        return;
      default:
    }
  }

  #finish(result: ArchonDeployOutcome): void {
    if (this.#finished) return;
    this.#finished = true;
    this.#timers.forEach(clearTimeout);
    this.#intervals.forEach(clearInterval);
    this.#close();
    const { deploymentId, version, appId } = this.#options;
    this.#resolveOutcome({
      ...result,
      details: { ...(result.details ?? {}), deploymentId, version, appId },
    });
  }

  /** Fails the change naming the last failed task, its exit status and its stderr tail. */
  async #failWithTasks(why: string): Promise<void> {
    if (this.#judging || this.#finished) return;
    this.#judging = true;
    const { client, appId, deploymentId } = this.#options;
    const last = this.#failures[this.#failures.length - 1];
    const app = await client.findApp(appId).catch(() => undefined);
    const stderr = await stderrTail(
      client,
      last,
      app,
      this.#options.secretPatterns,
    );
    const lastHealthFailure = this.#lastHealthFailure;
    const stillDeploying = await client
      .deployments()
      .then(list => list.some(d => d.id === deploymentId))
      .catch(() => false);
    const outcome = crashLoopOutcome({
      why,
      failures: this.#failures,
      last,
      stderr,
      lastHealthFailure,
      stillDeploying,
      deploymentId,
    });
    this.#options.onProgress({
      type: 'warning',
      message: outcome.reason,
      data: { taskId: last.taskId },
    });
    this.#finish(outcome);
  }

  #noteFailure(failure: FailedTask): void {
    const { expectGone, version } = this.#options;
    if (expectGone || this.#failures.some(f => f.taskId === failure.taskId))
      return;
    // Tasks of an older version (being replaced) do not speak for this change.
    if (failure.version && version && failure.version < version) return;
    this.#failures.push(failure);
    if (this.#settlingSince !== undefined) {
      void this.#failWithTasks(
        `a task ended within the ${Math.round(
          this.#settleMs / 1000,
        )} s settle window after the deployment finished`,
      );
    } else if (failure.healthKill) {
      void this.#failWithTasks('health checks failed past their grace period');
    } else if (this.#failures.length >= this.#crashLoopFailures) {
      void this.#failWithTasks(
        `crash loop (${this.#crashLoopFailures} failed tasks in a row)`,
      );
    }
  }

  /**
   * Marathon is done: success still needs the wanted instances to stay up
   * (healthy where checked) for the settle window, judged again over REST
   * at its end.
   */
  #settle(done: string): void {
    if (this.#settlingSince !== undefined || this.#judging || this.#finished)
      return;
    const settleMs = this.#settleMs;
    if (settleMs <= 0) {
      this.#finish({ result: 'succeeded', reason: done });
      return;
    }
    const since = Date.now();
    this.#settlingSince = since;
    this.#options.onProgress({
      type: 'info',
      message: `${done}; the app must stay up for ${Math.round(
        settleMs / 1000,
      )} s (settle window)`,
    });
    const timer = setTimeout(async () => {
      if (this.#judging || this.#finished) return;
      this.#judging = true;
      const { client, appId, version } = this.#options;
      const app = await client.findApp(appId).catch(() => undefined);
      this.#judging = false;
      const verdict = judgeSettleWindow({
        app,
        appId,
        since,
        version,
        settleMs,
        done,
      });
      if ('failure' in verdict) this.#noteFailure(verdict.failure);
      else this.#finish(verdict.outcome);
    }, settleMs);
    timer.unref();
    this.#timers.push(timer);
  }

  /** Judges the outcome from REST when the deployment is gone but its final event did not come. */
  async #reconcile(): Promise<void> {
    const app = await this.#options.client.findApp(this.#options.appId);
    const verdict = judgeEndedDeployment(app, this.#options);
    if ('settle' in verdict) this.#settle(verdict.settle);
    else this.#finish(verdict.outcome);
  }

  /**
   * The events' safety net while Marathon still deploys: the app's last
   * task failure (a missed event), and the launch queue's back-off, which
   * Marathon applies after failed tasks.
   */
  async #watchForCrashLoop(): Promise<void> {
    const { client, appId } = this.#options;
    const app = await client.findApp(appId);
    const failure = app?.lastTaskFailure;
    if (failure && Date.parse(failure.timestamp) >= this.#started - 1000)
      this.#noteFailure(failedTaskOfApp(failure));
    if (this.#failures.length === 0 || this.#judging || this.#finished) return;
    const queued = (await client.queue()).find(q => q.app?.id === appId);
    const delay = queued?.delay;
    if (
      delay &&
      !delay.overdue &&
      delay.timeLeftSeconds >= BACKOFF_CRASH_LOOP_SECONDS
    ) {
      await this.#failWithTasks(
        `crash loop (Marathon delays further launches by ${delay.timeLeftSeconds} s after failed tasks)`,
      );
    }
  }

  #lostContact(reason: string): void {
    if (this.#finished || this.#unreachableSince !== undefined) return;
    this.#unreachableSince = Date.now();
    const { client, deploymentId } = this.#options;
    this.#options.onProgress({
      type: 'unreachable',
      message: reason,
      data: { system: 'marathon', instance: client.name, deploymentId },
    });
  }

  #regainedContact(): void {
    if (this.#finished || this.#unreachableSince === undefined) return;
    this.#unreachableSince = undefined;
    const { client, deploymentId } = this.#options;
    this.#options.onProgress({
      type: 'reachable',
      message: `${client.describe()} answers again; events it sent meanwhile may have been missed, so archon re-reads deployment ${deploymentId}`,
      data: { system: 'marathon', instance: client.name, deploymentId },
    });
  }

  async #poll(): Promise<void> {
    if (
      this.#finished ||
      this.#polling ||
      this.#judging ||
      this.#settlingSince !== undefined
    )
      return;
    this.#polling = true;
    const { client, deploymentId, expectGone } = this.#options;
    try {
      const deployments = await client.deployments();
      this.#regainedContact();
      if (deployments.some(d => d.id === deploymentId)) {
        this.#goneSince = undefined;
        if (!expectGone) await this.#watchForCrashLoop();
      } else {
        this.#goneSince ??= Date.now();
        if (Date.now() - this.#goneSince >= EVENT_GRACE_MS)
          await this.#reconcile();
      }
    } catch (error) {
      // Keep following until the timeout. Without an event stream this is
      // the only sign that Marathon stopped answering; with one, the hub
      // says so (a slow REST answer alone is not a lost Marathon).
      if (!this.#streamConnected()) this.#lostContact((error as Error).message);
    } finally {
      this.#polling = false;
    }
  }

  async #onTimeout(): Promise<void> {
    // The settle window (or a judgement under way) ends on its own, shortly.
    if (this.#finished || this.#judging || this.#settlingSince !== undefined)
      return;
    const { client, appId } = this.#options;
    const app = await client.findApp(appId).catch(() => undefined);
    this.#finish({
      result: 'timeout',
      reason: timeoutReason({
        app,
        client,
        deploymentId: this.#options.deploymentId,
        seconds: Math.round((Date.now() - this.#started) / 1000),
        unreachableSince: this.#unreachableSince,
        lastStep: this.#lastStep,
        lastHealthFailure: this.#lastHealthFailure,
      }),
    });
  }
}
