import type { ArchonDeployOutcome, ArchonDeployProgress } from '@archon/plugin-archon-node';
import type { MarathonClient } from '../client/MarathonClient';
import type { MarathonEventHub } from '../client/MarathonEventHub';
import type { MarathonEvent } from '../client/types';

const POLL_MS = 2000;
/** After a deployment leaves /v2/deployments, how long its final event may still take. */
const EVENT_GRACE_MS = 1500;

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
  readonly #unsubscribe: () => void;

  private constructor(hub: MarathonEventHub) {
    this.#unsubscribe = hub.subscribe(
      event => (this.#handler ? this.#handler(event) : this.#buffer.push(event)),
      () => this.#onConnect?.(),
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
   */
  follow(options: {
    client: MarathonClient;
    appId: string;
    deploymentId: string;
    version: string;
    /** `destroy`: success means the app is gone. */
    expectGone?: boolean;
    timeoutMs: number;
    onProgress: (progress: ArchonDeployProgress) => void;
  }): Promise<ArchonDeployOutcome> {
    const { client, appId, deploymentId, onProgress } = options;
    const started = Date.now();
    let lastHealthFailure: string | undefined;
    let lastTaskFailure: string | undefined;
    let lastStep: string | undefined;
    let finished = false;
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
        details: { ...(result.details ?? {}), deploymentId, version: options.version, appId },
      });
    };

    const describeStep = (plan: { steps?: Step[] } | undefined, step: Step | undefined) => {
      const steps = plan?.steps ?? [];
      const index = step ? steps.findIndex(s => JSON.stringify(s) === JSON.stringify(step)) : -1;
      const actions = (step?.actions ?? []).map(a => `${a.action} ${a.app ?? ''}`.trim()).join(', ');
      return `step ${index >= 0 ? index + 1 : '?'}/${steps.length || '?'}: ${actions}`;
    };

    const onEvent = (event: MarathonEvent) => {
      if (finished) return;
      const e = event as Record<string, any>;
      const at = typeof e.timestamp === 'string' ? e.timestamp : undefined;
      switch (event.eventType) {
        case 'deployment_info':
          if (e.plan?.id !== deploymentId) return;
          lastStep = describeStep(e.plan, e.currentStep);
          onProgress({ type: 'step', at, message: `Marathon ${lastStep}`, data: { currentStep: e.currentStep } });
          return;
        case 'deployment_step_success':
          if (e.plan?.id !== deploymentId) return;
          onProgress({ type: 'step', at, message: `Marathon ${describeStep(e.plan, e.currentStep)} done` });
          return;
        case 'deployment_step_failure':
          if (e.plan?.id !== deploymentId) return;
          onProgress({ type: 'warning', at, message: `Marathon ${describeStep(e.plan, e.currentStep)} failed` });
          return;
        case 'deployment_success':
          if (e.id !== deploymentId && e.plan?.id !== deploymentId) return;
          onProgress({ type: 'info', at, message: `Marathon deployment ${deploymentId} succeeded` });
          finish({ result: 'succeeded' });
          return;
        case 'deployment_failed': {
          if (e.id !== deploymentId && e.plan?.id !== deploymentId) return;
          const reason =
            (typeof e.reason === 'string' && e.reason) ||
            (lastHealthFailure ? `last health check failure: ${lastHealthFailure}` : undefined) ||
            lastTaskFailure ||
            'Marathon reports the deployment failed (no reason given)';
          onProgress({ type: 'warning', at, message: `Marathon deployment ${deploymentId} failed: ${reason}` });
          finish({ result: 'failed', reason });
          return;
        }
        default:
          break;
      }
      if (e.appId !== appId && e.runSpecId !== appId) return;
      switch (event.eventType) {
        case 'status_update_event': {
          const where = e.host ? ` on ${e.host}${Array.isArray(e.ports) && e.ports.length ? `:${e.ports.join(',')}` : ''}` : '';
          const message = e.message ? ` (${e.message})` : '';
          if (['TASK_FAILED', 'TASK_ERROR'].includes(e.taskStatus) && e.message) {
            lastTaskFailure = `task ${e.taskId} ${e.taskStatus}: ${e.message}`;
          }
          onProgress({
            type: 'task',
            at,
            message: `Task ${e.taskId} ${e.taskStatus}${where}${message}`,
            data: { taskId: e.taskId, state: e.taskStatus, host: e.host, ports: e.ports, version: e.version },
          });
          return;
        }
        case 'health_status_changed_event':
          onProgress({
            type: 'health',
            at,
            message: `${e.instanceId ?? e.taskId} is ${e.alive ? 'healthy' : 'unhealthy'}`,
            data: { instanceId: e.instanceId ?? e.taskId, alive: e.alive },
          });
          return;
        case 'failed_health_check_event': {
          const check = e.healthCheck ?? {};
          onProgress({
            type: 'health',
            at,
            message: `Health check ${check.protocol ?? ''} ${check.path ?? check.command?.value ?? ''} failed for ${e.taskId ?? e.instanceId}`.replace(/\s+/g, ' '),
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
            message: `Marathon killed unhealthy task ${e.taskId ?? e.instanceId}${e.reason ? `: ${e.reason}` : ''}`,
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
          ? finish({ result: 'failed', reason: `${appId} still exists after the deployment ended` })
          : finish({ result: 'succeeded', reason: 'confirmed over REST (the final event was not seen)' });
      }
      if (!app) return finish({ result: 'failed', reason: `${appId} no longer exists` });
      if (app.version && options.version && app.version > options.version) {
        return finish({ result: 'failed', reason: `superseded by a newer change (version ${app.version}) before it finished` });
      }
      const instances = app.instances ?? 0;
      const ok =
        (app.tasksRunning ?? 0) >= instances &&
        ((app.healthChecks ?? []).length === 0 || (app.tasksHealthy ?? 0) >= instances);
      if (ok) return finish({ result: 'succeeded', reason: 'confirmed over REST (the final event was not seen)' });
      return finish({
        result: 'failed',
        reason: `the deployment ended without reaching ${instances} healthy instance(s): ${app.tasksRunning ?? 0} running, ${app.tasksHealthy ?? 0} healthy${app.lastTaskFailure ? `; last task failure: ${app.lastTaskFailure.message}` : ''}`,
      });
    };

    let goneSince: number | undefined;
    let polling = false;
    const poll = async () => {
      if (finished || polling) return;
      polling = true;
      try {
        const deployments = await client.deployments();
        if (deployments.some(d => d.id === deploymentId)) {
          goneSince = undefined;
        } else {
          goneSince ??= Date.now();
          if (Date.now() - goneSince >= EVENT_GRACE_MS) await reconcile();
        }
      } catch {
        // Marathon unreachable for a moment: keep following until the timeout.
      } finally {
        polling = false;
      }
    };
    const poller = setInterval(() => void poll(), POLL_MS);
    poller.unref();
    intervals.push(poller);

    this.#onConnect = () => void poll();
    this.#handler = onEvent;
    for (const event of this.#buffer.splice(0)) onEvent(event);

    const timeout = setTimeout(async () => {
      if (finished) return;
      let state = '';
      try {
        const app = await client.findApp(appId);
        if (app) {
          state = `; ${app.tasksRunning ?? 0} of ${app.instances ?? 0} instance(s) running, ${app.tasksHealthy ?? 0} healthy`;
          if (app.lastTaskFailure) state += `; last task failure: ${app.lastTaskFailure.message}`;
        }
      } catch {
        // the timeout stands on its own
      }
      const seconds = Math.round((Date.now() - started) / 1000);
      finish({
        result: 'timeout',
        reason: `Marathon deployment ${deploymentId} had not finished after ${seconds} s${lastStep ? ` (at ${lastStep})` : ''}${state}${lastHealthFailure ? `; last health check failure: ${lastHealthFailure}` : ''}; it may still finish: see /api/archon/marathon/${client.name}/deployments`,
      });
    }, options.timeoutMs);
    timeout.unref();
    timers.push(timeout);
    if (!deploymentId) finish({ result: 'succeeded', reason: 'nothing to change' });
    return outcome;
  }
}
