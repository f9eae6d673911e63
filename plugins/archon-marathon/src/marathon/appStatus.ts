import {
  computeAppState,
  type ArchonAppState,
} from '@archon/plugin-archon-common';
import type { MarathonAppInfo, MarathonTask } from '../client/types';
import { ARCHON_LABELS } from '../render/renderApp';

export type MarathonAppState = Exclude<ArchonAppState, 'missing'>;

/** The one state word (archon-common's `computeAppState`) of a Marathon app. */
export function appState(
  app: MarathonAppInfo,
  now = Date.now(),
): MarathonAppState {
  return computeAppState(
    {
      exists: true,
      instances: app.instances ?? 0,
      running: app.tasksRunning ?? 0,
      healthy: app.tasksHealthy ?? 0,
      unhealthy: app.tasksUnhealthy ?? 0,
      hasHealthChecks: (app.healthChecks ?? []).length > 0,
      deploying: (app.deployments ?? []).length > 0,
      lastFailure: app.lastTaskFailure
        ? {
            at: app.lastTaskFailure.timestamp,
            version: app.lastTaskFailure.version,
            state: app.lastTaskFailure.state,
          }
        : undefined,
      version: app.version,
    },
    now,
  ) as MarathonAppState;
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
    cpus: app.cpus,
    mem: app.mem,
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
