import { Kafka, logLevel } from 'kafkajs';
import request from 'supertest';
import { eventually } from '@archon/test-utils';
import { testPrefix } from '../__testUtils__/cluster';
import {
  brokers,
  server,
  tasks,
  useKafkaRoutesBackend,
} from '../__testUtils__/kafkaRoutesSuite';

jest.setTimeout(240_000);

// The topic list's figures and sorting on the real local Kafka: two topics
// with known contents, a consumer group on one of them, the sampler run by hand.
describe('GET /kafka/{cluster}/topics: figures and sort', () => {
  const prefix = testPrefix('klist');
  const big = `${prefix}big`;
  const small = `${prefix}small`;
  const group = `${prefix}readers`;
  const list = (query: string) =>
    request(server).get(
      `/api/archon/kafka/local/topics?filter=${prefix}&${query}`,
    );

  // Declared first: jest runs afterAll hooks in declaration order, and the
  // topics go while the backend still runs (it stops in the suite's own).
  afterAll(async () => {
    for (const name of [big, small]) {
      await request(server).delete(
        `/api/archon/kafka/local/topics/${name}?confirm=${name}`,
      );
    }
  });

  useKafkaRoutesBackend();

  beforeAll(async () => {
    for (const [name, configs] of [
      [big, { 'retention.ms': '3600000' }],
      [small, {}],
    ] as const) {
      const created = await request(server)
        .post('/api/archon/kafka/local/topics')
        .send({ name, partitions: 1, replicationFactor: 1, configs });
      if (created.status !== 201)
        throw new Error(`creating ${name}: ${JSON.stringify(created.body)}`);
    }
  });

  it('says which figures are unknown and why before anything was sampled', async () => {
    const res = await list('sort=name');
    expect(res.status).toBe(200);
    expect(res.body.items.map((t: any) => t.name)).toEqual([big, small]);
    const [first] = res.body.items;
    expect(first.messages).toBe(0);
    expect(first.retentionMs).toBe(3_600_000);
    expect(res.body.items[1].retentionMs).toBe(604_800_000);
    // No lag sample yet: unknown with why, not 0 groups.
    expect(first.consumerGroups).toBeNull();
    expect(first.maxLag).toBeNull();
    expect(first.unknown.consumerGroups).toMatch(/no lag sample/);
    expect(first.writeRate).toBeNull();
    expect(first.unknown.writeRate).toMatch(/sampler/);
    expect(first.sizeBytes).toBe(0);
    expect(first.unknown.sizeBytes).toBeUndefined();
  });

  it('counts bytes on disk and messages, and sorts the page by them', async () => {
    for (const [name, count] of [
      [big, 5],
      [small, 1],
    ] as const) {
      const produced = await request(server)
        .post(`/api/archon/kafka/local/topics/${name}/messages`)
        .send({ key: 'k', value: 'x'.repeat(200), count });
      expect(produced.status).toBe(201);
    }
    await eventually(async () => {
      const res = await list('sort=messages&order=desc');
      expect(res.status).toBe(200);
      expect(res.body.items.map((t: any) => [t.name, t.messages])).toEqual([
        [big, 5],
        [small, 1],
      ]);
      const [b, s] = res.body.items;
      expect(b.sizeBytes).toBeGreaterThan(5 * 200);
      expect(s.sizeBytes).toBeGreaterThan(200);
      expect(b.sizeBytes).toBeGreaterThan(s.sizeBytes);
    }, 30_000);
    const ascending = await list('sort=sizeBytes&order=asc');
    expect(ascending.body.items.map((t: any) => t.name)).toEqual([small, big]);
    const byRetention = await list('sort=retentionMs');
    expect(byRetention.body.items.map((t: any) => t.name)).toEqual([
      big,
      small,
    ]);
    // Paged by the sort: the second page starts after the first's last row.
    const first = await list('sort=messages&order=desc&limit=1');
    expect(first.body.items.map((t: any) => t.name)).toEqual([big]);
    const second = await list(
      `sort=messages&order=desc&limit=1&cursor=${first.body.nextCursor}`,
    );
    expect(second.body.items.map((t: any) => t.name)).toEqual([small]);
    expect(second.body.nextCursor).toBeUndefined();
  });

  it('counts consumer groups and their largest lag from the latest lag sample', async () => {
    const admin = new Kafka({
      clientId: 'klist-test',
      brokers,
      logLevel: logLevel.NOTHING,
    }).admin();
    await admin.connect();
    try {
      await admin.setOffsets({
        groupId: group,
        topic: big,
        partitions: [{ partition: 0, offset: '2' }],
      });
    } finally {
      await admin.disconnect();
    }
    const sampler = tasks.find(t => t.id === 'archon-kafka-sampler')!;
    await sampler.fn(new AbortController().signal as any);
    await sampler.fn(new AbortController().signal as any);
    const res = await list('sort=maxLag&order=desc');
    expect(res.status).toBe(200);
    const [b, s] = res.body.items;
    expect([b.name, b.consumerGroups, b.maxLag]).toEqual([big, 1, 3]);
    // A topic no group reads: 0 groups, and no lag to show.
    expect([s.name, s.consumerGroups, s.maxLag]).toEqual([small, 0, null]);
    expect(s.unknown?.consumerGroups).toBeUndefined();
    expect(typeof b.writeRate).toBe('number');
    // Sorted by a group figure, the row shows all of that read's figures
    // (the time lag was null here when only the sorted-by ones were copied).
    expect(b.maxTimeLagMs).toEqual(expect.any(Number));
  });

  it('reads only the figures `fields` asks for: absent when not asked, the sort figure always', async () => {
    const counts = await list('fields=messages');
    expect(counts.status).toBe(200);
    const [b] = counts.body.items;
    expect(b).toMatchObject({ name: big, partitions: 1, messages: 5 });
    for (const notAsked of [
      'sizeBytes',
      'retentionMs',
      'retentionBytes',
      'writeRate',
      'consumerGroups',
      'maxLag',
      'maxTimeLagMs',
    ])
      expect(b).not.toHaveProperty(notAsked);

    const names = await list('fields=name');
    expect(Object.keys(names.body.items[0]).sort()).toEqual(
      [
        'internal',
        'name',
        'offlinePartitions',
        'partitions',
        'replicationFactor',
        'underReplicatedPartitions',
      ].sort(),
    );

    const sorted = await list('fields=messages&sort=retentionMs');
    expect(
      sorted.body.items.map((t: any) => [t.name, t.messages, t.retentionMs]),
    ).toEqual([
      [big, 5, 3_600_000],
      [small, 1, 604_800_000],
    ]);
    expect(sorted.body.items[0]).not.toHaveProperty('sizeBytes');

    const wrong = await list('fields=messages,size');
    expect(wrong.status).toBe(400);
    expect(wrong.body.error.message).toMatch(
      /fields: "size" is not a field of a topic; the fields are .*sizeBytes/,
    );
  });

  it('answers 400 naming the sort fields for an unknown sort', async () => {
    const res = await list('sort=size');
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(/sort/);
  });
});
