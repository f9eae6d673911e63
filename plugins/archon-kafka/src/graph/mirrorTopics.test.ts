import {
  clusterOfBrokers,
  mirroredTopics,
  mirrorSpecOf,
  replicaName,
  type MirrorSpec,
} from './mirrorTopics';

const MM2 = 'org.apache.kafka.connect.mirror.MirrorSourceConnector';

function spec(config: Record<string, string>): MirrorSpec {
  const s = mirrorSpecOf({ 'connector.class': MM2, ...config });
  if (!s || 'problem' in s) throw new Error(`no spec: ${JSON.stringify(s)}`);
  return s;
}

describe('mirrorTopics', () => {
  it('reads only MirrorSourceConnectors', () => {
    expect(
      mirrorSpecOf({
        'connector.class':
          'org.apache.kafka.connect.file.FileStreamSourceConnector',
      }),
    ).toBeUndefined();
    expect(
      mirrorSpecOf({ 'connector.class': 'MirrorSourceConnector' }),
    ).toEqual(
      expect.objectContaining({ sourceAlias: 'source', policy: 'default' }),
    );
  });

  it('names replicas under the default policy (alias + separator) and the identity policy (same name)', () => {
    expect(
      replicaName(
        spec({ 'source.cluster.alias': 'local' }),
        'sample.aggregated',
      ),
    ).toBe('local.sample.aggregated');
    expect(
      replicaName(
        spec({
          'source.cluster.alias': 'east',
          'replication.policy.separator': '_',
        }),
        'orders',
      ),
    ).toBe('east_orders');
    expect(
      replicaName(
        spec({
          'source.cluster.alias': 'east',
          'replication.policy.class':
            'org.apache.kafka.connect.mirror.IdentityReplicationPolicy',
        }),
        'orders',
      ),
    ).toBe('orders');
    expect(
      mirrorSpecOf({
        'connector.class': MM2,
        'replication.policy.class': 'com.example.MyPolicy',
      }),
    ).toEqual({ problem: expect.stringContaining('com.example.MyPolicy') });
  });

  it('selects topics as MirrorMaker does: a list of whole-name patterns, minus excludes, internals and cycles', () => {
    const source = [
      'orders',
      'orders-eu',
      'payments',
      'orders.replica',
      '__consumer_offsets',
      'mm2-offset-syncs.dr.internal',
      'dr.orders',
      'heartbeats',
    ];
    const s = spec({
      'source.cluster.alias': 'east',
      'target.cluster.alias': 'dr',
      topics: 'orders.*, pay',
    });
    // `pay` matches no whole name; `orders.replica` is excluded by default; `dr.orders` came from
    // the target (a cycle); heartbeats are always replicated.
    expect(mirroredTopics(s, source)).toEqual([
      {
        topic: 'orders',
        replica: 'east.orders',
        declared:
          'config topics=orders.*, pay (DefaultReplicationPolicy, east.)',
      },
      {
        topic: 'orders-eu',
        replica: 'east.orders-eu',
        declared:
          'config topics=orders.*, pay (DefaultReplicationPolicy, east.)',
      },
      {
        topic: 'heartbeats',
        replica: 'east.heartbeats',
        declared: 'heartbeats topic (DefaultReplicationPolicy, east.)',
      },
    ]);
    // An explicit topics.exclude replaces the default one (which excludes `.replica`).
    const excluding = spec({ topics: 'orders.*', 'topics.exclude': '.*-eu' });
    expect(mirroredTopics(excluding, source).map(m => m.topic)).toEqual([
      'orders',
      'orders.replica',
      'heartbeats',
    ]);
    // Without `topics` every topic is mirrored (MirrorMaker's default `.*`).
    expect(mirroredTopics(spec({}), ['a', 'b']).map(m => m.replica)).toEqual([
      'source.a',
      'source.b',
    ]);
    expect(mirrorSpecOf({ 'connector.class': MM2, topics: 'orders(' })).toEqual(
      { problem: expect.stringContaining('orders(') },
    );
  });

  it('finds the cluster by a broker address in common, localhost and 127.0.0.1 alike', () => {
    const clusters = [
      { name: 'local', brokers: ['127.0.0.1:9092'] },
      { name: 'dr', brokers: ['localhost:9192', 'localhost:9193'] },
    ];
    expect(clusterOfBrokers(['localhost:9092'], clusters)).toBe('local');
    expect(clusterOfBrokers(['PLAINTEXT://127.0.0.1:9193'], clusters)).toBe(
      'dr',
    );
    expect(clusterOfBrokers(['kafka.example:9092'], clusters)).toBeUndefined();
  });
});
