import {
  getCompoundEntityRef,
  parseEntityRef,
  type Entity,
} from '@backstage/catalog-model';
import type { LocationSpec } from '@backstage/plugin-catalog-common';
import {
  processingResult,
  type CatalogProcessor,
  type CatalogProcessorEmit,
} from '@backstage/plugin-catalog-node';
import { consumerGroupsOf, RELATIONS, topicEntityRef } from './entities';
import type { KafkaTopology } from './KafkaTopology';

/**
 * Emits archon's Kafka relations, both directions (providers cannot set
 * relations themselves):
 * - source connector `archonWritesTo` topic / topic `archonWrittenBy` connector,
 * - sink connector `archonReadsFrom` topic / topic `archonReadBy` connector,
 * - MirrorMaker 2 replica `archonMirroredFrom` source topic / source topic
 *   `archonMirrorsTo` replica (the replica's `spec.archonMirroredFrom`),
 * - an entity annotated with consumer groups (`kafka.apache.org/consumer-groups`
 *   or `archon.io/kafka-consumer-groups`: `cluster/group,...`) `archonReadsFrom`
 *   each topic those groups read, and the reverse.
 */
export class ArchonKafkaRelationsProcessor implements CatalogProcessor {
  readonly #topology?: KafkaTopology;
  readonly #namespace: string;

  constructor(options: { topology?: KafkaTopology; namespace: string }) {
    this.#topology = options.topology;
    this.#namespace = options.namespace;
  }

  getProcessorName(): string {
    return 'ArchonKafkaRelationsProcessor';
  }

  async postProcessEntity(
    entity: Entity,
    _location: LocationSpec,
    emit: CatalogProcessorEmit,
  ): Promise<Entity> {
    const self = getCompoundEntityRef(entity);
    const pair = (targetRef: string, forward: string, reverse: string) => {
      const target = parseEntityRef(targetRef);
      emit(processingResult.relation({ source: self, type: forward, target }));
      emit(
        processingResult.relation({
          source: target,
          type: reverse,
          target: self,
        }),
      );
    };
    const spec = (entity.spec ?? {}) as Record<string, unknown>;
    if (entity.kind === 'Component' && spec.type === 'kafka-connector') {
      for (const ref of asStrings(spec.archonWritesTo))
        pair(ref, RELATIONS.writesTo, RELATIONS.writtenBy);
      for (const ref of asStrings(spec.archonReadsFrom))
        pair(ref, RELATIONS.readsFrom, RELATIONS.readBy);
    }
    if (entity.kind === 'Resource' && spec.type === 'kafka-topic') {
      for (const ref of asStrings(spec.archonMirroredFrom))
        pair(ref, RELATIONS.mirroredFrom, RELATIONS.mirrorsTo);
    }
    const groups = consumerGroupsOf(entity);
    if (groups.length && this.#topology) {
      const seen = new Set<string>();
      for (const { cluster, group } of groups) {
        let topics: string[] = [];
        try {
          topics = (await this.#topology.groupTopics(cluster)).get(group) ?? [];
        } catch {
          // Kafka unreachable: no relations this round rather than a failed entity.
        }
        for (const topic of topics) {
          const ref = topicEntityRef(this.#namespace, cluster, topic);
          if (seen.has(ref)) continue;
          seen.add(ref);
          pair(ref, RELATIONS.readsFrom, RELATIONS.readBy);
        }
      }
    }
    return entity;
  }
}

function asStrings(value: unknown): string[] {
  return Array.isArray(value)
    ? value.filter((v): v is string => typeof v === 'string')
    : [];
}
