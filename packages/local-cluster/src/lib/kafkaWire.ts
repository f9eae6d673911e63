import net from 'node:net';

/**
 * Just enough of the Kafka binary protocol to health-check a broker without an
 * npm client: ApiVersions (does it answer at all?) and Metadata (has the broker
 * registered with the controller and been unfenced?).
 * Reference: https://kafka.apache.org/protocol
 */

export const API_KEY_METADATA = 3;
export const API_KEY_API_VERSIONS = 18;
const UNSUPPORTED_VERSION = 35;
const CLIENT_ID = 'archon-local-cluster';

/** Sequential reader over a response body. */
export class KafkaReader {
  private offset = 0;
  constructor(private readonly buffer: Buffer) {}
  int8() {
    const v = this.buffer.readInt8(this.offset);
    this.offset += 1;
    return v;
  }
  int16() {
    const v = this.buffer.readInt16BE(this.offset);
    this.offset += 2;
    return v;
  }
  int32() {
    const v = this.buffer.readInt32BE(this.offset);
    this.offset += 4;
    return v;
  }
  uvarint() {
    let value = 0;
    let shift = 0;
    for (;;) {
      const byte = this.buffer.readUInt8(this.offset++);
      value |= (byte & 0x7f) << shift;
      if ((byte & 0x80) === 0) return value >>> 0;
      shift += 7;
    }
  }
  /** Classic string: int16 length, -1 = null. */
  nullableString(): string | null {
    const length = this.int16();
    if (length < 0) return null;
    return this.bytes(length).toString('utf8');
  }
  bytes(length: number) {
    const v = this.buffer.subarray(this.offset, this.offset + length);
    if (v.length !== length) throw new RangeError('truncated Kafka response');
    this.offset += length;
    return v;
  }
  /** Flexible versions end structs with tagged fields; we skip them all. */
  skipTaggedFields() {
    const count = this.uvarint();
    for (let i = 0; i < count; i++) {
      this.uvarint(); // tag
      this.bytes(this.uvarint());
    }
  }
}

function int16(v: number) {
  const b = Buffer.alloc(2);
  b.writeInt16BE(v);
  return b;
}
function int32(v: number) {
  const b = Buffer.alloc(4);
  b.writeInt32BE(v);
  return b;
}
function uvarint(v: number) {
  const bytes: number[] = [];
  let value = v >>> 0;
  while (value >= 0x80) {
    bytes.push((value & 0x7f) | 0x80);
    value >>>= 7;
  }
  bytes.push(value);
  return Buffer.from(bytes);
}
function classicString(s: string) {
  const data = Buffer.from(s, 'utf8');
  return Buffer.concat([int16(data.length), data]);
}
function compactString(s: string) {
  const data = Buffer.from(s, 'utf8');
  return Buffer.concat([uvarint(data.length + 1), data]);
}

/**
 * Frames a request: int32 size, then the request header — v1 (api key, version,
 * correlation id, client id) or, for flexible versions, v2 (v1 + empty tagged
 * fields) — then the body.
 */
export function encodeRequest(
  apiKey: number,
  apiVersion: number,
  correlationId: number,
  body: Buffer,
  flexibleHeader: boolean,
): Buffer {
  const header = Buffer.concat([
    int16(apiKey),
    int16(apiVersion),
    int32(correlationId),
    classicString(CLIENT_ID),
    flexibleHeader ? uvarint(0) : Buffer.alloc(0),
  ]);
  return Buffer.concat([int32(header.length + body.length), header, body]);
}

/**
 * Sends one request on a fresh connection and resolves with the response body
 * (after the correlation id). Every step is bounded by `timeoutMs`.
 */
export function kafkaRoundTrip(
  host: string,
  port: number,
  request: Buffer,
  correlationId: number,
  timeoutMs: number,
): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const socket = net.createConnection({ host, port });
    let received = Buffer.alloc(0);
    const timer = setTimeout(() => {
      socket.destroy();
      reject(
        new Error(
          `no Kafka response from ${host}:${port} within ${timeoutMs} ms`,
        ),
      );
    }, timeoutMs);
    const done = (error?: Error, body?: Buffer) => {
      clearTimeout(timer);
      socket.destroy();
      if (error) reject(error);
      else resolve(body!);
    };
    socket.once('connect', () => socket.write(request));
    socket.on('data', (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      if (received.length < 4) return;
      const size = received.readInt32BE(0);
      if (received.length < 4 + size) return;
      const response = received.subarray(4, 4 + size);
      const gotId = response.readInt32BE(0);
      if (gotId !== correlationId) {
        done(
          new Error(
            `Kafka answered correlation id ${gotId}, expected ${correlationId}`,
          ),
        );
        return;
      }
      done(undefined, response.subarray(4));
    });
    socket.once('error', error => done(error));
    socket.once('close', () =>
      done(
        new Error(
          `Kafka at ${host}:${port} closed the connection without answering`,
        ),
      ),
    );
  });
}

