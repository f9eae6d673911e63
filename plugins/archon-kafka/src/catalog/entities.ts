import { ARCHON_CATALOG_RELATIONS } from '@archon/plugin-archon-common';
import {
  entityName,
  entityTitle,
  topicEntityRef,
} from '@archon/plugin-archon-node';
import type { Entity } from '@backstage/catalog-model';

/** Annotations archon puts on the entities it provides. */
export const ANNOTATIONS = {
  kafkaCluster: 'archon.io/kafka-cluster',
  kafkaTopic: 'archon.io/kafka-topic',
  connectCluster: 'archon.io/connect-cluster',
  connector: 'archon.io/connector',
  /** Comma list of `cluster/group` on any entity, like the Backstage Kafka plugin's. */
  consumerGroups: 'archon.io/kafka-consumer-groups',
  /** The Backstage Kafka plugin's annotation; archon reads it too. */
  backstageKafkaConsumerGroups: 'kafka.apache.org/consumer-groups',
} as const;

/**
 * Relation types (documented in the README): letters and digits only. The
 * catalog's entity schema requires relation types to match `^\w+$`, so the
 * dash in `archon-writesTo` would make stitched entities invalid.
 */
export const RELATIONS = {
  writesTo: ARCHON_CATALOG_RELATIONS.writesTo,
  writtenBy: ARCHON_CATALOG_RELATIONS.writtenBy,
  readsFrom: ARCHON_CATALOG_RELATIONS.readsFrom,
  readBy: ARCHON_CATALOG_RELATIONS.readBy,
  mirrorsTo: ARCHON_CATALOG_RELATIONS.mirrorsTo,
  mirroredFrom: ARCHON_CATALOG_RELATIONS.mirroredFrom,
} as const;

// Entity names are archon-node's (shared with archon-marathon's app entities).
export { entityName, topicEntityRef };

export interface EntityDefaults {
  namespace: string;
  owner: string;
  lifecycle: string;
  /** e.g. `url:https://archon.example/kafka` */
  locationRef: string;
}

function withLocation(entity: Entity, location: string): Entity {
  entity.metadata.annotations = {
    ...entity.metadata.annotations,
    'backstage.io/managed-by-location': location,
    'backstage.io/managed-by-origin-location': location,
  };
  return entity;
}

/**
 * A topic as `Resource` of type `kafka-topic`; only stable facts, so
 * refreshes do not churn. A replica names the source topics it is mirrored
 * from (entity refs), a spec field the processor turns into relations.
 */
export function topicEntity(
  d: EntityDefaults,
  t: {
    cluster: string;
    name: string;
    partitions: number;
    replicationFactor: number;
    mirroredFrom?: string[];
  },
): Entity {
  return withLocation(
    {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Resource',
      metadata: {
        name: entityName(t.cluster, t.name),
        namespace: d.namespace,
        title: entityTitle(t.cluster, t.name),
        description: `Kafka topic ${t.name} on cluster ${t.cluster}`,
        annotations: {
          [ANNOTATIONS.kafkaCluster]: t.cluster,
          [ANNOTATIONS.kafkaTopic]: t.name,
        },
        tags: ['kafka', 'kafka-topic'],
      },
      spec: {
        type: 'kafka-topic',
        owner: d.owner,
        partitions: t.partitions,
        replicationFactor: t.replicationFactor,
        ...(t.mirroredFrom?.length
          ? { archonMirroredFrom: [...t.mirroredFrom].sort() }
          : {}),
      },
    },
    `${d.locationRef}/${t.cluster}/topics/${encodeURIComponent(t.name)}`,
  );
}

/**
 * A connector as `Component` of type `kafka-connector`: it is running
 * software (tasks, a lifecycle, a config) that reads or writes topics, which
 * is what a Component is; Resources are the infrastructure Components use,
 * like the topics themselves. The topics it uses are spec fields that the
 * processor turns into relations.
 */
export function connectorEntity(
  d: EntityDefaults,
  c: {
    connectCluster: string;
    kafkaCluster: string | null;
    name: string;
    type: string;
    connectorClass: string | null;
    topics: string[];
  },
): Entity {
  const refs = c.kafkaCluster
    ? c.topics.map(t => topicEntityRef(d.namespace, c.kafkaCluster!, t)).sort()
    : [];
  return withLocation(
    {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Component',
      metadata: {
        name: entityName(c.connectCluster, c.name),
        namespace: d.namespace,
        title: entityTitle(c.connectCluster, c.name),
        description: `Kafka Connect ${c.type} connector ${c.name} on ${c.connectCluster}`,
        annotations: {
          [ANNOTATIONS.connectCluster]: c.connectCluster,
          [ANNOTATIONS.connector]: c.name,
          ...(c.kafkaCluster
            ? { [ANNOTATIONS.kafkaCluster]: c.kafkaCluster }
            : {}),
        },
        tags: [
          'kafka',
          'kafka-connector',
          ...(c.type === 'source' || c.type === 'sink' ? [c.type] : []),
        ],
      },
      spec: {
        type: 'kafka-connector',
        lifecycle: d.lifecycle,
        owner: d.owner,
        connectorType: c.type,
        ...(c.connectorClass ? { connectorClass: c.connectorClass } : {}),
        ...(c.type === 'source' ? { archonWritesTo: refs } : {}),
        ...(c.type === 'sink' ? { archonReadsFrom: refs } : {}),
      },
    },
    `${d.locationRef}/connect/${
      c.connectCluster
    }/connectors/${encodeURIComponent(c.name)}`,
  );
}

/** `cluster/group` pairs from either consumer-group annotation. */
export function consumerGroupsOf(
  entity: Entity,
): Array<{ cluster: string; group: string }> {
  const values = [
    entity.metadata.annotations?.[ANNOTATIONS.backstageKafkaConsumerGroups],
    entity.metadata.annotations?.[ANNOTATIONS.consumerGroups],
  ];
  const out: Array<{ cluster: string; group: string }> = [];
  for (const value of values) {
    for (const item of (value ?? '')
      .split(',')
      .map(s => s.trim())
      .filter(Boolean)) {
      const slash = item.indexOf('/');
      if (slash > 0 && slash < item.length - 1)
        out.push({
          cluster: item.slice(0, slash),
          group: item.slice(slash + 1),
        });
    }
  }
  return out;
}
