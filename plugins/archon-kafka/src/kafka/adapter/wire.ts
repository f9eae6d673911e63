/**
 * Hand-written encoders and decoders for the few Kafka requests that kafkajs
 * either lacks or implements in a way unfit for a management tool (see
 * KafkajsAdapter). Pure functions over Buffers, so they are unit-tested
 * without a broker; KafkajsAdapter sends them over kafkajs' own broker
 * connections (TLS and SASL included). Only the Kafka module sends these; the
 * Writer/Reader, the frame and ApiVersions they build on are archon's one
 * codec, @archon/kafka-wire. Reference: https://kafka.apache.org/protocol
 */
import { Reader, Writer } from '@archon/kafka-wire';
import type { LogDirReplica } from './KafkaAdapter';

export const API_KEYS = {
  ListOffsets: 2,
  OffsetCommit: 8,
  OffsetFetch: 9,
  DescribeLogDirs: 35,
  IncrementalAlterConfigs: 44,
} as const;

// ---------------------------------------------------------------- ListOffsets v2

/** -2 = earliest, -1 = latest, otherwise a timestamp (ms). */
export type OffsetSpec = number;
export const EARLIEST = -2;
export const LATEST = -1;

export interface ListOffsetsPartition {
  topic: string;
  partition: number;
  errorCode: number;
  timestamp: number;
  offset: number;
}

/**
 * ListOffsets v2 for many topics at once (one request per leader). Unlike
 * kafkajs' parse, a failing partition does not fail the whole batch.
 */
export function encodeListOffsetsV2(
  topics: Array<{
    topic: string;
    partitions: Array<{ partition: number; timestamp: OffsetSpec }>;
  }>,
  isolationLevel = 0,
): Buffer {
  return new Writer()
    .int32(-1)
    .int8(isolationLevel)
    .array(topics, (w, t) =>
      w
        .string(t.topic)
        .array(t.partitions, (pw, p) =>
          pw.int32(p.partition).int64(p.timestamp),
        ),
    )
    .build();
}

export function decodeListOffsetsV2(buf: Buffer): ListOffsetsPartition[] {
  const r = new Reader(buf);
  r.int32(); // throttle
  return r
    .array(tr => {
      const topic = tr.string()!;
      return tr.array(pr => ({
        topic,
        partition: pr.int32(),
        errorCode: pr.int16(),
        timestamp: pr.int64(),
        offset: pr.int64(),
      }));
    })
    .flat();
}

// ---------------------------------------------------------------- OffsetCommit v7

/**
 * OffsetCommit v7 the way Kafka's AdminClient (alterConsumerGroupOffsets)
 * sends it: generation -1 and no member id, accepted by the coordinator only
 * while the group has no members.
 */
export function encodeOffsetCommitV7(
  groupId: string,
  offsets: Array<{ topic: string; partition: number; offset: number }>,
): Buffer {
  const byTopic = groupBy(offsets, o => o.topic);
  return new Writer()
    .string(groupId)
    .int32(-1)
    .string('')
    .string(null)
    .array([...byTopic.entries()], (w, [topic, parts]) =>
      w
        .string(topic)
        .array(parts, (pw, p) =>
          pw.int32(p.partition).int64(p.offset).int32(-1).string(null),
        ),
    )
    .build();
}

export function decodeOffsetCommitV7(
  buf: Buffer,
): Array<{ topic: string; partition: number; errorCode: number }> {
  const r = new Reader(buf);
  r.int32();
  return r
    .array(tr => {
      const topic = tr.string()!;
      return tr.array(pr => ({
        topic,
        partition: pr.int32(),
        errorCode: pr.int16(),
      }));
    })
    .flat();
}

// ---------------------------------------------------------------- OffsetFetch v8

export interface GroupOffsets {
  groupId: string;
  errorCode: number;
  offsets: Array<{
    topic: string;
    partition: number;
    offset: number;
    errorCode: number;
  }>;
}

/**
 * OffsetFetch v8 (flexible, KIP-709): the committed offsets of many groups in
 * one request; `null` topics means every topic the group committed.
 */
export function encodeOffsetFetchV8(groupIds: string[]): Buffer {
  return new Writer()
    .tags() // request header v2 tagged fields (kafkajs writes header v1)
    .compactArray(groupIds, (w, g) =>
      w
        .compactString(g)
        .compactArray(null, () => {})
        .tags(),
    )
    .bool(false)
    .tags()
    .build();
}

