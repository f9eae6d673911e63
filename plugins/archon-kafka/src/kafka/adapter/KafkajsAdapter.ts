import zlib from 'node:zlib';
import { requestApiVersions } from '@archon/kafka-wire';
import {
  CompressionCodecs,
  CompressionTypes,
  ConfigResourceTypes,
  type Admin,
  type ConfigEntries,
  type Kafka,
  type Producer,
} from 'kafkajs';
import type { KafkaClusterConfig } from '../KafkaClusterConfig';
import { describeMetadataVersion } from '../metadataVersions';
import {
  type CommittedOffset,
  type FetchPartitionResult,
  type GroupDescription,
  type GroupListing,
  type KafkaAdapter,
  type KafkaClusterMetadata,
  type KafkaConfigEntry,
  type KafkaConfigSource,
  type ListedOffset,
  type LogDirReplica,
  type NewTopic,
  type ProduceRequest,
  type ProduceResult,
  type TopicPartitionRef,
  tpKey,
} from './KafkaAdapter';
import {
  API_KEYS,
  decodeConsumerAssignment,
  decodeDescribeLogDirsV1,
  decodeIncrementalAlterConfigsV0,
  decodeListOffsetsV2,
  decodeOffsetCommitV7,
  decodeOffsetFetchV8,
  encodeDescribeLogDirsV1,
  encodeIncrementalAlterConfigsV0,
  encodeListOffsetsV2,
  encodeOffsetCommitV7,
  encodeOffsetFetchV8,
} from './wire';

/* eslint-disable @typescript-eslint/no-require-imports */
// kafkajs internals used on purpose (pinned kafkajs 2.2.4, unmaintained since
// 2023): its broker connections (TLS, SASL, ApiVersions negotiation), its
// request/response classes and its error table. See the class comment.
const KafkajsEncoder = require('kafkajs/src/protocol/encoder');
const kafkajsRequests = require('kafkajs/src/protocol/requests').requests;
const kafkajsApiKeys = require('kafkajs/src/protocol/requests/apiKeys');
const { createErrorFromCode } = require('kafkajs/src/protocol/error');
/* eslint-enable @typescript-eslint/no-require-imports */

/** The subset of kafkajs' internal Broker this adapter uses. */
interface InternalBroker {
  nodeId: number;
  versions: Record<number, { minVersion: number; maxVersion: number }>;
  lookupRequest(
    apiKey: number,
    definitions: unknown,
  ): (args: object) => KafkajsProtocolRequest;
  connectionPool: { send(request: KafkajsProtocolRequest): Promise<any> };
}
interface KafkajsProtocolRequest {
  request: {
    apiKey: number;
    apiVersion: number;
    apiName: string;
    encode(): Promise<unknown>;
  };
  response: {
    decode(raw: Buffer): Promise<any>;
    parse(data: any): Promise<any>;
  };
}
interface InternalCluster {
  connect(): Promise<void>;
  disconnect(): Promise<void>;
  refreshMetadata(): Promise<void>;
  findBroker(options: { nodeId: number }): Promise<InternalBroker>;
  findGroupCoordinator(options: { groupId: string }): Promise<InternalBroker>;
  brokerPool: { metadata: any; seedBroker?: InternalBroker };
}

const CONFIG_SOURCES: Record<number, KafkaConfigSource> = {
  1: 'topic',
  2: 'broker-dynamic',
  3: 'cluster-dynamic',
  4: 'broker-static',
  5: 'default',
  6: 'broker-logger',
  7: 'client-metrics',
  8: 'group',
};

/** A Kafka protocol error with kafkajs' type name (e.g. `INVALID_CONFIG`). */
export function protocolError(code: number, message?: string | null): Error {
  const error = createErrorFromCode(code) as Error & { type: string };
  if (message) error.message = `${error.message}: ${message}`;
  return error;
}

let zstdRegistered = false;
/** kafkajs decodes gzip only; Node 22 has zstd built in, so register it. */
function registerZstd() {
  const z = zlib as unknown as {
    zstdCompressSync?: (b: Buffer) => Buffer;
    zstdDecompressSync?: (b: Buffer) => Buffer;
  };
  if (zstdRegistered || !z.zstdDecompressSync || !z.zstdCompressSync) return;
  zstdRegistered = true;
  (CompressionCodecs as Record<number, () => unknown>)[CompressionTypes.ZSTD] =
    () => ({
      async compress(encoder: { buffer: Buffer }) {
        return z.zstdCompressSync!(encoder.buffer);
      },
      async decompress(buffer: Buffer) {
        return z.zstdDecompressSync!(buffer);
      },
    });
}

