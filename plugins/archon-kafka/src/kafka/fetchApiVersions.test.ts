import { getTestCluster } from '@archon/local-cluster/testing';
import { Writer } from './adapter/wire';
import { fetchApiVersions, parseApiVersionsResponse } from './fetchApiVersions';

describe('fetchApiVersions', () => {
  it('parses API ranges and the finalized features from the tagged fields', () => {
    const features = new Writer()
      .compactArray([{ name: 'metadata.version', max: 27, min: 27 }], (w, f) =>
        w.compactString(f.name).int16(f.max).int16(f.min).tags(),
      )
      .build();
    const body = new Writer()
      .int32(1) // correlation id
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
    expect(parseApiVersionsResponse(Buffer.concat([body, features]))).toEqual({
      apiKeys: [
        { apiKey: 3, minVersion: 0, maxVersion: 12 },
        { apiKey: 18, minVersion: 0, maxVersion: 4 },
      ],
      finalizedFeatures: { 'metadata.version': 27 },
    });
  });

  it('says when the broker answers with an error code', () => {
    const body = new Writer().int32(1).int16(35).build();
    expect(() => parseApiVersionsResponse(body)).toThrow(
      'ApiVersions failed with Kafka error code 35',
    );
  });

  it('reads the local broker: ApiVersions among its APIs and its metadata version', async () => {
    const [host, port] = getTestCluster().kafka.brokers[0].split(':');
    const versions = await fetchApiVersions(
      host,
      Number(port),
      AbortSignal.timeout(10_000),
    );
    expect(
      versions.apiKeys.find(k => k.apiKey === 18)?.maxVersion,
    ).toBeGreaterThanOrEqual(3);
    expect(versions.finalizedFeatures['metadata.version']).toBeGreaterThan(0);
  });
});
