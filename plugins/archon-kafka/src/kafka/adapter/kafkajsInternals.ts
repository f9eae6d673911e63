import zlib from 'node:zlib';
import { CompressionCodecs, CompressionTypes } from 'kafkajs';
import type { KafkaClusterMetadata } from './KafkaAdapter';

/* eslint-disable @typescript-eslint/no-require-imports */
// kafkajs internals used on purpose (pinned kafkajs 2.2.4, unmaintained since
// 2023): its broker connections (TLS, SASL, ApiVersions negotiation), its
// request/response classes and its error table. See KafkajsAdapter's class comment.
const KafkajsEncoder = require('kafkajs/src/protocol/encoder');
const kafkajsRequests = require('kafkajs/src/protocol/requests').requests;
const kafkajsApiKeys = require('kafkajs/src/protocol/requests/apiKeys');
const { createErrorFromCode } = require('kafkajs/src/protocol/error');
/* eslint-enable @typescript-eslint/no-require-imports */
export { kafkajsRequests, kafkajsApiKeys };

/** The subset of kafkajs' internal Broker this adapter uses. */
export interface InternalBroker {
  nodeId: number;
  versions: Record<number, { minVersion: number; maxVersion: number }>;
  lookupRequest(
    apiKey: number,
    definitions: unknown,
  ): (args: object) => KafkajsProtocolRequest;
  connectionPool: { send(request: KafkajsProtocolRequest): Promise<any> };
  /** Metadata of the given topics; throws the first topic or partition error. */
  metadata(topics: string[]): Promise<{
    topicMetadata: Array<{
      topic: string;
      partitionMetadata: Array<{ partitionId: number; leader: number }>;
    }>;
  }>;
}
export interface KafkajsProtocolRequest {
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
export interface InternalCluster {
  connect(): Promise<void>;
  disconnect(): Promise<void>;
  refreshMetadata(): Promise<void>;
  findBroker(options: { nodeId: number }): Promise<InternalBroker>;
  findGroupCoordinator(options: { groupId: string }): Promise<InternalBroker>;
  brokerPool: { metadata: any; seedBroker?: InternalBroker };
}

/**
 * What the requests archon sends on its own need from the adapter: kafkajs'
 * cluster object (its broker connections), the adapter's cached metadata and
 * its wrapper that drops cached state after a connection error.
 */
export interface BrokerAccess {
  cluster(): Promise<InternalCluster>;
  metadata(): Promise<KafkaClusterMetadata>;
  withReset<T>(fn: () => Promise<T>): Promise<T>;
}

/** A Kafka protocol error with kafkajs' type name (e.g. `INVALID_CONFIG`). */
export function protocolError(code: number, message?: string | null): Error {
  const error = createErrorFromCode(code) as Error & { type: string };
  if (message) error.message = `${error.message}: ${message}`;
  return error;
}

let zstdRegistered = false;
/** kafkajs decodes gzip only; Node 22 has zstd built in, so register it. */
export function registerZstd() {
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

/** kafkajs' "This server does not host this topic-partition", also after its retries. */
export function unknownTopicPartition(error: unknown): boolean {
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

/** One request archon encoded itself, sent over a kafkajs broker connection. */
export async function sendRequest<T>(
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
        supported ? `v${supported.minVersion}-v${supported.maxVersion}` : 'none'
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
