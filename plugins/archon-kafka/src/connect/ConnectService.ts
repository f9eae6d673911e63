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
import type { ConnectorUsageSource } from '../kafka/KafkaService';
import { ConnectRestClient, ConnectRestError } from './ConnectRestClient';
import { DEFAULT_SECRET_KEY_PATTERNS } from '@archon/plugin-archon-common';
import { maskConfig, unmaskConfig } from './maskSecrets';

interface ConnectorInfo {
  name: string;
  config: Record<string, string>;
  tasks: Array<{ connector: string; task: number }>;
  type: string;
}
interface ConnectorStatus {
  name: string;
  connector: { state: string; worker_id: string; trace?: string };
  tasks: Array<{
    id: number;
    state: string;
    worker_id: string;
    trace?: string;
  }>;
  type: string;
}
interface ValidationAnswer {
  name: string;
  error_count: number;
  configs: Array<{ value: { name: string; errors: string[] } }>;
}

export interface ConnectorView {
  name: string;
  type: string;
  state: string;
  workerId: string | null;
  trace?: string;
  tasks: Array<{ id: number; state: string; workerId: string; trace?: string }>;
  failedTasks: number;
  config: Record<string, string>;
}

const CONNECTOR_NAME = /^[^/\\]+$/;

function splitList(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map(s => s.trim())
    .filter(Boolean);
}

/** Topics a connector is configured with (sinks: `topics` / `topics.regex`; sources: common keys). */
export function configuredTopics(
  config: Record<string, string>,
  allTopics?: string[],
) {
  const topics = new Set<string>([
    ...splitList(config.topics),
    ...splitList(config.topic),
  ]);
  if (config['topics.regex'] && allTopics) {
    try {
      const re = new RegExp(`^(?:${config['topics.regex']})$`);
      for (const t of allTopics) if (re.test(t)) topics.add(t);
    } catch {
      // A regex Java accepts and JavaScript does not: ignore it here.
    }
  }
  return [...topics].sort();
}

/**
 * Kafka Connect clusters over their REST API: workers, plugins, connectors
 * (listed with `?expand=status&expand=info` in one call), lifecycle,
 * validation through Connect's own validator, active topics and offsets.
 */
export class ConnectService implements ConnectorUsageSource {
  readonly #clients = new Map<string, ConnectRestClient>();
  readonly #secretPatterns: readonly string[];

  /** `secretPatterns`: `archon.secrets.keyPatterns` (archon-common's defaults when omitted). */
  constructor(
    clusters: ConnectClusterConfig[],
    secretPatterns: readonly string[] = DEFAULT_SECRET_KEY_PATTERNS,
  ) {
    this.#secretPatterns = secretPatterns;
    for (const c of clusters)
      this.#clients.set(c.name, new ConnectRestClient(c));
  }

  clusters(): ConnectClusterConfig[] {
    return [...this.#clients.values()].map(c => c.cluster);
  }

  client(name: string): ConnectRestClient {
    const client = this.#clients.get(name);
    if (!client) {
      const known = [...this.#clients.keys()];
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
  async #call<T>(
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

  #path(name: string) {
    if (!CONNECTOR_NAME.test(name))
      throw new InputError(`invalid connector name "${name}"`);
    return `/connectors/${encodeURIComponent(name)}`;
  }

  async info(clusterName: string) {
    return this.#call(clusterName, async c => {
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
    return this.#call(clusterName, async c => {
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

  #view(
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
      config: maskConfig(info.config, this.#secretPatterns),
    };
  }

  /** All connectors with status and (masked) config in one Connect call. */
  async list(
    clusterName: string,
    options: { state?: string; filter?: string } = {},
  ) {
    return this.#call(clusterName, async c => {
      const all = await c.get<
        Record<string, { info: ConnectorInfo; status: ConnectorStatus }>
      >('/connectors?expand=status&expand=info');
      const needle = options.filter?.toLowerCase();
      const items = Object.values(all)
        .map(x => this.#view(x.info, x.status))
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
    const path = this.#path(name);
    return this.#call(clusterName, async c => {
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
        ...this.#view(info, status),
        activeTopics: topics?.[name]?.topics?.slice().sort() ?? null,
      };
    });
  }

  /** Connect's own validation; 422 naming each field with errors. */
  async validate(
    clusterName: string,
    name: string,
    config: Record<string, string>,
  ) {
    const connectorClass = config['connector.class'];
    if (!connectorClass) throw new InputError('config needs "connector.class"');
    const answer = await this.#call(clusterName, c =>
      c.put<ValidationAnswer>(
        `/connector-plugins/${encodeURIComponent(
          connectorClass,
        )}/config/validate`,
        { ...config, name },
      ),
    );
    const fields: Record<string, string[]> = {};
    for (const cfg of answer.configs) {
      if (cfg.value.errors?.length) fields[cfg.value.name] = cfg.value.errors;
    }
    return { errorCount: answer.error_count, fields };
  }

