import type {
  ArchonDeployOutcome,
  ArchonDeployProgress,
} from '@archon/plugin-archon-node';
import type { MarathonClient } from '../client/MarathonClient';
import type { MarathonEventHub } from '../client/MarathonEventHub';
import type { MarathonAppInfo, MarathonEvent } from '../client/types';
import { judgeSettleWindow } from './settleWindow';
import {
  describeCrashLoop,
  exitStatusOf,
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

/** What {@link Subscription.follow} follows, and where it reports progress. */
export interface FollowOptions {
  client: MarathonClient;
  appId: string;
  deploymentId: string;
  version: string;
  /** `destroy`: success means the app is gone. */
  expectGone?: boolean;
  timeoutMs: number;
  /** How long the app must stay up after Marathon is done; a task ending meanwhile fails the change. */
  settleMs?: number;
  /** Failed tasks (of this version) that make the change fail as a crash loop. */
  crashLoopFailures?: number;
  /** `archon.secrets.keyPatterns`: env values masked in a quoted stderr. */
  secretPatterns?: readonly string[];
  onProgress: (progress: ArchonDeployProgress) => void;
}

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

/**
 * Why Marathon failed a deployment: its own reason, else the last health
 * check failure, else the last failed task's words.
 */
export function failedDeploymentReason(
  marathonReason: unknown,
  lastHealthFailure: string | undefined,
  lastTaskFailure: string | undefined,
): string {
  return (
    (typeof marathonReason === 'string' && marathonReason) ||
    (lastHealthFailure
      ? `last health check failure: ${lastHealthFailure}`
      : undefined) ||
    lastTaskFailure ||
    'Marathon reports the deployment failed (no reason given)'
  );
}

/**
 * The failed outcome of a change whose tasks fail: `why`, the crash loop
 * (the last task's exit status and stderr tail), the last health check
 * failure when a health check killed it, and what stops Marathon's
 * relaunching while it still tries.
 */
export function crashLoopOutcome(input: {
  why: string;
  /** Failed tasks of this change's version, oldest first. */
  failures: FailedTask[];
  last: FailedTask;
  stderr: string | undefined;
  lastHealthFailure: string | undefined;
  /** Whether Marathon still lists the deployment (it keeps relaunching). */
  stillDeploying: boolean;
  deploymentId: string;
}): ArchonDeployOutcome & { reason: string } {
  const { failures, last, stderr, deploymentId } = input;
  const health =
    last.healthKill && input.lastHealthFailure
      ? `; last health check failure: ${input.lastHealthFailure}`
      : '';
  // Marathon keeps relaunching; say so, and what stops it.
  const pending = input.stillDeploying
    ? `; Marathon deployment ${deploymentId} is still trying: cancel it (DELETE /v2/deployments/${deploymentId}, archon deployments cancel) or deploy a fix with force`
    : '';
  const reason = `${input.why}: ${describeCrashLoop(
    failures,
    stderr,
  )}${health}${pending}`;
  return {
    result: 'failed',
    reason,
    details: {
      failedTasks: failures.length,
      lastFailure: {
        ...last,
        exitStatus: exitStatusOf(last.message),
        stderr,
      },
    },
  };
}

/**
 * The verdict on a deployment Marathon no longer lists although its final
 * event did not come, from the app as Marathon shows it now: an outcome, or
 * (the wanted instances run, healthy where checked) the settle window to
 * open, with what Marathon is taken to have said.
 */
export function judgeEndedDeployment(
  app: MarathonAppInfo | undefined,
  options: Pick<
    FollowOptions,
    'appId' | 'deploymentId' | 'version' | 'expectGone'
  >,
): { outcome: ArchonDeployOutcome } | { settle: string } {
  const { appId, deploymentId } = options;
  if (options.expectGone) {
    return app
      ? {
          outcome: {
            result: 'failed',
            reason: `${appId} still exists after the deployment ended`,
          },
        }
      : {
          outcome: {
            result: 'succeeded',
            reason: 'confirmed over REST (the final event was not seen)',
          },
        };
  }
  if (!app)
    return {
      outcome: { result: 'failed', reason: `${appId} no longer exists` },
    };
  if (app.version && options.version && app.version > options.version) {
    return {
      outcome: {
        result: 'failed',
        reason: `superseded by a newer change (version ${app.version}) before it finished`,
      },
    };
  }
  const instances = app.instances ?? 0;
  const ok =
    (app.tasksRunning ?? 0) >= instances &&
    ((app.healthChecks ?? []).length === 0 ||
      (app.tasksHealthy ?? 0) >= instances);
  if (ok)
    return {
      settle: `Marathon deployment ${deploymentId} finished (confirmed over REST; its final event was not seen)`,
    };
  return {
    outcome: {
      result: 'failed',
      reason: `the deployment ended without reaching ${instances} healthy instance(s): ${
        app.tasksRunning ?? 0
      } running, ${app.tasksHealthy ?? 0} healthy${
        app.lastTaskFailure
          ? `; last task failure: ${app.lastTaskFailure.message}`
          : ''
      }`,
    },
  };
}

/**
 * Why a deployment timed out: where it was, what still runs, the last health
 * check failure, and (when Marathon stopped answering) that the outcome is
 * unknown; it may still finish.
 */
export function timeoutReason(input: {
  /** The app as Marathon shows it now; undefined when it is gone or did not answer. */
  app: MarathonAppInfo | undefined;
  client: Pick<MarathonClient, 'name' | 'describe'>;
  deploymentId: string;
  seconds: number;
  unreachableSince: number | undefined;
  lastStep: string | undefined;
  lastHealthFailure: string | undefined;
}): string {
  const { app, client, deploymentId, lastStep, lastHealthFailure } = input;
  let state = '';
  if (app) {
    state = `; ${app.tasksRunning ?? 0} of ${
      app.instances ?? 0
    } instance(s) running, ${app.tasksHealthy ?? 0} healthy`;
    if (app.lastTaskFailure)
      state += `; last task failure: ${app.lastTaskFailure.message}`;
  }
  const unknown =
    input.unreachableSince === undefined
      ? ''
      : `${client.describe()} has not answered since ${new Date(
          input.unreachableSince,
        ).toISOString()}, so the outcome is unknown; `;
  return `${unknown}Marathon deployment ${deploymentId} had not finished after ${
    input.seconds
  } s${lastStep ? ` (at ${lastStep})` : ''}${state}${
    lastHealthFailure ? `; last health check failure: ${lastHealthFailure}` : ''
  }; it may still finish: see /api/archon/marathon/${client.name}/deployments`;
}

type Step = { actions: Array<{ action: string; app?: string }> };

/** `step 2/3: scale /shop/cart` from a deployment plan and its current step. */
export function describeStep(
  plan: { steps?: Step[] } | undefined,
  step: Step | undefined,
): string {
  const steps = plan?.steps ?? [];
  const index = step
    ? steps.findIndex(s => JSON.stringify(s) === JSON.stringify(step))
    : -1;
  const actions = (step?.actions ?? [])
    .map(a => `${a.action} ${a.app ?? ''}`.trim())
    .join(', ');
  return `step ${index >= 0 ? index + 1 : '?'}/${
    steps.length || '?'
  }: ${actions}`;
}

/** A deployment step event (`deployment_info`, `_step_success`, `_step_failure`) as progress. */
export function stepProgress(
  e: Record<string, any>,
  at: string | undefined,
): ArchonDeployProgress {
  const step = describeStep(e.plan, e.currentStep);
  switch (e.eventType) {
    case 'deployment_info':
      return {
        type: 'step',
        at,
        message: `Marathon ${step}`,
        data: { currentStep: e.currentStep },
      };
    case 'deployment_step_success':
      return { type: 'step', at, message: `Marathon ${step} done` };
    default:
      return { type: 'warning', at, message: `Marathon ${step} failed` };
  }
}

/** The failed task a `status_update_event` reports (a health kill when Marathon killed it). */
export function failedTaskOf(
  e: Record<string, any>,
  at: string | undefined,
): FailedTask {
  return {
    taskId: e.taskId,
    state: e.taskStatus,
    message: e.message ?? '',
    host: e.host,
    version: e.version,
    at,
    healthKill: e.taskStatus === 'TASK_KILLED',
  };
}

/** A `status_update_event` as progress: the task's state, where it runs, Mesos' message. */
export function taskProgress(
  e: Record<string, any>,
  at: string | undefined,
): ArchonDeployProgress {
  const where = e.host
    ? ` on ${e.host}${
        Array.isArray(e.ports) && e.ports.length ? `:${e.ports.join(',')}` : ''
      }`
    : '';
  const message = e.message ? ` (${e.message})` : '';
  return {
    type: 'task',
    at,
    message: `Task ${e.taskId} ${e.taskStatus}${where}${message}`,
    data: {
      taskId: e.taskId,
      state: e.taskStatus,
      host: e.host,
      ports: e.ports,
      version: e.version,
    },
  };
}

/** A `health_status_changed_event` or `failed_health_check_event` as progress. */
export function healthProgress(
  e: Record<string, any>,
  at: string | undefined,
): ArchonDeployProgress {
  if (e.eventType === 'health_status_changed_event') {
    return {
      type: 'health',
      at,
      message: `${e.instanceId ?? e.taskId} is ${
        e.alive ? 'healthy' : 'unhealthy'
      }`,
      data: { instanceId: e.instanceId ?? e.taskId, alive: e.alive },
    };
  }
  const check = e.healthCheck ?? {};
  return {
    type: 'health',
    at,
    message: `Health check ${check.protocol ?? ''} ${
      check.path ?? check.command?.value ?? ''
    } failed for ${e.taskId ?? e.instanceId}`.replace(/\s+/g, ' '),
    data: { taskId: e.taskId, healthCheck: check },
  };
}

/** Marathon killed an unhealthy task (its reason: the last health check failure). */
export function unhealthyKillProgress(
  e: Record<string, any>,
  at: string | undefined,
): ArchonDeployProgress {
  return {
    type: 'warning',
    at,
    message: `Marathon killed unhealthy task ${e.taskId ?? e.instanceId}${
      e.reason ? `: ${e.reason}` : ''
    }`,
    data: { taskId: e.taskId, reason: e.reason },
  };
}

/**
 * Subscribes to the instance's event stream *before* a change is sent, so no
 * event of it can be missed; then {@link Subscription.follow} follows the
 * Marathon deployment the change started.
 */
export class Subscription {
  readonly #buffer: MarathonEvent[] = [];
  #handler?: (event: MarathonEvent) => void;
  #onConnect?: () => void;
  #onDisconnect?: (reason: string, unanswered: boolean) => void;
  readonly #hub: MarathonEventHub;
  readonly #unsubscribe: () => void;

  private constructor(hub: MarathonEventHub) {
    this.#hub = hub;
    this.#unsubscribe = hub.subscribe(
      event =>
        this.#handler ? this.#handler(event) : this.#buffer.push(event),
      () => this.#onConnect?.(),
      (reason, unanswered) => this.#onDisconnect?.(reason, unanswered),
    );
  }

  /** Subscribes and waits (briefly) for the stream; following falls back to polling if it is not there. */
  static async open(hub: MarathonEventHub): Promise<Subscription> {
    const subscription = new Subscription(hub);
    await hub.waitConnected(3000);
    return subscription;
  }

  close(): void {
    this.#unsubscribe();
  }

  /**
   * Follows one Marathon deployment to `deployment_success` /
   * `deployment_failed`, reporting progress (steps, task states, health).
   * Events are a hint, not a guarantee: `/v2/deployments` is polled too, and
   * a deployment that disappears without its final event is judged from the
   * app's state. Resolves at the timeout with what is still missing. Never
   * rejects; closes the subscription when done.
   *
   * When Marathon stops answering (the event hub drops a silent stream, or
   * polling fails without an event stream) it reports `unreachable` and keeps
   * following; when Marathon answers again, `reachable` (events may have been
   * missed meanwhile, so the deployment is re-read at once). A timeout while
   * Marathon is unreachable says the outcome is unknown (#22).
   */
  follow(options: FollowOptions): Promise<ArchonDeployOutcome> {
    const follower = new DeploymentFollower(options, {
      close: () => this.close(),
      streamConnected: () => this.#hub.connected,
    });
    follower.startPolling();
    this.#onConnect = () => follower.onConnect();
    // A stream Marathon closed itself proves nothing: the next poll tells.
    this.#onDisconnect = (reason, unanswered) =>
      follower.onDisconnect(reason, unanswered);
    this.#handler = event => follower.onEvent(event);
    for (const event of this.#buffer.splice(0)) follower.onEvent(event);
    return follower.startTimeout();
  }
}
