/**
 * What archon needs from a Kafka cluster, independent of the client library.
 * The only implementation is KafkajsAdapter; services depend on this
 * interface so that kafkajs stays behind one class.
 */

export interface KafkaBroker {
  id: number;
  host: string;
  port: number;
  rack: string | null;
}

export interface KafkaPartitionMetadata {
  partition: number;
  /** -1 when the partition has no leader (offline). */
  leader: number;
  replicas: number[];
  isr: number[];
  offlineReplicas: number[];
  errorCode: number;
}

export interface KafkaTopicMetadata {
  name: string;
  internal: boolean;
  partitions: KafkaPartitionMetadata[];
}

export interface KafkaClusterMetadata {
  clusterId: string | null;
  controller: number;
  brokers: KafkaBroker[];
  topics: KafkaTopicMetadata[];
}

export type KafkaConfigSource =
  | 'topic'
  | 'broker-dynamic'
  | 'cluster-dynamic'
  | 'broker-static'
  | 'default'
  | 'broker-logger'
  | 'client-metrics'
  | 'group'
  | 'unknown';

export interface KafkaConfigEntry {
  name: string;
  value: string | null;
  source: KafkaConfigSource;
  /** True when the value is set on this resource itself (an override). */
  isOverride: boolean;
  readOnly: boolean;
  sensitive: boolean;
  /** Where the value would come from without the override, most specific first. */
  synonyms: Array<{ value: string | null; source: KafkaConfigSource }>;
}

/** One partition replica's bytes in a log directory of a broker. */
export interface LogDirReplica extends TopicPartitionRef {
  broker: number;
  logDir: string;
  sizeBytes: number;
  /** A replica being moved to another directory (it holds a copy too). */
  isFuture: boolean;
}

export interface TopicPartitionRef {
  topic: string;
  partition: number;
}

export interface ListedOffset {
  offset: number;
  timestamp: number;
  errorCode: number;
}

export interface GroupListing {
  groupId: string;
  protocolType: string;
}

export interface GroupMember {
  memberId: string;
  clientId: string;
  clientHost: string;
  /** Decoded for consumer-protocol groups; undefined for others (e.g. Connect workers). */
  assignment?: Array<{ topic: string; partitions: number[] }>;
}

export interface GroupDescription {
  groupId: string;
  state: string;
  protocolType: string;
  protocol: string;
  members: GroupMember[];
  errorCode: number;
}

export interface CommittedOffset extends TopicPartitionRef {
  offset: number;
}

export interface FetchedRecord extends TopicPartitionRef {
  offset: number;
  timestamp: number;
  key: Buffer | null;
  value: Buffer | null;
  headers: Array<{ key: string; value: Buffer | null }>;
}

export interface FetchPartitionResult extends TopicPartitionRef {
  errorCode: number;
  /** A decoding problem (e.g. an unsupported compression codec). */
  error?: string;
  highWatermark: number;
  records: FetchedRecord[];
}

export interface NewTopic {
  name: string;
  partitions: number;
  replicationFactor: number;
  configs: Record<string, string>;
}

export interface ProduceRequest {
  topic: string;
  partition?: number;
  key: Buffer | null;
  value: Buffer | null;
  headers: Record<string, string>;
  /** Identical copies in one send (default 1). */
  copies?: number;
}

/** Where a produce wrote: the first record, and each partition's first offset. */
export interface ProduceResult {
  partition: number;
  offset: number;
  written: Array<{ partition: number; offset: number }>;
}

export interface KafkaAdapter {
  /** All topics in one Metadata round trip. */
  metadata(): Promise<KafkaClusterMetadata>;
  /** Earliest (-2), latest (-1) or by-timestamp offsets; one request per leader. */
  listOffsets(
    partitions: TopicPartitionRef[],
    spec: number,
    metadata?: KafkaClusterMetadata,
  ): Promise<Map<string, ListedOffset>>;
  /**
   * The topics' configuration entries; with `names`, only those entries
   * (and no synonyms): for 10,000 topics the broker answered in a third of
   * the time (kafka bench) and the answer is a fraction of the size.
   */
  describeTopicConfigs(
    topics: string[],
    names?: string[],
  ): Promise<Map<string, KafkaConfigEntry[]>>;
  describeBrokerConfigs(brokerId: number): Promise<KafkaConfigEntry[]>;
  /**
   * The replicas each broker holds on disk and their sizes (DescribeLogDirs),
   * of the given partitions (every topic when null), one request per broker;
   * a broker that failed answers its error, the others still count.
   */
  describeLogDirs(
    brokerIds: number[],
    topics: Array<{ topic: string; partitions: number[] }> | null,
  ): Promise<Map<number, { replicas: LogDirReplica[] } | { error: Error }>>;
  createTopic(topic: NewTopic, validateOnly: boolean): Promise<void>;
  deleteTopic(topic: string): Promise<void>;
  createPartitions(
    topic: string,
    count: number,
    validateOnly: boolean,
  ): Promise<void>;
  alterTopicConfigs(
    topic: string,
    changes: Array<{ name: string; op: 'set' | 'delete'; value?: string }>,
    validateOnly: boolean,
  ): Promise<void>;
  listGroups(): Promise<GroupListing[]>;
  describeGroups(groupIds: string[]): Promise<GroupDescription[]>;
  /** Committed offsets of many groups (batched where the broker allows). */
  committedOffsets(groupIds: string[]): Promise<Map<string, CommittedOffset[]>>;
  /** Commits offsets for a group with no members (admin-style, no join). */
  commitOffsets(groupId: string, offsets: CommittedOffset[]): Promise<void>;
  deleteGroup(groupId: string): Promise<void>;
  fetch(
    partitions: Array<TopicPartitionRef & { offset: number }>,
    options: { maxWaitMs: number; maxBytes: number; partitionMaxBytes: number },
    metadata: KafkaClusterMetadata,
  ): Promise<FetchPartitionResult[]>;
  produce(request: ProduceRequest): Promise<ProduceResult>;
  /** `metadata.version` as a Kafka release (e.g. `4.3-IV0`), when the protocol tells it. */
  metadataVersion(): Promise<string | undefined>;
  close(): Promise<void>;
}

export const tpKey = (topic: string, partition: number) =>
  `${topic}\u0000${partition}`;
