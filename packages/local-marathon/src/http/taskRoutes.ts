import fs from 'node:fs';
import path from 'node:path';
import { renderTask, renderTasksAsText } from '../api/renderTask';
import { ChangeRequest } from '../core/AppService';
import { isActive, Task } from '../runtime/Task';
import { cloneJson, isObject } from '../util/json';
import { badRequest, taskNotFound, unprocessable } from './errors';
import { boolParam, listParam } from './params';
import { Router } from './router';
import { deploymentResult, ServerContext } from './ServerContext';

/** `<app_path>.instance-<uuid>[._app.N]` or the pre-1.4 `<app_path>.<uuid>`. */
const TASK_ID_PATTERN =
  /^(.+)\.(instance-|marathon-)([^.]+)(\..*)?$|^([^.]+)\.([^.]+)$/;

/** /v2/tasks (server: TasksResource) and the non-standard sandbox helper. */
export function registerTaskRoutes(
  router: Router,
  server: ServerContext,
): void {
  const { scheduler, service, store } = server;

  router
    .add('GET', /^\/v2\/tasks\/?$/, context => {
      const statuses = [
        ...listParam(context.query, 'status'),
        ...listParam(context.query, 'status[]'),
      ];
      const stateNames: Record<string, string> = {
        running: 'TASK_RUNNING',
        staging: 'TASK_STAGING',
      };
      const wanted = new Set(
        statuses.map(status => stateNames[status] ?? status),
      );
      const tasks = scheduler
        .allTasks()
        .filter(isActive)
        .filter(task => wanted.size === 0 || wanted.has(task.state));
      if ((context.req.headers.accept ?? '').includes('text/plain')) {
        const byApp = new Map<string, Task[]>();
        tasks.forEach(task =>
          byApp.set(task.appId, [...(byApp.get(task.appId) ?? []), task]),
        );
        const apps = [...byApp.entries()].map(([appId, appTasks]) => ({
          appId,
          servicePorts: appTasks[0].servicePorts,
          tasks: appTasks,
        }));
        return {
          status: 200,
          text: renderTasksAsText(apps, server.taskHost),
          contentType: 'text/plain',
        };
      }
      const taskContext = server.appInfoSources().taskContext;
      return {
        status: 200,
        body: { tasks: tasks.map(task => renderTask(task, taskContext)) },
      };
    })
    .add('POST', /^\/v2\/tasks\/delete\/?$/, async context => {
      const body = await context.json();
      if (!isObject(body) || !Array.isArray(body.ids)) {
        throw unprocessable('Invalid JSON: expected {"ids": [...]}');
      }
      const scale = boolParam(context.query, 'scale', false);
      if (scale && boolParam(context.query, 'wipe', false)) {
        throw badRequest('You cannot use scale and wipe at the same time.');
      }
      const ids = body.ids.map(String);
      for (const id of ids) {
        if (!TASK_ID_PATTERN.test(id))
          throw badRequest(`Invalid task id '${id}'.`);
      }
      const tasks = scheduler
        .allTasks()
        .filter(isActive)
        .filter(task =>
          ids.some(
            id =>
              id === task.taskId ||
              id === task.instanceId ||
              id.startsWith(`${task.instanceId}.`),
          ),
        );
      if (scale) {
        const byApp = new Map<string, Task[]>();
        tasks.forEach(task =>
          byApp.set(task.appId, [...(byApp.get(task.appId) ?? []), task]),
        );
        const changes: ChangeRequest[] = [...byApp.entries()].flatMap(
          ([appId, appTasks]) => {
            const current = store.get(appId);
            if (!current) return [];
            const target = cloneJson(current);
            target.instances = Math.max(0, current.instances - appTasks.length);
            return [{ appId, target, toKill: appTasks.map(t => t.taskId) }];
          },
        );
        const plan = service.deploy(changes, {
          force: boolParam(context.query, 'force', false),
        });
        return deploymentResult(plan);
      }
      const taskContext = server.appInfoSources().taskContext;
      const rendered = tasks.map(task => renderTask(task, taskContext));
      service.killTasks(tasks);
      return { status: 200, body: { tasks: rendered } };
    })
    .add('GET', /^\/v2\/tasks\/([^/]+)\/sandbox\/?$/, context => {
      const taskId = context.params[0];
      const task = scheduler.knownTask(taskId);
      const latest = server.layout.latestDir(taskId);
      const directory =
        task?.sandboxDir ??
        (fs.existsSync(latest) ? fs.realpathSync(latest) : undefined);
      if (!directory) throw taskNotFound(taskId);
      const encoded = encodeURIComponent(directory);
      return {
        status: 200,
        body: {
          taskId,
          appId: task?.appId,
          state: task?.state,
          agentId: server.layout.agentId,
          frameworkId: server.layout.frameworkId,
          executorId: taskId,
          containerId: path.basename(directory),
          directory,
          latestDirectory: latest,
          files: {
            stdout: path.join(directory, 'stdout'),
            stderr: path.join(directory, 'stderr'),
          },
          browseUrl: `/files/browse?path=${encoded}`,
          stdoutUrl: `/files/read?path=${encodeURIComponent(
            path.join(directory, 'stdout'),
          )}&offset=0`,
          stderrUrl: `/files/read?path=${encodeURIComponent(
            path.join(directory, 'stderr'),
          )}&offset=0`,
        },
      };
    });
}
