import type { ArchonDeployProgress } from '@archon/plugin-archon-node';
import type { FailedTask } from './taskFailure';

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
