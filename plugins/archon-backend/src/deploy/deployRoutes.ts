import {
  archonAppDeployPermission,
  archonAppDestroyPermission,
  archonAppScalePermission,
  archonConfigReadPermission,
  archonMarathonTargetManagePermission,
  archonSecretsRevealPermission,
  clusterResourceRef,
} from '@archon/plugin-archon-common';
import {
  actorOf,
  invalidCursor,
  pageOfRows,
  parsePageQuery,
  openEventStream,
  type ArchonAuditor,
  type ArchonAuthorizer,
} from '@archon/plugin-archon-node';
import type { Request, Response } from 'express';
import type { ConfigService } from '../config/ConfigService';
import { auditAppChange } from './auditAppChange';
import type { DeployFlow } from './DeployFlow';
import { deployPlanResponder } from './deployPlanResponse';
import type { DeployService } from './DeployService';
import { respond } from './flowResponse';
import { relayProgress } from './progressStream';
import { instanceOf } from './releaseViews';
import type { createOpenApiRouter } from '../schema/openapi';

type ApiRouter = Awaited<ReturnType<typeof createOpenApiRouter>>;
type AnyRequest = Request<any, any, any, any>;

/**
 * The orchestrator-neutral deploy routes: `/deployments` (deploy, dry run,
 * rollback, follow), `/apps/*` (status and operations of deployed apps) and
 * `/deploy-targets`. Permissions are per configuration path, and a change
 * also needs archon.marathon.target.manage on its target; rendered
 * definitions and diffs are masked unless the caller may see the path's
 * secrets.
 */
