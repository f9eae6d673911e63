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
import { ANNOTATIONS, RELATIONS } from './entities';

function asStrings(value: unknown): string[] {
  return Array.isArray(value)
    ? value.filter((v): v is string => typeof v === 'string')
    : [];
}

/**
 * Emits both directions of the app → topic relations of the Components the
 * Marathon provider registers (providers cannot set relations):
 * `archonProducesTo`/`archonProducedBy` from `spec.archonProducesTo`,
 * `archonConsumesFrom`/`archonConsumedBy` from `spec.archonConsumesFrom`.
 */
export class ArchonMarathonRelationsProcessor implements CatalogProcessor {
  getProcessorName(): string {
    return 'ArchonMarathonRelationsProcessor';
  }

  async postProcessEntity(
    entity: Entity,
    _location: LocationSpec,
    emit: CatalogProcessorEmit,
  ): Promise<Entity> {
    if (
      entity.kind !== 'Component' ||
      !entity.metadata.annotations?.[ANNOTATIONS.marathonAppId]
    )
      return entity;
    const self = getCompoundEntityRef(entity);
    const spec = (entity.spec ?? {}) as Record<string, unknown>;
    const pair = (ref: string, forward: string, reverse: string) => {
      const target = parseEntityRef(ref);
      emit(processingResult.relation({ source: self, type: forward, target }));
      emit(
        processingResult.relation({
          source: target,
          type: reverse,
          target: self,
        }),
      );
    };
    for (const ref of asStrings(spec.archonProducesTo))
      pair(ref, RELATIONS.producesTo, RELATIONS.producedBy);
    for (const ref of asStrings(spec.archonConsumesFrom))
      pair(ref, RELATIONS.consumesFrom, RELATIONS.consumedBy);
    return entity;
  }
}
