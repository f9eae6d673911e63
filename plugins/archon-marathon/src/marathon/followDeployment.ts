import type {
  ArchonDeployOutcome,
  ArchonDeployProgress,
} from '@archon/plugin-archon-node';
import type { MarathonClient } from '../client/MarathonClient';
import type { MarathonEventHub } from '../client/MarathonEventHub';
import type { MarathonEvent } from '../client/types';
import { judgeSettleWindow } from './settleWindow';
import {
  describeCrashLoop,
  exitStatusOf,
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

type Step = { actions: Array<{ action: string; app?: string }> };

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
  follow(options: {
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
  }): Promise<ArchonDeployOutcome> {
    const { client, appId, deploymentId, onProgress } = options;
    const started = Date.now();
    let lastHealthFailure: string | undefined;
    let lastTaskFailure: string | undefined;
    let lastStep: string | undefined;
    let finished = false;
    /** Since when Marathon has not answered (set while it is unreachable). */
    let unreachableSince: number | undefined;
    /** Failed tasks of this change's version seen so far, oldest first. */
    const failures: FailedTask[] = [];
    const crashLoopFailures = Math.max(
      1,
      options.crashLoopFailures ?? DEFAULT_CRASH_LOOP_FAILURES,
    );
    const settleMs = options.expectGone
      ? 0
      : Math.max(0, options.settleMs ?? 0);
    /** Set once Marathon is done and the settle window runs. */
    let settlingSince: number | undefined;
    /** Set once an outcome is being worked out (stderr read, app re-read): the first judgement wins. */
    let judging = false;
    let resolveOutcome!: (outcome: ArchonDeployOutcome) => void;
    const outcome = new Promise<ArchonDeployOutcome>(resolve => {
      resolveOutcome = resolve;
    });
    const timers: NodeJS.Timeout[] = [];
    const intervals: NodeJS.Timeout[] = [];
    const finish = (result: ArchonDeployOutcome) => {
      if (finished) return;
      finished = true;
      timers.forEach(clearTimeout);
      intervals.forEach(clearInterval);
      this.close();
      resolveOutcome({
        ...result,
        details: {
          ...(result.details ?? {}),
          deploymentId,
          version: options.version,
          appId,
        },
      });
    };

    /** Fails the change naming the last failed task, its exit status and its stderr tail. */
    const failWithTasks = async (why: string) => {
      if (judging || finished) return;
      judging = true;
      const last = failures[failures.length - 1];
      const app = await client.findApp(appId).catch(() => undefined);
      const stderr = await stderrTail(
        client,
        last,
        app,
        options.secretPatterns,
      );
      const health =
        last.healthKill && lastHealthFailure
          ? `; last health check failure: ${lastHealthFailure}`
          : '';
      const stillDeploying = await client
        .deployments()
        .then(list => list.some(d => d.id === deploymentId))
        .catch(() => false);
      // Marathon keeps relaunching; say so, and what stops it.
      const pending = stillDeploying
        ? `; Marathon deployment ${deploymentId} is still trying: cancel it (DELETE /v2/deployments/${deploymentId}, archon deployments cancel) or deploy a fix with force`
        : '';
      const reason = `${why}: ${describeCrashLoop(
        failures,
        stderr,
      )}${health}${pending}`;
      onProgress({
        type: 'warning',
        message: reason,
        data: { taskId: last.taskId },
      });
      finish({
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
      });
    };

    const noteFailure = (failure: FailedTask) => {
      if (options.expectGone || failures.some(f => f.taskId === failure.taskId))
        return;
      // Tasks of an older version (being replaced) do not speak for this change.
      if (
        failure.version &&
        options.version &&
        failure.version < options.version
      )
        return;
      failures.push(failure);
      if (settlingSince !== undefined) {
        void failWithTasks(
          `a task ended within the ${Math.round(
            settleMs / 1000,
          )} s settle window after the deployment finished`,
        );
      } else if (failure.healthKill) {
        void failWithTasks('health checks failed past their grace period');
      } else if (failures.length >= crashLoopFailures) {
        void failWithTasks(
          `crash loop (${crashLoopFailures} failed tasks in a row)`,
        );
      }
    };

    /**
     * Marathon is done: success still needs the wanted instances to stay up
     * (healthy where checked) for the settle window, judged again over REST
     * at its end.
     */
    const settle = (done: string) => {
      if (settlingSince !== undefined || judging || finished) return;
      if (settleMs <= 0) {
        finish({ result: 'succeeded', reason: done });
        return;
      }
      settlingSince = Date.now();
      onProgress({
        type: 'info',
        message: `${done}; the app must stay up for ${Math.round(
          settleMs / 1000,
        )} s (settle window)`,
      });
      const timer = setTimeout(async () => {
        if (judging || finished) return;
        judging = true;
        const app = await client.findApp(appId).catch(() => undefined);
        judging = false;
        const verdict = judgeSettleWindow({
          app,
          appId,
          since: settlingSince!,
          version: options.version,
          settleMs,
          done,
        });
        if ('failure' in verdict) noteFailure(verdict.failure);
        else finish(verdict.outcome);
      }, settleMs);
      timer.unref();
      timers.push(timer);
    };

    const describeStep = (
      plan: { steps?: Step[] } | undefined,
      step: Step | undefined,
    ) => {
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
    };

    const onEvent = (event: MarathonEvent) => {
      if (finished) return;
      const e = event as Record<string, any>;
      const at = typeof e.timestamp === 'string' ? e.timestamp : undefined;
      switch (event.eventType) {
        case 'deployment_info':
          if (e.plan?.id !== deploymentId) return;
          lastStep = describeStep(e.plan, e.currentStep);
          onProgress({
            type: 'step',
            at,
            message: `Marathon ${lastStep}`,
            data: { currentStep: e.currentStep },
          });
          return;
        case 'deployment_step_success':
          if (e.plan?.id !== deploymentId) return;
          onProgress({
            type: 'step',
            at,
            message: `Marathon ${describeStep(e.plan, e.currentStep)} done`,
          });
          return;
        case 'deployment_step_failure':
          if (e.plan?.id !== deploymentId) return;
          onProgress({
            type: 'warning',
            at,
            message: `Marathon ${describeStep(e.plan, e.currentStep)} failed`,
          });
          return;
        case 'deployment_success':
          if (e.id !== deploymentId && e.plan?.id !== deploymentId) return;
          onProgress({
            type: 'info',
            at,
            message: `Marathon deployment ${deploymentId} succeeded`,
          });
          settle(`Marathon deployment ${deploymentId} succeeded`);
          return;
        case 'deployment_failed': {
          if (e.id !== deploymentId && e.plan?.id !== deploymentId) return;
          const reason =
            (typeof e.reason === 'string' && e.reason) ||
            (lastHealthFailure
              ? `last health check failure: ${lastHealthFailure}`
              : undefined) ||
            lastTaskFailure ||
            'Marathon reports the deployment failed (no reason given)';
          onProgress({
            type: 'warning',
            at,
            message: `Marathon deployment ${deploymentId} failed: ${reason}`,
          });
          finish({ result: 'failed', reason });
          return;
        }
        default:
          break;
      }
      if (e.appId !== appId && e.runSpecId !== appId) return;
      switch (event.eventType) {
        case 'status_update_event': {
          const where = e.host
            ? ` on ${e.host}${
                Array.isArray(e.ports) && e.ports.length
                  ? `:${e.ports.join(',')}`
                  : ''
              }`
            : '';
          const message = e.message ? ` (${e.message})` : '';
          if (
            ['TASK_FAILED', 'TASK_ERROR'].includes(e.taskStatus) &&
            e.message
          ) {
            lastTaskFailure = `task ${e.taskId} ${e.taskStatus}: ${e.message}`;
          }
          if (isTaskFailure(e.taskStatus, e.message)) {
            noteFailure({
              taskId: e.taskId,
              state: e.taskStatus,
              message: e.message ?? '',
              host: e.host,
              version: e.version,
              at,
              healthKill: e.taskStatus === 'TASK_KILLED',
            });
          }
          onProgress({
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
          });
          return;
        }
        case 'health_status_changed_event':
          onProgress({
            type: 'health',
            at,
            message: `${e.instanceId ?? e.taskId} is ${
              e.alive ? 'healthy' : 'unhealthy'
            }`,
            data: { instanceId: e.instanceId ?? e.taskId, alive: e.alive },
          });
          return;
        case 'failed_health_check_event': {
          const check = e.healthCheck ?? {};
          onProgress({
            type: 'health',
            at,
            message: `Health check ${check.protocol ?? ''} ${
              check.path ?? check.command?.value ?? ''
            } failed for ${e.taskId ?? e.instanceId}`.replace(/\s+/g, ' '),
            data: { taskId: e.taskId, healthCheck: check },
          });
          return;
        }
        case 'unhealthy_instance_kill_event':
        case 'unhealthy_task_kill_event':
          lastHealthFailure = e.reason ?? lastHealthFailure;
          onProgress({
            type: 'warning',
            at,
            message: `Marathon killed unhealthy task ${
              e.taskId ?? e.instanceId
            }${e.reason ? `: ${e.reason}` : ''}`,
            data: { taskId: e.taskId, reason: e.reason },
          });
          return;
        default:
      }
    };

    /** Judges the outcome from REST when the deployment is gone but its final event did not come. */
    const reconcile = async () => {
      const app = await client.findApp(appId);
      if (options.expectGone) {
        return app
          ? finish({
              result: 'failed',
              reason: `${appId} still exists after the deployment ended`,
            })
          : finish({
              result: 'succeeded',
              reason: 'confirmed over REST (the final event was not seen)',
            });
      }
      if (!app)
        return finish({
          result: 'failed',
          reason: `${appId} no longer exists`,
        });
      if (app.version && options.version && app.version > options.version) {
        return finish({
          result: 'failed',
          reason: `superseded by a newer change (version ${app.version}) before it finished`,
        });
      }
      const instances = app.instances ?? 0;
      const ok =
        (app.tasksRunning ?? 0) >= instances &&
        ((app.healthChecks ?? []).length === 0 ||
          (app.tasksHealthy ?? 0) >= instances);
      if (ok)
        return settle(
          `Marathon deployment ${deploymentId} finished (confirmed over REST; its final event was not seen)`,
        );
      return finish({
        result: 'failed',
        reason: `the deployment ended without reaching ${instances} healthy instance(s): ${
          app.tasksRunning ?? 0
        } running, ${app.tasksHealthy ?? 0} healthy${
          app.lastTaskFailure
            ? `; last task failure: ${app.lastTaskFailure.message}`
            : ''
        }`,
      });
    };

    /**
     * The events' safety net while Marathon still deploys: the app's last
     * task failure (a missed event), and the launch queue's back-off, which
     * Marathon applies after failed tasks.
     */
    const watchForCrashLoop = async () => {
      const app = await client.findApp(appId);
      const failure = app?.lastTaskFailure;
      if (failure && Date.parse(failure.timestamp) >= started - 1000) {
        noteFailure({
          taskId: failure.taskId,
          state: failure.state,
          message: failure.message,
          host: failure.host,
          version: failure.version,
          at: failure.timestamp,
          healthKill: /health check/i.test(failure.message),
        });
      }
      if (failures.length === 0 || judging || finished) return;
      const queued = (await client.queue()).find(q => q.app?.id === appId);
      const delay = queued?.delay;
      if (
        delay &&
        !delay.overdue &&
        delay.timeLeftSeconds >= BACKOFF_CRASH_LOOP_SECONDS
      ) {
        await failWithTasks(
          `crash loop (Marathon delays further launches by ${delay.timeLeftSeconds} s after failed tasks)`,
        );
      }
    };

    const lostContact = (reason: string) => {
      if (finished || unreachableSince !== undefined) return;
      unreachableSince = Date.now();
      onProgress({
        type: 'unreachable',
        message: reason,
        data: { system: 'marathon', instance: client.name, deploymentId },
      });
    };
    const regainedContact = () => {
      if (finished || unreachableSince === undefined) return;
      unreachableSince = undefined;
      onProgress({
        type: 'reachable',
        message: `${client.describe()} answers again; events it sent meanwhile may have been missed, so archon re-reads deployment ${deploymentId}`,
        data: { system: 'marathon', instance: client.name, deploymentId },
      });
    };

    let goneSince: number | undefined;
    let polling = false;
    const poll = async () => {
      if (finished || polling || judging || settlingSince !== undefined) return;
      polling = true;
      try {
        const deployments = await client.deployments();
        regainedContact();
        if (deployments.some(d => d.id === deploymentId)) {
          goneSince = undefined;
          if (!options.expectGone) await watchForCrashLoop();
        } else {
          goneSince ??= Date.now();
          if (Date.now() - goneSince >= EVENT_GRACE_MS) await reconcile();
        }
      } catch (error) {
        // Keep following until the timeout. Without an event stream this is
        // the only sign that Marathon stopped answering; with one, the hub
        // says so (a slow REST answer alone is not a lost Marathon).
        if (!this.#hub.connected) lostContact((error as Error).message);
      } finally {
        polling = false;
      }
    };
    const poller = setInterval(() => void poll(), POLL_MS);
    poller.unref();
    intervals.push(poller);

    this.#onConnect = () => {
      regainedContact();
      void poll();
    };
    // A stream Marathon closed itself proves nothing: the next poll tells.
    this.#onDisconnect = (reason, unanswered) =>
      unanswered ? lostContact(reason) : void poll();
    this.#handler = onEvent;
    for (const event of this.#buffer.splice(0)) onEvent(event);

    const timeout = setTimeout(async () => {
      // The settle window (or a judgement under way) ends on its own, shortly.
      if (finished || judging || settlingSince !== undefined) return;
      let state = '';
      try {
        const app = await client.findApp(appId);
        if (app) {
          state = `; ${app.tasksRunning ?? 0} of ${
            app.instances ?? 0
          } instance(s) running, ${app.tasksHealthy ?? 0} healthy`;
          if (app.lastTaskFailure)
            state += `; last task failure: ${app.lastTaskFailure.message}`;
        }
      } catch {
        // the timeout stands on its own
      }
      const seconds = Math.round((Date.now() - started) / 1000);
      const unknown =
        unreachableSince === undefined
          ? ''
          : `${client.describe()} has not answered since ${new Date(
              unreachableSince,
            ).toISOString()}, so the outcome is unknown; `;
      finish({
        result: 'timeout',
        reason: `${unknown}Marathon deployment ${deploymentId} had not finished after ${seconds} s${
          lastStep ? ` (at ${lastStep})` : ''
        }${state}${
          lastHealthFailure
            ? `; last health check failure: ${lastHealthFailure}`
            : ''
        }; it may still finish: see /api/archon/marathon/${
          client.name
        }/deployments`,
      });
    }, options.timeoutMs);
    timeout.unref();
    timers.push(timeout);
    if (!deploymentId)
      finish({ result: 'succeeded', reason: 'nothing to change' });
    return outcome;
  }
}
