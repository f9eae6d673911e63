import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { policyExtensionPoint } from '@backstage/plugin-permission-node/alpha';
import { ArchonLocalPermissionPolicy } from './ArchonLocalPermissionPolicy';

/** Installs {@link ArchonLocalPermissionPolicy} as the permission policy. */
export default createBackendModule({
  pluginId: 'permission',
  moduleId: 'archon-local-policy',
  register({ registerInit }) {
    registerInit({
      deps: {
        policy: policyExtensionPoint,
        userInfo: coreServices.userInfo,
        config: coreServices.rootConfig,
      },
      async init({ policy, userInfo, config }) {
        policy.setPolicy(
          new ArchonLocalPermissionPolicy({
            userInfo,
            secretReaders:
              config.getOptionalStringArray('archon.permissions.secretReaders') ??
              [],
          }),
        );
      },
    });
  },
});
