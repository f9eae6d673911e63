import type {
  MarathonAppDetail,
  MarathonAppSummary,
  MarathonTask,
} from '@archon/plugin-archon-common';
import { followCursors } from '@archon/plugin-archon-common';
import { Option } from 'commander';
import { CliError, UsageError } from './errors';
import { ExitCode } from './exitCodes';
import { MAX_LIMIT } from './paging';
import type { CliRuntime } from './runtime';

/** An app found on one Marathon instance. */
export interface AppRef {
  instance: string;
  app: MarathonAppSummary;
}

/** `--target` on a command that names one app: needed only when several instances have it. */
export const targetOption = () =>
  new Option(
    '-t, --target <target>',
    'the Marathon instance (when several have the app)',
  );

/** The app id as Marathon writes it (`/a/b`) from `a/b`, `/a/b` or `/a/b/`. */
export function appIdOf(input: string): string {
  const trimmed = input.trim().replace(/^\/+|\/+$/g, '');
  if (!trimmed) throw new UsageError(`"${input}" is not an app id`);
  return `/${trimmed}`;
}

/** Marathon's task ids: `<app path>.instance-<uuid>[._app.N]`, `<app path>.marathon-<uuid>`, or the older `<app path>.<uuid>`. */
const TASK_ID =
  /^(.+)\.(?:instance-|marathon-)[^.]+(?:\..*)?$|^([^.]+)\.[^.]+$/;

/**
 * The app a Marathon task id belongs to: the id starts with the app's path
 * with `/` written as `_` (app ids never hold `_`).
 */
export function appIdOfTask(taskId: string): string {
  const m = TASK_ID.exec(taskId.trim());
  const appPath = m?.[1] ?? m?.[2];
  if (!appPath)
    throw new UsageError(
      `"${taskId}" is not a Marathon task id (<app_path>.instance-<uuid>...): name its app with --app`,
    );
  return `/${appPath.replace(/_/g, '/')}`;
}

/** The Marathon instances to look at: `--target`, ARCHON_DEPLOY_TARGET, the context's default, else all. */
export async function instancesOf(
  rt: CliRuntime,
  target?: string,
): Promise<string[]> {
  const chosen = rt.chosenTarget(target);
  if (chosen) return [chosen];
  const list = await rt.api.call((c, o) => c.marathonListInstances({}, o));
  if (!list.items.length)
    throw new CliError(
      'archon has no Marathon instance configured',
      ExitCode.NotFound,
    );
  return list.items.map(i => i.name);
}

/**
 * Lists apps on each instance. An instance that does not answer is reported
 * (warning) and skipped when several are asked; with one it is the error.
 */
export async function listApps(
  rt: CliRuntime,
  instances: string[],
  query: { configPath?: string; label?: string } = {},
): Promise<{ apps: AppRef[]; failed: string[] }> {
  const failed: string[] = [];
  const lists = await Promise.all(
    instances.map(async instance => {
      try {
        // Every app: finding one by name needs them all.
        const list = await followCursors(cursor =>
          rt.api.call((c, o) =>
            c.marathonListApps(
              {
                path: { instance },
                query: { ...query, limit: MAX_LIMIT, cursor },
              },
              o,
            ),
          ),
        );
        return list.items.map(app => ({ instance, app }));
      } catch (error) {
        if (instances.length === 1) throw error;
        failed.push(instance);
        rt.out.warn(`${instance}: ${(error as Error).message}`);
        return [];
      }
    }),
  );
  return { apps: lists.flat(), failed };
}

/**
 * The app a user names, by its Marathon app id or by the configuration path
 * it was deployed from (they differ when the path has capitals or `_`).
 */
export async function findApp(
  rt: CliRuntime,
  name: string,
  target?: string,
): Promise<AppRef> {
  const id = appIdOf(name);
  const instances = await instancesOf(rt, target);
  const { apps } = await listApps(rt, instances);
  const found = apps.filter(r => r.app.id === id || r.app.configPath === id);
  if (found.length === 1) return found[0];
  if (!found.length)
    throw new CliError(
      `no app ${id} (app id or configuration path) on ${instances.join(', ')}`,
      ExitCode.NotFound,
      ['  archon apps ls lists them'],
    );
  throw new UsageError(
    `${id} names ${found.length} apps: ${found
      .map(r => `${r.app.id} on ${r.instance}`)
      .join(', ')}; choose one with --target`,
  );
}

/** The configuration path an operation needs; apps archon did not deploy have none. */
export function configPathOf(ref: AppRef): string {
  if (!ref.app.configPath)
    throw new CliError(
      `${ref.app.id} on ${ref.instance} was not deployed by archon (no ARCHON_CONFIG_PATH label): archon operates only apps it deployed`,
      ExitCode.Conflict,
    );
  return ref.app.configPath;
}

/** The task whose log to show: `--task`, else the newest running one. */
export function pickTask(
  rt: CliRuntime,
  detail: MarathonAppDetail,
  taskId?: string,
): MarathonTask {
  if (taskId) {
    const task = detail.tasks.find(t => t.id === taskId);
    if (!task)
      throw new CliError(
        `${detail.summary.id} has no task ${taskId}`,
        ExitCode.NotFound,
        detail.tasks.map(t => `  ${t.id} ${t.state}`),
      );
    return task;
  }
  const newest = [...detail.tasks].sort((a, b) =>
    (b.startedAt ?? b.stagedAt ?? '').localeCompare(
      a.startedAt ?? a.stagedAt ?? '',
    ),
  );
  const running = newest.filter(t => t.state === 'TASK_RUNNING');
  const task = running[0] ?? newest[0];
  if (!task)
    throw new CliError(`${detail.summary.id} has no tasks`, ExitCode.NotFound);
  if (detail.tasks.length > 1)
    rt.out.info(
      rt.out.errColors.dim(
        `${detail.tasks.length} tasks; showing ${task.id} (choose with --task)`,
      ),
    );
  return task;
}
