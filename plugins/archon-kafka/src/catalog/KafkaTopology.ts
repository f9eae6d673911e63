import type { ConnectService } from '../connect/ConnectService';
import type { KafkaClientFactory } from '../kafka/KafkaClientFactory';
import type {
  CommittedOffset,
  GroupDescription,
} from '../kafka/adapter/KafkaAdapter';

/**
 * Which topics each consumer group reads, per cluster, cached for a while
 * (the catalog processor asks once per annotated entity).
 */
export class KafkaTopology {
  readonly #clients: KafkaClientFactory;
  readonly #ttlMs: number;
  readonly #cache = new Map<
    string,
    { at: number; value: Promise<Map<string, string[]>> }
  >();
  readonly connect: ConnectService;

  constructor(
    clients: KafkaClientFactory,
    connect: ConnectService,
    ttlMs = 10 * 60_000,
  ) {
    this.#clients = clients;
    this.connect = connect;
    this.#ttlMs = ttlMs;
  }

  clusterNames(): string[] {
    return this.#clients.clusterNames();
  }

  /** The cluster's configuration (its deadline, brokers), when it is configured. */
  clusterConfig(cluster: string) {
    return this.#clients.getCluster(cluster);
  }

  adapter(cluster: string) {
    return this.#clients.adapter(cluster);
  }

  async groupTopics(cluster: string): Promise<Map<string, string[]>> {
    if (!this.#clients.getCluster(cluster)) return new Map();
    const hit = this.#cache.get(cluster);
    if (hit && Date.now() - hit.at < this.#ttlMs) return hit.value;
    const value = this.groupUsage(cluster).then(
      usage => new Map([...usage].map(([g, u]) => [g, u.topics])),
    );
    this.#cache.set(cluster, { at: Date.now(), value });
    value.catch(() => this.#cache.delete(cluster));
    return value;
  }

  /**
   * What every group of the cluster reads, with the evidence (uncached):
   * the partitions it committed offsets on and the partitions its members
   * are assigned, per topic, plus the group's description.
   */
  async groupUsage(cluster: string): Promise<Map<string, GroupUsage>> {
    const kafka = this.#clients.adapter(cluster);
    const listed = await kafka.listGroups();
    const groups = listed.map(g => g.groupId);
    const [committed, descriptions] = await Promise.all([
      kafka.committedOffsets(groups),
      kafka.describeGroups(groups),
    ]);
    const out = new Map<string, GroupUsage>();
    const entry = (groupId: string) => {
      let usage = out.get(groupId);
      if (!usage) {
        usage = {
          groupId,
          topics: [],
          offsets: [],
          committed: new Map(),
          assigned: new Map(),
        };
        out.set(groupId, usage);
      }
      return usage;
    };
    for (const g of listed) entry(g.groupId).protocolType = g.protocolType;
    for (const [g, offsets] of committed) {
      const usage = entry(g);
      usage.offsets = offsets;
      for (const o of offsets)
        usage.committed.set(o.topic, (usage.committed.get(o.topic) ?? 0) + 1);
    }
    for (const d of descriptions) {
      const usage = entry(d.groupId);
      usage.description = d;
      for (const m of d.members) {
        for (const a of m.assignment ?? []) {
          const seen = usage.assigned.get(a.topic) ?? {
            partitions: 0,
            members: 0,
          };
          usage.assigned.set(a.topic, {
            partitions: seen.partitions + a.partitions.length,
            members: seen.members + 1,
          });
        }
      }
    }
    for (const usage of out.values()) {
      usage.topics = [
        ...new Set([...usage.committed.keys(), ...usage.assigned.keys()]),
      ].sort();
    }
    return out;
  }
}

/** One consumer group's topics and why: committed offsets and member assignments. */
export interface GroupUsage {
  groupId: string;
  protocolType?: string;
  description?: GroupDescription;
  /** Every topic it commits to or is assigned, sorted. */
  topics: string[];
  /** Its committed offsets as read (the graph computes lag from them without reading them again). */
  offsets: CommittedOffset[];
  /** Topic → number of partitions with a committed offset. */
  committed: Map<string, number>;
  /** Topic → partitions assigned to members, and how many members hold some. */
  assigned: Map<string, { partitions: number; members: number }>;
}
