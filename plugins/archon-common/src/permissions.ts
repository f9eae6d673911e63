import { createPermission } from '@backstage/plugin-permission-common';

/**
 * The resource type of configuration paths, so policies can decide per path
 * prefix (e.g. "team-a may write under /team-a"). The resource ref is the
 * configuration path itself.
 */
export const ARCHON_CONFIG_PATH_RESOURCE_TYPE = 'archon-config-path';

/**
 * The resource type of a system's cluster (a Kafka cluster, ...), so policies
 * can decide per cluster (e.g. "Kafka writes on `local`, not on `dr`"). The
 * resource ref is `<system>:<cluster>`, see {@link clusterResourceRef}.
 */
export const ARCHON_CLUSTER_RESOURCE_TYPE = 'archon-cluster';

/**
 * The resource ref of a cluster for the cluster-scoped permissions: `kafka:dr`,
 * `connect:dr`, `marathon:dr` (a Marathon instance), `zookeeper:dr` (an ensemble).
 */
export function clusterResourceRef(system: string, cluster: string): string {
  return `${system}:${cluster}`;
}

/** Read the configured systems' health. */
export const archonHealthReadPermission = createPermission({
  name: 'archon.health.read',
  attributes: { action: 'read' },
});

/** Read configuration sets, effective configuration, history and releases under a path. */
export const archonConfigReadPermission = createPermission({
  name: 'archon.config.read',
  attributes: { action: 'read' },
  resourceType: ARCHON_CONFIG_PATH_RESOURCE_TYPE,
});

/** Create, change or delete the configuration set of a path. */
export const archonConfigWritePermission = createPermission({
  name: 'archon.config.write',
  attributes: { action: 'update' },
  resourceType: ARCHON_CONFIG_PATH_RESOURCE_TYPE,
});

/** See secret values (keys like *password*, *secret*, *token*) unmasked. */
export const archonSecretsRevealPermission = createPermission({
  name: 'archon.config.secrets.reveal',
  attributes: { action: 'read' },
  resourceType: ARCHON_CONFIG_PATH_RESOURCE_TYPE,
});

/** Browse raw ZooKeeper znodes. */
export const archonZooKeeperReadPermission = createPermission({
  name: 'archon.zookeeper.read',
  attributes: { action: 'read' },
});

/**
 * Read the cross-system graph (apps, topics, connectors, consumer groups,
 * configuration levels, routes and how they are linked), its lineage,
 * impact, paths and search.
 */
export const archonGraphReadPermission = createPermission({
  name: 'archon.graph.read',
  attributes: { action: 'read' },
});

/** Create, change or delete raw ZooKeeper znodes (bypasses configuration rules). */
export const archonZooKeeperWritePermission = createPermission({
  name: 'archon.zookeeper.write',
  attributes: { action: 'update' },
});

/**
 * Write to a ZooKeeper ensemble: configuration writes (beside
 * archon.config.write on the path) and raw znode writes (beside
 * archon.zookeeper.write) need it too, decided per ensemble
 * (`zookeeper:<ensemble>`), so a policy can keep writes to `dr` for some.
 */
export const archonZooKeeperEnsembleWritePermission = createPermission({
  name: 'archon.zookeeper.ensemble.write',
  attributes: { action: 'update' },
  resourceType: ARCHON_CLUSTER_RESOURCE_TYPE,
});

/** Create Kafka topics; decided per Kafka cluster (`kafka:<cluster>`). */
export const archonKafkaTopicCreatePermission = createPermission({
  name: 'archon.kafka.topic.create',
  attributes: { action: 'create' },
  resourceType: ARCHON_CLUSTER_RESOURCE_TYPE,
});

/** Change a Kafka topic's configs or partition count; per Kafka cluster. */
export const archonKafkaTopicAlterPermission = createPermission({
  name: 'archon.kafka.topic.alter',
  attributes: { action: 'update' },
  resourceType: ARCHON_CLUSTER_RESOURCE_TYPE,
});

/** Delete Kafka topics; per Kafka cluster. */
export const archonKafkaTopicDeletePermission = createPermission({
  name: 'archon.kafka.topic.delete',
  attributes: { action: 'delete' },
  resourceType: ARCHON_CLUSTER_RESOURCE_TYPE,
});

/** Reset (or delete) a Kafka consumer group's committed offsets; per Kafka cluster. */
export const archonKafkaGroupResetPermission = createPermission({
  name: 'archon.kafka.group.reset',
  attributes: { action: 'update' },
  resourceType: ARCHON_CLUSTER_RESOURCE_TYPE,
});

