import { mockServices } from '@backstage/backend-test-utils';
import {
  fixtureKafka,
  testCluster,
  testPrefix,
} from '../../__testUtils__/cluster';
import { KafkaClientFactory } from '../KafkaClientFactory';
import { EARLIEST, LATEST } from './wire';
import { tpKey } from './KafkaAdapter';

jest.setTimeout(120_000);

describe('KafkajsAdapter against the local Kafka', () => {
  const prefix = testPrefix('adapter');
  const topic = `${prefix}t`;
  let factory: KafkaClientFactory;

  beforeAll(async () => {
    const info = await testCluster();
    factory = new KafkaClientFactory(
      [
        {
          name: 'local',
          brokers: info.kafka.brokers,
          clientId: 'archon-test',
          requestTimeoutMs: 10000,
        },
      ],
      mockServices.logger.mock(),
    );
  });

  afterAll(async () => {
    await factory
      .adapter('local')
      .deleteTopic(topic)
      .catch(() => {});
    await factory.close();
  });

  it('creates a topic, reads offsets, commits and fetches group offsets, alters configs incrementally', async () => {
    const kafka = factory.adapter('local');
    await kafka.createTopic(
      {
        name: topic,
        partitions: 3,
        replicationFactor: 1,
        configs: { 'retention.ms': '3600000', 'cleanup.policy': 'delete' },
      },
      false,
    );
    const meta = await kafka.metadata();
    expect(meta.topics.find(t => t.name === topic)?.partitions).toHaveLength(3);

    for (let i = 0; i < 5; i++) {
      await kafka.produce({
        topic,
        partition: 1,
        key: Buffer.from(`k${i}`),
        value: Buffer.from(`{"i":${i}}`),
        headers: { h: 'v' },
      });
    }
    const tps = [0, 1, 2].map(partition => ({ topic, partition }));
    const latest = await kafka.listOffsets(tps, LATEST);
    const earliest = await kafka.listOffsets(tps, EARLIEST);
    expect(latest.get(tpKey(topic, 1))?.offset).toBe(5);
    expect(latest.get(tpKey(topic, 0))?.offset).toBe(0);
    expect(earliest.get(tpKey(topic, 1))?.offset).toBe(0);

    const group = `${prefix}g`;
    await kafka.commitOffsets(group, [{ topic, partition: 1, offset: 2 }]);
    const committed = await kafka.committedOffsets([group, `${prefix}none`]);
    expect(committed.get(group)).toEqual([{ topic, partition: 1, offset: 2 }]);
    expect(committed.get(`${prefix}none`)).toEqual([]);

    const fetched = await kafka.fetch(
      [{ topic, partition: 1, offset: 3 }],
      { maxWaitMs: 100, maxBytes: 1 << 20, partitionMaxBytes: 1 << 20 },
      await kafka.metadata(),
    );
    const records = fetched[0].records.filter(r => r.offset >= 3);
    expect(records.map(r => r.value?.toString())).toEqual([
      '{"i":3}',
      '{"i":4}',
    ]);
    expect(records[0].headers).toEqual([{ key: 'h', value: Buffer.from('v') }]);

    await kafka.alterTopicConfigs(
      topic,
      [{ name: 'retention.ms', op: 'set', value: '7200000' }],
      false,
    );
    const configs = (await kafka.describeTopicConfigs([topic])).get(topic)!;
    const byName = Object.fromEntries(configs.map(c => [c.name, c]));
    expect(byName['retention.ms']).toMatchObject({
      value: '7200000',
      isOverride: true,
    });
    // Incremental: the other override survives (kafkajs' alterConfigs would drop it).
    expect(byName['cleanup.policy']).toMatchObject({
      value: 'delete',
      isOverride: true,
    });
    expect(byName['segment.bytes'].isOverride).toBe(false);
    // Asked by name: only those entries, with the same values.
    const named = (
      await kafka.describeTopicConfigs(
        [topic],
        ['retention.ms', 'retention.bytes'],
      )
    ).get(topic)!;
    expect(named.map(c => c.name).sort()).toEqual([
      'retention.bytes',
      'retention.ms',
    ]);
    expect(named.find(c => c.name === 'retention.ms')).toMatchObject({
      value: '7200000',
      isOverride: true,
    });

    await kafka.deleteGroup(group);
  });

  it('sees a kafkajs consumer group with its members and assignment', async () => {
    const kafka = factory.adapter('local');
    const group = `${prefix}live`;
    const consumer = fixtureKafka(await testCluster()).consumer({
      groupId: group,
    });
    await consumer.connect();
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    let seen = 0;
    await consumer.run({ eachMessage: async () => void seen++ });
    try {
      for (let i = 0; i < 100 && seen < 5; i++)
        await new Promise(r => setTimeout(r, 200));
      const [d] = await kafka.describeGroups([group]);
      expect(d.state).toBe('Stable');
      expect(d.members).toHaveLength(1);
      expect(d.members[0].assignment?.[0]).toEqual({
        topic,
        partitions: [0, 1, 2],
      });
      expect((await kafka.listGroups()).map(g => g.groupId)).toContain(group);
    } finally {
      await consumer.disconnect();
    }
    await kafka.deleteGroup(group);
  });
});
