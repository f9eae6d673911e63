import { AppDefinition, TaskFailure } from '../model/types';
import { Scheduler } from '../runtime/Scheduler';
import { healthSummary, isActive, Task } from '../runtime/Task';
import { JsonObject } from '../util/json';
import { renderAppDefinition } from './renderApp';
import { renderTask, TaskRenderContext } from './renderTask';

export type AppEmbed =
  | 'tasks'
  | 'counts'
  | 'deployments'
  | 'readiness'
  | 'lastTaskFailure'
  | 'taskStats';

const EMBED_PREFIXES = ['group.apps.', 'apps.', 'app.'];
const APP_EMBEDS: readonly string[] = [
  'tasks',
  'counts',
  'deployments',
  'readiness',
  'lastTaskFailure',
  'taskStats',
];

/**
 * Resolves `embed` query values (server: InfoEmbedResolver). Like the server, any of the
 * prefixes `apps.`, `app.`, `group.apps.` (or none) is accepted on every endpoint;
 * `tasks` also embeds deployments; `failures` is the deprecated shorthand for tasks +
 * deployments + lastTaskFailure. Unknown values are ignored.
 */
export function resolveEmbeds(values: string[]): Set<AppEmbed> {
  const embeds = new Set<AppEmbed>();
  for (const value of values.flatMap(v => v.split(','))) {
    const prefix = EMBED_PREFIXES.find(p => value.startsWith(p)) ?? '';
    const name = value.slice(prefix.length);
    if (name === 'failures') {
      ['tasks', 'deployments', 'lastTaskFailure'].forEach(e =>
        embeds.add(e as AppEmbed),
      );
    } else if (APP_EMBEDS.includes(name)) {
      embeds.add(name as AppEmbed);
      if (name === 'tasks') embeds.add('deployments');
    }
  }
  return embeds;
}

export interface AppInfoSources {
  scheduler: Scheduler;
  deploymentIdsOf: (appId: string) => string[];
  lastTaskFailure: (appId: string) => TaskFailure | undefined;
  taskContext: TaskRenderContext;
}

function statsOf(tasks: Task[]): JsonObject {
  const counts = {
    staged: tasks.filter(
      t => t.state === 'TASK_STAGING' || t.state === 'TASK_STARTING',
    ).length,
    running: tasks.filter(t => t.state === 'TASK_RUNNING').length,
    healthy: tasks.filter(t => healthSummary(t) === 'healthy').length,
    unhealthy: tasks.filter(t => healthSummary(t) === 'unhealthy').length,
  };
  const lifetimes = tasks
    .filter(t => t.startedAt)
    .map(t => (Date.now() - Date.parse(t.startedAt!)) / 1000)
    .sort((a, b) => a - b);
  const stats: JsonObject = { counts };
  if (lifetimes.length > 0) {
    const average =
      lifetimes.reduce((sum, value) => sum + value, 0) / lifetimes.length;
    const middle = Math.floor(lifetimes.length / 2);
    const median =
      lifetimes.length % 2
        ? lifetimes[middle]
        : (lifetimes[middle - 1] + lifetimes[middle]) / 2;
    stats.lifeTime = { averageSeconds: average, medianSeconds: median };
  }
  return { stats };
}

function taskStats(app: AppDefinition, tasks: Task[]): JsonObject {
  const result: JsonObject = {};
  const add = (key: string, subset: Task[]) => {
    if (subset.length > 0) result[key] = statsOf(subset);
  };
  add(
    'startedAfterLastScaling',
    tasks.filter(t => t.stagedAt >= app.versionInfo.lastScalingAt),
  );
  add(
    'withLatestConfig',
    tasks.filter(
      t =>
        t.app.versionInfo.lastConfigChangeAt ===
        app.versionInfo.lastConfigChangeAt,
    ),
  );
  add(
    'withOutdatedConfig',
    tasks.filter(
      t =>
        t.app.versionInfo.lastConfigChangeAt !==
        app.versionInfo.lastConfigChangeAt,
    ),
  );
  add('totalSummary', tasks);
  return result;
}

/** `raml.AppInfo`: the definition plus the embedded status fields. */
export function renderAppInfo(
  app: AppDefinition,
  embeds: Set<AppEmbed>,
  sources: AppInfoSources,
): JsonObject {
  const info = renderAppDefinition(app);
  const tasks = sources.scheduler.tasksOf(app.id).filter(isActive);
  if (embeds.has('counts')) {
    const counts = sources.scheduler.countsOf(app.id);
    info.tasksStaged = counts.staged;
    info.tasksRunning = counts.running;
    info.tasksHealthy = counts.healthy;
    info.tasksUnhealthy = counts.unhealthy;
  }
  if (embeds.has('deployments'))
    info.deployments = sources.deploymentIdsOf(app.id).map(id => ({ id }));
  if (embeds.has('readiness')) info.readinessCheckResults = [];
  if (embeds.has('tasks'))
    info.tasks = tasks.map(task => renderTask(task, sources.taskContext));
  if (embeds.has('lastTaskFailure')) {
    const failure = sources.lastTaskFailure(app.id);
    if (failure) info.lastTaskFailure = failure;
  }
  if (embeds.has('taskStats')) info.taskStats = taskStats(app, tasks);
  return info;
}
