import type { MarathonAppInfo, MarathonTask } from '../client/types';
import { ARCHON_LABELS } from '../render/renderApp';

export type MarathonAppState = 'deploying' | 'suspended' | 'staged' | 'running' | 'healthy' | 'unhealthy';

/**
 * One word for an app: `deploying` while a deployment touches it,
 * `suspended` at 0 instances, `unhealthy` when a task fails its health
 * checks, `staged` while fewer tasks run than wanted, then `healthy` (all
 * tasks pass their health checks) or `running` (no health checks).
 */
export function appState(app: MarathonAppInfo): MarathonAppState {
  const instances = app.instances ?? 0;
  if ((app.deployments ?? []).length > 0) return 'deploying';
  if (instances === 0) return 'suspended';
  if ((app.tasksUnhealthy ?? 0) > 0) return 'unhealthy';
  if ((app.tasksRunning ?? 0) < instances) return 'staged';
  if ((app.healthChecks ?? []).length > 0) {
    return (app.tasksHealthy ?? 0) >= instances ? 'healthy' : 'unhealthy';
  }
  return 'running';
}

/** The list view of an app. */
export function appSummary(app: MarathonAppInfo) {
  return {
    id: app.id,
    status: appState(app),
    instances: app.instances ?? 0,
    staged: app.tasksStaged ?? 0,
    running: app.tasksRunning ?? 0,
    healthy: app.tasksHealthy ?? 0,
    unhealthy: app.tasksUnhealthy ?? 0,
    configPath: app.labels?.[ARCHON_LABELS.configPath],
    releaseId: app.labels?.[ARCHON_LABELS.release],
    version: app.version,
    deployments: (app.deployments ?? []).map(d => d.id),
    labels: app.labels ?? {},
  };
}

/** A task as archon shows it: host, ports, times, health. */
export function taskView(task: MarathonTask) {
  const results = task.healthCheckResults ?? [];
  return {
    id: task.id,
    appId: task.appId,
    host: task.host,
    agentId: task.slaveId,
    ports: task.ports ?? [],
    servicePorts: task.servicePorts ?? [],
    state: task.state,
    stagedAt: task.stagedAt,
    startedAt: task.startedAt,
    version: task.version,
    ...(results.length ? { healthy: results.every(r => r.alive) } : {}),
    healthCheckResults: results,
  };
}