export function addDeployRoutes(
  router: ApiRouter,
  options: {
    deploy: DeployService;
    config: ConfigService;
    authorizer: ArchonAuthorizer;
    audit: ArchonAuditor;
    secretPatterns: readonly string[];
  },
) {
  const { deploy, config, authorizer, audit, secretPatterns } = options;

  const audited = (
    req: AnyRequest,
    action: string,
    severityLevel: 'medium' | 'high',
    meta: { configPath: string; instance?: string } & Record<string, unknown>,
    change: () => Promise<DeployFlow>,
  ) => auditAppChange(audit, req, action, severityLevel, meta, change);

  /**
   * archon.marathon.target.manage on the target (`marathon:<instance>`, #20),
   * beside the path's archon.app.* permission (both must allow); run first
   * in the change's audit event, so a refusal is recorded as the caller's
   * and nothing reaches the orchestrator. Marathon is the one deploy
   * adapter: a deploy target is a Marathon instance.
   */
  const onTarget = async <T>(
    req: AnyRequest,
    instance: string,
    change: () => Promise<T>,
  ): Promise<T> => {
    await authorizer.authorize(
      req,
      archonMarathonTargetManagePermission,
      clusterResourceRef('marathon', instance),
    );
    return change();
  };

  const timeoutMs = (seconds?: number) =>
    seconds === undefined ? undefined : seconds * 1000;

  const planResponse = deployPlanResponder({ config, secretPatterns });

  router.get('/deploy-targets', async (_req, res) => {
    res.json({ items: deploy.targets() });
  });

  router.post('/deployments', async (req, res) => {
    const body = req.body;
    const path = body.configPath;
    if (body.dryRun) {
      const credentials = await authorizer.authorize(
        req,
        archonConfigReadPermission,
        path,
      );
      const reveal = await authorizer.isAllowed(
        credentials,
        archonSecretsRevealPermission,
        path,
      );
      const plan = await deploy.plan({
        configPath: path,
        instance: body.instance,
        ensemble: body.ensemble,
      });
      res.json(await planResponse(plan, reveal));
      return;
    }
    const credentials = await authorizer.authorize(
      req,
      archonAppDeployPermission,
      path,
    );
    const flow = await audited(
      req,
      'app-deploy',
      'medium',
      {
        configPath: path,
        instance: body.instance,
        ensemble: body.ensemble,
        force: !!body.force,
      },
      () =>
        onTarget(req, body.instance, () =>
          deploy.deploy({
            configPath: path,
            instance: body.instance,
            ensemble: body.ensemble,
            actor: actorOf(credentials),
            force: body.force,
            timeoutMs: timeoutMs(body.timeoutSeconds),
          }),
        ),
    );
    await respond(req, res, flow, body.wait);
  });

  router.post('/deployments/rollback', async (req, res) => {
    const body = req.body;
    await authorizer.precheck(
      req,
      body.dryRun ? archonConfigReadPermission : archonAppDeployPermission,
    );
    const release = await config.getRelease(body.releaseId);
    if (body.dryRun) {
      const credentials = await authorizer.authorize(
        req,
        archonConfigReadPermission,
        release.path,
      );
      const reveal = await authorizer.isAllowed(
        credentials,
        archonSecretsRevealPermission,
        release.path,
      );
      const plan = await deploy.planRollback({
        releaseId: release.id,
        instance: body.instance,
      });
      res.json(await planResponse(plan, reveal));
      return;
    }
    const credentials = await authorizer.authorize(
      req,
      archonAppDeployPermission,
      release.path,
    );
    const flow = await audited(
      req,
      'app-rollback',
      'medium',
      {
        releaseId: release.id,
        configPath: release.path,
        instance: body.instance,
        force: !!body.force,
      },
      // A rollback without "instance" goes where the release was deployed.
      () =>
        onTarget(req, body.instance ?? instanceOf(release), () =>
          deploy.rollback({
            releaseId: release.id,
            instance: body.instance,
            actor: actorOf(credentials),
            force: body.force,
            timeoutMs: timeoutMs(body.timeoutSeconds),
          }),
        ),
    );
    await respond(req, res, flow, body.wait);
  });

  router.get('/deployments', async (req, res) => {
    const page = parsePageQuery(req.query, {
      defaultLimit: 50,
      sortFields: ['startedAt'],
      what: 'deployments',
    });
    const after = page.after;
    if (
      after &&
      (typeof after.value !== 'string' || Number.isNaN(Date.parse(after.value)))
    )
      throw invalidCursor('deployments');
    // One more than asked says whether an older page exists.
    const rows = await deploy.list({
      configPath: req.query.configPath,
      instance: req.query.instance,
      status: req.query.status,
      limit: page.limit + 1,
      after: after && { startedAt: after.value as string, id: after.id },
    });
    res.json(
      pageOfRows(rows, page.limit, flow => ({
        value: flow.startedAt,
        id: flow.id,
      })),
    );
  });

  router.get('/deployments/:id', async (req, res) => {
    res.json(await deploy.get(req.params.id));
  });

  router.get('/deployments/:id/events', async (req, res) => {
    // 404 before the stream opens.
    const flow = await deploy.get(req.params.id);
    const stream = openEventStream(req, res);
    const relay = relayProgress(stream, flow);
    // Live from this replica's flow, or polled from the database when another replica runs it.
    const unsubscribe = await deploy.watch(
      req.params.id,
      Number(req.query.after ?? 0),
      relay.onProgress,
      relay.onEnd,
    );
    stream.onClose(unsubscribe);
  });

  router.post('/deployments/:id/cancel', async (req, res) => {
    // Refused callers learn nothing about which deployments exist.
    await authorizer.precheck(req, archonAppDeployPermission);
    const view = await deploy.get(req.params.id);
    const credentials = await authorizer.authorize(
      req,
      archonAppDeployPermission,
      view.configPath,
    );
    const force = !!req.body?.force;
    const result = await audit.run(
      req,
      {
        action: 'deployment-cancel',
        severityLevel: 'medium',
        target: {
          system: 'deploy',
          cluster: view.instance,
          resource: view.configPath,
          configPath: view.configPath,
        },
        meta: { id: view.id, kind: view.kind, ref: view.ref, force },
      },
      () =>
        onTarget(req, view.instance, () =>
          deploy.cancel({ id: view.id, actor: actorOf(credentials), force }),
        ),
      { successMeta: r => ({ rollbackRef: r.rollbackRef }) },
    );
    res.json(result);
  });

  router.get('/apps/status', async (req, res) => {
    res.json(
      await deploy.status({
        configPath: req.query.configPath,
        instance: req.query.instance,
        ensemble: req.query.ensemble,
      }),
    );
  });

  const operations = [
    { name: 'scale', permission: archonAppScalePermission, severity: 'medium' },
    {
      name: 'restart',
      permission: archonAppScalePermission,
      severity: 'medium',
    },
    {
      name: 'suspend',
      permission: archonAppScalePermission,
      severity: 'medium',
    },
    {
      name: 'destroy',
      permission: archonAppDestroyPermission,
      severity: 'high',
    },
  ] as const;
  for (const operation of operations) {
    router.post(
      `/apps/${operation.name}`,
      async (req: AnyRequest, res: Response) => {
        const body = req.body;
        const credentials = await authorizer.authorize(
          req,
          operation.permission,
          body.configPath,
        );
        const flow = await audited(
          req,
          `app-${operation.name}`,
          operation.severity,
          {
            configPath: body.configPath,
            instance: body.instance,
            instances: body.instances,
            force: !!body.force,
          },
          () =>
            onTarget(req, body.instance, () =>
              deploy.operate({
                kind: operation.name,
                configPath: body.configPath,
                instance: body.instance,
                instances: body.instances,
                confirm: body.confirm,
                actor: actorOf(credentials),
                force: body.force,
                timeoutMs: timeoutMs(body.timeoutSeconds),
              }),
            ),
        );
        await respond(req, res, flow, body.wait);
      },
    );
  }
}
