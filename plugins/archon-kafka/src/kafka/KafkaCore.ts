import { InputError, NotFoundError } from '@backstage/errors';
import {
  type Page,
  type PageQuery,
  pageList,
  type Staleness,
} from '@archon/plugin-archon-node';
import type { KafkaClientFactory } from './KafkaClientFactory';
import type { KafkaClusterConfig } from './KafkaClusterConfig';
import {
  type KafkaAdapter,
  type KafkaConfigEntry,
  type KafkaTopicMetadata,
  tpKey,
} from './adapter/KafkaAdapter';
import { toHttpError, withKafkaDeadline } from './errors';
import { LastAnswers } from './lastAnswers';
import { validateTopicName } from '@archon/plugin-archon-common';
import type {
  ConnectorUsageSource,
  GroupUsageSource,
  TopicGroupSource,
  TopicRateSource,
  TopicSummary,
} from './kafkaSources';
import {
  ALL_FIGURE_READS,
  type FigureRead,
  messageCounts,
  READ_FOR_SORT,
  readTopicFigures,
  type TopicFigures,
  type TopicSortField,
} from './topicFigures';
import { figuresOfReads } from './topicListFields';

const replicationFactorOf = (t: KafkaTopicMetadata) =>
  Math.max(0, ...t.partitions.map(p => p.replicas.length));
const isOffline = (p: { leader: number }) => p.leader < 0;
const isUnderReplicated = (p: { replicas: number[]; isr: number[] }) =>
  p.isr.length < p.replicas.length;

/**
 * Kafka clusters, brokers and topics. No HTTP here: callers get Backstage
 * errors (400/404/409/503) they can hand to the router as they are.
 */
export class KafkaCore {
  readonly #clients: KafkaClientFactory;
  /** The last answer per topic-list query, served marked stale while the cluster is unreachable. */
  readonly #lastListings = new LastAnswers<
    Awaited<ReturnType<KafkaCore['listTopics']>>
  >();
  #rates?: TopicRateSource;
  #topicGroups?: TopicGroupSource;
  protected connectors?: ConnectorUsageSource;
  protected groups?: GroupUsageSource;

  constructor(clients: KafkaClientFactory) {
    this.#clients = clients;
  }

  setSources(sources: {
    rates?: TopicRateSource;
    topicGroups?: TopicGroupSource;
    connectors?: ConnectorUsageSource;
    groups?: GroupUsageSource;
  }) {
    this.#rates = sources.rates ?? this.#rates;
    this.#topicGroups = sources.topicGroups ?? this.#topicGroups;
    this.connectors = sources.connectors ?? this.connectors;
    this.groups = sources.groups ?? this.groups;
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
    options: Parameters<KafkaCore['listTopics']>[1],
  ): Promise<{
    listing: Awaited<ReturnType<KafkaCore['listTopics']>>;
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
   * One Metadata round trip for all topics, then filter, sort and page, then
   * the figures of the page only: batched ListOffsets (earliest and latest),
   * DescribeLogDirs, DescribeConfigs and the latest samples. Sorting by a
   * figure reads that figure for every matching topic first (one batched
   * read, as for a page).
   */
  async listTopics(
    clusterName: string,
    options: {
      filter?: string;
      regex?: string;
      includeInternal?: boolean;
      /** The figure reads asked (the list's `fields`); all without it. */
      reads?: readonly FigureRead[];
      page: PageQuery<TopicSortField>;
    },
  ): Promise<Page<TopicSummary> & { total: number }> {
    const asked = new Set(options.reads ?? ALL_FIGURE_READS);
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
      const figures = (
        topics: KafkaTopicMetadata[],
        reads: ReadonlySet<(typeof ALL_FIGURE_READS)[number]>,
      ) =>
        readTopicFigures({
          kafka,
          meta,
          cluster: clusterName,
          topics,
          reads,
          rates: this.#rates,
          groups: this.#topicGroups,
        });
      const sortRead = READ_FOR_SORT[options.page.sort];
      const sortFigures = sortRead
        ? await figures(matching, new Set([sortRead]))
        : undefined;
      const { items: page, nextCursor } = pageList(matching, options.page, {
        id: t => t.name,
        value: (t, sort) => {
          if (sort === 'partitions') return t.partitions.length;
          if (sort === 'replicationFactor') return replicationFactorOf(t);
          if (sort === 'name') return t.name;
          return sortFigures?.get(t.name)?.[sort as keyof TopicFigures] as
            | number
            | null;
        },
      });
      // The sort figure is already read: the page shows the values it was sorted by.
      const pageReads = new Set(
        ALL_FIGURE_READS.filter(r => r !== sortRead && asked.has(r)),
      );
      const pageFigures = await figures(page, pageReads);
      const sortReads = new Set(sortRead ? [sortRead] : []);
      return {
        total: matching.length,
        ...(nextCursor && { nextCursor }),
        items: page.map(t => {
          const f = pageFigures.get(t.name)!;
          const sorted = sortFigures?.get(t.name);
          // Only the figures read: one not asked for is absent, not null.
          const { unknown: pageUnknown, ...pageValues } = figuresOfReads(
            f,
            pageReads,
          );
          const { unknown: sortUnknown, ...sortValues } = sorted
            ? figuresOfReads(sorted, sortReads)
            : { unknown: undefined };
          const unknown = { ...pageUnknown, ...sortUnknown };
          const values = { ...pageValues, ...sortValues };
          return {
            name: t.name,
            internal: t.internal,
            partitions: t.partitions.length,
            replicationFactor: replicationFactorOf(t),
            underReplicatedPartitions:
              t.partitions.filter(isUnderReplicated).length,
            offlinePartitions: t.partitions.filter(isOffline).length,
            ...values,
            ...(Object.keys(unknown).length > 0 && { unknown }),
          };
        }),
      };
    });
  }

  protected async topicMetadata(
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
      const { meta, topic: t } = await this.topicMetadata(
        kafka,
        clusterName,
        topic,
      );
      const [counts, configs] = await Promise.all([
        messageCounts(kafka, [t], meta),
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
}
