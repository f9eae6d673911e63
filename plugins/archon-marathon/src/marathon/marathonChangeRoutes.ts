import {
  archonAppDeployPermission,
  archonAppScalePermission,
  type MarathonCancelDeploymentResult,
  type MarathonKillTaskResult,
  type MarathonResetDelayResult,
} from '@archon/plugin-archon-common';
import { boolQuery } from '@archon/plugin-archon-node';
import type { Permission } from '@backstage/plugin-permission-common';
import { NotFoundError } from '@backstage/errors';
import type express from 'express';
import type { Request, Response } from 'express';
import { parseAppId } from '../render/appId';
import type { MarathonRouterOptions } from './marathonRoutes';
import { pathOf } from './requestValues';
import { authorizeTarget } from './targetPermission';

/**
 * HTTP only: the changes of the Marathon router that are no app action
 * (those are in marathonAppActionRoutes.ts): killing a task, resetting an
 * app's launch delay (archon.app.scale) and cancelling a deployment
 * (archon.app.deploy on each affected app's path), each audited; every one
 * also needs archon.marathon.target.manage on the instance.
 */
export function addMarathonChangeRoutes(
  router: express.Router,
  options: MarathonRouterOptions,
) {
  const { instances, monitor, authorizer, audit } = options;

  /**
   * Authorizes on the app's configuration path and on the instance inside
   * the audit event (so refusals are recorded too), then acts. The target
   * is the app (or the deployment) on the instance, with the configuration
   * path it came from.
   */
  async function guarded<T>(
    req: Request,
    eventId: string,
    permission: Permission,
    resourceRef: string,
    meta: Record<string, unknown> & { instance: string },
    action: () => Promise<T>,
  ): Promise<T> {
    const resource = String(meta.appId ?? meta.deploymentId ?? '');
    return audit.run(
      req,
      {
        action: eventId,
        target: {
          system: 'marathon',
          cluster: meta.instance,
          resource,
          configPath: resourceRef,
        },
        meta,
      },
      async () => {
        await authorizer.authorize(req, permission, resourceRef);
        await authorizeTarget(authorizer, req, meta.instance);
        return action();
      },
    );
  }

  router.delete(
    '/:instance/apps/:appId/tasks/:taskId',
    async (req, res: Response<MarathonKillTaskResult>) => {
      const { instance, taskId } = req.params;
      instances.get(instance);
      await authorizer.precheck(req, archonAppScalePermission);
      const appId = parseAppId(req.params.appId);
      const app = await monitor.raw(instance, appId);
      const scale = boolQuery(req.query.scale) ?? false;
      const force = boolQuery(req.query.force) ?? false;
      res.json(
        await guarded(
          req,
          'marathon-task-kill',
          archonAppScalePermission,
          pathOf(app),
          { instance, appId, taskId, scale, force },
          () => monitor.killTask(instance, appId, taskId, { scale, force }),
        ),
      );
    },
  );

  router.delete(
    '/:instance/apps/:appId/queue/delay',
    async (req, res: Response<MarathonResetDelayResult>) => {
      const { instance } = req.params;
      instances.get(instance);
      await authorizer.precheck(req, archonAppScalePermission);
      const appId = parseAppId(req.params.appId);
      const app = await monitor.raw(instance, appId);
      res.json(
        await guarded(
          req,
          'marathon-queue-delay-reset',
          archonAppScalePermission,
          pathOf(app),
          { instance, appId },
          () => monitor.resetDelay(instance, appId),
        ),
      );
    },
  );

  router.delete(
    '/:instance/deployments/:deploymentId',
    async (req, res: Response<MarathonCancelDeploymentResult>) => {
      const { instance, deploymentId } = req.params;
      instances.get(instance);
      await authorizer.precheck(req, archonAppDeployPermission);
      const deployment = (await monitor.deployments(instance)).items.find(
        d => d.id === deploymentId,
      );
      if (!deployment) {
        throw new NotFoundError(
          `Marathon instance "${instance}" has no deployment ${deploymentId} in progress`,
        );
      }
      // Cancelling changes every affected app: the caller must be allowed to deploy each of their paths.
      const apps = await Promise.all(
        deployment.affectedApps.map(id =>
          monitor.raw(instance, id).catch(() => undefined),
        ),
      );
      const paths = [...new Set(apps.map(app => (app ? pathOf(app) : '/')))];
      const force = boolQuery(req.query.force) ?? false;
      res.json(
        await guarded(
          req,
          'marathon-deployment-cancel',
          archonAppDeployPermission,
          paths[0] ?? '/',
          { instance, deploymentId, force, paths },
          async () => {
            for (const p of paths.slice(1))
              await authorizer.authorize(req, archonAppDeployPermission, p);
            return monitor.cancelDeployment(instance, deploymentId, force);
          },
        ),
      );
    },
  );
}