export interface ApiVersionRange {
  apiKey: number;
  minVersion: number;
  maxVersion: number;
}

export interface ApiVersionsResult {
  errorCode: number;
  apiKeys: ApiVersionRange[];
  /** The ApiVersions version the broker answered. */
  version: number;
}

let nextCorrelationId = 1;

/** ApiVersions v3 (what current clients send first), body parse per the v3 schema. */
export function encodeApiVersionsRequest(correlationId: number): Buffer {
  const body = Buffer.concat([
    compactString(CLIENT_ID), // client_software_name
    compactString('1.0.0'), // client_software_version
    uvarint(0), // tagged fields
  ]);
  return encodeRequest(API_KEY_API_VERSIONS, 3, correlationId, body, true);
}

/**
 * Parses an ApiVersions response body. The response header is always v0 (no
 * tagged fields) for ApiVersions; a broker that does not support the version we
 * sent answers UNSUPPORTED_VERSION with a v0 body listing what it does support.
 */
export function decodeApiVersionsResponse(body: Buffer): ApiVersionsResult {
  const reader = new KafkaReader(body);
  const errorCode = reader.int16();
  if (errorCode === UNSUPPORTED_VERSION) {
    const count = reader.int32();
    const apiKeys: ApiVersionRange[] = [];
    for (let i = 0; i < count; i++) {
      apiKeys.push({
        apiKey: reader.int16(),
        minVersion: reader.int16(),
        maxVersion: reader.int16(),
      });
    }
    return { errorCode, apiKeys, version: 0 };
  }
  const count = reader.uvarint() - 1;
  const apiKeys: ApiVersionRange[] = [];
  for (let i = 0; i < count; i++) {
    apiKeys.push({
      apiKey: reader.int16(),
      minVersion: reader.int16(),
      maxVersion: reader.int16(),
    });
    reader.skipTaggedFields();
  }
  return { errorCode, apiKeys, version: 3 };
}

export async function requestApiVersions(
  host: string,
  port: number,
  timeoutMs: number,
): Promise<ApiVersionsResult> {
  const id = nextCorrelationId++;
  const body = await kafkaRoundTrip(
    host,
    port,
    encodeApiVersionsRequest(id),
    id,
    timeoutMs,
  );
  return decodeApiVersionsResponse(body);
}

export interface KafkaBrokerInfo {
  nodeId: number;
  host: string;
  port: number;
  rack: string | null;
}

/**
 * Metadata v4..v8 are non-flexible and start the same way; Kafka 4 removed
 * v0..v3 (KIP-896), so v4 is the oldest one every Kafka 4.x accepts.
 */
export const METADATA_VERSION = 4;

/** Metadata request for no topics at all: the answer is just the live brokers. */
export function encodeMetadataRequest(correlationId: number): Buffer {
  const body = Buffer.concat([
    int32(0), // topics: empty array (null would mean "all topics")
    Buffer.from([0]), // allow_auto_topic_creation = false
  ]);
  return encodeRequest(
    API_KEY_METADATA,
    METADATA_VERSION,
    correlationId,
    body,
    false,
  );
}

export function decodeMetadataBrokers(body: Buffer): KafkaBrokerInfo[] {
  const reader = new KafkaReader(body);
  reader.int32(); // throttle_time_ms (v3+)
  const count = reader.int32();
  const brokers: KafkaBrokerInfo[] = [];
  for (let i = 0; i < count; i++) {
    brokers.push({
      nodeId: reader.int32(),
      host: reader.nullableString() ?? '',
      port: reader.int32(),
      rack: reader.nullableString(),
    });
  }
  return brokers;
}

/** The brokers that are registered and unfenced, as the broker at host:port sees them. */
export async function requestBrokers(
  host: string,
  port: number,
  timeoutMs: number,
): Promise<KafkaBrokerInfo[]> {
  const id = nextCorrelationId++;
  const body = await kafkaRoundTrip(
    host,
    port,
    encodeMetadataRequest(id),
    id,
    timeoutMs,
  );
  return decodeMetadataBrokers(body);
}
