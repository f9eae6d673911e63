import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { ArchonLocalPermissionPolicy } from './ArchonLocalPermissionPolicy';

const reveal = {
  type: 'resource' as const,
  name: 'archon.config.secrets.reveal',
  attributes: { action: 'read' as const },
  resourceType: 'archon-config-path',
};
const write = {
  ...reveal,
  name: 'archon.config.write',
  attributes: { action: 'update' as const },
};

function userOwning(...refs: string[]) {
  return {
    credentials: mockCredentials.user('user:default/alice'),
    info: { userEntityRef: 'user:default/alice', ownershipEntityRefs: refs },
  };
}

describe('ArchonLocalPermissionPolicy', () => {
  const userInfo = mockServices.userInfo({
    ownershipEntityRefs: ['user:default/alice', 'group:default/archon-admins'],
  });

  it('allows everything but revealing secrets', async () => {
    const policy = new ArchonLocalPermissionPolicy({
      userInfo: mockServices.userInfo(),
      secretReaders: [],
    });
    expect(await policy.handle({ permission: write }, userOwning())).toEqual({
      result: AuthorizeResult.ALLOW,
    });
    expect(await policy.handle({ permission: reveal }, userOwning())).toEqual({
      result: AuthorizeResult.DENY,
    });
    expect(await policy.handle({ permission: reveal }, undefined)).toEqual({
      result: AuthorizeResult.DENY,
    });
  });

  it('lets the configured secret readers reveal secrets', async () => {
    const policy = new ArchonLocalPermissionPolicy({
      userInfo,
      secretReaders: ['group:default/archon-admins'],
    });
    expect(await policy.handle({ permission: reveal }, userOwning())).toEqual({
      result: AuthorizeResult.ALLOW,
    });
  });
});
