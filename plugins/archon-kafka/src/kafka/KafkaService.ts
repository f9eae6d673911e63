import { ConflictError, InputError, NotFoundError } from '@backstage/errors';
import {
  type Page,
  type PageQuery,
  pageList,
  type Staleness,
  UnprocessableError,
} from '@archon/plugin-archon-node';
import type { KafkaClientFactory } from './KafkaClientFactory';
import type { KafkaClusterConfig } from './KafkaClusterConfig';
import {
  type KafkaAdapter,
  type KafkaClusterMetadata,
  type KafkaConfigEntry,
  type KafkaTopicMetadata,
  tpKey,
} from './adapter/KafkaAdapter';
import { EARLIEST, LATEST } from './adapter/wire';
import { toHttpError, withKafkaDeadline } from './errors';
import { LastAnswers } from './lastAnswers';
import { validateTopicName } from '@archon/plugin-archon-common';
import { collidingTopic } from './topicNames';

/** Where a topic's write rate comes from (the sampler's store). */
export interface TopicRateSource {
  /** Messages per second per topic, from the two latest samples. */
  /** Messages per second per topic; only of `topics` when given. */
  topicRates(cluster: string, topics?: string[]): Promise<Map<string, number>>;
}

/** Connectors that read or write a topic (from the Connect clusters writing to this Kafka cluster). */
export interface ConnectorUsageSource {
  connectorsUsingTopic(
    kafkaCluster: string,
    topic: string,
  ): Promise<
    Array<{ connectCluster: string; name: string; type: string; state: string }>
  >;
}

/** Consumer groups that use a topic: part of its usage. */
export interface GroupUsageSource {
  groupsUsingTopic(
    cluster: string,
    topic: string,
  ): Promise<
    Array<{
      groupId: string;
      state: string;
      lag: number | null;
      members: Array<{ clientId: string; host: string }>;
    }>
  >;
}

export interface TopicSummary {
  name: string;
  internal: boolean;
  partitions: number;
  replicationFactor: number;
  messages: number | null;
  writeRate: number | null;
  underReplicatedPartitions: number;
  offlinePartitions: number;
}

/** A topic's usage (docs/glossary.md): what reads or writes it, checked before a delete. */
export interface TopicUsage {
  topic: string;
  consumerGroups: Awaited<ReturnType<GroupUsageSource['groupsUsingTopic']>>;
  connectors: Awaited<ReturnType<ConnectorUsageSource['connectorsUsingTopic']>>;
  /** Distinct client ids and hosts of the consuming groups' members: the apps. */
  clients: Array<{ clientId: string; host: string; groupId: string }>;
}

const replicationFactorOf = (t: KafkaTopicMetadata) =>
  Math.max(0, ...t.partitions.map(p => p.replicas.length));
const isOffline = (p: { leader: number }) => p.leader < 0;
const isUnderReplicated = (p: { replicas: number[]; isr: number[] }) =>
  p.isr.length < p.replicas.length;

/**
 * Kafka clusters, brokers and topics. No HTTP here: callers get Backstage
 * errors (400/404/409/503) they can hand to the router as they are.
 */
export class KafkaService {
  readonly #clients: KafkaClientFactory;
  /** The last answer per topic-list query, served marked stale while the cluster is unreachable. */
  readonly #lastListings = new LastAnswers<
    Awaited<ReturnType<KafkaService['listTopics']>>
  >();
  #rates?: TopicRateSource;
  #connectors?: ConnectorUsageSource;
  #groups?: GroupUsageSource;

  constructor(clients: KafkaClientFactory) {
    this.#clients = clients;
  }

  setSources(sources: {
    rates?: TopicRateSource;
    connectors?: ConnectorUsageSource;
    groups?: GroupUsageSource;
  }) {
    this.#rates = sources.rates ?? this.#rates;
    this.#connectors = sources.connectors ?? this.#connectors;
    this.#groups = sources.groups ?? this.#groups;
  }

