import {
  archonAppDestroyPermission,
  archonAppScalePermission,
  type MarathonAppActionResult,
  type MarathonAppActionResultActionEnum,
} from '@archon/plugin-archon-common';
import { ConflictError, InputError } from '@backstage/errors';
import type { Permission } from '@backstage/plugin-permission-common';
import type express from 'express';
import type { Request, Response } from 'express';
import type { MarathonChange } from '../client/MarathonClient';
import type { MarathonClient } from '../client/MarathonClient';
import { parseAppId } from '../render/appId';
import { ARCHON_LABELS } from '../render/renderApp';
import { appSummary } from './appStatus';
import type { MarathonRouterOptions } from './marathonRoutes';
import { authorizeTarget } from './targetPermission';

type Action = MarathonAppActionResultActionEnum;

/** What each action asks Marathon, and the permission it needs. */
const ACTIONS: Record<
  Action,
  {
    permission: Permission;
    /** The wanted instance count, for scale and suspend. */
    instances?: (body: { instances?: number }) => number;
    change: (
      client: MarathonClient,
      appId: string,
      force: boolean,
      instances: number | undefined,
    ) => Promise<MarathonChange>;
  }
> = {
  scale: {
    permission: archonAppScalePermission,
    instances: body => body.instances!,
    change: (client, appId, force, n) => client.scaleApp(appId, n!, { force }),
  },
  restart: {
    permission: archonAppScalePermission,
    change: (client, appId, force) => client.restartApp(appId, { force }),
  },
  suspend: {
    permission: archonAppScalePermission,
    instances: () => 0,
    change: (client, appId, force) => client.scaleApp(appId, 0, { force }),
  },
  destroy: {
    permission: archonAppDestroyPermission,
    change: (client, appId, force) => client.deleteApp(appId, { force }),
  },
};

/**
 * HTTP only: scale, restart, suspend and destroy of an app by its Marathon
 * id, for the apps archon did not deploy (Marathon's UI acts on every app).
 * An app archon deployed is refused with its configuration path: its
 * operations go through `/apps/*`, which snapshot and record releases.
 *
 * Permission: `archon.app.scale` (scale, restart, suspend) and
 * `archon.app.destroy`, with the app id as the configuration-path resource.
 * archon deploys a path as the app of the same id, so the two name spaces
 * are one and a policy that gives a team `/team-a` covers the Marathon apps
 * under `/team-a` whoever started them; an id that is no configuration path
 * (a segment with `.`) matches only a policy's `/`. Each action also needs
 * archon.marathon.target.manage on the instance (`marathon:<instance>`).
 */
export function addMarathonAppActionRoutes(
  router: express.Router,
  options: MarathonRouterOptions,
) {
  const { instances, monitor, authorizer, audit } = options;

  const act = async (
    action: Action,
    req: Request,
    res: Response<MarathonAppActionResult>,
  ) => {
    const { instance } = req.params;
    const { client } = instances.get(instance);
    const spec = ACTIONS[action];
    await authorizer.precheck(req, spec.permission);
    const appId = parseAppId(req.params.appId);
    const body = (req.body ?? {}) as {
      instances?: number;
      force?: boolean;
      confirm?: string;
    };
    if (action === 'destroy' && body.confirm !== appId) {
      throw new InputError(
        `confirm must be the app id ${appId} (was ${JSON.stringify(
          body.confirm,
        )})`,
      );
    }
    // 404 for an app Marathon does not have, before anything is recorded.
    const app = await monitor.raw(instance, appId);
    const configPath = app.labels?.[ARCHON_LABELS.configPath];
    if (configPath) {
      throw new ConflictError(
        `${appId} on "${instance}" was deployed by archon from ${configPath}: ${action} it by its configuration path (POST /api/archon/apps/${action} with configPath ${configPath}, or archon apps ${action}), which keeps its releases`,
      );
    }
    const force = body.force ?? false;
    const wanted = spec.instances?.(body);
    const result = await audit.run(
      req,
      {
        action: `marathon-app-${action}`,
        target: { system: 'marathon', cluster: instance, resource: appId },
        severityLevel: action === 'destroy' ? 'high' : 'medium',
        meta: {
          instance,
          appId,
          force,
          ...(wanted !== undefined ? { instances: wanted } : {}),
        },
        before: { instances: app.instances ?? 0 },
      },
      async () => {
        await authorizer.authorize(req, spec.permission, appId);
        await authorizeTarget(authorizer, req, instance);
        const change = await spec.change(client, appId, force, wanted);
        return {
          instance,
          appId,
          action,
          ...(wanted !== undefined ? { instances: wanted } : {}),
          deploymentId: change.deploymentId,
          version: change.version,
        };
      },
      { successMeta: r => ({ deploymentId: r.deploymentId }) },
    );
    // The follow-up read: what Marathon reports right after accepting (a
    // destroyed app may already be gone, so destroy answers without it).
    const after =
      action === 'destroy' ? undefined : await client.findApp(appId);
    res
      .status(202)
      .json({ ...result, ...(after ? { app: appSummary(after) } : {}) });
  };

  for (const action of Object.keys(ACTIONS) as Action[]) {
    router.post(`/:instance/apps/:appId/${action}`, (req, res) =>
      act(action, req, res),
    );
  }
}
