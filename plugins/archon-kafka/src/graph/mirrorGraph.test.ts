import { testNamespace, waitFor } from '@archon/test-utils';
import { Kafka, logLevel } from 'kafkajs';
import { localGraphContributor } from '../__testUtils__/localGraphContributor';

jest.setTimeout(240_000);

/**
 * A real MirrorMaker 2 source connector on the local Connect worker (whose
 * plugin path holds connect-mirror), replicating a topic of the local Kafka
 * to a replica on the same broker under another alias (one Kafka cluster is
 * enough to prove the naming, the broker matching and the data; the two
 * environment case is the sample pipeline's test).
 */
describe('mirrors from a MirrorSourceConnector', () => {
  const ns = testNamespace('mirror');
  const p = ns.topicPrefix;
  // The alias starts with the prefix, so the replica is one of this file's topics and is removed after.
  const alias = `${p}src`;
  const topic = `${p}orders`;
  const replica = `${alias}.${topic}`;
  const connector = `${p}mirror`;
  const { cluster, clients, connect, contributor } = localGraphContributor({
    clientId: 'archon-mirror-test',
  });
  const fixture = new Kafka({
    clientId: 'archon-mirror-fixture',
    brokers: cluster.kafka.brokers,
    logLevel: logLevel.NOTHING,
  });

  beforeAll(async () => {
    const admin = fixture.admin();
    await admin.connect();
    await admin.createTopics({
      waitForLeaders: true,
      topics: [{ topic, numPartitions: 1 }],
    });
    await admin.disconnect();
    const producer = fixture.producer();
    await producer.connect();
    await producer.send({
      topic,
      messages: [{ value: 'one' }, { value: 'two' }],
    });
    await producer.disconnect();
    // The bootstrap servers spelled with `localhost`, archon's with 127.0.0.1: one broker.
    const servers = cluster.kafka.brokers
      .map(b => b.replace('127.0.0.1', 'localhost'))
      .join(',');
    await connect.create('local', connector, {
      'connector.class':
        'org.apache.kafka.connect.mirror.MirrorSourceConnector',
      'tasks.max': '1',
      'source.cluster.alias': alias,
      'target.cluster.alias': `${p}tgt`,
      'source.cluster.bootstrap.servers': servers,
      'target.cluster.bootstrap.servers': servers,
      topics: `${p}ord.*`,
      'replication.factor': '1',
      'sync.topic.acls.enabled': 'false',
      'sync.topic.configs.enabled': 'false',
      'emit.offset-syncs.enabled': 'false',
      'refresh.topics.interval.seconds': '5',
      'key.converter': 'org.apache.kafka.connect.converters.ByteArrayConverter',
      'value.converter':
        'org.apache.kafka.connect.converters.ByteArrayConverter',
    });
  });

  afterAll(async () => {
    await connect.delete('local', connector).catch(() => undefined);
    const admin = fixture.admin();
    await admin.connect();
    await admin
      .deleteTopics({ topics: [topic, replica] })
      .catch(() => undefined);
    await admin.disconnect();
    await clients.close();
  });

  it('draws topic -mirrors-> replica declared from the config, and the replica receives the records', async () => {
    // MirrorMaker creates the replica and copies the two records into it.
    const kafka = clients.adapter('local');
    await waitFor(
      async () => {
        const meta = await kafka.metadata();
        const t = meta.topics.find(x => x.name === replica);
        if (!t) return undefined;
        const ends = await kafka.listOffsets(
          t.partitions.map(x => ({ topic: replica, partition: x.partition })),
          -1,
          meta,
        );
        const total = [...ends.values()].reduce((a, e) => a + e.offset, 0);
        return total >= 2 ? total : undefined;
      },
      180_000,
      `MirrorMaker to copy ${topic} into ${replica}`,
      1000,
    );

    const graph = await waitFor(
      async () => {
        const g = await contributor.snapshot({
          signal: new AbortController().signal,
        });
        return g.nodes.some(n => n.id === `topic:local/${replica}`) &&
          g.edges.some(
            e =>
              e.kind === 'source-writes' &&
              e.to === `topic:local/${replica}` &&
              e.evidence?.observed?.length,
          )
          ? g
          : undefined;
      },
      120_000,
      'the graph to show the replica and the connector writing it',
      2000,
    );
    const mirrors = graph.edges.filter(
      e => e.kind === 'mirrors' && e.from.startsWith(`topic:local/${p}`),
    );
    expect(mirrors).toEqual([
      {
        from: `topic:local/${topic}`,
        to: `topic:local/${replica}`,
        kind: 'mirrors',
        evidence: {
          declared: [
            `connector ${connector}: config topics=${p}ord.* (DefaultReplicationPolicy, ${alias}.)`,
          ],
        },
      },
    ]);
    // The connector writes the replica (declared by the policy, observed by Connect), and reads
    // nothing of its own cluster by `topics`: no source-writes edge to the source topic.
    const writes = graph.edges.filter(
      e =>
        e.kind === 'source-writes' && e.from === `connector:local/${connector}`,
    );
    expect(writes.map(e => e.to)).toEqual([`topic:local/${replica}`]);
    expect(writes[0].evidence?.declared?.[0]).toContain(`replica of ${topic}`);
    const node = graph.nodes.find(n => n.id === `connector:local/${connector}`);
    expect(node?.attributes?.mirror).toEqual({
      sourceAlias: alias,
      targetAlias: `${p}tgt`,
      sourceCluster: 'local',
      targetCluster: 'local',
      policy: 'default',
    });
  });
});
