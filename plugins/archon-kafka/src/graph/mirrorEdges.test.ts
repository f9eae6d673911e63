import { connectorMirror, type MirrorClusters } from './mirrorEdges';

const MM2 = 'org.apache.kafka.connect.mirror.MirrorSourceConnector';
const clusters = (
  topics: Record<string, Record<string, number | undefined>>,
): MirrorClusters => ({
  kafka: [
    { name: 'local', brokers: ['127.0.0.1:9092'] },
    { name: 'dr', brokers: ['127.0.0.1:9192'] },
  ],
  topics: new Map(
    Object.entries(topics).map(([c, t]) => [c, new Map(Object.entries(t))]),
  ),
});
const config = {
  'connector.class': MM2,
  'source.cluster.alias': 'local',
  'target.cluster.alias': 'dr',
  'source.cluster.bootstrap.servers': 'localhost:9092',
  'target.cluster.bootstrap.servers': 'localhost:9192',
  topics: 'sample.aggregated',
};

describe('connectorMirror', () => {
  it('places the two ends on the clusters the bootstrap servers name, with source-writes to the replica where the worker writes', () => {
    const mirror = connectorMirror(
      'connector:dr/m',
      'm',
      config,
      'dr',
      clusters({
        local: { 'sample.aggregated': 1, 'sample.raw': 1 },
        dr: {},
      }),
    )!;
    expect(mirror.edges).toEqual([
      {
        from: 'topic:local/sample.aggregated',
        to: 'topic:dr/local.sample.aggregated',
        kind: 'mirrors',
        evidence: {
          declared: [
            'connector m: config topics=sample.aggregated (DefaultReplicationPolicy, local.)',
          ],
        },
      },
      {
        from: 'connector:dr/m',
        to: 'topic:dr/local.sample.aggregated',
        kind: 'source-writes',
        evidence: {
          declared: [
            'config topics=sample.aggregated (DefaultReplicationPolicy, local.), replica of sample.aggregated',
          ],
        },
      },
    ]);
    expect(mirror.attributes.mirror).toMatchObject({
      sourceCluster: 'local',
      targetCluster: 'dr',
    });
  });

  it("observes MirrorMaker's heartbeats and checkpoints reaching the target when they move", () => {
    const mirror = connectorMirror(
      'connector:dr/m',
      'm',
      config,
      'dr',
      clusters({
        local: { 'sample.aggregated': 1 },
        dr: { 'local.heartbeats': 1, 'local.checkpoints.internal': 0 },
      }),
    )!;
    expect(mirror.edges[0].evidence?.observed).toEqual([
      "MirrorMaker's heartbeats reach dr: local.heartbeats moves (1.0 msg/s)",
    ]);
  });

  it('says why it draws nothing: a source nobody knows, an unknown policy; other connectors are no mirrors', () => {
    const unknown = connectorMirror(
      'connector:dr/m',
      'm',
      {
        ...config,
        'source.cluster.alias': 'east',
        'source.cluster.bootstrap.servers': 'kafka.east:9092',
      },
      'dr',
      clusters({ local: {}, dr: {} }),
    )!;
    expect(unknown.edges).toEqual([]);
    expect(unknown.attributes.mirror).toMatchObject({
      problem:
        "the source cluster's bootstrap servers match no Kafka cluster archon knows",
    });
    expect(
      connectorMirror(
        'connector:dr/m',
        'm',
        { ...config, 'replication.policy.class': 'x.Custom' },
        'dr',
        clusters({}),
      )!.attributes.mirror,
    ).toEqual({ problem: expect.stringContaining('x.Custom') });
    expect(
      connectorMirror(
        'connector:dr/f',
        'f',
        { 'connector.class': 'FileStreamSourceConnector', topic: 'x' },
        'dr',
        clusters({}),
      ),
    ).toBeUndefined();
  });
});
