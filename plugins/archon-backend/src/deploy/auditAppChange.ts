import type { ArchonAuditor } from '@archon/plugin-archon-node';
import type { Request } from 'express';
import type { DeployFlow } from './DeployFlow';

/**
 * One audit event per deploy-flow change, targeted at the configuration path
 * on the instance: fails with a refusal, succeeds (naming the flow, its
 * release and the orchestrator's ids) once the orchestrator accepted it.
 * Shared by the `/deployments` and `/apps/*` routes and the app operations
 * modules start, so every change to an app is recorded alike.
 */
export function auditAppChange(
  audit: ArchonAuditor,
  req: Request<any, any, any, any>,
  action: string,
  severityLevel: 'medium' | 'high',
  meta: { configPath: string; instance?: string } & Record<string, unknown>,
  change: () => Promise<DeployFlow>,
): Promise<DeployFlow> {
  return audit.run(
    req,
    {
      action,
      severityLevel,
      target: {
        system: 'deploy',
        cluster: meta.instance,
        resource: meta.configPath,
        configPath: meta.configPath,
      },
      meta,
    },
    change,
    {
      successMeta: flow => ({
        id: flow.id,
        releaseId: flow.releaseId,
        ref: flow.ref,
      }),
      summary: flow => ({
        after: {
          deployId: flow.id,
          releaseId: flow.releaseId,
          instances: meta.instances ?? undefined,
        },
      }),
    },
  );
}
