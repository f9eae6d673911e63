import { EventBus } from '../events/EventBus';
import { Scheduler } from '../runtime/Scheduler';
import { TaskFailure } from '../model/types';
import { ActionExecutor, createExecutor } from './actionExecutors';
import { DeploymentPlan, renderPlan, renderStep } from './DeploymentPlan';

export interface RunningDeployment {
  plan: DeploymentPlan;
  /** 0-based index of the step being executed. */
  stepIndex: number;
  stepStartedAt: number;
  executors: ActionExecutor[];
  lastWaitingFor?: string;
}

export interface DeploymentManagerOptions {
  /**
   * A step that has not finished after this long fails the deployment (0 = wait forever,
   * like Marathon). Real Marathon never gives up; this server does so that a broken app
   * shows up as a failed deployment in development and tests.
   */
  stepTimeoutMs: number;
  pollIntervalMs: number;
}

/**
 * Runs deployment plans step by step (actions of one step in parallel), keeps the list
 * behind GET /v2/deployments, locks the apps a running deployment affects, and publishes
 * deployment_info / deployment_step_success / deployment_success / deployment_failed.
 */
export class DeploymentManager {
  private readonly running = new Map<string, RunningDeployment>();
  private readonly timer: NodeJS.Timeout;
  private tickScheduled = false;
  private readonly unsubscribe: () => void;

  constructor(
    private readonly scheduler: Scheduler,
    private readonly events: EventBus,
    private readonly options: DeploymentManagerOptions,
    private readonly onFailed: (
      deployment: RunningDeployment,
      reason: string,
    ) => void,
  ) {
    this.timer = setInterval(() => this.tick(), options.pollIntervalMs);
    this.timer.unref();
    this.unsubscribe = scheduler.onChange(() => this.scheduleTick());
  }

  list(): RunningDeployment[] {
    return [...this.running.values()];
  }

  get(id: string): RunningDeployment | undefined {
    return this.running.get(id);
  }

  /** Ids of running deployments that affect any of `appIds`. */
  lockingDeployments(appIds: Iterable<string>): string[] {
    const wanted = new Set(appIds);
    return this.list()
      .filter(d => d.plan.affectedApps.some(id => wanted.has(id)))
      .map(d => d.plan.id);
  }

  start(plan: DeploymentPlan): RunningDeployment {
    const deployment: RunningDeployment = {
      plan,
      stepIndex: -1,
      stepStartedAt: Date.now(),
      executors: [],
    };
    this.running.set(plan.id, deployment);
    this.startNextStep(deployment);
    this.scheduleTick();
    return deployment;
  }

  /** Stops executing a deployment; tasks stay as they are. */
  cancel(id: string, reason: string): RunningDeployment | undefined {
    const deployment = this.running.get(id);
    if (!deployment) return undefined;
    this.running.delete(id);
    this.events.publish('deployment_failed', {
      id,
      plan: renderPlan(deployment.plan),
      reason,
    });
    return deployment;
  }

  close(): void {
    clearInterval(this.timer);
    this.unsubscribe();
  }

  private scheduleTick(): void {
    if (this.tickScheduled) return;
    this.tickScheduled = true;
    setImmediate(() => {
      this.tickScheduled = false;
      this.tick();
    });
  }

  private startNextStep(deployment: RunningDeployment): void {
    const { plan } = deployment;
    deployment.stepIndex++;
    deployment.lastWaitingFor = undefined;
    if (deployment.stepIndex >= plan.steps.length) {
      this.running.delete(plan.id);
      this.events.publish('deployment_success', {
        id: plan.id,
        plan: renderPlan(plan),
      });
      return;
    }
    const step = plan.steps[deployment.stepIndex];
    deployment.stepStartedAt = Date.now();
    this.events.publish('deployment_info', {
      plan: renderPlan(plan),
      currentStep: renderStep(step),
    });
    deployment.executors = step.actions.map(action =>
      createExecutor(action, this.scheduler, this.events),
    );
    deployment.executors.forEach(executor => executor.start());
  }

  private tick(): void {
    for (const deployment of [...this.running.values()]) {
      if (!this.running.has(deployment.plan.id)) continue;
      // Several steps can complete within one tick (e.g. StartApplication).
      for (;;) {
        const waiting = deployment.executors
          .map(executor => executor.poll())
          .flatMap(progress => (progress.done ? [] : [progress.waitingFor]));
        if (waiting.length > 0) {
          deployment.lastWaitingFor = waiting.join('; ');
          const timeout = this.options.stepTimeoutMs;
          if (timeout > 0 && Date.now() - deployment.stepStartedAt > timeout)
            this.fail(deployment, timeout);
          break;
        }
        const step = deployment.plan.steps[deployment.stepIndex];
        this.events.publish('deployment_step_success', {
          plan: renderPlan(deployment.plan),
          currentStep: renderStep(step),
        });
        this.startNextStep(deployment);
        if (!this.running.has(deployment.plan.id)) break;
      }
    }
  }

  private fail(deployment: RunningDeployment, timeoutMs: number): void {
    const { plan } = deployment;
    const step = plan.steps[deployment.stepIndex];
    const reason =
      `Deployment step ${deployment.stepIndex + 1} (${step.actions
        .map(a => `${a.action} ${a.app}`)
        .join(', ')}) ` +
      `did not finish within ${timeoutMs / 1000}s: ${
        deployment.lastWaitingFor ?? 'unknown'
      }`;
    this.running.delete(plan.id);
    this.events.publish('deployment_step_failure', {
      plan: renderPlan(plan),
      currentStep: renderStep(step),
    });
    this.events.publish('deployment_failed', {
      id: plan.id,
      plan: renderPlan(plan),
      reason,
    });
    this.onFailed(deployment, reason);
  }
}

/** A task failure describing a failed deployment, for apps that have no better one. */
export function deploymentFailureRecord(
  appId: string,
  version: string,
  reason: string,
  scheduler: Scheduler,
  host: string,
  agentId: string,
): TaskFailure {
  const candidates = [
    ...scheduler.tasksOf(appId),
    ...scheduler.recentlyTerminated().filter(t => t.appId === appId),
  ];
  const newest = candidates
    .filter(task => task.app.version === version)
    .sort((a, b) => b.stagedAt.localeCompare(a.stagedAt))[0];
  return {
    appId,
    host,
    message: reason,
    state: newest?.state ?? 'TASK_STAGING',
    taskId: newest?.taskId ?? '',
    timestamp: new Date().toISOString(),
    version,
    slaveId: agentId,
  };
}
