import { Reader, Writer } from './buffers';
import { encodeRequest, ExchangeBounds, kafkaRoundTrip } from './framing';

export const API_KEY_API_VERSIONS = 18;
const API_VERSIONS_VERSION = 3;
const UNSUPPORTED_VERSION = 35;

export interface ApiVersionRange {
  apiKey: number;
  minVersion: number;
  maxVersion: number;
}

/** What a broker says about itself in an ApiVersions response. */
export interface ApiVersionsResult {
  errorCode: number;
  apiKeys: ApiVersionRange[];
  /** Finalized feature levels, e.g. `{ 'metadata.version': 30 }`. */
  finalizedFeatures: Record<string, number>;
  /** The ApiVersions version the broker answered. */
  version: number;
}

/**
 * ApiVersions v3 (what current clients send first) with a v2 header.
 * kafkajs negotiates only old ApiVersions versions and drops the tagged
 * fields where Kafka reports its finalized features (and so its metadata
 * version), hence this hand-written request.
 */
export function encodeApiVersionsRequest(
  correlationId: number,
  clientId: string,
): Buffer {
  const body = new Writer()
    .compactString(clientId) // client_software_name
    .compactString('1.0.0') // client_software_version
    .tags()
    .build();
  return encodeRequest(
    {
      apiKey: API_KEY_API_VERSIONS,
      apiVersion: API_VERSIONS_VERSION,
      correlationId,
      clientId,
      flexibleHeader: true,
    },
    body,
  );
}

/**
 * Parses an ApiVersions response body after the correlation id (ApiVersions
 * responses always use header v0, without tagged fields). A broker that does
 * not support the version sent answers UNSUPPORTED_VERSION with a v0 body
 * listing what it does support.
 */
export function decodeApiVersionsResponse(body: Buffer): ApiVersionsResult {
  const r = new Reader(body);
  const errorCode = r.int16();
  if (errorCode === UNSUPPORTED_VERSION) {
    const apiKeys = r.array(readRange);
    return { errorCode, apiKeys, finalizedFeatures: {}, version: 0 };
  }
  const apiKeys = r.compactArray(k => {
    const range = readRange(k);
    k.skipTags();
    return range;
  });
  r.int32(); // throttle time
  // The finalized features are tagged field 2 of the response body.
  const finalizedFeatures: Record<string, number> = {};
  const tagCount = r.uvarint();
  for (let i = 0; i < tagCount; i++) {
    const tag = r.uvarint();
    const end = r.uvarint() + r.position;
    if (tag === 2) {
      r.compactArray(f => {
        const name = f.compactString() ?? '';
        finalizedFeatures[name] = f.int16(); // max level
        f.int16(); // min level
        f.skipTags();
      });
    }
    r.seek(end);
  }
  return {
    errorCode,
    apiKeys,
    finalizedFeatures,
    version: API_VERSIONS_VERSION,
  };
}

function readRange(r: Reader): ApiVersionRange {
  return { apiKey: r.int16(), minVersion: r.int16(), maxVersion: r.int16() };
}

let nextCorrelationId = 1;

/**
 * Sends one ApiVersions v3 request over plain TCP (plaintext listeners only)
 * and fails unless the broker answers without an error code.
 */
export async function requestApiVersions(
  host: string,
  port: number,
  options: ExchangeBounds & { clientId?: string },
): Promise<ApiVersionsResult> {
  const id = nextCorrelationId++;
  const body = await kafkaRoundTrip(
    host,
    port,
    encodeApiVersionsRequest(id, options.clientId ?? 'archon'),
    id,
    options,
  );
  const result = decodeApiVersionsResponse(body);
  if (result.errorCode !== 0) {
    throw new Error(
      `${host}:${port}: ApiVersions failed with Kafka error code ${result.errorCode}`,
    );
  }
  return result;
}
