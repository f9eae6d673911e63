import {
  encodeRequest,
  kafkaRoundTrip,
  Reader,
  Writer,
} from '@archon/kafka-wire';

/**
 * Metadata, the one request only the local cluster sends (on
 * @archon/kafka-wire's codec): has the broker registered with the KRaft
 * controller and been unfenced?
 */

export const API_KEY_METADATA = 3;
export const CLIENT_ID = 'archon-local-cluster';

/**
 * Metadata v4..v8 are non-flexible and start the same way; Kafka 4 removed
 * v0..v3 (KIP-896), so v4 is the oldest one every Kafka 4.x accepts.
 */
export const METADATA_VERSION = 4;

export interface KafkaBrokerInfo {
  nodeId: number;
  host: string;
  port: number;
  rack: string | null;
}

/** Metadata request for no topics at all: the answer is just the live brokers. */
export function encodeMetadataRequest(correlationId: number): Buffer {
  const body = new Writer()
    .int32(0) // topics: empty array (null would mean "all topics")
    .bool(false) // allow_auto_topic_creation
    .build();
  return encodeRequest(
    {
      apiKey: API_KEY_METADATA,
      apiVersion: METADATA_VERSION,
      correlationId,
      clientId: CLIENT_ID,
      flexibleHeader: false,
    },
    body,
  );
}

export function decodeMetadataBrokers(body: Buffer): KafkaBrokerInfo[] {
  const r = new Reader(body);
  r.int32(); // throttle_time_ms (v3+)
  return r.array(b => ({
    nodeId: b.int32(),
    host: b.string() ?? '',
    port: b.int32(),
    rack: b.string(),
  }));
}

let nextCorrelationId = 1;

/** The brokers that are registered and unfenced, as the broker at host:port sees them. */
export async function requestBrokers(
  host: string,
  port: number,
  timeoutMs: number,
): Promise<KafkaBrokerInfo[]> {
  const id = nextCorrelationId++;
  const body = await kafkaRoundTrip(host, port, encodeMetadataRequest(id), id, {
    timeoutMs,
  });
  return decodeMetadataBrokers(body);
}
