import { Socket } from 'node:net';
import { Reader, Writer } from './adapter/wire';

/** What a broker says about itself in an ApiVersions (v3) response. */
export interface BrokerApiVersions {
  apiKeys: Array<{ apiKey: number; minVersion: number; maxVersion: number }>;
  /** Finalized feature levels, e.g. `{ 'metadata.version': 30 }`. */
  finalizedFeatures: Record<string, number>;
}

const API_VERSIONS_KEY = 18;
const API_VERSIONS_VERSION = 3;

/**
 * Sends one ApiVersions v3 request over plain TCP. kafkajs negotiates only
 * old ApiVersions versions and drops the tagged fields where Kafka reports
 * its finalized features (and so its metadata version), hence this small
 * hand-written exchange. Plaintext listeners only.
 */
export function fetchApiVersions(
  host: string,
  port: number,
  signal: AbortSignal,
): Promise<BrokerApiVersions> {
  return new Promise((resolve, reject) => {
    const socket = new Socket();
    let received = Buffer.alloc(0);
    const fail = (message: string) => {
      socket.destroy();
      reject(new Error(`${host}:${port}: ${message}`));
    };
    const onAbort = () => fail('no ApiVersions answer in time');
    if (signal.aborted) {
      onAbort();
      return;
    }
    signal.addEventListener('abort', onAbort, { once: true });
    socket.once('error', err => fail(err.message));
    socket.on('data', chunk => {
      received = Buffer.concat([received, Buffer.from(chunk)]);
      if (received.length < 4) return;
      const size = received.readInt32BE(0);
      if (received.length < 4 + size) return;
      signal.removeEventListener('abort', onAbort);
      socket.destroy();
      try {
        resolve(parseApiVersionsResponse(received.subarray(4, 4 + size)));
      } catch (error) {
        reject(new Error(`${host}:${port}: ${(error as Error).message}`));
      }
    });
    socket.connect(port, host, () => socket.write(encodeApiVersionsRequest()));
  });
}

function encodeApiVersionsRequest(): Buffer {
  const body = new Writer()
    // Request header v2: the client id stays a classic nullable string.
    .int16(API_VERSIONS_KEY)
    .int16(API_VERSIONS_VERSION)
    .int32(1) // correlation id
    .string('archon')
    .tags()
    // ApiVersions v3 body: the client software's name and version.
    .compactString('archon')
    .compactString('1')
    .tags()
    .build();
  return Buffer.concat([new Writer().int32(body.length).build(), body]);
}

/** Exported for tests: parses the response body after the size prefix. */
export function parseApiVersionsResponse(buf: Buffer): BrokerApiVersions {
  const r = new Reader(buf);
  r.int32(); // correlation id (ApiVersions responses always use header v0)
  const errorCode = r.int16();
  if (errorCode !== 0) {
    throw new Error(`ApiVersions failed with Kafka error code ${errorCode}`);
  }
  const apiKeys = r.compactArray(k => {
    const range = {
      apiKey: k.int16(),
      minVersion: k.int16(),
      maxVersion: k.int16(),
    };
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
  return { apiKeys, finalizedFeatures };
}
