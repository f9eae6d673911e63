import type {
  ArchonAuditor,
  ArchonAuditSummary,
  ArchonAuthorizer,
} from '@archon/plugin-archon-node';
import { clusterResourceRef } from '@archon/plugin-archon-common';
import {
  isResourcePermission,
  type Permission,
} from '@backstage/plugin-permission-common';
import type { Request } from 'express';

export interface GuardDeps {
  /** archon's one permission check, from the extension point. */
  authorizer: ArchonAuthorizer;
  /** archon's audit (Backstage's auditor and archon's audit log), from the extension point. */
  audit: ArchonAuditor;
}

/**
 * 403 naming the permission unless the caller holds it: archon's one
 * decision ({@link ArchonAuthorizer}), which also grants a service only
 * what its token's restrictions name. A cluster-scoped permission (the
 * Kafka ones) is decided for `<system>:<cluster>`, so a policy can allow
 * it on one cluster and not on another (#20).
 */
export async function authorize(
  deps: GuardDeps,
  req: Request,
  permission: Permission,
  on?: { system: 'kafka' | 'connect'; cluster: string },
) {
  await deps.authorizer.authorize(
    req,
    permission,
    on && isResourcePermission(permission)
      ? clusterResourceRef(on.system, on.cluster)
      : undefined,
  );
}

/** The audit event of a guarded change and the permission it needs. */
export interface GuardedEvent<T> {
  eventId: string;
  permission: Permission;
  severityLevel?: 'low' | 'medium' | 'high' | 'critical';
  system: 'kafka' | 'connect';
  resource: string;
  meta: Record<string, unknown> & { cluster: string };
  /** The state before, when the route has it at hand. */
  before?: ArchonAuditSummary;
  /** The state after, from the result or the request. */
  after?: (result: T) => ArchonAuditSummary | undefined;
  /** Both states from the result (a change that reports what it replaced); wins over `after`. */
  summary?: (result: T) => {
    before?: ArchonAuditSummary;
    after?: ArchonAuditSummary;
  };
}

/**
 * Runs an action under an audit event (success or failure, with the error),
 * checking the permission first so refusals are audited too. The target is
 * the resource (topic, group, connector) on `meta.cluster` of `system`.
 */
export async function guarded<T>(
  deps: GuardDeps,
  req: Request,
  options: GuardedEvent<T>,
  action: () => Promise<T>,
): Promise<T> {
  return deps.audit.run(
    req,
    {
      action: options.eventId,
      severityLevel: options.severityLevel,
      target: {
        system: options.system,
        cluster: options.meta.cluster,
        resource: options.resource,
      },
      meta: options.meta,
      before: options.before,
    },
    async () => {
      await authorize(deps, req, options.permission, {
        system: options.system,
        cluster: options.meta.cluster,
      });
      return action();
    },
    {
      summary: result =>
        options.summary?.(result) ?? { after: options.after?.(result) },
    },
  );
}
