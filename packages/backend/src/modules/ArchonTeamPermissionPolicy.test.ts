import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { ArchonTeamPermissionPolicy } from './ArchonTeamPermissionPolicy';

const pathPermission = (name: string) => ({
  type: 'resource' as const,
  name,
  attributes: { action: 'update' as const },
  resourceType: 'archon-config-path',
});
const basic = (name: string) => ({
  type: 'basic' as const,
  name,
  attributes: {},
});
const user = {
  credentials: mockCredentials.user('user:default/alice'),
  info: { userEntityRef: 'user:default/alice', ownershipEntityRefs: [] },
};

const clusterPermission = (name: string) => ({
  type: 'resource' as const,
  name,
  attributes: { action: 'create' as const },
  resourceType: 'archon-cluster',
});

function policyFor(...ownershipEntityRefs: string[]) {
  return new ArchonTeamPermissionPolicy({
    userInfo: mockServices.userInfo({
      ownershipEntityRefs: ['user:default/alice', ...ownershipEntityRefs],
    }),
    teams: [
      { group: 'group:default/team-a', prefixes: ['/team-a'] },
      { group: 'group:default/team-b', prefixes: ['/team-b', '/shared/b'] },
    ],
    adminGroup: 'group:default/archon-admins',
    adminOnlyClusters: ['dr'],
  });
}

describe('ArchonTeamPermissionPolicy', () => {
  it('lets a team change config and deploy only under its own paths', async () => {
    for (const name of ['archon.config.write', 'archon.app.deploy']) {
      expect(
        await policyFor('group:default/team-b').handle(
          { permission: pathPermission(name) },
          user,
        ),
      ).toEqual({
        result: AuthorizeResult.CONDITIONAL,
        pluginId: 'archon',
        resourceType: 'archon-config-path',
        conditions: {
          anyOf: [
            {
              rule: 'IS_UNDER_CONFIG_PATH_PREFIX',
              resourceType: 'archon-config-path',
              params: { prefix: '/team-b' },
            },
            {
              rule: 'IS_UNDER_CONFIG_PATH_PREFIX',
              resourceType: 'archon-config-path',
              params: { prefix: '/shared/b' },
            },
          ],
        },
      });
    }
  });

  it('decides actions on Marathon apps archon did not deploy by their app id, under the same team paths', async () => {
    // The Marathon module checks archon.app.scale/destroy with the app id
    // (e.g. /team-a/legacy/cart) as the path: one decision per team prefix.
    for (const name of ['archon.app.scale', 'archon.app.destroy']) {
      expect(
        await policyFor('group:default/team-a').handle(
          { permission: pathPermission(name) },
          user,
        ),
      ).toEqual({
        result: AuthorizeResult.CONDITIONAL,
        pluginId: 'archon',
        resourceType: 'archon-config-path',
        conditions: {
          anyOf: [
            {
              rule: 'IS_UNDER_CONFIG_PATH_PREFIX',
              resourceType: 'archon-config-path',
              params: { prefix: '/team-a' },
            },
          ],
        },
      });
      expect(
        await policyFor().handle({ permission: pathPermission(name) }, user),
      ).toEqual({ result: AuthorizeResult.DENY });
    }
  });

  it('denies path changes to users in no team, and to no one signed in', async () => {
    expect(
      await policyFor().handle(
        { permission: pathPermission('archon.config.write') },
        user,
      ),
    ).toEqual({ result: AuthorizeResult.DENY });
    expect(
      await policyFor('group:default/team-a').handle(
        { permission: pathPermission('archon.config.write') },
        undefined,
      ),
    ).toEqual({
      result: AuthorizeResult.DENY,
    });
  });

  it('keeps topic deletion for the admin group', async () => {
    const del = basic('archon.kafka.topic.delete');
    expect(
      await policyFor('group:default/team-a').handle({ permission: del }, user),
    ).toEqual({ result: AuthorizeResult.DENY });
    expect(
      await policyFor('group:default/archon-admins').handle(
        { permission: del },
        user,
      ),
    ).toEqual({ result: AuthorizeResult.ALLOW });
  });

  it('keeps Kafka, Connect, Marathon and ZooKeeper changes on the admin-only clusters for the admin group, per cluster', async () => {
    for (const name of [
      'archon.kafka.topic.create',
      'archon.kafka.topic.alter',
      'archon.kafka.message.produce',
      'archon.connect.connector.manage',
      'archon.marathon.target.manage',
      'archon.zookeeper.ensemble.write',
    ]) {
      expect(
        await policyFor('group:default/team-a').handle(
          { permission: clusterPermission(name) },
          user,
        ),
      ).toEqual({
        result: AuthorizeResult.CONDITIONAL,
        pluginId: 'archon',
        resourceType: 'archon-cluster',
        conditions: {
          not: {
            rule: 'IS_IN_CLUSTER',
            resourceType: 'archon-cluster',
            params: { clusters: ['dr'] },
          },
        },
      });
      expect(
        await policyFor('group:default/archon-admins').handle(
          { permission: clusterPermission(name) },
          user,
        ),
      ).toEqual({ result: AuthorizeResult.ALLOW });
    }
    // Reading messages is not a change: allowed on every cluster.
    expect(
      await policyFor().handle(
        { permission: clusterPermission('archon.kafka.message.read') },
        user,
      ),
    ).toEqual({ result: AuthorizeResult.ALLOW });
    // Without admin-only clusters nothing is conditional.
    for (const name of [
      'archon.kafka.topic.create',
      'archon.marathon.target.manage',
      'archon.zookeeper.ensemble.write',
    ]) {
      expect(
        await new ArchonTeamPermissionPolicy({
          userInfo: mockServices.userInfo({
            ownershipEntityRefs: ['user:default/alice'],
          }),
          teams: [],
          adminGroup: 'group:default/archon-admins',
        }).handle({ permission: clusterPermission(name) }, user),
      ).toEqual({ result: AuthorizeResult.ALLOW });
    }
    // A cluster permission asked without its resource type is refused, not allowed everywhere.
    expect(
      await policyFor('group:default/team-a').handle(
        { permission: basic('archon.marathon.target.manage') },
        user,
      ),
    ).toEqual({ result: AuthorizeResult.DENY });
  });

  it("allows reads, the audit log and other plugins' permissions", async () => {
    for (const name of [
      'archon.config.read',
      'archon.audit.read',
      'catalog.entity.read',
    ]) {
      expect([
        name,
        await policyFor().handle({ permission: basic(name) }, user),
      ]).toEqual([name, { result: AuthorizeResult.ALLOW }]);
    }
  });
});
