import { Kafka, logLevel, type Admin, type SASLOptions } from 'kafkajs';
import type { LoggerService } from '@backstage/backend-plugin-api';
import type { KafkaClusterConfig } from './KafkaClusterConfig';

/**
 * The one place archon builds kafkajs clients, so every call goes through
 * the same connection settings. Admin clients are kept per cluster and
 * reconnect by themselves; kafkajs' own logs are routed to the backend
 * logger at debug level (they are noisy while a broker is away).
 */
export class KafkaClientFactory {
  readonly #clusters: Map<string, KafkaClusterConfig>;
  readonly #logger: LoggerService;
  readonly #admins = new Map<string, Promise<Admin>>();

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

  /** A connected admin client for the cluster; a failed connect is retried on the next call. */
  async admin(name: string): Promise<Admin> {
    const cluster = this.#clusters.get(name);
    if (!cluster) throw new Error(`unknown Kafka cluster "${name}"`);
    let admin = this.#admins.get(name);
    if (!admin) {
      admin = (async () => {
        const a = this.createKafka(cluster).admin();
        await a.connect();
        return a;
      })();
      this.#admins.set(name, admin);
      admin.catch(() => this.#admins.delete(name));
    }
    return admin;
  }

  async close(): Promise<void> {
    const admins = [...this.#admins.values()];
    this.#admins.clear();
    await Promise.allSettled(admins.map(async a => (await a).disconnect()));
  }
}
