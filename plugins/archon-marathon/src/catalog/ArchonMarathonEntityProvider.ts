import { randomUUID } from 'node:crypto';
import type { LoggerService, SchedulerServiceTaskRunner } from '@backstage/backend-plugin-api';
import type { Entity } from '@backstage/catalog-model';
import type { EntityProvider, EntityProviderConnection } from '@backstage/plugin-catalog-node';
import type { MarathonInstances } from '../service/MarathonInstances';
import { appEntity, type AppEntityDefaults } from './entities';

export const PROVIDER_NAME = 'archon-marathon';

/**
 * Registers every app of every configured Marathon instance as a Component
 * (full mutations on a schedule). An instance that cannot be read keeps its
 * last entities instead of having them orphaned.
 */
export class ArchonMarathonEntityProvider implements EntityProvider {
  readonly #instances: MarathonInstances;
  readonly #defaults: AppEntityDefaults;
  readonly #logger: LoggerService;
  readonly #taskRunner?: SchedulerServiceTaskRunner;
  readonly #lastGood = new Map<string, Entity[]>();
  #connection?: EntityProviderConnection;

  constructor(options: {
    instances: MarathonInstances;
    defaults: AppEntityDefaults;
    logger: LoggerService;
    taskRunner?: SchedulerServiceTaskRunner;
  }) {
    this.#instances = options.instances;
    this.#defaults = options.defaults;
    this.#logger = options.logger;
    this.#taskRunner = options.taskRunner;
  }

  getProviderName(): string {
    return PROVIDER_NAME;
  }

  async connect(connection: EntityProviderConnection): Promise<void> {
    this.#connection = connection;
    await this.#taskRunner?.run({
      id: `${PROVIDER_NAME}:refresh`,
      fn: async () => {
        const logger = this.#logger.child({ taskInstanceId: randomUUID() });
        try {
          await this.refresh(logger);
        } catch (error) {
          logger.error(`${PROVIDER_NAME} refresh failed: ${(error as Error).message}`);
        }
      },
    });
  }

  /** Everything this provider owns right now, in a stable order. */
  async read(logger: LoggerService = this.#logger): Promise<Entity[]> {
    const entities: Entity[] = [];
    for (const instance of this.#instances.all()) {
      const name = instance.config.name;
      try {
        const apps = await instance.client.listApps();
        this.#lastGood.set(
          name,
          apps.sort((a, b) => a.id.localeCompare(b.id)).map(app => appEntity(this.#defaults, name, app)),
        );
      } catch (error) {
        logger.warn(`${PROVIDER_NAME}: Marathon instance "${name}" unreadable, keeping its last entities: ${(error as Error).message}`);
      }
      entities.push(...(this.#lastGood.get(name) ?? []));
    }
    return entities;
  }

  async refresh(logger: LoggerService = this.#logger): Promise<number> {
    if (!this.#connection) throw new Error(`${PROVIDER_NAME} is not connected yet`);
    const entities = await this.read(logger);
    await this.#connection.applyMutation({
      type: 'full',
      entities: entities.map(entity => ({ entity, locationKey: PROVIDER_NAME })),
    });
    logger.info(`${PROVIDER_NAME}: ${entities.length} entities`);
    return entities.length;
  }
}