/** COORDINATOR_LOAD_IN_PROGRESS, COORDINATOR_NOT_AVAILABLE, NOT_COORDINATOR. */
const COORDINATOR_RETRIABLE = new Set([14, 15, 16]);
const COORDINATOR_RETRY_MS = 15_000;

/** Java's String.hashCode, as Kafka uses it to place a group's coordinator. */
function javaHashCode(text: string): number {
  let h = 0;
  for (let i = 0; i < text.length; i++)
    h = (Math.imul(31, h) + text.charCodeAt(i)) | 0;
  return h;
}

/**
 * The one class that talks to Kafka through kafkajs 2.2.4. What kafkajs does
 * well is used through its public API (admin createTopics / deleteTopics /
 * createPartitions / describeConfigs / listGroups / describeGroups /
 * deleteGroups, producer send). Where kafkajs falls short, small hand-written
 * requests (./wire.ts) go over kafkajs' own broker connections:
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
/** kafkajs' "This server does not host this topic-partition", also after its retries. */
function unknownTopicPartition(error: unknown): boolean {
  const e = error as {
    type?: string;
    message?: string;
    originalError?: { type?: string };
  };
  return (
    e?.type === 'UNKNOWN_TOPIC_OR_PARTITION' ||
    e?.originalError?.type === 'UNKNOWN_TOPIC_OR_PARTITION' ||
    /does not host this topic-partition/.test(e?.message ?? '')
  );
}

export class KafkajsAdapter implements KafkaAdapter {
  readonly #config: KafkaClusterConfig;
  readonly #kafka: Kafka;
  #admin?: Promise<Admin>;
  #producer?: Promise<Producer>;
  #cluster?: Promise<InternalCluster>;
  #metadataCache?: { at: number; value: Promise<KafkaClusterMetadata> };

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

