import type { UserInfoService } from '@backstage/backend-plugin-api';
import {
  AuthorizeResult,
  isResourcePermission,
  type PolicyDecision,
} from '@backstage/plugin-permission-common';
import type {
  PermissionPolicy,
  PolicyQuery,
  PolicyQueryUser,
} from '@backstage/plugin-permission-node';

/** The permissions that change what runs: decided per configuration path. */
const OWNED_PATH_PERMISSIONS = new Set([
  'archon.config.write',
  'archon.config.secrets.reveal',
  'archon.app.deploy',
  'archon.app.scale',
  'archon.app.destroy',
]);

/** Only the admin group may do these anywhere. */
const ADMIN_ONLY_PERMISSIONS = new Set([
  'archon.kafka.topic.delete',
  'archon.kafka.group.reset',
  'archon.zookeeper.write',
]);

/**
 * Changes a policy may keep off some clusters: decided per `kafka:<cluster>`,
 * `connect:<cluster>`, `marathon:<instance>` and `zookeeper:<ensemble>`.
 */
const CLUSTER_WRITE_PERMISSIONS = new Set([
  'archon.kafka.topic.create',
  'archon.kafka.topic.alter',
  'archon.kafka.message.produce',
  'archon.connect.connector.manage',
  'archon.marathon.target.manage',
  'archon.zookeeper.ensemble.write',
]);

/**
 * The conditional decision "on any cluster but these" for a cluster-scoped
 * permission (resource type `archon-cluster`), which archon evaluates per
 * cluster with its rule `IS_IN_CLUSTER`.
 */
export function outsideClusters(clusters: string[]): PolicyDecision {
  return {
    result: AuthorizeResult.CONDITIONAL,
    pluginId: 'archon',
    resourceType: 'archon-cluster',
    conditions: {
      not: {
        rule: 'IS_IN_CLUSTER',
        resourceType: 'archon-cluster',
        params: { clusters },
      },
    },
  };
}

export interface ArchonTeam {
  /** e.g. `group:default/team-a`. */
  group: string;
  /** The configuration paths the team owns, e.g. `/team-a`. */
  prefixes: string[];
}

/**
 * An example of a stricter policy than the local profile's (see README):
 * members of a team may change configuration, reveal secrets, deploy, scale
 * and destroy only under the paths their team owns (for a Marathon app archon
 * did not deploy, its app id is the path: team-a acts on `/team-a/...`
 * apps whoever started them); deleting topics,
 * resetting consumer groups and raw ZooKeeper writes are for the admin
 * group; the admin group may do everything; everything else (reads, topic
 * creation, connectors, the audit log) is allowed to signed-in users.
 *
 * Path decisions are conditional: archon evaluates them against each path
 * with its rule `IS_UNDER_CONFIG_PATH_PREFIX`, so one decision covers a
 * whole subtree.
 *
 * `adminOnlyClusters` (e.g. `['dr']`) keeps changes on those clusters for
 * the admin group: Kafka changes (creating topics, changing their configs or
 * partitions, producing messages), Connect changes (managing connectors),
 * Marathon changes on an instance of that name (deploy, roll back, scale,
 * restart, suspend, kill tasks, destroy) and writes to a ZooKeeper ensemble
 * of that name (configuration and raw znodes). Everyone else gets them on
 * the other clusters only (and, for the path-scoped ones, under their
 * team's paths), a conditional decision archon evaluates per cluster with
 * its rule `IS_IN_CLUSTER` (#20).
 */
export class ArchonTeamPermissionPolicy implements PermissionPolicy {
  readonly #userInfo: UserInfoService;
  readonly #teams: ArchonTeam[];
  readonly #adminGroup: string;
  readonly #adminOnlyClusters: string[];

  constructor(options: {
    userInfo: UserInfoService;
    teams: ArchonTeam[];
    adminGroup: string;
    /** Clusters (by name, e.g. `dr`) where only the admin group changes Kafka, Connect, Marathon and ZooKeeper. */
    adminOnlyClusters?: string[];
  }) {
    this.#userInfo = options.userInfo;
    this.#teams = options.teams;
    this.#adminGroup = options.adminGroup;
    this.#adminOnlyClusters = options.adminOnlyClusters ?? [];
  }

  async handle(
    request: PolicyQuery,
    user?: PolicyQueryUser,
  ): Promise<PolicyDecision> {
    const name = request.permission.name;
    if (!name.startsWith('archon.')) return { result: AuthorizeResult.ALLOW };
    if (!user) return { result: AuthorizeResult.DENY };
    const { ownershipEntityRefs } = await this.#userInfo.getUserInfo(
      user.credentials,
    );
    if (ownershipEntityRefs.includes(this.#adminGroup))
      return { result: AuthorizeResult.ALLOW };
    if (ADMIN_ONLY_PERMISSIONS.has(name))
      return { result: AuthorizeResult.DENY };
    if (CLUSTER_WRITE_PERMISSIONS.has(name) && this.#adminOnlyClusters.length) {
      if (!isResourcePermission(request.permission, 'archon-cluster'))
        return { result: AuthorizeResult.DENY };
      return outsideClusters(this.#adminOnlyClusters);
    }
    if (!OWNED_PATH_PERMISSIONS.has(name))
      return { result: AuthorizeResult.ALLOW };

    const prefixes = this.#teams
      .filter(team => ownershipEntityRefs.includes(team.group))
      .flatMap(team => team.prefixes);
    if (
      prefixes.length === 0 ||
      !isResourcePermission(request.permission, 'archon-config-path')
    ) {
      return { result: AuthorizeResult.DENY };
    }
    const [first, ...rest] = prefixes.map(prefix => ({
      rule: 'IS_UNDER_CONFIG_PATH_PREFIX',
      resourceType: 'archon-config-path',
      params: { prefix },
    }));
    return {
      result: AuthorizeResult.CONDITIONAL,
      pluginId: 'archon',
      resourceType: 'archon-config-path',
      conditions: { anyOf: [first, ...rest] },
    };
  }
}
