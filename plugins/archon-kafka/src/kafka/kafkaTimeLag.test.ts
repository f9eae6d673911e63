import { Kafka, logLevel, type Admin } from 'kafkajs';
import request from 'supertest';
import { eventually, produceAt } from '@archon/test-utils';
import { testPrefix } from '../__testUtils__/cluster';
import {
  brokers,
  server,
  tasks,
  useKafkaRoutesBackend,
} from '../__testUtils__/kafkaRoutesSuite';

jest.setTimeout(240_000);

// Time lag on the real local Kafka (#18): records whose timestamps are set in
// the past, groups committed at chosen offsets, the sampler run by hand; the
// group list, its `lagging` filter, the detail, the lag history, the topic
// list, the graph and the Home count all tell the same figure.
describe('consumer group time lag', () => {
  const prefix = testPrefix('tlag');
  const topic = `${prefix}events`;
  const behind = `${prefix}behind`;
  const current = `${prefix}current`;
  const truncated = `${prefix}truncated`;
  /** How old the first five records are: well over the 60 s threshold. */
  const AGE_MS = 10 * 60_000;
  let admin: Admin;

  afterAll(async () => {
    await request(server).delete(
      `/api/archon/kafka/local/topics/${topic}?confirm=${topic}`,
    );
    await admin
      ?.deleteGroups([behind, current, truncated])
      .catch(() => undefined);
    await admin?.disconnect();
  });

  useKafkaRoutesBackend({ kafka: { graph: { refreshIntervalSeconds: 2 } } });

  const sample = async () => {
    const sampler = tasks.find(t => t.id === 'archon-kafka-sampler')!;
    await sampler.fn(new AbortController().signal as any);
  };
  const setOffset = (groupId: string, offset: number) =>
    admin.setOffsets({
      groupId,
      topic,
      partitions: [{ partition: 0, offset: String(offset) }],
    });
  const listed = async (query = '') => {
    const res = await request(server).get(
      `/api/archon/kafka/local/consumer-groups?filter=${prefix}${query}`,
    );
    expect(res.status).toBe(200);
    return res.body;
  };
  const row = (list: any, groupId: string) =>
    list.items.find((g: any) => g.groupId === groupId);

  beforeAll(async () => {
    admin = new Kafka({
      clientId: 'tlag-test',
      brokers,
      logLevel: logLevel.NOTHING,
    }).admin();
    await admin.connect();
    const created = await request(server)
      .post('/api/archon/kafka/local/topics')
      .send({ name: topic, partitions: 1, replicationFactor: 1 });
    if (created.status !== 201)
      throw new Error(`creating ${topic}: ${JSON.stringify(created.body)}`);
    // Offsets 0-4 written ten minutes ago (by their record timestamp), 5-9 now.
    const old = Date.now() - AGE_MS;
    await produceAt({
      brokers,
      topic,
      records: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9].map(i => ({
        value: `record-${i}`,
        timestamp: i < 5 ? old : Date.now(),
      })),
    });
  });

  it('measures the age of the record at the committed offset and marks the group lagging', async () => {
    await setOffset(behind, 2);
    await setOffset(current, 10);
    await sample();

    const list = await listed();
    expect(list.lagThresholdSeconds).toBe(60);
    expect(typeof list.timeLagAsOf).toBe('string');
    const late = row(list, behind);
    expect(late.totalLag).toBe(8);
    // The record at offset 2 was written AGE_MS ago: the sample is that old plus a few seconds.
    expect(late.timeLagMs).toBeGreaterThanOrEqual(AGE_MS);
    expect(late.timeLagMs).toBeLessThan(AGE_MS + 60_000);
    expect(late.lagging).toBe(true);
    expect(late.timeLagUnknown).toBeUndefined();
    // Nothing left to consume: 0, measured, not lagging.
    expect(row(list, current)).toMatchObject({
      totalLag: 0,
      timeLagMs: 0,
      lagging: false,
    });

    const lagging = await listed('&lagging=true');
    expect(lagging.items.map((g: any) => g.groupId)).toEqual([behind]);
    expect(lagging.total).toBe(1);

    const detail = await request(server).get(
      `/api/archon/kafka/local/consumer-groups/${behind}`,
    );
    expect(detail.status).toBe(200);
    expect(detail.body.maxTimeLagMs).toBeGreaterThanOrEqual(AGE_MS);
    expect(detail.body.lagging).toBe(true);
    expect(detail.body.partitions[0].timeLagMs).toBeGreaterThanOrEqual(AGE_MS);

    const history = await request(server).get(
      `/api/archon/kafka/local/consumer-groups/${behind}/lag-history`,
    );
    const last = history.body.items[history.body.items.length - 1];
    expect(last.timeLagMs).toBeGreaterThanOrEqual(AGE_MS);
    expect(last.topics[topic].timeLagMs).toBe(last.timeLagMs);

    const topics = await request(server).get(
      `/api/archon/kafka/local/topics?filter=${topic}`,
    );
    expect(topics.body.items[0].maxTimeLagMs).toBe(late.timeLagMs);

    // The graph (refreshed every 2 s here) and the Home count use the same rule.
    await eventually(async () => {
      const node = await request(server).get(
        `/api/archon/graph/nodes/${encodeURIComponent(
          `group:local/${behind}`,
        )}`,
      );
      expect(node.status).toBe(200);
      expect(node.body.node.attributes.lagging).toBe(true);
      expect(node.body.node.status.metrics.timeLagMs).toBe(late.timeLagMs);
      const consumes = node.body.edges.find(
        (e: any) => e.kind === 'consumes-from',
      );
      expect(consumes.evidence.observed.join(' ')).toMatch(/s behind on/);
      // The same figure as a number on the edge, lagging by the same rule.
      expect(consumes.metrics).toEqual({ timeLagMs: late.timeLagMs });
      expect(consumes.lagging).toBe(true);
      const home = await request(server).get('/api/archon/home/summary');
      const count = home.body.counts.find(
        (c: any) => c.id === 'groups-lagging',
      );
      expect(count.items).toContain(`group:local/${behind}`);
      expect(count.items).not.toContain(`group:local/${current}`);
    }, 60_000);
  });

  it('is 0 and no longer lagging once the group commits to the end', async () => {
    await setOffset(behind, 10);
    await sample();
    const list = await listed();
    expect(row(list, behind)).toMatchObject({
      totalLag: 0,
      timeLagMs: 0,
      lagging: false,
    });
    const lagging = await listed('&lagging=true');
    expect(lagging.items).toEqual([]);
  });

  it('is unknown, with why, when the record at the committed offset was deleted', async () => {
    await setOffset(truncated, 1);
    await admin.deleteTopicRecords({
      topic,
      partitions: [{ partition: 0, offset: '5' }],
    });
    await sample();
    const late = row(await listed(), truncated);
    expect(late.totalLag).toBe(9);
    expect(late.timeLagMs).toBeNull();
    expect(late.lagging).toBe(false);
    expect(late.timeLagUnknown).toMatch(
      /committed offset 1 is no longer in the log/,
    );
    const detail = await request(server).get(
      `/api/archon/kafka/local/consumer-groups/${truncated}`,
    );
    expect(detail.body.partitions[0].timeLagMs).toBeNull();
    expect(detail.body.partitions[0].timeLagUnknown).toMatch(
      /no longer in the log/,
    );
    expect(detail.body.maxTimeLagMs).toBeNull();
    expect(detail.body.timeLagUnknown).toMatch(/^1 partition: /);
  });
});
