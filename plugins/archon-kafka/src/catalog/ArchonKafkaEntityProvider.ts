import type {
  LoggerService,
  SchedulerServiceTaskRunner,
} from '@backstage/backend-plugin-api';
import {
  ScheduledEntityProvider,
  type EntitySource,
} from '@archon/plugin-archon-node';
import {
  connectorEntity,
  topicEntity,
  topicEntityRef,
  type EntityDefaults,
} from './entities';
import type { KafkaTopology } from './KafkaTopology';
import { MirrorSources, mirrorsLastRead } from './mirrorSources';

export const PROVIDER_NAME = 'archon-kafka';

/**
 * Registers every topic (Resource, `kafka-topic`) and every connector
 * (Component, `kafka-connector`) of the configured clusters with full
 * mutations on a schedule (an unreadable cluster keeps its last entities).
 * A topic that is a MirrorMaker 2 replica names its source topic's entity
 * (`spec.archonMirroredFrom`, see {@link MirrorSources}).
 */
export class ArchonKafkaEntityProvider extends ScheduledEntityProvider {
  readonly #topology: KafkaTopology;
  readonly #defaults: EntityDefaults;
  readonly #includeInternal: boolean;
  readonly #mirrorsLastRead = mirrorsLastRead();

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
    const mirrors = new MirrorSources(this.#topology, this.#mirrorsLastRead);
    const kafka = this.#topology.clusterNames().map(cluster => ({
      key: `kafka:${cluster}`,
      label: `Kafka cluster "${cluster}"`,
      read: async () => {
        const meta = await mirrors.metadata(cluster);
        const sources = await mirrors.sourcesOn(
          cluster,
          meta.topics.map(t => t.name),
        );
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
              mirroredFrom: (sources.get(t.name) ?? []).map(s =>
                topicEntityRef(this.#defaults.namespace, s.cluster, s.topic),
              ),
            }),
          );
      },
    }));
    // topology() reads every Connect cluster: once per refresh, not once
    // per cluster's source.
    let topology: ReturnType<KafkaTopology['connect']['topology']> | undefined;
    const connect = this.#topology.connect.clusters().map(cluster => ({
      key: `connect:${cluster.name}`,
      label: `Connect cluster "${cluster.name}"`,
      read: async () => {
        // info() fails fast on an unreachable worker; topology() alone
        // would report it as a cluster without connectors.
        await this.#topology.connect.info(cluster.name);
        topology ??= this.#topology.connect.topology();
        const all = await topology;
        return all
          .filter(c => c.connectCluster === cluster.name)
          .map(c => connectorEntity(this.#defaults, c));
      },
    }));
    return [...kafka, ...connect];
  }
}
