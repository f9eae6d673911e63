import {
  ConflictError,
  InputError,
  NotAllowedError,
  NotFoundError,
  ServiceUnavailableError,
} from '@backstage/errors';
import {
  UnprocessableError,
  UpstreamTimeoutError,
  withDeadline,
} from '@archon/plugin-archon-node';
import type { ConnectClusterConfig } from '../kafka/KafkaClusterConfig';
import { ConnectRestClient, ConnectRestError } from './ConnectRestClient';
import { DEFAULT_SECRET_KEY_PATTERNS } from '@archon/plugin-archon-common';
import { maskConfig } from './maskSecrets';
import {
  CONNECTOR_NAME,
  type ConnectorInfo,
  type ConnectorStatus,
  type ConnectorView,
} from './connectorViews';

/** Connect clusters, the deadline and error mapping of every call, and the connector reads ({@link ConnectService} adds the changes). */
export class ConnectCore {
  protected readonly clients = new Map<string, ConnectRestClient>();
  protected readonly secretPatterns: readonly string[];

  /** `secretPatterns`: `archon.secrets.keyPatterns` (archon-common's defaults when omitted). */
  constructor(
    clusters: ConnectClusterConfig[],
    secretPatterns: readonly string[] = DEFAULT_SECRET_KEY_PATTERNS,
  ) {
    this.secretPatterns = secretPatterns;
    for (const c of clusters)
      this.clients.set(c.name, new ConnectRestClient(c));
  }

  clusters(): ConnectClusterConfig[] {
    return [...this.clients.values()].map(c => c.cluster);
  }

  client(name: string): ConnectRestClient {
    const client = this.clients.get(name);
    if (!client) {
      const known = [...this.clients.keys()];
      throw new InputError(
        `unknown Kafka Connect cluster "${name}"; configured: ${
          known.length ? known.join(', ') : 'none'
        }`,
      );
    }
    return client;
  }

  /**
   * Runs fn under the cluster's deadline (`requestTimeoutMs`): each request
   * has that timeout, but rebalance retries and a stale-socket resend could
   * add up past it; the caller gets a 504 naming the cluster instead.
   */
  protected async call<T>(
    clusterName: string,
    fn: (c: ConnectRestClient) => Promise<T>,
  ): Promise<T> {
    const client = this.client(clusterName);
    const { name, url, requestTimeoutMs } = client.cluster;
    try {
      return await withDeadline(fn(client), requestTimeoutMs, () =>
        connectTimeout(name, url, requestTimeoutMs),
      );
    } catch (error) {
      throw this.#toHttpError(error, client.cluster);
    }
  }

