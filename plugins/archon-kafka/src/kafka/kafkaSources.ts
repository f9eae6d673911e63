import type { KafkaTopicSummary } from '@archon/plugin-archon-common';

/** Where a topic's write rate comes from (the sampler's store). */
export interface TopicRateSource {
  /** Messages per second per topic, from the two latest samples. */
  /** Messages per second per topic; only of `topics` when given. */
  topicRates(cluster: string, topics?: string[]): Promise<Map<string, number>>;
}

/** A topic's consumer groups in a lag sample: how many, and the largest lag among them. */
export interface TopicGroupStats {
  groups: number;
  maxLag: number;
  /** The largest known time lag among them (null when none is known). */
  maxTimeLagMs: number | null;
}

/** Where a topic's consumer-group count and largest lag come from (the sampler's store). */
export interface TopicGroupSource {
  /** As of the cluster's latest lag sample; undefined when there is none yet. */
  topicGroups(
    cluster: string,
    topics?: string[],
  ): Promise<
    { sampledAt: number; byTopic: Map<string, TopicGroupStats> } | undefined
  >;
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

/**
 * A row of the topic list: the API's KafkaTopicSummary, with the metadata
 * fields this service always fills. The figures are there when the list's
 * `fields` asked for them (all by default): absent means not asked, null
 * means asked and not known (with why in `unknown`).
 */
export type TopicSummary = KafkaTopicSummary &
  Required<
    Pick<
      KafkaTopicSummary,
      'internal' | 'underReplicatedPartitions' | 'offlinePartitions'
    >
  >;

/** A topic's usage (docs/glossary.md): what reads or writes it, checked before a delete. */
export interface TopicUsage {
  topic: string;
  consumerGroups: Awaited<ReturnType<GroupUsageSource['groupsUsingTopic']>>;
  connectors: Awaited<ReturnType<ConnectorUsageSource['connectorsUsingTopic']>>;
  /** Distinct client ids and hosts of the consuming groups' members: the apps. */
  clients: Array<{ clientId: string; host: string; groupId: string }>;
}
