import { decodeMetadataBrokers, encodeMetadataRequest } from './kafkaMetadata';

describe('Metadata', () => {
  it('frames a Metadata v4 request for no topics', () => {
    const request = encodeMetadataRequest(9);
    expect(request.readInt16BE(4)).toBe(3);
    expect(request.readInt16BE(6)).toBe(4);
    // body = int32 0 (empty topic array) + int8 0 (no auto-create)
    expect([...request.subarray(request.length - 5)]).toEqual([0, 0, 0, 0, 0]);
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
});