  clusters(): KafkaClusterConfig[] {
    return this.#clients.clusterNames().map(n => this.#clients.getCluster(n)!);
  }

  /** The cluster's config, or a 400 naming the configured ones. */
  cluster(name: string): KafkaClusterConfig {
    const cluster = this.#clients.getCluster(name);
    if (!cluster) {
      const known = this.#clients.clusterNames();
      throw new InputError(
        `unknown Kafka cluster "${name}"; configured: ${
          known.length ? known.join(', ') : 'none'
        }`,
      );
    }
    return cluster;
  }

  /**
   * Runs fn with the cluster's adapter under the cluster's deadline
   * (`requestTimeoutMs`, plus `extraMs` for calls that wait on purpose, like
   * a message read) and maps client errors to HTTP errors.
   */
  async call<T>(
    clusterName: string,
    fn: (kafka: KafkaAdapter) => Promise<T>,
    options: { extraMs?: number } = {},
  ): Promise<T> {
    const cluster = this.cluster(clusterName);
    try {
      return await withKafkaDeadline(
        fn(this.#clients.adapter(clusterName)),
        cluster,
        cluster.requestTimeoutMs + (options.extraMs ?? 0),
      );
    } catch (error) {
      throw toHttpError(error, cluster);
    }
  }

  async overview(clusterName: string) {
    return this.call(clusterName, async kafka => {
      const meta = await kafka.metadata();
      const metadataVersion = await kafka
        .metadataVersion()
        .catch(() => undefined);
      const partitions = meta.topics.flatMap(t => t.partitions);
      return {
        name: clusterName,
        clusterId: meta.clusterId,
        controller: meta.controller,
        version: metadataVersion?.split('-')[0] ?? null,
        metadataVersion: metadataVersion ?? null,
        brokers: [...meta.brokers].sort((a, b) => a.id - b.id),
        topicCount: meta.topics.length,
        partitionCount: partitions.length,
        underReplicatedPartitions: partitions.filter(isUnderReplicated).length,
        offlinePartitions: partitions.filter(isOffline).length,
      };
    });
  }

  async brokerConfigs(clusterName: string, brokerId: number) {
    return this.call(clusterName, async kafka => {
      const meta = await kafka.metadata();
      if (!meta.brokers.some(b => b.id === brokerId)) {
        throw new NotFoundError(
          `broker ${brokerId} is not in cluster "${clusterName}"`,
        );
      }
      return kafka.describeBrokerConfigs(brokerId);
    });
  }

  /**
   * {@link KafkaService.listTopics}, falling back to the last listing that
   * answered for the same query when the cluster is unreachable or too slow
   * (503/504): the caller gets that with its staleness (when it was taken)
   * to mark the answer stale. Without such a listing the error stands.
   */
  async listTopicsOrLast(
    clusterName: string,
    options: Parameters<KafkaService['listTopics']>[1],
  ): Promise<{
    listing: Awaited<ReturnType<KafkaService['listTopics']>>;
    staleness?: Staleness;
  }> {
    const { answer, staleness } = await this.#lastListings.answer(
      `${clusterName}\n${JSON.stringify(options)}`,
      () => this.systemName(clusterName),
      () => this.listTopics(clusterName, options),
    );
    return { listing: answer, staleness };
  }

  /** The cluster as messages name it: `Kafka cluster "local" (127.0.0.1:9092)`. */
  systemName(clusterName: string): string {
    const cluster = this.cluster(clusterName);
    return `Kafka cluster "${cluster.name}" (${cluster.brokers.join(', ')})`;
  }