export function decodeOffsetFetchV8(buf: Buffer): GroupOffsets[] {
  const r = new Reader(buf);
  r.skipTags(); // response header v1
  r.int32();
  const groups = r.compactArray(gr => {
    const groupId = gr.compactString()!;
    const offsets = gr
      .compactArray(tr => {
        const topic = tr.compactString()!;
        const parts = tr.compactArray(pr => {
          const partition = pr.int32();
          const offset = pr.int64();
          pr.int32(); // leader epoch
          pr.compactString(); // metadata
          const errorCode = pr.int16();
          pr.skipTags();
          return { topic, partition, offset, errorCode };
        });
        tr.skipTags();
        return parts;
      })
      .flat();
    const errorCode = gr.int16();
    gr.skipTags();
    return { groupId, errorCode, offsets };
  });
  return groups;
}

// ---------------------------------------------------- IncrementalAlterConfigs v0

export type ConfigOperation = 'set' | 'delete';
const CONFIG_OPERATIONS: Record<ConfigOperation, number> = {
  set: 0,
  delete: 1,
};

/** IncrementalAlterConfigs v0 (KIP-339): changes only the named keys. */
export function encodeIncrementalAlterConfigsV0(
  resources: Array<{
    type: number;
    name: string;
    configs: Array<{ name: string; op: ConfigOperation; value?: string }>;
  }>,
  validateOnly: boolean,
): Buffer {
  return new Writer()
    .array(resources, (w, res) =>
      w
        .int8(res.type)
        .string(res.name)
        .array(res.configs, (cw, c) =>
          cw
            .string(c.name)
            .int8(CONFIG_OPERATIONS[c.op])
            .string(c.value ?? null),
        ),
    )
    .bool(validateOnly)
    .build();
}

export function decodeIncrementalAlterConfigsV0(buf: Buffer): Array<{
  errorCode: number;
  errorMessage: string | null;
  type: number;
  name: string;
}> {
  const r = new Reader(buf);
  r.int32();
  return r.array(rr => ({
    errorCode: rr.int16(),
    errorMessage: rr.string(),
    type: rr.int8(),
    name: rr.string()!,
  }));
}

// ------------------------------------------------------------ DescribeLogDirs v1

/**
 * DescribeLogDirs v1 (kafkajs has no such request): which replicas a broker
 * holds in each of its log directories and their size on disk. `null` topics
 * asks for every topic. v1 is the lowest version Kafka 4 still answers and
 * the highest without the flexible encoding, so one codec serves 2.x to 4.x.
 */
export function encodeDescribeLogDirsV1(
  topics: Array<{ topic: string; partitions: number[] }> | null,
): Buffer {
  return new Writer()
    .array(topics, (w, t) =>
      w.string(t.topic).array(t.partitions, (pw, p) => pw.int32(p)),
    )
    .build();
}

/** The replicas of the answer; a directory that failed (offline disk) is an error naming it. */
export function decodeDescribeLogDirsV1(buf: Buffer): {
  replicas: Array<Omit<LogDirReplica, 'broker'>>;
  failedDirs: Array<{ logDir: string; errorCode: number }>;
} {
  const r = new Reader(buf);
  r.int32(); // throttle
  const replicas: Array<Omit<LogDirReplica, 'broker'>> = [];
  const failedDirs: Array<{ logDir: string; errorCode: number }> = [];
  r.array(dr => {
    const errorCode = dr.int16();
    const logDir = dr.string()!;
    if (errorCode) failedDirs.push({ logDir, errorCode });
    dr.array(tr => {
      const topic = tr.string()!;
      tr.array(pr => {
        const partition = pr.int32();
        const sizeBytes = pr.int64();
        pr.int64(); // offset lag (of a future replica)
        const isFuture = pr.bool();
        replicas.push({ logDir, topic, partition, sizeBytes, isFuture });
      });
    });
  });
  return { replicas, failedDirs };
}

// ------------------------------------------------------- consumer protocol

/**
 * The assignment a classic consumer-protocol member holds (ConsumerProtocol
 * Assignment, any version: later versions only append fields).
 */
export function decodeConsumerAssignment(
  buf: Buffer | null | undefined,
): Array<{ topic: string; partitions: number[] }> | undefined {
  if (!buf || buf.length < 2) return undefined;
  try {
    const r = new Reader(buf);
    r.int16();
    return r.array(tr => ({
      topic: tr.string()!,
      partitions: tr.array(pr => pr.int32()),
    }));
  } catch {
    return undefined;
  }
}

function groupBy<T>(items: T[], key: (t: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = out.get(k);
    if (list) list.push(item);
    else out.set(k, [item]);
  }
  return out;
}