  async #validateOrThrow(
    clusterName: string,
    name: string,
    config: Record<string, string>,
  ) {
    const result = await this.validate(clusterName, name, config);
    if (result.errorCount > 0) {
      const summary = Object.entries(result.fields)
        .map(([f, errors]) => `${f}: ${errors.join('; ')}`)
        .join(' | ');
      throw new UnprocessableError(
        `connector config is invalid (${result.errorCount} error(s)): ${summary}`,
        {
          fields: result.fields,
        },
      );
    }
  }

  async create(
    clusterName: string,
    name: string,
    config: Record<string, string>,
  ) {
    this.#path(name);
    await this.#validateOrThrow(clusterName, name, config);
    await this.#call(clusterName, c =>
      c.post('/connectors', { name, config: { ...config, name } }),
    );
    return this.get(clusterName, name);
  }

  async update(
    clusterName: string,
    name: string,
    config: Record<string, string>,
  ) {
    const path = this.#path(name);
    const current = await this.#call(clusterName, c =>
      c.get<Record<string, string>>(`${path}/config`),
    );
    const merged = unmaskConfig(
      { ...config, name },
      current,
      this.#secretPatterns,
    );
    await this.#validateOrThrow(clusterName, name, merged);
    await this.#call(clusterName, c => c.put(`${path}/config`, merged));
    return this.get(clusterName, name);
  }

  async delete(clusterName: string, name: string) {
    const path = this.#path(name);
    await this.#call(clusterName, c => c.delete(path));
    return { deleted: name };
  }

  /** pause, resume or stop (stop needs Connect 3.5+). */
  async setState(
    clusterName: string,
    name: string,
    action: 'pause' | 'resume' | 'stop',
  ) {
    const path = this.#path(name);
    await this.#call(clusterName, c => c.put(`${path}/${action}`));
    return { name, requested: action };
  }

  async restart(
    clusterName: string,
    name: string,
    options: { includeTasks?: boolean; onlyFailed?: boolean },
  ) {
    const path = this.#path(name);
    const query = `includeTasks=${!!options.includeTasks}&onlyFailed=${!!options.onlyFailed}`;
    const answer = await this.#call(clusterName, c =>
      c.post<ConnectorStatus | undefined>(`${path}/restart?${query}`),
    );
    return { name, restarted: true, status: answer ?? null };
  }

  async restartTask(clusterName: string, name: string, task: number) {
    const path = this.#path(name);
    await this.#call(clusterName, c => c.post(`${path}/tasks/${task}/restart`));
    return { name, task, restarted: true };
  }

  async tasks(clusterName: string, name: string) {
    const path = this.#path(name);
    return this.#call(clusterName, async c => {
      const status = await c.get<ConnectorStatus>(`${path}/status`);
      return this.#view(
        { name, config: {}, tasks: [], type: status.type },
        status,
      ).tasks;
    });
  }

  async activeTopics(clusterName: string, name: string) {
    const path = this.#path(name);
    return this.#call(clusterName, async c => {
      const answer = await c.get<Record<string, { topics: string[] }>>(
        `${path}/topics`,
      );
      return { name, topics: (answer[name]?.topics ?? []).slice().sort() };
    });
  }

  async resetActiveTopics(clusterName: string, name: string) {
    const path = this.#path(name);
    await this.#call(clusterName, c => c.put(`${path}/topics/reset`));
    return { name, reset: true };
  }

  /** KIP-875 (Connect 3.6+): read, alter (connector must be STOPPED) or reset offsets. */
  async offsets(clusterName: string, name: string) {
    const path = this.#path(name);
    return this.#call(clusterName, c =>
      c.get<{ offsets: unknown[] }>(`${path}/offsets`),
    );
  }

  async alterOffsets(clusterName: string, name: string, offsets: unknown[]) {
    const path = this.#path(name);
    return this.#call(clusterName, c =>
      c.patch<{ message: string }>(`${path}/offsets`, { offsets }),
    );
  }

  async resetOffsets(clusterName: string, name: string) {
    const path = this.#path(name);
    return this.#call(clusterName, c =>
      c.delete<{ message: string }>(`${path}/offsets`),
    );
  }

  /**
   * Every connector of every Connect cluster with the topics it uses (active
   * topics, falling back to configured ones), for topic usage, the graph and the
   * catalog.
   */
  async topology(kafkaCluster?: string) {
    const out: Array<{
      connectCluster: string;
      kafkaCluster: string | null;
      name: string;
      type: string;
      state: string;
      connectorClass: string | null;
      topics: string[];
    }> = [];
    for (const client of this.#clients.values()) {
      const cluster = client.cluster;
      if (
        kafkaCluster &&
        cluster.kafkaCluster &&
        cluster.kafkaCluster !== kafkaCluster
      )
        continue;
      let items: ConnectorView[];
      try {
        ({ items } = await this.list(cluster.name));
      } catch {
        // One unreachable Connect cluster does not hide the others.
        continue;
      }
      const queue = [...items];
      const worker = async () => {
        for (let x = queue.shift(); x; x = queue.shift()) {
          const active = await client
            .get<Record<string, { topics: string[] }>>(
              `${this.#path(x.name)}/topics`,
            )
            .then(a => a[x.name]?.topics ?? [])
            .catch(() => [] as string[]);
          const topics = [
            ...new Set([...active, ...configuredTopics(x.config)]),
          ].sort();
          out.push({
            connectCluster: cluster.name,
            kafkaCluster: cluster.kafkaCluster ?? null,
            name: x.name,
            type: x.type,
            state: x.state,
            connectorClass: x.config['connector.class'] ?? null,
            topics,
          });
        }
      };
      await Promise.all([worker(), worker(), worker(), worker()]);
    }
    return out.sort(
      (a, b) =>
        a.connectCluster.localeCompare(b.connectCluster) ||
        a.name.localeCompare(b.name),
    );
  }

  async connectorsUsingTopic(kafkaCluster: string, topic: string) {
    const all = await this.topology(kafkaCluster);
    return all
      .filter(c => c.topics.includes(topic))
      .map(c => ({
        connectCluster: c.connectCluster,
        name: c.name,
        type: c.type,
        state: c.state,
      }));
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
