import { HealthResult, Task, isActive } from '../runtime/Task';
import { JsonObject } from '../util/json';

export interface TaskRenderContext {
  host: string;
  agentId: string;
}

function renderHealth(result: HealthResult, instanceId: string): JsonObject {
  return {
    alive: result.alive,
    consecutiveFailures: result.consecutiveFailures,
    firstSuccess: result.firstSuccess,
    lastFailure: result.lastFailure,
    lastSuccess: result.lastSuccess,
    lastFailureCause: result.lastFailureCause,
    instanceId,
  };
}

/**
 * A task as `raml.Task` (server: TaskConversion). No extra fields: strict clients (e.g.
 * the `marathon` Python package) reject unknown keys. The sandbox is found like on a
 * cluster (agent /state, or the Mesos directory layout) or via GET /v2/tasks/{id}/sandbox.
 */
export function renderTask(task: Task, context: TaskRenderContext): JsonObject {
  const active = isActive(task);
  return {
    appId: task.appId,
    healthCheckResults: task.healthResults
      .filter((r): r is HealthResult => r !== undefined)
      .map(r => renderHealth(r, task.instanceId)),
    host: context.host,
    id: task.taskId,
    ipAddresses: [{ ipAddress: context.host, protocol: 'IPv4' }],
    ports: active ? task.hostPorts : [],
    servicePorts: task.servicePorts,
    slaveId: context.agentId,
    state: task.state,
    ...(active ? { stagedAt: task.stagedAt } : {}),
    ...(active && task.startedAt ? { startedAt: task.startedAt } : {}),
    ...(active ? { version: task.app.version } : {}),
    localVolumes: [],
    role: task.app.role,
  };
}

/** `Accept: text/plain` form: `<app>\t<servicePort>\t<host>:<port>\t...` per service port. */
export function renderTasksAsText(
  apps: Array<{ appId: string; servicePorts: number[]; tasks: Task[] }>,
  host: string,
): string {
  const lines: string[] = [];
  for (const app of apps) {
    const name = app.appId.replace(/^\//, '').replace(/\//g, '_');
    app.servicePorts.forEach((servicePort, index) => {
      const endpoints = app.tasks
        .filter(task => task.hostPorts[index] !== undefined)
        .map(task => `${host}:${task.hostPorts[index]}`);
      lines.push([name, String(servicePort), ...endpoints].join('\t'));
    });
  }
  return lines.length > 0 ? `${lines.join('\n')}\n` : '';
}
