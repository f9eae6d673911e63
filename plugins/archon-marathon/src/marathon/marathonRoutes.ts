import {
  archonSecretsRevealPermission,
  isSecretKey,
  SECRET_MASK,
  type MarathonAppDefinition,
  type MarathonAppDetail,
  type MarathonAppList,
  type MarathonDeploymentList,
  type MarathonInstanceInfo,
  type MarathonInstanceList,
  type MarathonQueueList,
  type MarathonQueueStatus,
  type MarathonTaskList,
  type MarathonVersionDiff,
  type MarathonVersionList,
} from '@archon/plugin-archon-common';
import {
  pageList,
  parsePageQuery,
  type ArchonAuditor,
  type ArchonAuthorizer,
  type ArchonDefinitionChange,
} from '@archon/plugin-archon-node';
import express, { type Request, type Response } from 'express';
import Router from 'express-promise-router';
import type { MarathonApp } from '../client/types';
import { parseAppId } from '../render/appId';
import { ARCHON_LABELS } from '../render/renderApp';
import type { MarathonInstances } from './MarathonInstances';
import { definitionOf, type MarathonMonitor } from './MarathonMonitor';
import { addMarathonAppActionRoutes } from './marathonAppActionRoutes';
import { addMarathonChangeRoutes } from './marathonChangeRoutes';
import { addMarathonStreamRoutes } from './marathonStreamRoutes';
import { pathOf } from './requestValues';

export interface MarathonRouterOptions {
  instances: MarathonInstances;
  monitor: MarathonMonitor;
  authorizer: ArchonAuthorizer;
  /** archon's audit (Backstage's auditor and archon's audit log), from the extension point. */
  audit: ArchonAuditor;
  secretPatterns: readonly string[];
}

/**
 * HTTP only: `/api/archon/marathon/...`, monitoring and debugging of the
 * configured Marathon instances. Reads need a signed-in caller; environment
 * values that hold secrets (by name, or listed in the app's
 * ARCHON_SECRET_ENV label) are masked unless the caller holds
 * archon.config.secrets.reveal on the app's configuration path. Logs need
 * archon.app.logs.read, killing tasks and resetting delays archon.app.scale.
 */
