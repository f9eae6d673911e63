import net from 'node:net';
import { Writer } from './buffers';
import {
  decodeApiVersionsResponse,
  encodeApiVersionsRequest,
  requestApiVersions,
} from './apiVersions';

describe('ApiVersions', () => {
  it('frames an ApiVersions v3 request with a v2 header', () => {
    const request = encodeApiVersionsRequest(7, 'archon-local-cluster');
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

  it('parses API ranges and the finalized features from the tagged fields', () => {
    const features = new Writer()
      .compactArray([{ name: 'metadata.version', max: 27, min: 27 }], (w, f) =>
        w.compactString(f.name).int16(f.max).int16(f.min).tags(),
      )
      .build();
    const body = new Writer()
      .int16(0) // error code
      .compactArray(
        [
          { key: 3, min: 0, max: 12 },
          { key: 18, min: 0, max: 4 },
        ],
        (w, k) => w.int16(k.key).int16(k.min).int16(k.max).tags(),
      )
      .int32(0) // throttle time
      .uvarint(2) // two tagged fields: one archon does not read, then the features
      .uvarint(0)
      .uvarint(3)
      .int8(9)
      .int8(9)
      .int8(9)
      .uvarint(2)
      .uvarint(features.length)
      .build();
    expect(decodeApiVersionsResponse(Buffer.concat([body, features]))).toEqual({
      errorCode: 0,
      apiKeys: [
        { apiKey: 3, minVersion: 0, maxVersion: 12 },
        { apiKey: 18, minVersion: 0, maxVersion: 4 },
      ],
      finalizedFeatures: { 'metadata.version': 27 },
      version: 3,
    });
  });

  it('skips the tagged fields of each API range', () => {
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
    expect(decodeApiVersionsResponse(body)).toEqual({
      errorCode: 35,
      apiKeys: [{ apiKey: 18, minVersion: 0, maxVersion: 2 }],
      finalizedFeatures: {},
      version: 0,
    });
  });

  describe('against a listener that answers with an error code', () => {
    // A plain TCP listener that answers each request's correlation id with
    // UNSUPPORTED_VERSION and an empty v0 body, as a too-old broker would.
    let server: net.Server;
    let port: number;
    beforeAll(async () => {
      server = net.createServer(socket =>
        socket.once('data', (request: Buffer) => {
          const correlationId = request.readInt32BE(8);
          const body = new Writer().int32(correlationId).int16(35).int32(0);
          const answer = body.build();
          socket.end(
            Buffer.concat([new Writer().int32(answer.length).build(), answer]),
          );
        }),
      );
      await new Promise<void>(resolve =>
        server.listen(0, '127.0.0.1', () => resolve()),
      );
      port = (server.address() as net.AddressInfo).port;
    });
    afterAll(() => new Promise(resolve => server.close(resolve)));

    it('says which broker failed and with which code', async () => {
      await expect(
        requestApiVersions('127.0.0.1', port, { timeoutMs: 5_000 }),
      ).rejects.toThrow(
        `127.0.0.1:${port}: ApiVersions failed with Kafka error code 35`,
      );
    });
  });
});