  /**
   * One Metadata round trip for all topics, then filter and page, then one
   * batched ListOffsets per leader (earliest and latest) for the page only.
   */
  async listTopics(
    clusterName: string,
    options: {
      filter?: string;
      regex?: string;
      includeInternal?: boolean;
      /** The page, by name (the only sort that is cheap: message counts are read for the page only). */
      page: PageQuery<'name'>;
    },
  ): Promise<Page<TopicSummary> & { total: number }> {
    let regex: RegExp | undefined;
    if (options.regex) {
      try {
        regex = new RegExp(options.regex);
      } catch (error) {
        throw new InputError(
          `regex is not a valid regular expression: ${
            (error as Error).message
          }`,
        );
      }
    }
    return this.call(clusterName, async kafka => {
      const meta = await kafka.metadata();
      const needle = options.filter?.toLowerCase();
      const matching = meta.topics
        .filter(t => options.includeInternal || !t.internal)
        .filter(t => !needle || t.name.toLowerCase().includes(needle))
        .filter(t => !regex || regex.test(t.name));
      const { items: page, nextCursor } = pageList(matching, options.page, {
        id: t => t.name,
      });
      const counts = await this.#messageCounts(kafka, page, meta);
      const rates = this.#rates
        ? await this.#rates
            .topicRates(
              clusterName,
              page.map(t => t.name),
            )
            .catch(() => undefined)
        : undefined;
      return {
        total: matching.length,
        ...(nextCursor && { nextCursor }),
        items: page.map(t => ({
          name: t.name,
          internal: t.internal,
          partitions: t.partitions.length,
          replicationFactor: replicationFactorOf(t),
          messages: counts.get(t.name) ?? null,
          writeRate: rates?.get(t.name) ?? null,
          underReplicatedPartitions:
            t.partitions.filter(isUnderReplicated).length,
          offlinePartitions: t.partitions.filter(isOffline).length,
        })),
      };
    });
  }