  #toHttpError(error: unknown, cluster: ConnectClusterConfig): Error {
    // No `instanceof Error`: errors from Node internals (undici) may come from another realm.
    if (!error || typeof error !== 'object') return new Error(String(error));
    if (error instanceof ConnectRestError) {
      if (
        /Failed to find any class that implements Connector/i.test(
          error.message,
        )
      ) {
        return new InputError(
          `Kafka Connect "${cluster.name}": ${error.message}`,
        );
      }
      const message = `Kafka Connect "${cluster.name}": ${error.message}`;
      switch (error.statusCode) {
        case 400:
          return /STOPPED state/i.test(error.message)
            ? new ConflictError(message)
            : new InputError(message);
        case 401:
        case 403:
          return new NotAllowedError(message);
        case 404:
          return new NotFoundError(message);
        case 405:
          return new InputError(
            `${message} (not supported by this Connect version)`,
          );
        case 409:
          return new ConflictError(message);
        case 422:
          return new UnprocessableError(message, error.body);
        default:
          return new ServiceUnavailableError(message);
      }
    }
    const e = error as Error & { code?: string };
    if (
      [
        'InputError',
        'NotFoundError',
        'ConflictError',
        'UnprocessableError',
        'NotAllowedError',
        'UpstreamTimeoutError',
      ].includes(e.name)
    ) {
      return e;
    }
    if (
      e.code === 'UND_ERR_HEADERS_TIMEOUT' ||
      e.code === 'UND_ERR_BODY_TIMEOUT'
    ) {
      return connectTimeout(
        cluster.name,
        cluster.url,
        cluster.requestTimeoutMs,
      );
    }
    return new ServiceUnavailableError(
      `Kafka Connect cluster "${cluster.name}" is unreachable at ${
        cluster.url
      }: ${e.message || e.code || e.name}`,
    );
  }

  protected path(name: string) {
    if (!CONNECTOR_NAME.test(name))
      throw new InputError(`invalid connector name "${name}"`);
    return `/connectors/${encodeURIComponent(name)}`;
  }

  async info(clusterName: string) {
    return this.call(clusterName, async c => {
      const root = await c.get<{
        version: string;
        commit: string;
        kafka_cluster_id: string;
      }>('/');
      return {
        name: clusterName,
        url: c.cluster.url,
        kafkaCluster: c.cluster.kafkaCluster ?? null,
        version: root.version,
        commit: root.commit,
        kafkaClusterId: root.kafka_cluster_id,
      };
    });
  }

  async plugins(clusterName: string) {
    return this.call(clusterName, async c => {
      const plugins = await c.get<
        Array<{ class: string; type: string; version?: string }>
      >('/connector-plugins?connectorsOnly=true');
      return plugins.map(p => ({
        class: p.class,
        type: p.type,
        version: p.version ?? null,
      }));
    });
  }

  protected view(
    info: ConnectorInfo,
    status: ConnectorStatus | undefined,
  ): ConnectorView {
    const tasks = (status?.tasks ?? []).map(t => ({
      id: t.id,
      state: t.state,
      workerId: t.worker_id,
      ...(t.trace ? { trace: t.trace } : {}),
    }));
    return {
      name: info.name,
      type: info.type ?? status?.type ?? 'unknown',
      state: status?.connector.state ?? 'UNKNOWN',
      workerId: status?.connector.worker_id ?? null,
      ...(status?.connector.trace ? { trace: status.connector.trace } : {}),
      tasks,
      failedTasks: tasks.filter(t => t.state === 'FAILED').length,
      config: maskConfig(info.config, this.secretPatterns),
    };
  }

  /** All connectors with status and (masked) config in one Connect call. */
  async list(
    clusterName: string,
    options: { state?: string; filter?: string } = {},
  ) {
    return this.call(clusterName, async c => {
      const all = await c.get<
        Record<string, { info: ConnectorInfo; status: ConnectorStatus }>
      >('/connectors?expand=status&expand=info');
      const needle = options.filter?.toLowerCase();
      const items = Object.values(all)
        .map(x => this.view(x.info, x.status))
        .filter(x => !needle || x.name.toLowerCase().includes(needle))
        .filter(
          x =>
            !options.state ||
            x.state === options.state.toUpperCase() ||
            (options.state.toUpperCase() === 'FAILED' && x.failedTasks > 0),
        )
        // Failing first, then by name: what needs attention is on top.
        .sort(
          (a, b) =>
            Number(b.state === 'FAILED' || b.failedTasks > 0) -
              Number(a.state === 'FAILED' || a.failedTasks > 0) ||
            a.name.localeCompare(b.name),
        );
      const byState: Record<string, number> = {};
      for (const x of Object.values(all)) {
        const state = x.status?.connector.state ?? 'UNKNOWN';
        byState[state] = (byState[state] ?? 0) + 1;
      }
      return {
        items,
        total: Object.keys(all).length,
        byState,
        failedTasks: Object.values(all).reduce(
          (n, x) =>
            n +
            (x.status?.tasks ?? []).filter(t => t.state === 'FAILED').length,
          0,
        ),
      };
    });
  }

  async get(clusterName: string, name: string) {
    const path = this.path(name);
    return this.call(clusterName, async c => {
      const [info, status, topics] = await Promise.all([
        c.get<ConnectorInfo>(path),
        // Right after creation Connect may not have a status yet (404).
        c.get<ConnectorStatus>(`${path}/status`).catch(error => {
          if (error instanceof ConnectRestError && error.statusCode === 404)
            return undefined;
          throw error;
        }),
        c
          .get<Record<string, { topics: string[] }>>(`${path}/topics`)
          .catch(() => undefined),
      ]);
      return {
        ...this.view(info, status),
        activeTopics: topics?.[name]?.topics?.slice().sort() ?? null,
      };
    });
  }
}

/** A Connect cluster that took the request but did not answer in time: 504. */
function connectTimeout(name: string, url: string, ms: number): Error {
  return new UpstreamTimeoutError(
    `Kafka Connect cluster "${name}" (${url}) did not answer within ${
      ms / 1000
    } s; it may be overloaded or cut off. A change may or may not have been applied: check before retrying`,
  );
}
