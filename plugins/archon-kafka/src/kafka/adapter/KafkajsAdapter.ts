import { requestApiVersions } from '@archon/kafka-wire';
import {
  ConfigResourceTypes,
  type Admin,
  type Kafka,
  type Producer,
} from 'kafkajs';
import type { KafkaClusterConfig } from '../KafkaClusterConfig';
import { describeMetadataVersion } from '../metadataVersions';
import type {
  CommittedOffset,
  FetchPartitionResult,
  GroupDescription,
  GroupListing,
  KafkaAdapter,
  KafkaClusterMetadata,
  KafkaConfigEntry,
  ListedOffset,
  LogDirReplica,
  NewTopic,
  ProduceRequest,
  ProduceResult,
  TopicPartitionRef,
} from './KafkaAdapter';
import { fetchRecords } from './fetchRecords';
import * as groupOffsets from './groupOffsets';
import {
  type BrokerAccess,
  type InternalCluster,
  protocolError,
  registerZstd,
  unknownTopicPartition,
} from './kafkajsInternals';
import { describeLogDirs } from './logDirs';
import { listOffsets } from './partitionOffsets';
import { alterTopicConfigs, configEntries } from './topicConfigs';
import { waitForTopicLeaders } from './topicLeaders';
import { decodeConsumerAssignment } from './wire';

/**
 * The one class that talks to Kafka through kafkajs 2.2.4. What kafkajs does
 * well is used through its public API (admin createTopics / deleteTopics /
 * createPartitions / describeConfigs / listGroups / describeGroups /
 * deleteGroups, producer send). Where kafkajs falls short, small hand-written
 * requests (encoded in ./wire.ts, sent by ./partitionOffsets.ts,
 * ./groupOffsets.ts, ./topicConfigs.ts, ./logDirs.ts; messages read by
 * ./fetchRecords.ts) go over kafkajs' own broker connections:
 *
 * - Offsets of many topics: kafkajs' admin has only per-topic
 *   `fetchTopicOffsets` (a Metadata + ListOffsets pair per topic), and its
 *   ListOffsets parse throws for the whole batch when one partition fails.
 *   Here: ListOffsets v2 per leader for all partitions at once.
 * - Committed offsets of many groups: kafkajs sends FindCoordinator +
 *   OffsetFetch per group. Here: OffsetFetch v8 (KIP-709) with many groups
 *   per request, to the coordinator computed from the group id.
 * - Setting a group's offsets: kafkajs' `admin.setOffsets` starts a consumer
 *   that joins the group. Here: OffsetCommit v7 with generation -1, as Kafka's
 *   AdminClient does, which needs no join.
 * - Altering topic configs: kafkajs has only the legacy AlterConfigs, which
 *   replaces all of a topic's overrides with the given set. Here:
 *   IncrementalAlterConfigs v0 (KIP-339).
 * - Reading messages: kafkajs consumers must join a group. Here: Fetch to the
 *   partition leaders (kafkajs' request and record decoding, lenient parse).
 * - Metadata: kafkajs' admin tracks "target topics" and fails every later
 *   call with UNKNOWN_TOPIC_OR_PARTITION once one of them is deleted
 *   elsewhere; this adapter's own cluster object never adds target topics, so
 *   its metadata requests always ask for all topics.
 */
export class KafkajsAdapter implements KafkaAdapter {
  readonly #config: KafkaClusterConfig;
  readonly #kafka: Kafka;
  #admin?: Promise<Admin>;
  #producer?: Promise<Producer>;
  #cluster?: Promise<InternalCluster>;
  #metadataCache?: { at: number; value: Promise<KafkaClusterMetadata> };

