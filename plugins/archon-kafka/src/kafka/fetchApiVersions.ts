import { Socket } from 'node:net';

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
  const clientId = Buffer.from('archon');
  const name = Buffer.from('archon');
  const version = Buffer.from('1');
  const header = Buffer.alloc(2 + 2 + 4 + 2);
  header.writeInt16BE(API_VERSIONS_KEY, 0);
  header.writeInt16BE(API_VERSIONS_VERSION, 2);
  header.writeInt32BE(1, 4); // correlation id
  header.writeInt16BE(clientId.length, 8); // header v2 keeps a classic nullable string
  const body = Buffer.concat([
    header,
    clientId,
    Buffer.from([0]), // header tagged fields
    Buffer.from([name.length + 1]),
    name,
    Buffer.from([version.length + 1]),
    version,
    Buffer.from([0]), // body tagged fields
  ]);
  const size = Buffer.alloc(4);
  size.writeInt32BE(body.length, 0);
  return Buffer.concat([size, body]);
}

/** Exported for tests: parses the response body after the size prefix. */
export function parseApiVersionsResponse(buf: Buffer): BrokerApiVersions {
  let at = 4; // correlation id (ApiVersions responses always use header v0)
  const uvarint = () => {
    let value = 0;
    let shift = 0;
    for (;;) {
      const byte = buf[at++];
      if (byte === undefined) throw new Error('truncated ApiVersions response');
      value |= (byte & 0x7f) << shift;
      if ((byte & 0x80) === 0) return value >>> 0;
      shift += 7;
    }
  };
  const int16 = () => {
    const v = buf.readInt16BE(at);
    at += 2;
    return v;
  };
  const skipTaggedFields = () => {
    const count = uvarint();
    for (let i = 0; i < count; i++) {
      uvarint();
      at += uvarint();
    }
  };
  const errorCode = int16();
  if (errorCode !== 0) {
    throw new Error(`ApiVersions failed with Kafka error code ${errorCode}`);
  }
  const apiKeys: BrokerApiVersions['apiKeys'] = [];
  const keyCount = uvarint() - 1;
  for (let i = 0; i < keyCount; i++) {
    apiKeys.push({ apiKey: int16(), minVersion: int16(), maxVersion: int16() });
    skipTaggedFields();
  }
  at += 4; // throttle time
  const finalizedFeatures: Record<string, number> = {};
  const tagCount = uvarint();
  for (let i = 0; i < tagCount; i++) {
    const tag = uvarint();
    const size = uvarint();
    const end = at + size;
    if (tag === 2) {
      const featureCount = uvarint() - 1;
      for (let f = 0; f < featureCount; f++) {
        const nameLength = uvarint() - 1;
        const name = buf.toString('utf8', at, at + nameLength);
        at += nameLength;
        const maxLevel = int16();
        int16(); // min level
        skipTaggedFields();
        finalizedFeatures[name] = maxLevel;
      }
    }
    at = end;
  }
  return { apiKeys, finalizedFeatures };
}
