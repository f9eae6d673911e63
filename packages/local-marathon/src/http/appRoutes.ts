import { canonicalPath } from '../model/pathId';
import { mergePartialUpdate } from '../model/appUpdate';
import { AppDefinition } from '../model/types';
import { findGroup, buildGroupTree, appsUnder } from '../model/groupTree';
import { renderAppDefinition } from '../api/renderApp';
import { renderAppInfo, resolveEmbeds } from '../api/renderAppInfo';
import { renderTask, renderTasksAsText } from '../api/renderTask';
import { APP_SHAPE, APP_UPDATE_SHAPE } from '../validation/appShape';
import {
  buildApp,
  readShape,
  requireObject,
  rollbackVersionOf,
} from '../validation/appRequest';
import { parseLabelSelector } from '../validation/labelSelector';
import { ChangeRequest } from '../core/AppService';
import { cloneJson, JsonObject } from '../util/json';
import { isActive, Task } from '../runtime/Task';
import {
  appNotFound,
  badRequest,
  groupNotFound,
  taskNotFound,
  unprocessable,
} from './errors';
import { boolParam, listParam } from './params';
import { RequestContext, RouteResult, Router } from './router';
import { callerOf, deploymentResult, ServerContext } from './ServerContext';

/** /v2/apps and everything below it (server: AppsResource, AppTasksResource, AppVersionsResource). */
export function registerAppRoutes(router: Router, server: ServerContext): void {
  const { store, service, scheduler } = server;

  const requireApp = (appId: string): AppDefinition => {
    const app = store.get(appId);
    if (!app) throw appNotFound(appId);
    return app;
  };

  /** The new definition for an update of `appId` from `body` (AppUpdate semantics). */
  const updatedDefinition = (
    appId: string,
    body: unknown,
    partialUpdate: boolean,
  ): AppDefinition => {
    const existing = store.get(appId);
    if (existing && partialUpdate) {
      const update = readShape(body, APP_UPDATE_SHAPE);
      const rollbackTo = rollbackVersionOf(update);
      if (rollbackTo !== undefined) {
        const old = store.atVersion(appId, rollbackTo);
        if (!old) throw appNotFound(appId);
        return cloneJson(old);
      }
      const updated = buildApp(mergePartialUpdate(existing, update), appId);
      // Fields the update does not mention keep their stored value exactly (re-normalising
      // them could add defaults such as a health check's portIndex and fake a config change).
      if (update.healthChecks === undefined || update.healthChecks === null) {
        updated.healthChecks = cloneJson(existing.healthChecks);
      }
      return updated;
    }
    // A complete replacement (or a creation through PUT) reads the body as a whole app.
    const raw = readShape({ ...requireObject(body), id: appId }, APP_SHAPE);
    return buildApp(raw, appId);
  };

  const selectApps = (query: URLSearchParams): AppDefinition[] => {
    const cmd = query.get('cmd');
    const id = query.get('id');
    const label = query.get('label');
    const labelMatches = label ? parseLabelSelector(label) : undefined;
    return store
      .all()
      .filter(
        app =>
          (!cmd || (app.cmd ?? '').toLowerCase().includes(cmd.toLowerCase())) &&
          (!id || app.id.toLowerCase().includes(id.toLowerCase())) &&
          (!labelMatches || labelMatches(app.labels)),
      );
  };

  const findTasks = (appId: string, taskId: string): Task | undefined =>
    scheduler
      .tasksOf(appId)
      .filter(isActive)
      .find(
        task =>
          task.taskId === taskId ||
          task.instanceId === taskId ||
          taskId.startsWith(`${task.instanceId}.`),
      );

  const multiUpdate = async (
    context: RequestContext,
    allowCreation: boolean,
  ): Promise<RouteResult> => {
    const body = await context.json();
    const partialUpdate = allowCreation
      ? boolParam(context.query, 'partialUpdate', true)
      : true;
    if (!Array.isArray(body))
      throw unprocessable('Invalid JSON: expected an array of apps');
    const changes: ChangeRequest[] = body.map((item, index) => {
      const update = requireObject(item);
      if (typeof update.id !== 'string')
        throw unprocessable('App Update must have app id set');
      const appId = canonicalPath(update.id);
      if (!allowCreation && !store.has(appId)) throw appNotFound(appId);
      try {
        return {
          appId,
          target: updatedDefinition(appId, update, partialUpdate),
        };
      } catch (error) {
        prefixDetails(error, `(${index})`);
        throw error;
      }
    });
    const plan = service.deploy(changes, {
      force: boolParam(context.query, 'force', false),
      caller: callerOf(context),
    });
    return deploymentResult(plan);
  };

  router
    .add('GET', /^\/v2\/apps\/?$/, context => {
      const embeds = resolveEmbeds(listParam(context.query, 'embed'));
      embeds.add('counts');
      embeds.add('deployments');
      const sources = server.appInfoSources();
      return {
        status: 200,
        body: {
          apps: selectApps(context.query).map(app =>
            renderAppInfo(app, embeds, sources),
          ),
        },
      };
    })
    .add('POST', /^\/v2\/apps\/?$/, async context => {
      const raw = readShape(await context.json(), APP_SHAPE);
      const appId = canonicalPath(String(raw.id));
      const app = buildApp(raw, appId);
      const plan = service.createApp(
        app,
        boolParam(context.query, 'force', false),
        callerOf(context),
      );
      // Like the server, the new app is echoed with only its version (no versionInfo yet).
      const { versionInfo: _versionInfo, ...stored } = renderAppDefinition(
        store.get(appId)!,
      );
      return {
        status: 201,
        body: {
          ...stored,
          tasksStaged: 0,
          tasksRunning: 0,
          tasksHealthy: 0,
          tasksUnhealthy: 0,
          deployments: [{ id: plan.id }],
        },
        headers: { Location: appId, 'Marathon-Deployment-Id': plan.id },
      };
    })
    .add('PUT', /^\/v2\/apps\/?$/, context => multiUpdate(context, true))
    .add('PATCH', /^\/v2\/apps\/?$/, context => multiUpdate(context, false))
    .add('GET', /^\/v2\/apps\/(.*?)\/?\*$/, context => {
      const groupId = canonicalPath(context.params[0]);
      const tree = buildGroupTree(store.all());
      if (!findGroup(tree, groupId)) throw groupNotFound(groupId);
      const embeds = resolveEmbeds(listParam(context.query, 'embed'));
      ['counts', 'tasks', 'lastTaskFailure', 'deployments'].forEach(e =>
        embeds.add(e as never),
      );
      const sources = server.appInfoSources();
      return {
        status: 200,
        body: {
          '*': appsUnder(store.all(), groupId).map(app =>
            renderAppInfo(app, embeds, sources),
          ),
        },
      };
    })
    .add('POST', /^\/v2\/apps\/(.+)\/restart$/, context => {
      const appId = canonicalPath(context.params[0]);
      return deploymentResult(
        service.restartApp(appId, boolParam(context.query, 'force', false)),
      );
    })
    .add('DELETE', /^\/v2\/apps\/(.+)\/tasks\/([^/]+)$/, context => {
      const appId = canonicalPath(context.params[0]);
      const taskId = context.params[1];
      requireApp(appId);
      const scale = boolParam(context.query, 'scale', false);
      if (scale && boolParam(context.query, 'wipe', false)) {
        throw badRequest('You cannot use scale and wipe at the same time.');
      }
      const task = findTasks(appId, taskId);
      if (!task) throw taskNotFound(taskId);
      if (scale) {
        return deploymentResult(
          service.killAndScale(
            appId,
            [task],
            boolParam(context.query, 'force', false),
          ),
        );
      }
      const rendered = renderTask(task, server.appInfoSources().taskContext);
      service.killTasks([task]);
      return { status: 200, body: { task: rendered } };
    })
    .add('GET', /^\/v2\/apps\/(.+)\/tasks$/, context => {
      const appId = canonicalPath(context.params[0]);
      const app = requireApp(appId);
      const tasks = scheduler.tasksOf(appId).filter(isActive);
      if ((context.req.headers.accept ?? '').includes('text/plain')) {
        const servicePorts = tasks[0]?.servicePorts ?? [];
        return {
          status: 200,
          text: renderTasksAsText(
            [{ appId: app.id, servicePorts, tasks }],
            server.taskHost,
          ),
          contentType: 'text/plain',
        };
      }
      const taskContext = server.appInfoSources().taskContext;
      return {
        status: 200,
        body: { tasks: tasks.map(task => renderTask(task, taskContext)) },
      };
    })
    .add('DELETE', /^\/v2\/apps\/(.+)\/tasks$/, context => {
      const appId = canonicalPath(context.params[0]);
      requireApp(appId);
      const scale = boolParam(context.query, 'scale', false);
      if (scale && boolParam(context.query, 'wipe', false)) {
        throw badRequest('You cannot use scale and wipe at the same time.');
      }
      const host = context.query.get('host');
      const tasks = scheduler
        .tasksOf(appId)
        .filter(isActive)
        .filter(() => !host || host === '*' || host === server.taskHost);
      if (scale) {
        return deploymentResult(
          service.killAndScale(
            appId,
            tasks,
            boolParam(context.query, 'force', false),
          ),
        );
      }
      const taskContext = server.appInfoSources().taskContext;
      const rendered = tasks.map(task => renderTask(task, taskContext));
      service.killTasks(tasks);
      return { status: 200, body: { tasks: rendered } };
    })
    .add('GET', /^\/v2\/apps\/(.+)\/versions\/([^/]+)$/, context => {
      const appId = canonicalPath(context.params[0]);
      requireApp(appId);
      const app = store.atVersion(appId, context.params[1]);
      if (!app) throw appNotFound(appId, context.params[1]);
      return { status: 200, body: renderAppDefinition(app) };
    })
    .add('GET', /^\/v2\/apps\/(.+)\/versions$/, context => {
      const appId = canonicalPath(context.params[0]);
      requireApp(appId);
      return {
        status: 200,
        body: { versions: [...store.versions(appId)].reverse() },
      };
    })
    .add('GET', /^\/v2\/apps\/(.+)$/, context => {
      const app = requireApp(canonicalPath(context.params[0]));
      const embeds = resolveEmbeds(listParam(context.query, 'embed'));
      ['counts', 'tasks', 'lastTaskFailure', 'deployments'].forEach(e =>
        embeds.add(e as never),
      );
      return {
        status: 200,
        body: { app: renderAppInfo(app, embeds, server.appInfoSources()) },
      };
    })
    .add('PUT', /^\/v2\/apps\/(.+)$/, async context => {
      const appId = canonicalPath(context.params[0]);
      const existed = store.has(appId);
      const target = updatedDefinition(
        appId,
        await context.json(),
        boolParam(context.query, 'partialUpdate', true),
      );
      const plan = service.deploy([{ appId, target }], {
        force: boolParam(context.query, 'force', false),
        caller: callerOf(context),
      });
      return existed
        ? deploymentResult(plan)
        : deploymentResult(plan, 201, { Location: appId });
    })
    .add('PATCH', /^\/v2\/apps\/(.+)$/, async context => {
      const appId = canonicalPath(context.params[0]);
      requireApp(appId);
      const target = updatedDefinition(appId, await context.json(), true);
      const plan = service.deploy([{ appId, target }], {
        force: boolParam(context.query, 'force', false),
        caller: callerOf(context),
      });
      return deploymentResult(plan);
    })
    .add('DELETE', /^\/v2\/apps\/(.+)$/, context => {
      const appId = canonicalPath(context.params[0]);
      return deploymentResult(
        service.deleteApp(appId, boolParam(context.query, 'force', true)),
      );
    });
}

/** Errors of the n-th app of a multi-app body get paths like `(0)/cmd`. */
function prefixDetails(error: unknown, prefix: string): void {
  const body = (error as { body?: JsonObject }).body;
  if (!body || !Array.isArray(body.details)) return;
  for (const detail of body.details as Array<{ path: string }>)
    detail.path = `${prefix}${detail.path}`;
}