  /** What the requests archon sends on its own use of this adapter. */
  readonly #brokers: BrokerAccess = {
    cluster: () => this.#getCluster(),
    metadata: () => this.metadata(),
    withReset: <T>(fn: () => Promise<T>) => this.#withReset(fn),
  };

  constructor(config: KafkaClusterConfig, kafka: Kafka) {
    this.#config = config;
    this.#kafka = kafka;
    registerZstd();
  }

  // ------------------------------------------------------------ connections

  #getAdmin(): Promise<Admin> {
    if (!this.#admin) {
      const admin = this.#kafka.admin();
      this.#admin = admin.connect().then(() => admin);
      this.#admin.catch(() => (this.#admin = undefined));
    }
    return this.#admin;
  }

  #getCluster(): Promise<InternalCluster> {
    if (!this.#cluster) {
      const symbol = Object.getOwnPropertySymbols(this.#kafka).find(
        s => s.description === 'private:Kafka:createCluster',
      );
      if (!symbol) {
        throw new Error(
          'kafkajs internals changed: createCluster not found (kafkajs 2.2.4 expected)',
        );
      }
      const create = (this.#kafka as any)[symbol] as (
        o: object,
      ) => InternalCluster;
      const cluster = create({
        allowAutoTopicCreation: false,
        metadataMaxAge: 60_000,
        isolationLevel: 0,
      });
      this.#cluster = cluster.connect().then(() => cluster);
      this.#cluster.catch(() => (this.#cluster = undefined));
    }
    return this.#cluster;
  }

  async #withReset<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (error) {
      const name = (error as Error).name ?? '';
      if (
        /Connection|NumberOfRetriesExceeded|BrokerNotFound|RequestTimeout/.test(
          name,
        )
      ) {
        // Drop cached clients; the next call reconnects from the seed brokers.
        this.#metadataCache = undefined;
      }
      throw error;
    }
  }

  // --------------------------------------------------------------- metadata

  async metadata(): Promise<KafkaClusterMetadata> {
    // Several calls in one request (list + offsets) share one round trip.
    const now = Date.now();
    if (this.#metadataCache && now - this.#metadataCache.at < 500) {
      return this.#metadataCache.value;
    }
    const value = this.#withReset(async () => {
      const cluster = await this.#getCluster();
      await cluster.refreshMetadata();
      const m = cluster.brokerPool.metadata;
      return {
        clusterId: m.clusterId ?? null,
        controller: m.controllerId,
        brokers: m.brokers.map((b: any) => ({
          id: b.nodeId,
          host: b.host,
          port: b.port,
          rack: b.rack ?? null,
        })),
        topics: m.topicMetadata.map((t: any) => ({
          name: t.topic,
          internal: !!t.isInternal,
          partitions: t.partitionMetadata
            .map((p: any) => ({
              partition: p.partitionId,
              leader: p.leader,
              replicas: p.replicas,
              isr: p.isr,
              offlineReplicas: p.offlineReplicas ?? [],
              errorCode: p.partitionErrorCode,
            }))
            .sort((a: any, b: any) => a.partition - b.partition),
        })),
      };
    });
    this.#metadataCache = { at: now, value };
    value.catch(() => (this.#metadataCache = undefined));
    return value;
  }

  async metadataVersion(): Promise<string | undefined> {
    if (this.#config.ssl || this.#config.sasl) return undefined;
    const [host, port] = this.#config.brokers[0].split(':');
    const versions = await requestApiVersions(host, Number(port), {
      signal: AbortSignal.timeout(5000),
    });
    const level = versions.finalizedFeatures['metadata.version'];
    return level === undefined ? undefined : describeMetadataVersion(level);
  }

  // ---------------------------------------------------------------- offsets

  listOffsets(
    partitions: TopicPartitionRef[],
    spec: number,
    metadata?: KafkaClusterMetadata,
  ): Promise<Map<string, ListedOffset>> {
    return listOffsets(this.#brokers, partitions, spec, metadata);
  }

  // ---------------------------------------------------------------- configs

  async describeTopicConfigs(
    topics: string[],
    names?: string[],
  ): Promise<Map<string, KafkaConfigEntry[]>> {
    const admin = await this.#getAdmin();
    const out = new Map<string, KafkaConfigEntry[]>();
    const answer = await this.#withReset(() =>
      admin.describeConfigs({
        includeSynonyms: !names,
        resources: topics.map(name => ({
          type: ConfigResourceTypes.TOPIC,
          name,
          ...(names && { configNames: names }),
        })),
      }),
    );
    for (const r of answer.resources) {
      if (r.errorCode) throw protocolError(r.errorCode, r.errorMessage);
      out.set(r.resourceName, configEntries(r.configEntries));
    }
    return out;
  }

  async describeBrokerConfigs(brokerId: number): Promise<KafkaConfigEntry[]> {
    const admin = await this.#getAdmin();
    const answer = await this.#withReset(() =>
      admin.describeConfigs({
        includeSynonyms: false,
        resources: [
          { type: ConfigResourceTypes.BROKER, name: String(brokerId) },
        ],
      }),
    );
    const r = answer.resources[0];
    if (r.errorCode) throw protocolError(r.errorCode, r.errorMessage);
    return configEntries(r.configEntries);
  }

  describeLogDirs(
    brokerIds: number[],
    topics: Array<{ topic: string; partitions: number[] }> | null,
  ): Promise<Map<number, { replicas: LogDirReplica[] } | { error: Error }>> {
    return describeLogDirs(this.#brokers, brokerIds, topics);
  }

  alterTopicConfigs(
    topic: string,
    changes: Array<{ name: string; op: 'set' | 'delete'; value?: string }>,
    validateOnly: boolean,
  ): Promise<void> {
    return alterTopicConfigs(this.#brokers, topic, changes, validateOnly);
  }

  // ----------------------------------------------------------------- topics

  async createTopic(topic: NewTopic, validateOnly: boolean): Promise<void> {
    const admin = await this.#getAdmin();
    this.#metadataCache = undefined;
    await this.#withReset(() =>
      admin.createTopics({
        validateOnly,
        // kafkajs' wait fails the create when the broker does not know the
        // new topic yet; waitForTopicLeaders retries that case.
        waitForLeaders: false,
        topics: [
          {
            topic: topic.name,
            numPartitions: topic.partitions,
            replicationFactor: topic.replicationFactor,
            configEntries: Object.entries(topic.configs).map(
              ([name, value]) => ({ name, value }),
            ),
          },
        ],
      }),
    );
    if (!validateOnly) {
      await waitForTopicLeaders(this.#brokers, topic.name, topic.partitions);
    }
    // A metadata read that started while the topic was being created (e.g.
    // for another topic created in parallel) must not answer for it.
    this.#metadataCache = undefined;
  }

  async deleteTopic(topic: string): Promise<void> {
    const admin = await this.#getAdmin();
    this.#metadataCache = undefined;
    await this.#withReset(() => admin.deleteTopics({ topics: [topic] }));
    this.#metadataCache = undefined;
  }

  async createPartitions(
    topic: string,
    count: number,
    validateOnly: boolean,
  ): Promise<void> {
    const admin = await this.#getAdmin();
    this.#metadataCache = undefined;
    await this.#withReset(() =>
      admin.createPartitions({
        validateOnly,
        topicPartitions: [{ topic, count }],
      }),
    );
  }

  // ----------------------------------------------------------------- groups

  async listGroups(): Promise<GroupListing[]> {
    const admin = await this.#getAdmin();
    const { groups } = await this.#withReset(() => admin.listGroups());
    return groups.map(g => ({
      groupId: g.groupId,
      protocolType: g.protocolType,
    }));
  }

  async describeGroups(groupIds: string[]): Promise<GroupDescription[]> {
    if (groupIds.length === 0) return [];
    const admin = await this.#getAdmin();
    const { groups } = await this.#withReset(() =>
      admin.describeGroups(groupIds),
    );
    return groups.map(g => ({
      groupId: g.groupId,
      state: g.state,
      protocolType: g.protocolType,
      protocol: g.protocol,
      errorCode: (g as { errorCode?: number }).errorCode ?? 0,
      members: g.members.map(m => ({
        memberId: m.memberId,
        clientId: m.clientId,
        clientHost: m.clientHost,
        assignment:
          g.protocolType === 'consumer'
            ? decodeConsumerAssignment(m.memberAssignment as Buffer)
            : undefined,
      })),
    }));
  }

  committedOffsets(
    groupIds: string[],
  ): Promise<Map<string, CommittedOffset[]>> {
    return groupOffsets.committedOffsets(this.#brokers, groupIds);
  }

  commitOffsets(groupId: string, offsets: CommittedOffset[]): Promise<void> {
    return groupOffsets.commitOffsets(this.#brokers, groupId, offsets);
  }

  async deleteGroup(groupId: string): Promise<void> {
    const admin = await this.#getAdmin();
    await this.#withReset(() => admin.deleteGroups([groupId]));
  }

  // --------------------------------------------------------------- messages

  fetch(
    partitions: Array<TopicPartitionRef & { offset: number }>,
    options: { maxWaitMs: number; maxBytes: number; partitionMaxBytes: number },
    metadata: KafkaClusterMetadata,
  ): Promise<FetchPartitionResult[]> {
    return fetchRecords(this.#brokers, partitions, options, metadata);
  }

  async produce(request: ProduceRequest): Promise<ProduceResult> {
    try {
      return await this.#produceOnce(request);
    } catch (error) {
      if (!unknownTopicPartition(error)) throw error;
      // kafkajs asks for the metadata of every topic its producer ever wrote
      // to; once one of them is deleted each refresh fails with this error
      // and the producer never recovers, for any topic. A new producer knows
      // only this topic (nothing was written: the send stopped at metadata).
      const stale = this.#producer;
      this.#producer = undefined;
      await stale?.then(p => p.disconnect()).catch(() => undefined);
      return await this.#produceOnce(request);
    }
  }

  async #produceOnce(request: ProduceRequest): Promise<ProduceResult> {
    if (!this.#producer) {
      const producer = this.#kafka.producer({ allowAutoTopicCreation: false });
      this.#producer = producer.connect().then(() => producer);
      this.#producer.catch(() => (this.#producer = undefined));
    }
    const producer = await this.#producer;
    const message = {
      key: request.key,
      value: request.value,
      headers: request.headers,
      partition: request.partition,
    };
    // One send: the copies of a partition go in one batch, written or refused together.
    const metas = await this.#withReset(() =>
      producer.send({
        topic: request.topic,
        acks: -1,
        messages: Array.from({ length: request.copies ?? 1 }, () => message),
      }),
    );
    const written = metas
      .map(meta => ({
        partition: meta.partition,
        offset: Number(meta.baseOffset ?? meta.offset),
      }))
      .sort((a, b) => a.partition - b.partition);
    return { ...written[0], written };
  }

  async close(): Promise<void> {
    const all: Array<Promise<unknown>> = [];
    if (this.#admin) all.push(this.#admin.then(a => a.disconnect()));
    if (this.#producer) all.push(this.#producer.then(p => p.disconnect()));
    if (this.#cluster) all.push(this.#cluster.then(c => c.disconnect()));
    this.#admin = this.#producer = this.#cluster = undefined;
    await Promise.allSettled(all);
  }
}
