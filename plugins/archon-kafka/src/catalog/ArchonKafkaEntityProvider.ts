import type {
  LoggerService,
  SchedulerServiceTaskRunner,
} from '@backstage/backend-plugin-api';
import {
  ScheduledEntityProvider,
  type EntitySource,
} from '@archon/plugin-archon-node';
import { connectorEntity, topicEntity, type EntityDefaults } from './entities';
import type { KafkaTopology } from './KafkaTopology';

export const PROVIDER_NAME = 'archon-kafka';

/**
 * Registers every topic (Resource, `kafka-topic`) and every connector
 * (Component, `kafka-connector`) of the configured clusters with full
 * mutations on a schedule (an unreadable cluster keeps its last entities).
 */
export class ArchonKafkaEntityProvider extends ScheduledEntityProvider {
  readonly #topology: KafkaTopology;
  readonly #defaults: EntityDefaults;
  readonly #includeInternal: boolean;

  constructor(options: {
    topology: KafkaTopology;
    defaults: EntityDefaults;
    includeInternal?: boolean;
    logger: LoggerService;
    taskRunner?: SchedulerServiceTaskRunner;
  }) {
    super({ name: PROVIDER_NAME, ...options });
    this.#topology = options.topology;
    this.#defaults = options.defaults;
    this.#includeInternal = !!options.includeInternal;
  }

  protected sources(): EntitySource[] {
    const kafka = this.#topology.clusterNames().map(cluster => ({
      key: `kafka:${cluster}`,
      label: `Kafka cluster "${cluster}"`,
      read: async () => {
        const meta = await this.#topology.adapter(cluster).metadata();
        return meta.topics
          .filter(t => this.#includeInternal || !t.internal)
          .sort((a, b) => a.name.localeCompare(b.name))
          .map(t =>
            topicEntity(this.#defaults, {
              cluster,
              name: t.name,
              partitions: t.partitions.length,
              replicationFactor: Math.max(
                0,
                ...t.partitions.map(p => p.replicas.length),
              ),
            }),
          );
      },
    }));
    const connect = this.#topology.connect.clusters().map(cluster => ({
      key: `connect:${cluster.name}`,
      label: `Connect cluster "${cluster.name}"`,
      read: async () => {
        // info() fails fast on an unreachable worker; topology() alone
        // would report it as a cluster without connectors.
        await this.#topology.connect.info(cluster.name);
        const all = await this.#topology.connect.topology();
        return all
          .filter(c => c.connectCluster === cluster.name)
          .map(c => connectorEntity(this.#defaults, c));
      },
    }));
    return [...kafka, ...connect];
  }
}
