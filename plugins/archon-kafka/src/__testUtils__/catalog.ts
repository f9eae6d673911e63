import type { Entity } from '@backstage/catalog-model';
import type { ArchonKafkaEntityProvider } from '../catalog/ArchonKafkaEntityProvider';
import type { ArchonKafkaRelationsProcessor } from '../catalog/ArchonKafkaRelationsProcessor';

/** The relations the processor emits for an entity, as `[source name, type, target name]`. */
export async function relationsOf(
  processor: ArchonKafkaRelationsProcessor,
  entity: Entity,
): Promise<string[][]> {
  const emitted: any[] = [];
  await processor.postProcessEntity(entity, { type: 'url', target: 'x' }, r =>
    emitted.push(r),
  );
  return emitted.map(r => [
    r.relation.source.name,
    r.relation.type,
    r.relation.target.name,
  ]);
}

/** The entities of each of `times` refreshes of a provider (each a full mutation). */
export async function refreshedEntities(
  provider: ArchonKafkaEntityProvider,
  times = 1,
): Promise<Entity[][]> {
  const applyMutation = jest.fn();
  await provider.connect({ applyMutation, refresh: jest.fn() });
  for (let i = 0; i < times; i++) await provider.refresh();
  return applyMutation.mock.calls.map(([mutation]) =>
    mutation.entities.map((d: { entity: Entity }) => d.entity),
  );
}
