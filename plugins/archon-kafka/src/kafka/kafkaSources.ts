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