  async #send<T>(
    broker: InternalBroker,
    apiKey: number,
    apiVersion: number,
    apiName: string,
    body: Buffer,
    decode: (buf: Buffer) => T,
  ): Promise<T> {
    const supported = broker.versions?.[apiKey];
    if (
      !supported ||
      apiVersion < supported.minVersion ||
      apiVersion > supported.maxVersion
    ) {
      throw new Error(
        `broker ${
          broker.nodeId
        } does not support ${apiName} v${apiVersion} (supports ${
          supported
            ? `v${supported.minVersion}-v${supported.maxVersion}`
            : 'none'
        })`,
      );
    }
    return broker.connectionPool.send({
      request: {
        apiKey,
        apiVersion,
        apiName,
        encode: async () => new KafkajsEncoder().writeBuffer(body),
      },
      response: {
        decode: async (raw: Buffer) => decode(raw),
        parse: async (data: unknown) => data,
      },
    });
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

  async listOffsets(
    partitions: TopicPartitionRef[],
    spec: number,
    metadata?: KafkaClusterMetadata,
  ): Promise<Map<string, ListedOffset>> {
    const result = new Map<string, ListedOffset>();
    if (partitions.length === 0) return result;
    const meta = metadata ?? (await this.metadata());
    const leaders = new Map<string, number>();
    for (const t of meta.topics) {
      for (const p of t.partitions)
        leaders.set(tpKey(t.name, p.partition), p.leader);
    }
    const byLeader = new Map<number, TopicPartitionRef[]>();
    for (const tp of partitions) {
      const leader = leaders.get(tpKey(tp.topic, tp.partition));
      if (leader === undefined || leader < 0) {
        result.set(tpKey(tp.topic, tp.partition), {
          offset: -1,
          timestamp: -1,
          errorCode: leader === undefined ? 3 : 5,
        });
        continue;
      }
      const list = byLeader.get(leader) ?? [];
      list.push(tp);
      byLeader.set(leader, list);
    }
    const cluster = await this.#getCluster();
    const CHUNK = 10_000;
    const jobs: Promise<void>[] = [];
    for (const [leader, tps] of byLeader) {
      for (let i = 0; i < tps.length; i += CHUNK) {
        const chunk = tps.slice(i, i + CHUNK);
        jobs.push(
          (async () => {
            const broker = await cluster.findBroker({ nodeId: leader });
            const topics = new Map<
              string,
              Array<{ partition: number; timestamp: number }>
            >();
            for (const tp of chunk) {
              const list = topics.get(tp.topic) ?? [];
              list.push({ partition: tp.partition, timestamp: spec });
              topics.set(tp.topic, list);
            }
            const body = encodeListOffsetsV2(
              [...topics.entries()].map(([topic, parts]) => ({
                topic,
                partitions: parts,
              })),
            );
            const answer = await this.#send(
              broker,
              API_KEYS.ListOffsets,
              2,
              'ListOffsets',
              body,
              decodeListOffsetsV2,
            );
            for (const p of answer) {
              result.set(tpKey(p.topic, p.partition), {
                offset: p.offset,
                timestamp: p.timestamp,
                errorCode: p.errorCode,
              });
            }
          })(),
        );
      }
    }
    await this.#withReset(() => Promise.all(jobs));
    return result;
  }

  // ---------------------------------------------------------------- configs

  #configEntries(entries: ConfigEntries[]): KafkaConfigEntry[] {
    return entries
      .map(e => {
        const source = CONFIG_SOURCES[e.configSource as number] ?? 'unknown';
        const synonyms = (e.configSynonyms ?? [])
          .filter(s => s.configSource !== e.configSource)
          .map(s => ({
            value: s.configValue ?? null,
            source: CONFIG_SOURCES[s.configSource as number] ?? 'unknown',
          }));
        return {
          name: e.configName,
          value: e.isSensitive ? null : e.configValue ?? null,
          source,
          isOverride: source === 'topic',
          readOnly: e.readOnly,
          sensitive: e.isSensitive,
          synonyms,
        };
      })
      .sort((a, b) => a.name.localeCompare(b.name));
  }

  async describeTopicConfigs(
    topics: string[],
  ): Promise<Map<string, KafkaConfigEntry[]>> {
    const admin = await this.#getAdmin();
    const out = new Map<string, KafkaConfigEntry[]>();
    const answer = await this.#withReset(() =>
      admin.describeConfigs({
        includeSynonyms: true,
        resources: topics.map(name => ({
          type: ConfigResourceTypes.TOPIC,
          name,
        })),
      }),
    );
    for (const r of answer.resources) {
      if (r.errorCode) throw protocolError(r.errorCode, r.errorMessage);
      out.set(r.resourceName, this.#configEntries(r.configEntries));
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
    return this.#configEntries(r.configEntries);
  }

  async describeLogDirs(
    brokerIds: number[],
    topics: Array<{ topic: string; partitions: number[] }> | null,
  ): Promise<Map<number, { replicas: LogDirReplica[] } | { error: Error }>> {
    const cluster = await this.#getCluster();
    const body = encodeDescribeLogDirsV1(topics);
    type Answer = { replicas: LogDirReplica[] } | { error: Error };
    const answers = await Promise.all(
      brokerIds.map(async (broker): Promise<[number, Answer]> => {
        try {
          const answer = await this.#send(
            await cluster.findBroker({ nodeId: broker }),
            API_KEYS.DescribeLogDirs,
            1,
            'DescribeLogDirs',
            body,
            decodeDescribeLogDirsV1,
          );
          const replicas = answer.replicas.map(r => ({ ...r, broker }));
          return [broker, { replicas }];
        } catch (error) {
          return [broker, { error: error as Error }];
        }
      }),
    );
    return new Map(answers);
  }

  async alterTopicConfigs(
    topic: string,
    changes: Array<{ name: string; op: 'set' | 'delete'; value?: string }>,
    validateOnly: boolean,
  ): Promise<void> {
    const cluster = await this.#getCluster();
    const meta = await this.metadata();
    const broker = await cluster.findBroker({
      nodeId: meta.controller >= 0 ? meta.controller : meta.brokers[0].id,
    });
    const body = encodeIncrementalAlterConfigsV0(
      [{ type: ConfigResourceTypes.TOPIC, name: topic, configs: changes }],
      validateOnly,
    );
    const [answer] = await this.#withReset(() =>
      this.#send(
        broker,
        API_KEYS.IncrementalAlterConfigs,
        0,
        'IncrementalAlterConfigs',
        body,
        decodeIncrementalAlterConfigsV0,
      ),
    );
    if (answer?.errorCode)
      throw protocolError(answer.errorCode, answer.errorMessage);
  }

  // ----------------------------------------------------------------- topics

  async createTopic(topic: NewTopic, validateOnly: boolean): Promise<void> {
    const admin = await this.#getAdmin();
    this.#metadataCache = undefined;
    await this.#withReset(() =>
      admin.createTopics({
        validateOnly,
        // kafkajs asks for the new topic's metadata when waiting for leaders,
        // which fails for a validate-only request (the topic does not exist).
        waitForLeaders: !validateOnly,
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

  async #coordinatorFor(
    groupId: string,
    meta: KafkaClusterMetadata,
  ): Promise<number | undefined> {
    const offsets = meta.topics.find(t => t.name === '__consumer_offsets');
    if (!offsets || offsets.partitions.length === 0) return undefined;
    const h = javaHashCode(groupId);
    const index =
      (h === -2147483648 ? 0 : Math.abs(h)) % offsets.partitions.length;
    const leader = offsets.partitions.find(p => p.partition === index)?.leader;
    return leader !== undefined && leader >= 0 ? leader : undefined;
  }

  async committedOffsets(
    groupIds: string[],
  ): Promise<Map<string, CommittedOffset[]>> {
    const out = new Map<string, CommittedOffset[]>();
    if (groupIds.length === 0) return out;
    const cluster = await this.#getCluster();
    const meta = await this.metadata();
    const byCoordinator = new Map<number, string[]>();
    const unplaced: string[] = [];
    for (const g of groupIds) {
      const c = await this.#coordinatorFor(g, meta);
      if (c === undefined) unplaced.push(g);
      else byCoordinator.set(c, [...(byCoordinator.get(c) ?? []), g]);
    }
    const retry: string[] = [...unplaced];
    const CHUNK = 200;
    const jobs: Promise<void>[] = [];
    for (const [nodeId, ids] of byCoordinator) {
      for (let i = 0; i < ids.length; i += CHUNK) {
        const chunk = ids.slice(i, i + CHUNK);
        jobs.push(
          (async () => {
            const broker = await cluster.findBroker({ nodeId });
            const groups = await this.#send(
              broker,
              API_KEYS.OffsetFetch,
              8,
              'OffsetFetch',
              encodeOffsetFetchV8(chunk),
              decodeOffsetFetchV8,
            );
            for (const g of groups) {
              if (COORDINATOR_RETRIABLE.has(g.errorCode)) {
                retry.push(g.groupId);
                continue;
              }
              if (g.errorCode)
                throw protocolError(g.errorCode, `group ${g.groupId}`);
              out.set(
                g.groupId,
                g.offsets
                  .filter(o => o.offset >= 0 && !o.errorCode)
                  .map(o => ({
                    topic: o.topic,
                    partition: o.partition,
                    offset: o.offset,
                  })),
              );
            }
          })(),
        );
      }
    }
    await this.#withReset(() => Promise.all(jobs));
    // Groups whose coordinator moved (or no __consumer_offsets yet): ask kafkajs.
    for (const groupId of retry) {
      const broker = await cluster.findGroupCoordinator({ groupId });
      const [g] = await this.#send(
        broker,
        API_KEYS.OffsetFetch,
        8,
        'OffsetFetch',
        encodeOffsetFetchV8([groupId]),
        decodeOffsetFetchV8,
      );
      if (g.errorCode) throw protocolError(g.errorCode, `group ${groupId}`);
      out.set(
        groupId,
        g.offsets
          .filter(o => o.offset >= 0 && !o.errorCode)
          .map(o => ({
            topic: o.topic,
            partition: o.partition,
            offset: o.offset,
          })),
      );
    }
    return out;
  }

  async commitOffsets(
    groupId: string,
    offsets: CommittedOffset[],
  ): Promise<void> {
    const cluster = await this.#getCluster();
    // A coordinator that is still loading __consumer_offsets (a fresh
    // cluster, a restarted broker) or that just moved answers with a
    // retriable code: find it again and resend, for a bounded time.
    const deadline = Date.now() + COORDINATOR_RETRY_MS;
    for (let attempt = 1; ; attempt++) {
      const broker = await this.#withReset(() =>
        cluster.findGroupCoordinator({ groupId }),
      );
      const answer = await this.#withReset(() =>
        this.#send(
          broker,
          API_KEYS.OffsetCommit,
          7,
          'OffsetCommit',
          encodeOffsetCommitV7(groupId, offsets),
          decodeOffsetCommitV7,
        ),
      );
      const failed = answer.find(p => p.errorCode);
      if (!failed) return;
      if (
        !COORDINATOR_RETRIABLE.has(failed.errorCode) ||
        Date.now() > deadline
      ) {
        throw protocolError(
          failed.errorCode,
          `${failed.topic}[${failed.partition}]`,
        );
      }
      await new Promise(r => setTimeout(r, Math.min(100 * 2 ** attempt, 1000)));
    }
  }

  async deleteGroup(groupId: string): Promise<void> {
    const admin = await this.#getAdmin();
    await this.#withReset(() => admin.deleteGroups([groupId]));
  }

  // --------------------------------------------------------------- messages

  async fetch(
    partitions: Array<TopicPartitionRef & { offset: number }>,
    options: { maxWaitMs: number; maxBytes: number; partitionMaxBytes: number },
    metadata: KafkaClusterMetadata,
  ): Promise<FetchPartitionResult[]> {
    const cluster = await this.#getCluster();
    const leaders = new Map<string, number>();
    for (const t of metadata.topics) {
      for (const p of t.partitions)
        leaders.set(tpKey(t.name, p.partition), p.leader);
    }
    const byLeader = new Map<
      number,
      Array<TopicPartitionRef & { offset: number }>
    >();
    const results: FetchPartitionResult[] = [];
    for (const p of partitions) {
      const leader = leaders.get(tpKey(p.topic, p.partition));
      if (leader === undefined || leader < 0) {
        results.push({
          ...p,
          errorCode: leader === undefined ? 3 : 5,
          highWatermark: -1,
          records: [],
        });
        continue;
      }
      byLeader.set(leader, [...(byLeader.get(leader) ?? []), p]);
    }
    await this.#withReset(() =>
      Promise.all(
        [...byLeader.entries()].map(async ([nodeId, parts]) => {
          const broker = await cluster.findBroker({ nodeId });
          const topics = new Map<
            string,
            Array<{ partition: number; fetchOffset: string; maxBytes: number }>
          >();
          for (const p of parts) {
            const list = topics.get(p.topic) ?? [];
            list.push({
              partition: p.partition,
              fetchOffset: String(p.offset),
              maxBytes: options.partitionMaxBytes,
            });
            topics.set(p.topic, list);
          }
          const protocol = broker.lookupRequest(
            kafkajsApiKeys.Fetch,
            kafkajsRequests.Fetch,
          )({
            replicaId: -1,
            isolationLevel: 0,
            maxWaitTime: options.maxWaitMs,
            minBytes: 1,
            maxBytes: options.maxBytes,
            topics: [...topics.entries()].map(([topic, ps]) => ({
              topic,
              partitions: ps,
            })),
            rackId: '',
          });
          let answer: any;
          try {
            answer = await broker.connectionPool.send({
              request: protocol.request,
              response: {
                decode: protocol.response.decode,
                parse: async (d: unknown) => d,
              },
            });
          } catch (error) {
            // A record batch kafkajs cannot decode (snappy/lz4 without a codec).
            const message = (error as Error).message;
            for (const p of parts) {
              results.push({
                ...p,
                errorCode: 0,
                error: message,
                highWatermark: -1,
                records: [],
              });
            }
            return;
          }
          for (const t of answer.responses) {
            for (const p of t.partitions) {
              results.push({
                topic: t.topicName,
                partition: p.partition,
                errorCode: p.errorCode,
                highWatermark: Number(p.highWatermark),
                records: (p.messages ?? [])
                  .filter((m: any) => !m.isControlRecord)
                  .map((m: any) => ({
                    topic: t.topicName,
                    partition: p.partition,
                    offset: Number(m.offset),
                    timestamp: Number(m.timestamp),
                    key: m.key ?? null,
                    value: m.value ?? null,
                    headers: Object.entries(m.headers ?? {}).flatMap(
                      ([key, v]) =>
                        (Array.isArray(v) ? v : [v]).map(value => ({
                          key,
                          value: (value as Buffer | null) ?? null,
                        })),
                    ),
                  })),
              });
            }
          }
        }),
      ),
    );
    return results;
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
