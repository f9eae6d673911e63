import { InputError } from '@backstage/errors';
import { UnprocessableError } from '@archon/plugin-archon-node';
import type { ConnectConnectorOffsets } from '@archon/plugin-archon-common';
import type { ConnectorUsageSource } from '../kafka/KafkaService';
import { unmaskConfig } from './maskSecrets';
import {
  type ConnectorStatus,
  type ConnectorView,
  type ValidationAnswer,
  configuredTopics,
} from './connectorViews';
import { ConnectCore } from './ConnectCore';
import { mirrorSpecOf } from '../graph/mirrorTopics';

export { type ConnectorView, configuredTopics } from './connectorViews';

/**
 * Kafka Connect clusters over their REST API: workers, plugins, connectors
 * (listed with `?expand=status&expand=info` in one call), lifecycle,
 * validation through Connect's own validator, active topics and offsets.
 */
export class ConnectService
  extends ConnectCore
  implements ConnectorUsageSource
{
  /** Connect's own validation; 422 naming each field with errors. */
  async validate(
    clusterName: string,
    name: string,
    config: Record<string, string>,
  ) {
    const connectorClass = config['connector.class'];
    if (!connectorClass) throw new InputError('config needs "connector.class"');
    const answer = await this.call(clusterName, c =>
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
    this.path(name);
    await this.#validateOrThrow(clusterName, name, config);
    await this.call(clusterName, c =>
      c.post('/connectors', { name, config: { ...config, name } }),
    );
    return this.get(clusterName, name);
  }

  async update(
    clusterName: string,
    name: string,
    config: Record<string, string>,
  ) {
    const path = this.path(name);
    const current = await this.call(clusterName, c =>
      c.get<Record<string, string>>(`${path}/config`),
    );
    const merged = unmaskConfig(
      { ...config, name },
      current,
      this.secretPatterns,
    );
    await this.#validateOrThrow(clusterName, name, merged);
    await this.call(clusterName, c => c.put(`${path}/config`, merged));
    return this.get(clusterName, name);
  }

  async delete(clusterName: string, name: string) {
    const path = this.path(name);
    await this.call(clusterName, c => c.delete(path));
    return { deleted: name };
  }

  /** pause, resume or stop (stop needs Connect 3.5+). */
  async setState(
    clusterName: string,
    name: string,
    action: 'pause' | 'resume' | 'stop',
  ) {
    const path = this.path(name);
    await this.call(clusterName, c => c.put(`${path}/${action}`));
    return { name, requested: action };
  }

  async restart(
    clusterName: string,
    name: string,
    options: { includeTasks?: boolean; onlyFailed?: boolean },
  ) {
    const path = this.path(name);
    const query = `includeTasks=${!!options.includeTasks}&onlyFailed=${!!options.onlyFailed}`;
    const answer = await this.call(clusterName, c =>
      c.post<ConnectorStatus | undefined>(`${path}/restart?${query}`),
    );
    // Connect answers 204 once it has restarted the connector itself, and 202
    // with the status when it only accepted a restart of several instances.
    return { name, restarted: answer === undefined, status: answer ?? null };
  }

  async restartTask(clusterName: string, name: string, task: number) {
    const path = this.path(name);
    await this.call(clusterName, c => c.post(`${path}/tasks/${task}/restart`));
    return { name, task, restarted: true };
  }

  async tasks(clusterName: string, name: string) {
    const path = this.path(name);
    return this.call(clusterName, async c => {
      const status = await c.get<ConnectorStatus>(`${path}/status`);
      return this.view(
        { name, config: {}, tasks: [], type: status.type },
        status,
      ).tasks;
    });
  }

  async activeTopics(clusterName: string, name: string) {
    const path = this.path(name);
    return this.call(clusterName, async c => {
      const answer = await c.get<Record<string, { topics: string[] }>>(
        `${path}/topics`,
      );
      return { name, topics: (answer[name]?.topics ?? []).slice().sort() };
    });
  }

  /**
   * Active topics of each connector, four requests at a time (Connect has no
   * call for all). It takes at most the cluster's request timeout in all, so
   * a list or graph read that asks for many connectors stays within one
   * request's deadline; a connector Connect did not answer for in that time
   * (or at all) has none in the map.
   */
  async activeTopicsOf(clusterName: string, names: string[]) {
    const budgetMs = this.client(clusterName).cluster.requestTimeoutMs;
    const stopAt = Date.now() + budgetMs;
    const out = new Map<string, string[]>();
    const queue = [...names];
    const worker = async () => {
      for (
        let name = queue.shift();
        name !== undefined && Date.now() < stopAt;
        name = queue.shift()
      ) {
        const answer = await this.activeTopics(clusterName, name).catch(
          () => undefined,
        );
        if (answer && Date.now() < stopAt) out.set(name, answer.topics);
      }
    };
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      Promise.all([worker(), worker(), worker(), worker()]),
      new Promise(resolve => {
        timer = setTimeout(resolve, budgetMs);
      }),
    ]);
    clearTimeout(timer);
    // A copy: answers arriving after the budget do not change it.
    return new Map(out);
  }

  async resetActiveTopics(clusterName: string, name: string) {
    const path = this.path(name);
    // Connect accepts (202) and empties the set asynchronously.
    await this.call(clusterName, c => c.put(`${path}/topics/reset`));
    return { name, requested: 'topics-reset' as const };
  }

  /** KIP-875 (Connect 3.6+): read, alter (connector must be STOPPED) or reset offsets. */
  async offsets(clusterName: string, name: string) {
    const path = this.path(name);
    return this.call(clusterName, c =>
      c.get<ConnectConnectorOffsets>(`${path}/offsets`),
    );
  }

  async alterOffsets(clusterName: string, name: string, offsets: unknown[]) {
    const path = this.path(name);
    return this.call(clusterName, c =>
      c.patch<{ message: string }>(`${path}/offsets`, { offsets }),
    );
  }

  async resetOffsets(clusterName: string, name: string) {
    const path = this.path(name);
    return this.call(clusterName, c =>
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
    for (const client of this.clients.values()) {
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
              `${this.path(x.name)}/topics`,
            )
            .then(a => a[x.name]?.topics ?? [])
            .catch(() => [] as string[]);
          // A MirrorMaker source's `topics` are the source cluster's, not
          // this one's: here it has only what it writes (its active topics).
          const configured = mirrorSpecOf(x.config)
            ? []
            : configuredTopics(x.config);
          const topics = [...new Set([...active, ...configured])].sort();
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