export function createMarathonRouter(
  options: MarathonRouterOptions,
): express.Router {
  const { instances, monitor, authorizer, secretPatterns } = options;
  const router = Router();
  router.use(express.json({ limit: '1mb' }));

  const secretEnvOf = (app: MarathonApp) => {
    const listed = new Set(
      (app.labels?.[ARCHON_LABELS.secretEnv] ?? '').split(',').filter(Boolean),
    );
    return (name: string) =>
      listed.has(name) || isSecretKey(name, secretPatterns);
  };

  async function mayReveal(req: Request, app: MarathonApp): Promise<boolean> {
    const credentials = await authorizer.credentials(req);
    return authorizer.isAllowed(
      credentials,
      archonSecretsRevealPermission,
      pathOf(app),
    );
  }

  function maskApp<T extends MarathonApp>(app: T, reveal: boolean): T {
    if (reveal || !app.env) return app;
    const secret = secretEnvOf(app);
    return {
      ...app,
      env: Object.fromEntries(
        Object.entries(app.env).map(([k, v]) => [
          k,
          secret(k) && typeof v === 'string' ? SECRET_MASK : v,
        ]),
      ),
    };
  }

  function maskChanges(
    changes: ArchonDefinitionChange[],
    secret: (name: string) => boolean,
    reveal: boolean,
  ) {
    if (reveal) return changes;
    return changes.map(c =>
      c.field.startsWith('env.') && secret(c.field.slice(4))
        ? {
            ...c,
            ...(c.before !== undefined ? { before: SECRET_MASK } : {}),
            ...(c.after !== undefined ? { after: SECRET_MASK } : {}),
          }
        : c,
    );
  }

  router.get('/', async (_req, res: Response<MarathonInstanceList>) => {
    res.json({
      items: instances
        .all()
        .map(i => ({ name: i.config.name, url: i.config.url })),
    });
  });

  router.get('/:instance', async (req, res: Response<MarathonInstanceInfo>) => {
    res.json(await monitor.info(req.params.instance));
  });

  router.get('/:instance/apps', async (req, res: Response<MarathonAppList>) => {
    instances.get(req.params.instance);
    const page = parsePageQuery(req.query, {
      defaultLimit: 100,
      sortFields: ['id'],
      what: 'apps',
    });
    const apps = await monitor.apps(req.params.instance, {
      configPath:
        typeof req.query.configPath === 'string'
          ? req.query.configPath
          : undefined,
      label: typeof req.query.label === 'string' ? req.query.label : undefined,
    });
    res.json(pageList(apps, page, { id: a => a.id }));
  });

  router.get(
    '/:instance/apps/:appId',
    async (req, res: Response<MarathonAppDetail>) => {
      instances.get(req.params.instance);
      const detail = await monitor.app(
        req.params.instance,
        parseAppId(req.params.appId),
      );
      const reveal = await mayReveal(req, detail.definition);
      res.json({
        ...detail,
        definition: maskApp(detail.definition, reveal),
        masked: !reveal,
      });
    },
  );

  router.get(
    '/:instance/apps/:appId/tasks',
    async (req, res: Response<MarathonTaskList>) => {
      instances.get(req.params.instance);
      const appId = parseAppId(req.params.appId);
      if (req.query.state === 'terminated') {
        // Newest first: by when they finished, then id.
        const page = parsePageQuery(req.query, {
          defaultLimit: 20,
          sortFields: ['finishedAt'],
          defaultOrder: 'desc',
          what: 'finished tasks',
        });
        const { items, lastTaskFailure } = await monitor.finishedTasks(
          req.params.instance,
          appId,
        );
        res.json({
          ...pageList(items, page, {
            id: t => t.id,
            value: t => t.finishedAt ?? null,
          }),
          lastTaskFailure,
        });
        return;
      }
      const page = parsePageQuery(req.query, {
        defaultLimit: 100,
        sortFields: ['id'],
        what: 'tasks',
      });
      const { items, lastTaskFailure } = await monitor.tasks(
        req.params.instance,
        appId,
      );
      res.json({
        ...pageList(items, page, { id: t => t.id }),
        lastTaskFailure,
      });
    },
  );

  router.get(
    '/:instance/apps/:appId/versions',
    async (req, res: Response<MarathonVersionList>) => {
      instances.get(req.params.instance);
      res.json(
        await monitor.versions(
          req.params.instance,
          parseAppId(req.params.appId),
        ),
      );
    },
  );

  router.get(
    '/:instance/apps/:appId/versions/:version',
    async (req, res: Response<MarathonAppDefinition>) => {
      instances.get(req.params.instance);
      const definition = definitionOf(
        await monitor.version(
          req.params.instance,
          parseAppId(req.params.appId),
          req.params.version,
        ),
      );
      res.json(maskApp(definition, await mayReveal(req, definition)));
    },
  );

  router.get(
    '/:instance/apps/:appId/versions/:version/diff',
    async (req, res: Response<MarathonVersionDiff>) => {
      const { instance, version } = req.params;
      instances.get(instance);
      const appId = parseAppId(req.params.appId);
      const app = await monitor.raw(instance, appId);
      const reveal = await mayReveal(req, app);
      const diff = await monitor.diffVersions(
        instance,
        appId,
        version,
        typeof req.query.against === 'string' ? req.query.against : undefined,
      );
      res.json({
        ...diff,
        changes: maskChanges(diff.changes, secretEnvOf(app), reveal),
        masked: !reveal,
      });
    },
  );

  router.get(
    '/:instance/apps/:appId/queue',
    async (req, res: Response<MarathonQueueStatus>) => {
      instances.get(req.params.instance);
      res.json(
        await monitor.appQueue(
          req.params.instance,
          parseAppId(req.params.appId),
        ),
      );
    },
  );

  router.get(
    '/:instance/deployments',
    async (req, res: Response<MarathonDeploymentList>) => {
      instances.get(req.params.instance);
      res.json(await monitor.deployments(req.params.instance));
    },
  );

  router.get(
    '/:instance/queue',
    async (req, res: Response<MarathonQueueList>) => {
      instances.get(req.params.instance);
      res.json(await monitor.queue(req.params.instance));
    },
  );

  addMarathonStreamRoutes(router, options);
  addMarathonChangeRoutes(router, options);
  addMarathonAppActionRoutes(router, options);

  return router;
}
