import type {
  ArchonGraphContribution,
  ArchonGraphContributor,
} from '@archon/plugin-archon-node';
import { archonGraphNodeId } from '@archon/plugin-archon-node';
import type { LoggerService } from '@backstage/backend-plugin-api';
import { connectClusterPart } from './connectClusterPart';
import { withKafkaDeadline } from '../kafka/errors';
import { kafkaClusterPart, type KafkaPartSources } from './kafkaClusterPart';

/**
 * archon-kafka's part of the cross-system graph: every configured Kafka
 * cluster (topics, consumer groups) and Connect cluster (connectors and the
 * topics they read or write).
 *
 * A cluster that cannot be read keeps its last good part (its cluster node
 * turns `failed` with the reason), so one outage does not erase what was
 * known about it; a cluster never read shows as a failed cluster node only.
 */
export class KafkaGraphContributor implements ArchonGraphContributor {
  readonly id = 'kafka';
  readonly refreshIntervalMs?: number;
  readonly #sources: KafkaPartSources;
  readonly #logger: LoggerService;
  readonly #lastGood = new Map<string, ArchonGraphContribution>();
  /** When each last good part was read. */
  readonly #lastGoodAt = new Map<string, string>();

  constructor(
    sources: KafkaPartSources,
    logger: LoggerService,
    options: { refreshIntervalMs?: number } = {},
  ) {
    this.#sources = sources;
    this.#logger = logger;
    this.refreshIntervalMs = options.refreshIntervalMs;
  }

  async snapshot(options: {
    signal: AbortSignal;
  }): Promise<ArchonGraphContribution> {
    const sampledAt = new Date().toISOString();
    const { topology } = this.#sources;
    // Each cluster's topics and write rates: Connect's regexes expand against them, mirrors join two of them.
    const topicsByCluster = new Map<string, Map<string, number | undefined>>();
    const kafkaParts = topology.clusterNames().map(async cluster => {
      const part = await this.#guard(
        `kafka/${cluster}`,
        archonGraphNodeId.cluster('kafka', cluster),
        cluster,
        'kafka',
        sampledAt,
        () => {
          const work = kafkaClusterPart(cluster, this.#sources, sampledAt);
          const config = topology.clusterConfig(cluster);
          // Two rounds of calls (metadata and groups, then their offsets), each under the
          // cluster's deadline: a frozen broker fails the read instead of holding the graph (#22).
          return config
            ? withKafkaDeadline(work, config, 2 * config.requestTimeoutMs)
            : work;
        },
      );
      topicsByCluster.set(
        cluster,
        new Map(
          part.nodes
            .filter(n => n.kind === 'topic')
            .map(n => [n.name, n.status?.metrics?.messagesPerSecond]),
        ),
      );
      return part;
    });
    const kafka = await Promise.all(kafkaParts);
    options.signal.throwIfAborted();
    const mirrorClusters = {
      kafka: topology.clusterNames().map(name => ({
        name,
        brokers: topology.clusterConfig(name)?.brokers ?? [],
      })),
      topics: topicsByCluster,
    };
    const connect = await Promise.all(
      topology.connect
        .clusters()
        .map(c =>
          this.#guard(
            `connect/${c.name}`,
            archonGraphNodeId.cluster('connect', c.name),
            c.name,
            'connect',
            sampledAt,
            () =>
              connectClusterPart(
                c,
                topology.connect,
                [...(topicsByCluster.get(c.kafkaCluster ?? '')?.keys() ?? [])],
                this.#sources.catalogNamespace,
                sampledAt,
                mirrorClusters,
              ),
          ),
        ),
    );
    const parts = [...kafka, ...connect];
    return {
      nodes: parts.flatMap(p => p.nodes),
      edges: parts.flatMap(p => p.edges),
    };
  }

  async #guard(
    key: string,
    clusterNodeId: string,
    name: string,
    system: string,
    sampledAt: string,
    read: () => Promise<ArchonGraphContribution>,
  ): Promise<ArchonGraphContribution> {
    try {
      const part = await read();
      this.#lastGood.set(key, part);
      this.#lastGoodAt.set(key, sampledAt);
      return part;
    } catch (error) {
      const message = (error as Error).message;
      this.#logger.warn(
        `archon graph: ${system} cluster "${name}" unreadable, keeping its last part: ${message}`,
      );
      const last = this.#lastGood.get(key) ?? { nodes: [], edges: [] };
      const status = {
        state: 'failed' as const,
        summary: `unreachable: ${message}`,
        sampledAt,
      };
      // The kept nodes say how old they are, so the graph serves them marked stale (#22).
      const asOf = this.#lastGoodAt.get(key);
      const others = last.nodes
        .filter(n => n.id !== clusterNodeId)
        .map(n => (asOf ? { ...n, asOf } : n));
      return {
        nodes: [
          {
            id: clusterNodeId,
            kind: 'cluster',
            name,
            system,
            cluster: name,
            status,
          },
          ...others,
        ],
        edges: last.edges,
      };
    }
  }
}
