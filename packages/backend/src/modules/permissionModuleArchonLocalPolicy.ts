import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import type { Config } from '@backstage/config';
import { policyExtensionPoint } from '@backstage/plugin-permission-node/alpha';
import { ArchonLocalPermissionPolicy } from './ArchonLocalPermissionPolicy';
import {
  ArchonTeamPermissionPolicy,
  type ArchonTeam,
} from './ArchonTeamPermissionPolicy';

/**
 * The teams of `archon.permissions.teams` (each a group and the
 * configuration paths it owns), or undefined when none are configured.
 */
export function readArchonTeams(config: Config): ArchonTeam[] | undefined {
  const teams = config.getOptionalConfigArray('archon.permissions.teams');
  if (!teams) return undefined;
  return teams.map(team => ({
    group: team.getString('group'),
    prefixes: team.getStringArray('prefixes'),
  }));
}

/**
 * Installs archon's permission policy: {@link ArchonTeamPermissionPolicy}
 * when `archon.permissions.teams` is configured (the production profile),
 * otherwise the local profile's {@link ArchonLocalPermissionPolicy}.
 */
export default createBackendModule({
  pluginId: 'permission',
  moduleId: 'archon-local-policy',
  register({ registerInit }) {
    registerInit({
      deps: {
        policy: policyExtensionPoint,
        userInfo: coreServices.userInfo,
        config: coreServices.rootConfig,
        logger: coreServices.logger,
      },
      async init({ policy, userInfo, config, logger }) {
        const teams = readArchonTeams(config);
        if (teams) {
          const adminGroup = config.getString('archon.permissions.adminGroup');
          logger.info(
            `archon: team permission policy, ${teams.length} team(s), admin group ${adminGroup}`,
          );
          policy.setPolicy(
            new ArchonTeamPermissionPolicy({
              userInfo,
              teams,
              adminGroup,
              adminOnlyClusters: config.getOptionalStringArray(
                'archon.permissions.adminOnlyClusters',
              ),
            }),
          );
          return;
        }
        policy.setPolicy(
          new ArchonLocalPermissionPolicy({
            userInfo,
            secretReaders:
              config.getOptionalStringArray(
                'archon.permissions.secretReaders',
              ) ?? [],
          }),
        );
      },
    });
  },
});
