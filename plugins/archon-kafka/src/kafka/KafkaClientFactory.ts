import { Kafka, logLevel, type SASLOptions } from 'kafkajs';
import type { LoggerService } from '@backstage/backend-plugin-api';
import type { KafkaClusterConfig } from './KafkaClusterConfig';
import type { KafkaAdapter } from './adapter/KafkaAdapter';
import { KafkajsAdapter } from './adapter/KafkajsAdapter';

/**
 * The one place archon builds kafkajs clients, so every call goes through
 * the same connection settings. Admin clients are kept per cluster and
 * reconnect by themselves; kafkajs' own logs are routed to the backend
 * logger at debug level (they are noisy while a broker is away).
 */
export class KafkaClientFactory {
  readonly #clusters: Map<string, KafkaClusterConfig>;
  readonly #logger: LoggerService;
  readonly #adapters = new Map<string, KafkaAdapter>();
  #closed = false;

  constructor(clusters: KafkaClusterConfig[], logger: LoggerService) {
    this.#clusters = new Map(clusters.map(c => [c.name, c]));
    this.#logger = logger;
  }

  clusterNames(): string[] {
    return [...this.#clusters.keys()];
  }

  getCluster(name: string): KafkaClusterConfig | undefined {
    return this.#clusters.get(name);
  }

  createKafka(cluster: KafkaClusterConfig): Kafka {
    const logger = this.#logger.child({ kafkaCluster: cluster.name });
    return new Kafka({
      clientId: cluster.clientId,
      brokers: cluster.brokers,
      ssl: cluster.ssl,
      sasl: cluster.sasl as SASLOptions | undefined,
      requestTimeout: cluster.requestTimeoutMs,
      connectionTimeout: Math.min(cluster.requestTimeoutMs, 5000),
      retry: { retries: 2, initialRetryTime: 200, maxRetryTime: 2000 },
      logLevel: logLevel.WARN,
      logCreator: () => entry =>
        logger.debug(`kafkajs ${entry.namespace}: ${entry.log.message}`),
    });
  }

  /** The cluster's adapter (connects lazily, reconnects by itself). */
  adapter(name: string): KafkaAdapter {
    const cluster = this.#clusters.get(name);
    if (!cluster) throw new Error(`unknown Kafka cluster "${name}"`);
    // Work still running at shutdown (a graph refresh, a sampler run) must
    // not open connections nobody closes any more.
    if (this.#closed)
      throw new Error(
        `Kafka clients are closed (the backend is shutting down)`,
      );
    let adapter = this.#adapters.get(name);
    if (!adapter) {
      adapter = new KafkajsAdapter(cluster, this.createKafka(cluster));
      this.#adapters.set(name, adapter);
    }
    return adapter;
  }

  async close(): Promise<void> {
    this.#closed = true;
    const adapters = [...this.#adapters.values()];
    this.#adapters.clear();
    await Promise.allSettled(adapters.map(a => a.close()));
  }
}
