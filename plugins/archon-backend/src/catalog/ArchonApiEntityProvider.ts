import type {
  EntityProvider,
  EntityProviderConnection,
} from '@backstage/plugin-catalog-node';
import type { Entity } from '@backstage/catalog-model';

/**
 * Puts archon's own entities (the `archon` component and its `archon-api`)
 * in the catalog once the catalog connects. They only change with a new
 * version of archon, so there is nothing to schedule.
 */
export class ArchonApiEntityProvider implements EntityProvider {
  constructor(private readonly entities: Entity[]) {}

  getProviderName(): string {
    return 'archon-api';
  }

  async connect(connection: EntityProviderConnection): Promise<void> {
    await connection.applyMutation({
      type: 'full',
      entities: this.entities.map(entity => ({
        entity,
        locationKey: 'archon-api',
      })),
    });
  }
}