  async #messageCounts(
    kafka: KafkaAdapter,
    topics: KafkaTopicMetadata[],
    meta: KafkaClusterMetadata,
  ) {
    const tps = topics.flatMap(t =>
      t.partitions.map(p => ({ topic: t.name, partition: p.partition })),
    );
    const [start, end] = await Promise.all([
      kafka.listOffsets(tps, EARLIEST, meta),
      kafka.listOffsets(tps, LATEST, meta),
    ]);
    const counts = new Map<string, number | null>();
    for (const t of topics) {
      let sum: number | null = 0;
      for (const p of t.partitions) {
        const s = start.get(tpKey(t.name, p.partition));
        const e = end.get(tpKey(t.name, p.partition));
        if (!s || !e || s.errorCode || e.errorCode) {
          sum = null;
          break;
        }
        sum += Math.max(0, e.offset - s.offset);
      }
      counts.set(t.name, sum);
    }
    return { get: (name: string) => counts.get(name) ?? null, start, end };
  }

  async #topicMetadata(
    kafka: KafkaAdapter,
    clusterName: string,
    topic: string,
  ) {
    const meta = await kafka.metadata();
    const t = meta.topics.find(x => x.name === topic);
    if (!t)
      throw new NotFoundError(
        `topic "${topic}" does not exist in Kafka cluster "${clusterName}"`,
      );
    return { meta, topic: t };
  }

  async describeTopic(clusterName: string, topic: string) {
    validateTopicName(topic);
    return this.call(clusterName, async kafka => {
      const { meta, topic: t } = await this.#topicMetadata(
        kafka,
        clusterName,
        topic,
      );
      const [counts, configs] = await Promise.all([
        this.#messageCounts(kafka, [t], meta),
        kafka.describeTopicConfigs([topic]),
      ]);
      const rates = this.#rates
        ? await this.#rates
            .topicRates(clusterName, [t.name])
            .catch(() => undefined)
        : undefined;
      return {
        name: t.name,
        internal: t.internal,
        replicationFactor: replicationFactorOf(t),
        messages: counts.get(t.name),
        writeRate: rates?.get(t.name) ?? null,
        partitions: t.partitions.map(p => {
          const s = counts.start.get(tpKey(t.name, p.partition));
          const e = counts.end.get(tpKey(t.name, p.partition));
          const startOffset = s && !s.errorCode ? s.offset : null;
          const endOffset = e && !e.errorCode ? e.offset : null;
          return {
            partition: p.partition,
            leader: p.leader >= 0 ? p.leader : null,
            replicas: p.replicas,
            isr: p.isr,
            offlineReplicas: p.offlineReplicas,
            underReplicated: isUnderReplicated(p),
            startOffset,
            endOffset,
            messages:
              startOffset !== null && endOffset !== null
                ? endOffset - startOffset
                : null,
          };
        }),
        configs: configs.get(topic) ?? ([] as KafkaConfigEntry[]),
      };
    });
  }

  async createTopic(
    clusterName: string,
    spec: {
      name: string;
      partitions: number;
      replicationFactor: number;
      configs?: Record<string, string>;
      validateOnly?: boolean;
    },
  ) {
    validateTopicName(spec.name);
    if (!Number.isInteger(spec.partitions) || spec.partitions < 1) {
      throw new InputError(
        `partitions must be an integer of at least 1, got ${spec.partitions}`,
      );
    }
    if (
      !Number.isInteger(spec.replicationFactor) ||
      spec.replicationFactor < 1
    ) {
      throw new InputError(
        `replicationFactor must be an integer of at least 1, got ${spec.replicationFactor}`,
      );
    }
    return this.call(clusterName, async kafka => {
      const meta = await kafka.metadata();
      if (spec.replicationFactor > meta.brokers.length) {
        throw new InputError(
          `replicationFactor ${spec.replicationFactor} is larger than the number of brokers (${meta.brokers.length}) in Kafka cluster "${clusterName}"`,
        );
      }
      if (meta.topics.some(t => t.name === spec.name)) {
        throw new ConflictError(
          `topic "${spec.name}" already exists in Kafka cluster "${clusterName}"`,
        );
      }
      const collision = collidingTopic(
        spec.name,
        meta.topics.map(t => t.name),
      );
      if (collision) {
        throw new InputError(
          `topic name "${spec.name}" collides with the existing topic "${collision}" ('.' and '_' are treated as the same)`,
        );
      }
      const topicSpec = {
        name: spec.name,
        partitions: spec.partitions,
        replicationFactor: spec.replicationFactor,
        configs: spec.configs ?? {},
      };
      try {
        await kafka.createTopic(topicSpec, !!spec.validateOnly);
      } catch (error) {
        const type = (error as { errors?: Array<{ type?: string }> })
          .errors?.[0]?.type;
        if (type !== 'INVALID_CONFIG') throw error;
        // kafkajs drops the broker's error message ("Configuration is invalid"
        // is all it says); find the offending configs with validate-only tries.
        const bad: string[] = [];
        for (const [name, value] of Object.entries(topicSpec.configs)) {
          try {
            await kafka.createTopic(
              { ...topicSpec, configs: { [name]: value } },
              true,
            );
          } catch {
            bad.push(`${name}=${value}`);
          }
        }
        throw new InputError(
          `invalid topic config${bad.length === 1 ? '' : 's'}: ${
            bad.join(', ') || Object.keys(topicSpec.configs).join(', ')
          } (unknown name or bad value)`,
        );
      }
      if (spec.validateOnly) {
        return { name: spec.name, validateOnly: true as const };
      }
      return { name: spec.name, validateOnly: false as const };
    });
  }

  /** Changes only the named configs (set or reset to default); returns the new configs. */
  async alterTopicConfigs(
    clusterName: string,
    topic: string,
    change: {
      set?: Record<string, string>;
      reset?: string[];
      validateOnly?: boolean;
    },
  ) {
    validateTopicName(topic);
    const changes = [
      ...Object.entries(change.set ?? {}).map(([name, value]) => ({
        name,
        op: 'set' as const,
        value,
      })),
      ...(change.reset ?? []).map(name => ({ name, op: 'delete' as const })),
    ];
    if (changes.length === 0)
      throw new InputError('nothing to change: give "set" and/or "reset"');
    const both = Object.keys(change.set ?? {}).filter(k =>
      change.reset?.includes(k),
    );
    if (both.length)
      throw new InputError(`configs both set and reset: ${both.join(', ')}`);
    return this.call(clusterName, async kafka => {
      await this.#topicMetadata(kafka, clusterName, topic);
      await kafka.alterTopicConfigs(topic, changes, !!change.validateOnly);
      const configs = await kafka.describeTopicConfigs([topic]);
      return {
        topic,
        validateOnly: !!change.validateOnly,
        configs: configs.get(topic) ?? [],
      };
    });
  }

  /** Consumer groups, connectors and client apps that use the topic. */
  async usage(clusterName: string, topic: string): Promise<TopicUsage> {
    validateTopicName(topic);
    await this.call(clusterName, kafka =>
      this.#topicMetadata(kafka, clusterName, topic),
    );
    const [groups, connectors] = await Promise.all([
      this.#groups?.groupsUsingTopic(clusterName, topic) ?? [],
      this.#connectors
        ?.connectorsUsingTopic(clusterName, topic)
        .catch(() => []) ?? [],
    ]);
    const clients = new Map<
      string,
      { clientId: string; host: string; groupId: string }
    >();
    for (const g of groups) {
      for (const m of g.members) {
        clients.set(`${m.clientId}\u0000${m.host}\u0000${g.groupId}`, {
          ...m,
          groupId: g.groupId,
        });
      }
    }
    return {
      topic,
      consumerGroups: groups,
      connectors,
      clients: [...clients.values()],
    };
  }

  /** Deletes the topic once `confirm` repeats its name; otherwise 422 with its usage. */
  async deleteTopic(
    clusterName: string,
    topic: string,
    confirm: string | undefined,
  ) {
    validateTopicName(topic);
    const usage = await this.usage(clusterName, topic);
    if (confirm !== topic) {
      throw new UnprocessableError(
        `deleting topic "${topic}" needs confirm="${topic}"; review its usage first`,
        { requiredConfirmation: topic, usage },
      );
    }
    const described = await this.describeTopic(clusterName, topic);
    await this.call(clusterName, kafka => kafka.deleteTopic(topic));
    // What was lost, for the audit entry.
    const before = {
      partitions: described.partitions.length,
      replicationFactor: described.replicationFactor,
      messages: described.messages ?? null,
      configOverrides: described.configs.filter(c => c.isOverride).length,
      consumerGroups: usage.consumerGroups.map(g => g.groupId),
      connectors: usage.connectors.map(c => `${c.connectCluster}/${c.name}`),
    };
    return { deleted: topic, usage, before };
  }

  /**
   * Raises the partition count. Changes which partition each key maps to,
   * so it needs `confirm` = the topic name unless it is a dry run.
   */
  async addPartitions(
    clusterName: string,
    topic: string,
    request: { count: number; confirm?: string; dryRun?: boolean },
  ) {
    validateTopicName(topic);
    const current = await this.call(
      clusterName,
      async kafka =>
        (
          await this.#topicMetadata(kafka, clusterName, topic)
        ).topic.partitions.length,
    );
    if (!Number.isInteger(request.count) || request.count <= current) {
      throw new InputError(
        `count must be larger than the current partition count (${current}), got ${request.count}; Kafka cannot remove partitions`,
      );
    }
    const usage = await this.usage(clusterName, topic);
    if (request.dryRun) {
      await this.call(clusterName, kafka =>
        kafka.createPartitions(topic, request.count, true),
      );
      return { topic, from: current, to: request.count, dryRun: true, usage };
    }
    if (request.confirm !== topic) {
      throw new UnprocessableError(
        `adding partitions to "${topic}" changes the key-to-partition mapping; it needs confirm="${topic}"`,
        { requiredConfirmation: topic, usage },
      );
    }
    await this.call(clusterName, kafka =>
      kafka.createPartitions(topic, request.count, false),
    );
    return { topic, from: current, to: request.count, dryRun: false, usage };
  }
}
