import type { KafkaClusterMetadata } from '../kafka/adapter/KafkaAdapter';
import { mirrorEnds } from '../graph/mirrorEdges';
import { mirroredTopics, mirrorSpecOf } from '../graph/mirrorTopics';
import type { KafkaTopology } from './KafkaTopology';

/** A source topic a replica is mirrored from. */
export interface MirrorSource {
  cluster: string;
  topic: string;
}

interface MirrorConnector {
  config: Record<string, string>;
  /** The Kafka cluster of the connector's Connect cluster. */
  kafkaCluster?: string;
}

/** What the provider last read, kept across its refreshes. */
export interface MirrorsLastRead {
  topics: Map<string, string[]>;
  connectors: Map<string, MirrorConnector[]>;
}

export function mirrorsLastRead(): MirrorsLastRead {
  return { topics: new Map(), connectors: new Map() };
}

/**
 * Which topics of a Kafka cluster are MirrorMaker 2 replicas, and of which
 * source topics, declared the way the graph's `mirrors` edges are: each
 * MirrorSourceConnector's configuration, both ends placed by
 * {@link mirrorEnds}, the topics chosen by {@link mirroredTopics}.
 *
 * A mirror relates two topics that both exist: the replica is one of the
 * target's topics and the source one of the source cluster's. A declared
 * mirror whose replica MirrorMaker has not created yet has no entity to
 * relate to; the graph's declared edge (drifting until the replica grows)
 * is where it shows.
 *
 * One instance serves one provider refresh, so each cluster's metadata and
 * each Connect cluster's connectors are read once. The other side of a
 * mirror that cannot be read answers with what was last read (as the
 * provider keeps an unreadable cluster's entities), so a Connect worker or
 * a source Kafka briefly away does not drop the relations.
 */
export class MirrorSources {
  readonly #topology: KafkaTopology;
  readonly #lastRead: MirrorsLastRead;
  readonly #metadata = new Map<string, Promise<KafkaClusterMetadata>>();
  #connectors?: Promise<MirrorConnector[]>;

  constructor(topology: KafkaTopology, lastRead: MirrorsLastRead) {
    this.#topology = topology;
    this.#lastRead = lastRead;
  }

  /** The cluster's metadata, read once for the refresh (its failure included). */
  metadata(cluster: string): Promise<KafkaClusterMetadata> {
    let read = this.#metadata.get(cluster);
    if (!read) {
      read = this.#topology.adapter(cluster).metadata();
      read.then(
        m =>
          this.#lastRead.topics.set(
            cluster,
            m.topics.map(t => t.name),
          ),
        () => {},
      );
      this.#metadata.set(cluster, read);
    }
    return read;
  }

  /** Replica topic name → its sources, for the topics of `target` that are replicas. */
  async sourcesOn(
    target: string,
    targetTopics: readonly string[],
  ): Promise<Map<string, MirrorSource[]>> {
    const existing = new Set(targetTopics);
    const kafka = this.#topology.clusterNames().map(name => ({
      name,
      brokers: this.#topology.clusterConfig(name)?.brokers ?? [],
    }));
    const out = new Map<string, MirrorSource[]>();
    for (const c of await this.#mirrorConnectors()) {
      const spec = mirrorSpecOf(c.config);
      if (!spec || 'problem' in spec) continue;
      const { source, target: to } = mirrorEnds(spec, c.kafkaCluster, kafka);
      if (to !== target || !source) continue;
      for (const m of mirroredTopics(spec, await this.#topicNames(source))) {
        if (!existing.has(m.replica)) continue;
        const list = out.get(m.replica) ?? [];
        if (!list.some(s => s.cluster === source && s.topic === m.topic))
          list.push({ cluster: source, topic: m.topic });
        out.set(m.replica, list);
      }
    }
    return out;
  }

  async #topicNames(cluster: string): Promise<string[]> {
    if (!this.#topology.clusterConfig(cluster)) return [];
    try {
      return (await this.metadata(cluster)).topics.map(t => t.name);
    } catch {
      return this.#lastRead.topics.get(cluster) ?? [];
    }
  }

  #mirrorConnectors(): Promise<MirrorConnector[]> {
    this.#connectors ??= Promise.all(
      this.#topology.connect.clusters().map(async cluster => {
        try {
          const { items } = await this.#topology.connect.list(cluster.name);
          const mirrors = items
            .filter(i => mirrorSpecOf(i.config))
            .map(i => ({
              config: i.config,
              kafkaCluster: cluster.kafkaCluster,
            }));
          this.#lastRead.connectors.set(cluster.name, mirrors);
          return mirrors;
        } catch {
          return this.#lastRead.connectors.get(cluster.name) ?? [];
        }
      }),
    ).then(all => all.flat());
    return this.#connectors;
  }
}
