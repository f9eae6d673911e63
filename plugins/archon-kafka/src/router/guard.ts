import type {
  AuditorService,
  AuditorServiceEvent,
  HttpAuthService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { NotAllowedError } from '@backstage/errors';
import {
  AuthorizeResult,
  type BasicPermission,
} from '@backstage/plugin-permission-common';
import type { Request } from 'express';

export interface GuardDeps {
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  auditor: AuditorService;
}

/** 403 naming the permission unless the caller holds it. */
export async function authorize(deps: GuardDeps, req: Request, permission: BasicPermission) {
  const credentials = await deps.httpAuth.credentials(req);
  const [decision] = await deps.permissions.authorize([{ permission }], { credentials });
  if (decision.result !== AuthorizeResult.ALLOW) {
    throw new NotAllowedError(`this needs the permission "${permission.name}"`);
  }
}

/**
 * Runs an action under an audit event (success or failure, with the error),
 * checking the permission first so refusals are audited too.
 */
export async function guarded<T>(
  deps: GuardDeps,
  req: Request,
  options: {
    eventId: string;
    permission: BasicPermission;
    severityLevel?: 'low' | 'medium' | 'high' | 'critical';
    meta: Record<string, unknown>;
  },
  action: () => Promise<T>,
): Promise<T> {
  const event: AuditorServiceEvent = await deps.auditor.createEvent({
    eventId: options.eventId,
    severityLevel: options.severityLevel ?? 'medium',
    request: req,
    // Drop undefined values; the auditor wants JSON.
    meta: JSON.parse(JSON.stringify(options.meta)),
  });
  try {
    await authorize(deps, req, options.permission);
    const result = await action();
    await event.success();
    return result;
  } catch (error) {
    await event.fail({ error: error as Error });
    throw error;
  }
}

/** Query values as the validator leaves them (numbers may still be strings). */
export function intQuery(value: unknown): number | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  return Number(value);
}

export function boolQuery(value: unknown): boolean | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  return value === true || value === 'true';
}

export function strQuery(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}
