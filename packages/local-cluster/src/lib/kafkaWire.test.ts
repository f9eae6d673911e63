import {
  decodeApiVersionsResponse,
  decodeMetadataBrokers,
  encodeApiVersionsRequest,
  encodeMetadataRequest,
  KafkaReader,
} from './kafkaWire';

describe('kafka wire encoding', () => {
  it('frames an ApiVersions v3 request with a v2 header', () => {
    const request = encodeApiVersionsRequest(7);
    expect(request.readInt32BE(0)).toBe(request.length - 4);
    expect(request.readInt16BE(4)).toBe(18); // api key
    expect(request.readInt16BE(6)).toBe(3); // api version
    expect(request.readInt32BE(8)).toBe(7); // correlation id
    const clientIdLength = request.readInt16BE(12);
    expect(request.subarray(14, 14 + clientIdLength).toString()).toBe(
      'archon-local-cluster',
    );
    expect(request[14 + clientIdLength]).toBe(0); // header tagged fields
  });

  it('frames a Metadata v4 request for no topics', () => {
    const request = encodeMetadataRequest(9);
    expect(request.readInt16BE(4)).toBe(3);
    expect(request.readInt16BE(6)).toBe(4);
    // body = int32 0 (empty topic array) + int8 0 (no auto-create)
    expect([...request.subarray(request.length - 5)]).toEqual([0, 0, 0, 0, 0]);
  });

  it('decodes a flexible ApiVersions response with tagged fields', () => {
    const body = Buffer.from([
      0,
      0, // error code
      3, // compact array: 2 entries
      0,
      18,
      0,
      0,
      0,
      4,
      0, // ApiVersions 0..4, no tags
      0,
      3,
      0,
      4,
      0,
      13,
      1,
      5,
      2,
      0xaa,
      0xbb, // Metadata 4..13, one tag (5) of 2 bytes
      0,
      0,
      0,
      0, // throttle
      0, // tags
    ]);
    const result = decodeApiVersionsResponse(body);
    expect(result.errorCode).toBe(0);
    expect(result.apiKeys).toEqual([
      { apiKey: 18, minVersion: 0, maxVersion: 4 },
      { apiKey: 3, minVersion: 4, maxVersion: 13 },
    ]);
  });

  it('decodes the v0 body of an UNSUPPORTED_VERSION answer', () => {
    const body = Buffer.from([0, 35, 0, 0, 0, 1, 0, 18, 0, 0, 0, 2]);
    const result = decodeApiVersionsResponse(body);
    expect(result.errorCode).toBe(35);
    expect(result.apiKeys).toEqual([
      { apiKey: 18, minVersion: 0, maxVersion: 2 },
    ]);
  });

  it('decodes brokers from a Metadata v4 response', () => {
    const host = Buffer.from('127.0.0.1');
    const body = Buffer.concat([
      Buffer.from([0, 0, 0, 0]), // throttle
      Buffer.from([0, 0, 0, 1]), // one broker
      Buffer.from([0, 0, 0, 1]), // node id 1
      Buffer.from([0, host.length]),
      host,
      Buffer.from([0, 0, 0x23, 0x84]), // port 9092
      Buffer.from([0xff, 0xff]), // rack null
    ]);
    expect(decodeMetadataBrokers(body)).toEqual([
      { nodeId: 1, host: '127.0.0.1', port: 9092, rack: null },
    ]);
  });

  it('reads unsigned varints', () => {
    expect(new KafkaReader(Buffer.from([0xac, 0x02])).uvarint()).toBe(300);
  });
});
