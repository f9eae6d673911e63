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
import { connectorEntity, topicEntity, type EntityDefaults } from './entities';
import type { KafkaTopology } from './KafkaTopology';

export const PROVIDER_NAME = 'archon-kafka';

/**
 * Registers every topic (Resource, `kafka-topic`) and every connector
 * (Component, `kafka-connector`) of the configured clusters with full
 * mutations on a schedule. A cluster that cannot be read keeps its last
 * entities instead of having them orphaned.
 */
export class ArchonKafkaEntityProvider implements EntityProvider {
  readonly #topology: KafkaTopology;
  readonly #defaults: EntityDefaults;
  readonly #includeInternal: boolean;
  readonly #logger: LoggerService;
  readonly #taskRunner?: SchedulerServiceTaskRunner;
  readonly #lastGood = new Map<string, Entity[]>();
  #connection?: EntityProviderConnection;

  constructor(options: {
    topology: KafkaTopology;
    defaults: EntityDefaults;
    includeInternal?: boolean;
    logger: LoggerService;
    taskRunner?: SchedulerServiceTaskRunner;
  }) {
    this.#topology = options.topology;
    this.#defaults = options.defaults;
    this.#includeInternal = !!options.includeInternal;
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

  /** Everything this provider owns right now, in a stable order and shape. */
  async read(logger: LoggerService = this.#logger): Promise<Entity[]> {
    const entities: Entity[] = [];
    for (const cluster of this.#topology.clusterNames()) {
      const key = `kafka:${cluster}`;
      try {
        const meta = await this.#topology.adapter(cluster).metadata();
        const topics = meta.topics
          .filter(t => this.#includeInternal || !t.internal)
          .sort((a, b) => a.name.localeCompare(b.name))
          .map(t =>
            topicEntity(this.#defaults, {
              cluster,
              name: t.name,
              partitions: t.partitions.length,
              replicationFactor: Math.max(0, ...t.partitions.map(p => p.replicas.length)),
            }),
          );
        this.#lastGood.set(key, topics);
      } catch (error) {
        logger.warn(`${PROVIDER_NAME}: Kafka cluster "${cluster}" unreadable, keeping its last entities: ${(error as Error).message}`);
      }
      entities.push(...(this.#lastGood.get(key) ?? []));
    }
    for (const cluster of this.#topology.connect.clusters()) {
      const key = `connect:${cluster.name}`;
      try {
        await this.#topology.connect.info(cluster.name);
        const all = await this.#topology.connect.topology();
        this.#lastGood.set(
          key,
          all.filter(c => c.connectCluster === cluster.name).map(c => connectorEntity(this.#defaults, c)),
        );
      } catch (error) {
        logger.warn(`${PROVIDER_NAME}: Connect cluster "${cluster.name}" unreadable, keeping its last entities: ${(error as Error).message}`);
      }
      entities.push(...(this.#lastGood.get(key) ?? []));
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
