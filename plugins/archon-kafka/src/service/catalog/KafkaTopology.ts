import type { ConnectService } from '../connect/ConnectService';
import type { KafkaClientFactory } from '../kafka/KafkaClientFactory';

/**
 * Which topics each consumer group reads, per cluster, cached for a while
 * (the catalog processor asks once per annotated entity).
 */
export class KafkaTopology {
  readonly #clients: KafkaClientFactory;
  readonly #ttlMs: number;
  readonly #cache = new Map<string, { at: number; value: Promise<Map<string, string[]>> }>();
  readonly connect: ConnectService;

  constructor(clients: KafkaClientFactory, connect: ConnectService, ttlMs = 10 * 60_000) {
    this.#clients = clients;
    this.connect = connect;
    this.#ttlMs = ttlMs;
  }

  clusterNames(): string[] {
    return this.#clients.clusterNames();
  }

  adapter(cluster: string) {
    return this.#clients.adapter(cluster);
  }

  async groupTopics(cluster: string): Promise<Map<string, string[]>> {
    if (!this.#clients.getCluster(cluster)) return new Map();
    const hit = this.#cache.get(cluster);
    if (hit && Date.now() - hit.at < this.#ttlMs) return hit.value;
    const value = (async () => {
      const kafka = this.#clients.adapter(cluster);
      const groups = (await kafka.listGroups()).map(g => g.groupId);
      const [committed, descriptions] = await Promise.all([
        kafka.committedOffsets(groups),
        kafka.describeGroups(groups),
      ]);
      const out = new Map<string, Set<string>>();
      for (const [g, offsets] of committed) out.set(g, new Set(offsets.map(o => o.topic)));
      for (const d of descriptions) {
        const set = out.get(d.groupId) ?? new Set<string>();
        for (const m of d.members) for (const a of m.assignment ?? []) set.add(a.topic);
        out.set(d.groupId, set);
      }
      return new Map([...out].map(([g, set]) => [g, [...set].sort()]));
    })();
    this.#cache.set(cluster, { at: Date.now(), value });
    value.catch(() => this.#cache.delete(cluster));
    return value;
  }
}
