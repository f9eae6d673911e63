import {
  archonAppDeployPermission,
  archonAppDestroyPermission,
  archonAppScalePermission,
  archonConfigReadPermission,
  archonSecretsRevealPermission,
} from '@archon/plugin-archon-common';
import {
  actorOf,
  invalidCursor,
  pageOfRows,
  parsePageQuery,
  openEventStream,
  wantsEventStream,
  type ArchonAuditor,
  type ArchonAuthorizer,
  type ArchonDefinitionChange,
} from '@archon/plugin-archon-node';
import type { Request, Response } from 'express';
import { isSecretKey, maskConfigDiff, SECRET_MASK } from '../config/core';
import type { ConfigService } from '../config/ConfigService';
import { auditAppChange } from './auditAppChange';
import type { DeployFlow } from './DeployFlow';
import type { DeployPlan, DeployService } from './DeployService';
import { recordedOrUnreachable, relayProgress } from './progressStream';
import type { createOpenApiRouter } from '../schema/openapi';

type ApiRouter = Awaited<ReturnType<typeof createOpenApiRouter>>;
type AnyRequest = Request<any, any, any, any>;

/**
 * The orchestrator-neutral deploy routes: `/deployments` (deploy, dry run,
 * rollback, follow), `/apps/*` (status and operations of deployed apps) and
 * `/deploy-targets`. Permissions are per configuration path; rendered
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

  const timeoutMs = (seconds?: number) =>
    seconds === undefined ? undefined : seconds * 1000;

  /** 202 with the flow; 200 once finished with `wait`; or its progress as Server-Sent Events. */
  async function respond(
    req: AnyRequest,
    res: Response,
    flow: DeployFlow,
    wait?: boolean,
  ) {
    if (wantsEventStream(req)) {
      const stream = openEventStream(req, res);
      stream.send('accepted', flow.view(false));
      const relay = relayProgress(stream, flow);
      const unsubscribe = flow.subscribe(0, relay.onProgress, () =>
        relay.onEnd(flow.view(false)),
      );
      stream.onClose(unsubscribe);
      return;
    }
    if (wait) {
      await recordedOrUnreachable(flow);
      res.status(200).json(flow.view(true));
      return;
    }
    res
      .status(202)
      .location(`/api/archon/deployments/${flow.id}`)
      .json(flow.view(false));
  }

  function maskPlan(plan: DeployPlan, reveal: boolean) {
    const secretFields = new Set(plan.workload.secretFields);
    const hidden = (field: string) =>
      secretFields.has(field) ||
      (field.startsWith('env.') && isSecretKey(field.slice(4), secretPatterns));
    const definition = reveal
      ? plan.workload.definition
      : maskFields(plan.workload.definition, [...secretFields]);
    const changes = reveal
      ? plan.diff.changes
      : plan.diff.changes.map(change =>
          hidden(change.field) ? maskChange(change) : change,
        );
    return { definition, changes };
  }

  async function planResponse(plan: DeployPlan, reveal: boolean) {
    const { definition, changes } = maskPlan(plan, reveal);
    let pending;
    let latestRelease;
    if (!plan.source.releaseId) {
      const p = await config
        .pending(plan.workload.configPath, undefined)
        .catch(() => undefined);
      if (p) {
        pending = reveal ? p.diff : maskConfigDiff(p.diff, secretPatterns);
        latestRelease = p.latestRelease?.id;
      }
    }
    return {
      dryRun: true,
      instance: plan.workload.instance,
      targetKind: plan.target.kind,
      configPath: plan.workload.configPath,
      workloadId: plan.workload.id,
      fromRelease: plan.source.releaseId,
      definition,
      exists: plan.diff.exists,
      changes,
      // What runs now, with the scale through archon the deploy keeps or changes.
      running: plan.scale
        ? { ...plan.diff.running, scale: plan.scale }
        : plan.diff.running,
      pending,
      latestRelease,
      masked: !reveal,
    };
  }

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
        deploy.deploy({
          configPath: path,
          instance: body.instance,
          ensemble: body.ensemble,
          actor: actorOf(credentials),
          force: body.force,
          timeoutMs: timeoutMs(body.timeoutSeconds),
        }),
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
      () =>
        deploy.rollback({
          releaseId: release.id,
          instance: body.instance,
          actor: actorOf(credentials),
          force: body.force,
          timeoutMs: timeoutMs(body.timeoutSeconds),
        }),
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
      () => deploy.cancel({ id: view.id, actor: actorOf(credentials), force }),
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
        );
        await respond(req, res, flow, body.wait);
      },
    );
  }
}

/** `env.X` style fields (`<top-level field>.<key of a map>`) replaced by the mask. */
function maskFields(
  definition: Record<string, unknown>,
  fields: string[],
): Record<string, unknown> {
  const copy: Record<string, unknown> = { ...definition };
  for (const field of fields) {
    const dot = field.indexOf('.');
    if (dot < 0) {
      if (field in copy) copy[field] = SECRET_MASK;
      continue;
    }
    const top = field.slice(0, dot);
    const key = field.slice(dot + 1);
    const map = copy[top];
    if (
      map &&
      typeof map === 'object' &&
      !Array.isArray(map) &&
      key in (map as object)
    ) {
      copy[top] = { ...(map as Record<string, unknown>), [key]: SECRET_MASK };
    }
  }
  return copy;
}

function maskChange(change: ArchonDefinitionChange): ArchonDefinitionChange {
  return {
    ...change,
    ...(change.before !== undefined ? { before: SECRET_MASK } : {}),
    ...(change.after !== undefined ? { after: SECRET_MASK } : {}),
  };
}
