import { ARCHON_CATALOG_RELATIONS } from '@archon/plugin-archon-common';
import type { Entity } from '@backstage/catalog-model';
import {
  entityName,
  entityTitle,
  topicEntityRef,
} from '@archon/plugin-archon-node';
import type { MarathonApp } from '../client/types';
import { ARCHON_LABELS } from '../render/renderApp';
import { topicReferences } from './topics';

/** Annotations on the Components archon provides for Marathon apps. */
export const ANNOTATIONS = {
  marathonInstance: 'archon.io/marathon-instance',
  marathonAppId: 'archon.io/marathon-app-id',
  configPath: 'archon.io/config-path',
  release: 'archon.io/release',
} as const;

/**
 * App → topic relation types, both directions; word characters only (the
 * catalog requires `^\w+$`), named like archon-kafka's.
 */
export const RELATIONS = {
  producesTo: ARCHON_CATALOG_RELATIONS.producesTo,
  producedBy: ARCHON_CATALOG_RELATIONS.producedBy,
  consumesFrom: ARCHON_CATALOG_RELATIONS.consumesFrom,
  consumedBy: ARCHON_CATALOG_RELATIONS.consumedBy,
} as const;

export interface AppEntityDefaults {
  namespace: string;
  owner: string;
  lifecycle: string;
  /** e.g. `url:http://localhost:7007/api/archon/marathon` */
  locationRef: string;
  /**
   * The Kafka cluster of the topics an app names, unless its configuration
   * says `kafka.cluster`: its Marathon instance's `kafkaCluster`, else the
   * catalog module's default.
   */
  kafkaCluster?: string;
}

/** `resource:<ns>/<cluster>.<topic>`: the topic's entity, named as archon-kafka names it (archon-node's rule). */
export const topicRef = topicEntityRef;

/** The entity name of an app: `<instance>.<app id with / → .>` (archon-node's `entityName`, as for topics). */
export function appEntityName(instance: string, appId: string): string {
  return entityName(instance, appId.replace(/^\//, '').replace(/\//g, '.'));
}

/**
 * A Marathon app as a `Component` of type `service`: annotated with its
 * instance, app id and configuration path; owner, lifecycle, system and
 * description from the labels archon renders from `archon.owner` etc.; and
 * the topics its deployed configuration names (its environment, see
 * {@link topicReferences}) as spec fields the processor turns into relations.
 */
export function appEntity(
  d: AppEntityDefaults,
  instance: string,
  app: MarathonApp,
): Entity {
  const labels = app.labels ?? {};
  const env = Object.fromEntries(
    Object.entries(app.env ?? {}).filter(([, v]) => typeof v === 'string'),
  ) as Record<string, string>;
  const cluster = env.KAFKA_CLUSTER || d.kafkaCluster;
  const consumes = new Set<string>();
  const produces = new Set<string>();
  if (cluster) {
    for (const ref of topicReferences(env)) {
      for (const topic of ref.topics) {
        (ref.direction === 'input' ? consumes : produces).add(
          topicRef(d.namespace, cluster, topic),
        );
      }
    }
  }
  const configPath = labels[ARCHON_LABELS.configPath];
  const location = `${d.locationRef}/${instance}/apps/${encodeURIComponent(
    app.id.replace(/^\//, ''),
  )}`;
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name: appEntityName(instance, app.id),
      namespace: d.namespace,
      title: entityTitle(instance, app.id),
      description:
        labels[ARCHON_LABELS.description] ??
        `Marathon app ${app.id} on ${instance}${
          configPath ? `, configured at ${configPath}` : ''
        }`,
      annotations: {
        [ANNOTATIONS.marathonInstance]: instance,
        [ANNOTATIONS.marathonAppId]: app.id,
        ...(configPath ? { [ANNOTATIONS.configPath]: configPath } : {}),
        ...(labels[ARCHON_LABELS.release]
          ? { [ANNOTATIONS.release]: labels[ARCHON_LABELS.release] }
          : {}),
        'backstage.io/managed-by-location': location,
        'backstage.io/managed-by-origin-location': location,
      },
      tags: ['marathon'],
    },
    spec: {
      type: 'service',
      lifecycle: labels[ARCHON_LABELS.lifecycle] || d.lifecycle,
      owner: labels[ARCHON_LABELS.owner] || d.owner,
      ...(labels[ARCHON_LABELS.system]
        ? { system: labels[ARCHON_LABELS.system] }
        : {}),
      ...(consumes.size ? { archonConsumesFrom: [...consumes].sort() } : {}),
      ...(produces.size ? { archonProducesTo: [...produces].sort() } : {}),
    },
  };
}
