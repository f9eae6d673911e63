import { createPermission } from '@backstage/plugin-permission-common';

/** Read the configured systems' health. Granted to any signed-in user by the default policy. */
export const archonHealthReadPermission = createPermission({
  name: 'archon.health.read',
  attributes: { action: 'read' },
});

/** Every archon permission, for registration with the permissions registry. */
export const archonPermissions = [archonHealthReadPermission];
