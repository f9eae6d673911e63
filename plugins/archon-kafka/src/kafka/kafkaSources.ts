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
 * A row of the topic list. The figures (messages onwards) are there when the
 * list's `fields` asked for them (all by default): absent means not asked,
 * null means asked and not known (with why in `unknown`).
 */
export interface TopicSummary {
  name: string;
  internal: boolean;
  partitions: number;
  replicationFactor: number;
  underReplicatedPartitions: number;
  offlinePartitions: number;
  messages?: number | null;
  writeRate?: number | null;
  sizeBytes?: number | null;
  retentionMs?: number | null;
  retentionBytes?: number | null;
  consumerGroups?: number | null;
  maxLag?: number | null;
  maxTimeLagMs?: number | null;
  /** The figures that could not be read, by field, with why. */
  unknown?: Record<string, string>;
}

/** A topic's usage (docs/glossary.md): what reads or writes it, checked before a delete. */
export interface TopicUsage {
  topic: string;
  consumerGroups: Awaited<ReturnType<GroupUsageSource['groupsUsingTopic']>>;
  connectors: Awaited<ReturnType<ConnectorUsageSource['connectorsUsingTopic']>>;
  /** Distinct client ids and hosts of the consuming groups' members: the apps. */
  clients: Array<{ clientId: string; host: string; groupId: string }>;
}
