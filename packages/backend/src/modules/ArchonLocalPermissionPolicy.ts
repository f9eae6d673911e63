import type { UserInfoService } from '@backstage/backend-plugin-api';
import {
  AuthorizeResult,
  type PolicyDecision,
} from '@backstage/plugin-permission-common';
import type {
  PermissionPolicy,
  PolicyQuery,
  PolicyQueryUser,
} from '@backstage/plugin-permission-node';

/** The permission that shows secret configuration values unmasked. */
const REVEAL_SECRETS = 'archon.config.secrets.reveal';

/**
 * The local profile's policy: like the create-app template's allow-all,
 * except that secret configuration values stay masked for everyone but the
 * users and groups listed in `archon.permissions.secretReaders`.
 *
 * A stricter policy for production is written the same way; see the README
 * (e.g. only the owning group may deploy or change config under its paths,
 * topic deletion only for an admin group).
 */
export class ArchonLocalPermissionPolicy implements PermissionPolicy {
  readonly #userInfo: UserInfoService;
  readonly #secretReaders: Set<string>;

  constructor(options: { userInfo: UserInfoService; secretReaders: string[] }) {
    this.#userInfo = options.userInfo;
    this.#secretReaders = new Set(options.secretReaders);
  }

  async handle(
    request: PolicyQuery,
    user?: PolicyQueryUser,
  ): Promise<PolicyDecision> {
    if (request.permission.name !== REVEAL_SECRETS) {
      return { result: AuthorizeResult.ALLOW };
    }
    if (!user) return { result: AuthorizeResult.DENY };
    const { ownershipEntityRefs } = await this.#userInfo.getUserInfo(
      user.credentials,
    );
    return ownershipEntityRefs.some(ref => this.#secretReaders.has(ref))
      ? { result: AuthorizeResult.ALLOW }
      : { result: AuthorizeResult.DENY };
  }
}
