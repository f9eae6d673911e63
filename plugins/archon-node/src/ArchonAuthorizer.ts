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
        `You are not allowed to do this: it needs the permission "${permission.name}"${resourceRef ? ` on ${resourceRef}` : ''}`,
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
  async precheck(req: Request<any, any, any, any>, permission: Permission): Promise<void> {
    const credentials = await this.credentials(req);
    const [decision] = isResourcePermission(permission)
      ? ((await this.#permissions.authorizeConditional([{ permission }], { credentials })) ?? [])
      : await this.#permissions.authorize([{ permission }], { credentials });
    if (decision?.result === AuthorizeResult.DENY) {
      throw new NotAllowedError(`You are not allowed to do this: it needs the permission "${permission.name}"`);
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
    const [decision] = isResourcePermission(permission)
      ? await this.#permissions.authorize(
          [{ permission, resourceRef: resourceRef ?? '' }],
          { credentials },
        )
      : await this.#permissions.authorize([{ permission }], { credentials });
    return decision.result === AuthorizeResult.ALLOW;
  }
}

/** A readable actor name for history and audit: the user entity ref or the service subject. */
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
    return principal.subject;
  }
  return principal.type;
}
