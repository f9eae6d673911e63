import { randomUUID } from 'node:crypto';
import type {
  LoggerService,
  SchedulerServiceTaskRunner,
} from '@backstage/backend-plugin-api';
import type { Entity } from '@backstage/catalog-model';
import type {
  EntityProvider,
  EntityProviderConnection,
} from '@backstage/plugin-catalog-node';

/**
 * One system an entity provider reads (a Kafka cluster, a Connect cluster,
 * a Marathon instance). `key` must be unique within the provider.
 */
export interface EntitySource {
  key: string;
  /** How log lines name it, e.g. `Kafka cluster "local"`. */
  label: string;
  /** Its entities in a stable order and shape, so unchanged ones are not rebuilt. */
  read(): Promise<Entity[]>;
}

/**
 * The shape archon's entity providers share: on a schedule, read every
 * source and apply one full mutation. A source that cannot be read keeps
 * its last entities, because a full mutation without them would orphan
 * (and so delete) every entity of a system that is only briefly away.
 */
export abstract class ScheduledEntityProvider implements EntityProvider {
  readonly #name: string;
  readonly #logger: LoggerService;
  readonly #taskRunner?: SchedulerServiceTaskRunner;
  readonly #lastGood = new Map<string, Entity[]>();
  #connection?: EntityProviderConnection;

  protected constructor(options: {
    name: string;
    logger: LoggerService;
    taskRunner?: SchedulerServiceTaskRunner;
  }) {
    this.#name = options.name;
    this.#logger = options.logger;
    this.#taskRunner = options.taskRunner;
  }

  /** The systems to read, in the order their entities are emitted. */
  protected abstract sources(): EntitySource[];

  getProviderName(): string {
    return this.#name;
  }

  async connect(connection: EntityProviderConnection): Promise<void> {
    this.#connection = connection;
    await this.#taskRunner?.run({
      id: `${this.#name}:refresh`,
      fn: async () => {
        const logger = this.#logger.child({ taskInstanceId: randomUUID() });
        try {
          await this.refresh(logger);
        } catch (error) {
          logger.error(
            `${this.#name} refresh failed: ${(error as Error).message}`,
          );
        }
      },
    });
  }

  /** Everything this provider owns right now, in a stable order. */
  async read(logger: LoggerService = this.#logger): Promise<Entity[]> {
    const entities: Entity[] = [];
    for (const source of this.sources()) {
      try {
        this.#lastGood.set(source.key, await source.read());
      } catch (error) {
        logger.warn(
          `${this.#name}: ${
            source.label
          } unreadable, keeping its last entities: ${(error as Error).message}`,
        );
      }
      entities.push(...(this.#lastGood.get(source.key) ?? []));
    }
    return entities;
  }

  async refresh(logger: LoggerService = this.#logger): Promise<number> {
    if (!this.#connection) {
      throw new Error(`${this.#name} is not connected yet`);
    }
    const entities = await this.read(logger);
    await this.#connection.applyMutation({
      type: 'full',
      entities: entities.map(entity => ({ entity, locationKey: this.#name })),
    });
    logger.info(`${this.#name}: ${entities.length} entities`);
    return entities.length;
  }
}
