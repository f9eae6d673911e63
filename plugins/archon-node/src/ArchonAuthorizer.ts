import type {
  BackstageCredentials,
  HttpAuthService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { NotAllowedError } from '@backstage/errors';
import {
  AuthorizeResult,
  isResourcePermission,
  type Permission,
} from '@backstage/plugin-permission-common';
import type { Request } from 'express';

/**
 * The one way archon's routes check permissions: every mutating route and
 * every sensitive read calls {@link ArchonAuthorizer.authorize} before it
 * does anything, and a denial is a 403 that names the permission.
 *
 * Users are decided by the permission policy. Services are not: Backstage's
 * permission client answers for a service principal from the token's
 * `accessRestrictions` alone and never asks the policy, and a service
 * without restrictions (a plugin's own token, a static token configured
 * without `accessRestrictions`) would be allowed everything. archon grants
 * a service only what its token's restrictions name: a service whose
 * restrictions list no permission names gets none of archon's permissions.
 */
export class ArchonAuthorizer {
  readonly #httpAuth: HttpAuthService;
  readonly #permissions: PermissionsService;

  constructor(options: {
    httpAuth: HttpAuthService;
    permissions: PermissionsService;
  }) {
    this.#httpAuth = options.httpAuth;
    this.#permissions = options.permissions;
  }

  /** The caller's credentials (user or service); 401 without any. */
  credentials(req: Request<any, any, any, any>): Promise<BackstageCredentials> {
    return this.#httpAuth.credentials(req);
  }

  /** Throws 403 unless the caller holds the permission (for the resource, if it has a type). */
  async authorize(
    req: Request<any, any, any, any>,
    permission: Permission,
    resourceRef?: string,
  ): Promise<BackstageCredentials> {
    const credentials = await this.credentials(req);
    if (!(await this.#decide(credentials, permission, resourceRef))) {
      throw new NotAllowedError(
        `You are not allowed to do this: it needs the permission "${
          permission.name
        }"${resourceRef ? ` on ${resourceRef}` : ''}`,
      );
    }
    return credentials;
  }

  /**
   * For routes that must look something up to learn the resource (a
   * release's path, the path a Marathon app was deployed from): throws 403
   * first when the policy denies the permission whatever the resource, so a
   * refused caller causes no lookup and learns nothing about what exists.
   * Resolves when the policy allows or decides per resource; the route then
   * calls {@link ArchonAuthorizer.authorize} with the resource.
   */
  async precheck(
    req: Request<any, any, any, any>,
    permission: Permission,
  ): Promise<void> {
    const credentials = await this.credentials(req);
    if (!grantsServiceAnything(credentials)) {
      throw new NotAllowedError(
        `You are not allowed to do this: it needs the permission "${permission.name}"`,
      );
    }
    const [decision] = isResourcePermission(permission)
      ? (await this.#permissions.authorizeConditional([{ permission }], {
          credentials,
        })) ?? []
      : await this.#permissions.authorize([{ permission }], { credentials });
    if (decision?.result === AuthorizeResult.DENY) {
      throw new NotAllowedError(
        `You are not allowed to do this: it needs the permission "${permission.name}"`,
      );
    }
  }

  /** Whether the caller holds the permission, without failing. */
  async isAllowed(
    credentials: BackstageCredentials,
    permission: Permission,
    resourceRef?: string,
  ): Promise<boolean> {
    return this.#decide(credentials, permission, resourceRef);
  }

  async #decide(
    credentials: BackstageCredentials,
    permission: Permission,
    resourceRef?: string,
  ): Promise<boolean> {
    if (!grantsServiceAnything(credentials)) return false;
    const [decision] = isResourcePermission(permission)
      ? await this.#permissions.authorize(
          [{ permission, resourceRef: resourceRef ?? '' }],
          { credentials },
        )
      : await this.#permissions.authorize([{ permission }], { credentials });
    return decision.result === AuthorizeResult.ALLOW;
  }
}

/**
 * False for a service principal whose token names no permissions (then
 * Backstage would allow it everything); true for everyone else, who is then
 * decided by the permissions service (the policy for users, the token's
 * `permissionNames` and `permissionAttributes` for services).
 */
function grantsServiceAnything(credentials: BackstageCredentials): boolean {
  const principal = credentials.principal as {
    type: string;
    accessRestrictions?: { permissionNames?: string[] };
  };
  if (principal.type !== 'service') return true;
  return (principal.accessRestrictions?.permissionNames?.length ?? 0) > 0;
}

/** The prefix of a service's actor name: `service:archon-automation`, `service:plugin:scaffolder`. */
export const SERVICE_ACTOR_PREFIX = 'service:';

/**
 * The actor name that history, releases, deploy flows and the audit log
 * record: the user entity ref for a user (`user:default/guest`), and for a
 * service its subject after `service:` (`service:archon-automation` for a
 * static token, `service:plugin:scaffolder` for a plugin), so a row always
 * says whether a person or a credential acted.
 */
export function actorOf(credentials: BackstageCredentials): string {
  const principal = credentials.principal as {
    type: string;
    userEntityRef?: string;
    subject?: string;
  };
  if (principal.type === 'user' && principal.userEntityRef) {
    return principal.userEntityRef;
  }
  if (principal.type === 'service' && principal.subject) {
    return `${SERVICE_ACTOR_PREFIX}${principal.subject}`;
  }
  return principal.type;
}