/** Read the contents of Kafka messages; per Kafka cluster. */
export const archonKafkaMessageReadPermission = createPermission({
  name: 'archon.kafka.message.read',
  attributes: { action: 'read' },
  resourceType: ARCHON_CLUSTER_RESOURCE_TYPE,
});

/** Produce (test) messages to Kafka topics; per Kafka cluster. */
export const archonKafkaMessageProducePermission = createPermission({
  name: 'archon.kafka.message.produce',
  attributes: { action: 'create' },
  resourceType: ARCHON_CLUSTER_RESOURCE_TYPE,
});

/**
 * Create, change, pause/resume/stop, restart and delete Kafka Connect
 * connectors and their offsets; decided per Connect cluster
 * (`connect:<cluster>`).
 */
export const archonConnectConnectorManagePermission = createPermission({
  name: 'archon.connect.connector.manage',
  attributes: { action: 'update' },
  resourceType: ARCHON_CLUSTER_RESOURCE_TYPE,
});

/**
 * Deploy a configuration path to an orchestrator (Marathon, ...), or roll it
 * back to an earlier release. Decided per configuration path.
 */
export const archonAppDeployPermission = createPermission({
  name: 'archon.app.deploy',
  attributes: { action: 'update' },
  resourceType: ARCHON_CONFIG_PATH_RESOURCE_TYPE,
});

/**
 * Scale, restart or suspend the app deployed from a configuration path, kill
 * its tasks and reset its launch delay. For a Marathon app archon did not
 * deploy, the resource is its app id (`/team-a/cart`): archon deploys a path
 * as the app of the same id, so a policy's path prefixes cover both.
 */
export const archonAppScalePermission = createPermission({
  name: 'archon.app.scale',
  attributes: { action: 'update' },
  resourceType: ARCHON_CONFIG_PATH_RESOURCE_TYPE,
});

/**
 * Destroy the app deployed from a configuration path (stops all its tasks);
 * for a Marathon app archon did not deploy, the resource is its app id.
 */
export const archonAppDestroyPermission = createPermission({
  name: 'archon.app.destroy',
  attributes: { action: 'delete' },
  resourceType: ARCHON_CONFIG_PATH_RESOURCE_TYPE,
});

/**
 * Deploy, roll back, scale, restart, suspend, kill tasks of, reset the launch
 * delay of, destroy and cancel deployments on a Marathon instance, decided
 * per instance (`marathon:<instance>`) beside the configuration path's
 * archon.app.* permission (both must allow), so a policy can keep changes
 * on `dr` for some.
 */
export const archonMarathonTargetManagePermission = createPermission({
  name: 'archon.marathon.target.manage',
  attributes: { action: 'update' },
  resourceType: ARCHON_CLUSTER_RESOURCE_TYPE,
});

/** Read the logs (stdout/stderr) of the tasks of the app deployed from a configuration path. */
export const archonAppLogsReadPermission = createPermission({
  name: 'archon.app.logs.read',
  attributes: { action: 'read' },
  resourceType: ARCHON_CONFIG_PATH_RESOURCE_TYPE,
});

/**
 * Read the audit log (`GET /api/archon/audit`) and apps' timelines: who
 * changed what, when, with what outcome (secrets masked).
 */
export const archonAuditReadPermission = createPermission({
  name: 'archon.audit.read',
  attributes: { action: 'read' },
});

/** Every archon permission, for registration with the permissions registry. */
export const archonPermissions = [
  archonHealthReadPermission,
  archonConfigReadPermission,
  archonConfigWritePermission,
  archonSecretsRevealPermission,
  archonZooKeeperReadPermission,
  archonZooKeeperWritePermission,
  archonZooKeeperEnsembleWritePermission,
  archonGraphReadPermission,
  archonKafkaTopicCreatePermission,
  archonKafkaTopicAlterPermission,
  archonKafkaTopicDeletePermission,
  archonKafkaGroupResetPermission,
  archonKafkaMessageReadPermission,
  archonKafkaMessageProducePermission,
  archonConnectConnectorManagePermission,
  archonAppDeployPermission,
  archonAppScalePermission,
  archonAppDestroyPermission,
  archonMarathonTargetManagePermission,
  archonAppLogsReadPermission,
  archonAuditReadPermission,
];
