import request from 'supertest';
import { fixtureKafka } from '../__testUtils__/cluster';
import {
  api,
  brokers,
  group,
  prefix,
  server,
  tasks,
  topic,
  useKafkaRoutesBackend,
} from '../__testUtils__/kafkaRoutesSuite';

jest.setTimeout(180_000);

/**
 * The Kafka routes end to end: archon's backend plugin (its OpenAPI
 * validator in front), this module, the real local Kafka. The tests follow
 * one topic and one group from creation to deletion, in order: each reads
 * what the earlier ones produced and committed. The independent cluster and
 * validation tests are in kafkaClusterRoutes.test.ts.
 */
describe('/api/archon/kafka against the local Kafka', () => {
  useKafkaRoutesBackend();

  it('creates, describes, lists and alters a topic', async () => {
    const created = await request(server)
      .post(api('/local/topics'))
      .send({
        name: topic,
        partitions: 2,
        replicationFactor: 1,
        configs: { 'retention.ms': '3600000' },
      });
    expect(created.status).toBe(201);
    expect(created.body.partitions).toHaveLength(2);
    const again = await request(server)
      .post(api('/local/topics'))
      .send({ name: topic, partitions: 2, replicationFactor: 1 });
    expect(again.status).toBe(409);

    const described = await request(server).get(api(`/local/topics/${topic}`));
    expect(described.status).toBe(200);
    expect(described.body.partitions[0]).toMatchObject({
      partition: 0,
      leader: 1,
      replicas: [1],
      isr: [1],
      startOffset: 0,
      endOffset: 0,
    });
    const configs = Object.fromEntries(
      described.body.configs.map((c: { name: string }) => [c.name, c]),
    );
    expect(configs['retention.ms']).toMatchObject({
      value: '3600000',
      isOverride: true,
      source: 'topic',
    });
    expect(configs['cleanup.policy']).toMatchObject({
      value: 'delete',
      isOverride: false,
    });

    const altered = await request(server)
      .patch(api(`/local/topics/${topic}/configs`))
      .send({
        set: { 'cleanup.policy': 'compact,delete' },
        reset: ['retention.ms'],
      });
    expect(altered.status).toBe(200);
    expect(altered.body).toMatchObject({ topic, validateOnly: false });
    const after = Object.fromEntries(
      altered.body.configs.map((c: { name: string }) => [c.name, c]),
    );
    expect(after['cleanup.policy']).toMatchObject({
      value: 'compact,delete',
      isOverride: true,
    });
    expect(after['retention.ms'].isOverride).toBe(false);
    const unknown = await request(server)
      .patch(api(`/local/topics/${topic}/configs`))
      .send({ set: { 'bogus.key': '1' } });
    expect(unknown.status).toBe(400);

    const list = await request(server).get(
      api(`/local/topics?filter=${prefix}&limit=10`),
    );
    expect(list.status).toBe(200);
    expect(list.body.items).toEqual([
      expect.objectContaining({
        name: topic,
        partitions: 2,
        replicationFactor: 1,
        messages: 0,
      }),
    ]);
    const byRegex = await request(server).get(
      api(`/local/topics?regex=${encodeURIComponent(`^${prefix}ord`)}`),
    );
    expect(byRegex.body.total).toBe(1);
    expect(
      (await request(server).get(api('/local/topics?limit=0'))).status,
    ).toBe(400);
    expect(
      (await request(server).get(api('/local/topics?regex=%5B'))).status,
    ).toBe(400);
  });

  it('produces messages, counts them and reads them back in every mode and format', async () => {
    for (let i = 0; i < 6; i++) {
      const produced = await request(server)
        .post(api(`/local/topics/${topic}/messages`))
        .send({
          key: `k${i}`,
          value: JSON.stringify({ n: i }),
          partition: i % 2,
          headers: { source: 'test' },
        });
      expect(produced.status).toBe(201);
      expect(produced.body).toEqual({
        topic,
        partition: i % 2,
        offset: Math.floor(i / 2),
        count: 1,
        written: [{ partition: i % 2, offset: Math.floor(i / 2) }],
      });
    }
    const bad = await request(server)
      .post(api(`/local/topics/${topic}/messages`))
      .send({ value: 'x', partition: 7 });
    expect(bad.status).toBe(400);
    // The topic is compacted now: a record without a key is refused by the broker.
    const noKey = await request(server)
      .post(api(`/local/topics/${topic}/messages`))
      .send({ value: 'x' });
    expect(noKey.status).toBe(400);
    expect(noKey.body.error.message).toMatch(/compacted topic needs a key/);

    const list = await request(server).get(
      api(`/local/topics?filter=${prefix}`),
    );
    expect(list.body.items[0].messages).toBe(6);

    const newest = await request(server).get(
      api(`/local/topics/${topic}/messages?limit=4`),
    );
    expect(newest.status).toBe(200);
    expect(newest.body.messages).toHaveLength(4);
    expect(newest.body.truncated).toBe('count');
    const first = newest.body.messages[0];
    expect(first.value).toMatchObject({ format: 'json' });
    expect(JSON.parse(first.value.text)).toEqual({ n: 5 });
    expect(first.value.text).toContain('\n'); // pretty-printed
    expect(first.headers).toEqual([
      { key: 'source', value: { format: 'utf8', text: 'test', size: 4 } },
    ]);

    const fromOffset = await request(server).get(
      api(
        `/local/topics/${topic}/messages?partition=1&start=offset&offset=1&keyFormat=hex`,
      ),
    );
    expect(
      fromOffset.body.messages.map((m: { offset: number }) => m.offset),
    ).toEqual([1, 2]);
    expect(fromOffset.body.messages[0].key).toEqual({
      format: 'hex',
      text: Buffer.from('k3').toString('hex'),
      size: 2,
    });

    const oldest = await request(server).get(
      api(
        `/local/topics/${topic}/messages?start=oldest&limit=100&valueFormat=utf8`,
      ),
    );
    expect(oldest.body.messages).toHaveLength(6);
    expect(oldest.body.truncated).toBeNull();
    expect(oldest.body.messages[0].value).toEqual({
      format: 'utf8',
      text: '{"n":0}',
      size: 7,
    });

    const future = await request(server).get(
      api(
        `/local/topics/${topic}/messages?start=timestamp&timestamp=${
          Date.now() + 3_600_000
        }`,
      ),
    );
    expect(future.body.messages).toEqual([]);
    const past = await request(server).get(
      api(
        `/local/topics/${topic}/messages?start=timestamp&timestamp=0&limit=100`,
      ),
    );
    expect(past.body.messages).toHaveLength(6);

    const badFormat = await request(server).get(
      api(`/local/topics/${topic}/messages?valueFormat=xml`),
    );
    expect(badFormat.status).toBe(400);
    // The parameter was called `from` before; the old name is refused, not silently read as "newest".
    const oldName = await request(server).get(
      api(`/local/topics/${topic}/messages?from=oldest`),
    );
    expect(oldName.status).toBe(400);
    expect(oldName.body.error.message).toMatch(/from/);
    const missingOffset = await request(server).get(
      api(`/local/topics/${topic}/messages?start=offset`),
    );
    expect(missingOffset.status).toBe(400);
    expect(missingOffset.body.error.message).toBe(
      'start=offset needs "offset"',
    );
  });

  it('shows exactly the lag made by committed offsets, refuses resets of an active group, resets an idle one', async () => {
    // A group that committed offsets 1 (partition 0) and 2 (partition 1): lag 2 + 1.
    const commit = await request(server)
      .post(api(`/local/consumer-groups/${group}/offsets`))
      .send({
        to: 'offset',
        partitions: [
          { topic, partition: 0, offset: 1 },
          { topic, partition: 1, offset: 2 },
        ],
      });
    expect(commit.status).toBe(200);
    expect(commit.body).toMatchObject({ applied: true, totalLagAfter: 3 });
    // The audit entry says what changed, partition by partition.
    const [resetEntry] = (
      await request(server)
        .get('/api/archon/audit')
        .query({ action: 'group-offsets-reset', limit: 1 })
    ).body.items;
    expect(resetEntry).toMatchObject({
      target: { system: 'kafka', cluster: 'local', resource: group },
      before: {
        totalLag: 0,
        offsets: { [`${topic}/0`]: null, [`${topic}/1`]: null },
      },
      after: {
        totalLag: 3,
        offsets: { [`${topic}/0`]: 1, [`${topic}/1`]: 2 },
        changed: [`${topic}/0: none → 1`, `${topic}/1: none → 2`],
      },
    });

    const described = await request(server).get(
      api(`/local/consumer-groups/${group}`),
    );
    expect(described.status).toBe(200);
    expect(described.body.totalLag).toBe(3);
    // The offsets alone: the same partitions and lag, without members and topics.
    const offsets = await request(server).get(
      api(`/local/consumer-groups/${group}/offsets`),
    );
    expect(Object.keys(offsets.body).sort()).toEqual([
      'groupId',
      'partitions',
      'state',
      'totalLag',
    ]);
    expect(offsets.body).toMatchObject({
      groupId: group,
      state: described.body.state,
      totalLag: 3,
      partitions: [
        expect.objectContaining({ topic, partition: 0, committedOffset: 1 }),
        expect.objectContaining({ topic, partition: 1, committedOffset: 2 }),
      ],
    });
    expect(described.body.partitions).toEqual([
      expect.objectContaining({
        topic,
        partition: 0,
        committedOffset: 1,
        endOffset: 3,
        lag: 2,
      }),
      expect.objectContaining({
        topic,
        partition: 1,
        committedOffset: 2,
        endOffset: 3,
        lag: 1,
      }),
    ]);
    // Time lag: the next record to consume was written moments ago, not in the future.
    expect(described.body.partitions[0].timeLagMs).toBeGreaterThanOrEqual(0);
    expect(described.body.topics).toEqual([{ topic, lag: 3, partitions: 2 }]);

    const listed = await request(server).get(
      api(`/local/consumer-groups?filter=${prefix}`),
    );
    expect(listed.body.items).toEqual([
      expect.objectContaining({ groupId: group, totalLag: 3, topics: [topic] }),
    ]);

    const preview = await request(server)
      .post(api(`/local/consumer-groups/${group}/offsets`))
      .send({ to: 'earliest', dryRun: true });
    expect(preview.body).toMatchObject({
      dryRun: true,
      applied: false,
      canApply: true,
      totalLagBefore: 3,
      totalLagAfter: 6,
    });
    expect(
      (await request(server).get(api(`/local/consumer-groups/${group}`))).body
        .totalLag,
    ).toBe(3);

    // An active member: the reset is refused (dry run still previews).
    const consumer = fixtureKafka({ kafka: { brokers } } as never).consumer({
      groupId: group,
    });
    await consumer.connect();
    await consumer.subscribe({ topics: [topic] });
    await consumer.run({ autoCommit: false, eachMessage: async () => {} });
    try {
      for (let i = 0; i < 50; i++) {
        const d = await request(server).get(
          api(`/local/consumer-groups/${group}?timeLag=false`),
        );
        if (d.body.state === 'Stable') break;
        await new Promise(r => setTimeout(r, 300));
      }
      const active = await request(server).get(
        api(`/local/consumer-groups/${group}`),
      );
      expect(active.body.state).toBe('Stable');
      expect(active.body.members[0]).toMatchObject({
        clientId: 'archon-kafka-fixture',
        assignment: [{ topic, partitions: [0, 1] }],
      });
      const refused = await request(server)
        .post(api(`/local/consumer-groups/${group}/offsets`))
        .send({ to: 'latest' });
      expect(refused.status).toBe(409);
      expect(refused.body.error.message).toMatch(/1 active member/);
      const activePreview = await request(server)
        .post(api(`/local/consumer-groups/${group}/offsets`))
        .send({ to: 'latest', dryRun: true });
      expect(activePreview.body).toMatchObject({
        canApply: false,
        totalLagAfter: 0,
      });
    } finally {
      await consumer.disconnect();
    }

    const byTime = await request(server)
      .post(api(`/local/consumer-groups/${group}/offsets`))
      .send({ to: 'timestamp', timestamp: Date.now() + 3_600_000 });
    expect(byTime.status).toBe(200);
    expect(byTime.body.totalLagAfter).toBe(0);
    const clamped = await request(server)
      .post(api(`/local/consumer-groups/${group}/offsets`))
      .send({ to: 'offset', offset: 999, topics: [topic] });
    expect(
      clamped.body.partitions.every(
        (p: { clamped: boolean; newOffset: number }) =>
          p.clamped && p.newOffset === 3,
      ),
    ).toBe(true);
    const earliest = await request(server)
      .post(api(`/local/consumer-groups/${group}/offsets`))
      .send({ to: 'earliest' });
    expect(earliest.body.totalLagAfter).toBe(6);
    expect(
      (await request(server).get(api(`/local/consumer-groups/${group}`))).body
        .totalLag,
    ).toBe(6);

    const badReset = await request(server)
      .post(api(`/local/consumer-groups/${group}/offsets`))
      .send({ to: 'offset', offset: -1 });
    expect(badReset.status).toBe(400);
    expect(
      (
        await request(server)
          .post(api(`/local/consumer-groups/${group}/offsets`))
          .send({ to: 'timestamp' })
      ).status,
    ).toBe(400);
    expect(
      (await request(server).get(api(`/local/consumer-groups/${prefix}never`)))
        .status,
    ).toBe(404);
  });

  it('samples throughput and lag over time', async () => {
    const task = tasks.find(t => t.id === 'archon-kafka-sampler');
    expect(task).toBeDefined();
    const signal = new AbortController().signal;
    await task!.fn(signal);
    const more = await request(server)
      .post(api(`/local/topics/${topic}/messages`))
      .send({ key: 'k', value: 'more' });
    expect(more.body).toMatchObject({ topic });
    await new Promise(r => setTimeout(r, 50));
    await task!.fn(signal);

    const series = await request(server).get(
      api(`/local/topics/${topic}/throughput?minutes=5`),
    );
    expect(series.status).toBe(200);
    expect(series.body.items).toHaveLength(2);
    expect(
      series.body.items[1].endOffsetSum - series.body.items[0].endOffsetSum,
    ).toBe(1);
    expect(series.body.items[1].messagesPerSecond).toBeGreaterThan(0);

    const list = await request(server).get(
      api(`/local/topics?filter=${prefix}`),
    );
    expect(list.body.items[0].writeRate).toBeGreaterThan(0);

    const lag = await request(server).get(
      api(`/local/consumer-groups/${group}/lag-history`),
    );
    expect(lag.body.items).toHaveLength(2);
    expect(lag.body.items.map((p: { lag: number }) => p.lag)).toEqual([6, 7]);
    expect(lag.body.items[1].topics[topic].timeLagMs).toBeGreaterThanOrEqual(0);
  });

  it("shows the topic's usage before partition changes and deletion and needs a confirmation", async () => {
    const usage = await request(server).get(
      api(`/local/topics/${topic}/usage`),
    );
    expect(usage.status).toBe(200);
    expect(usage.body.consumerGroups).toEqual([
      expect.objectContaining({ groupId: group, state: 'Empty', lag: 7 }),
    ]);
    // The old name of the route is gone (no client outside the repo used it): a 404 in the one error shape, no redirect.
    const old = await request(server).get(api(`/local/topics/${topic}/impact`));
    expect(old.status).toBe(404);
    expect(old.body).toMatchObject({
      error: { name: 'NotFoundError' },
      response: { statusCode: 404 },
    });

    const unconfirmed = await request(server)
      .post(api(`/local/topics/${topic}/partitions`))
      .send({ count: 3 });
    expect(unconfirmed.status).toBe(422);
    expect(unconfirmed.body.error.details.usage.consumerGroups[0].groupId).toBe(
      group,
    );
    const dry = await request(server)
      .post(api(`/local/topics/${topic}/partitions`))
      .send({ count: 3, dryRun: true });
    expect(dry.body).toMatchObject({ from: 2, to: 3, dryRun: true });
    const fewer = await request(server)
      .post(api(`/local/topics/${topic}/partitions`))
      .send({ count: 1, confirm: topic });
    expect(fewer.status).toBe(400);
    const more = await request(server)
      .post(api(`/local/topics/${topic}/partitions`))
      .send({ count: 3, confirm: topic });
    expect(more.status).toBe(200);
    expect(more.body).toMatchObject({
      topic,
      from: 2,
      to: 3,
      dryRun: false,
      usage: { topic },
    });
    expect(
      (await request(server).get(api(`/local/topics/${topic}`))).body
        .partitions,
    ).toHaveLength(3);

    const noConfirm = await request(server).delete(
      api(`/local/topics/${topic}`),
    );
    expect(noConfirm.status).toBe(422);
    expect(noConfirm.body.error.details.requiredConfirmation).toBe(topic);
    const wrong = await request(server).delete(
      api(`/local/topics/${topic}?confirm=other`),
    );
    expect(wrong.status).toBe(422);
    const deleted = await request(server).delete(
      api(`/local/topics/${topic}?confirm=${topic}`),
    );
    expect(deleted.status).toBe(200);
    expect(deleted.body.deleted).toBe(topic);
    expect(deleted.body.usage.consumerGroups[0].groupId).toBe(group);
    expect(deleted.body.before).toBeUndefined();
    const [deleteEntry] = (
      await request(server)
        .get('/api/archon/audit')
        .query({ action: 'topic-delete', outcome: 'success', limit: 1 })
    ).body.items;
    expect(deleteEntry).toMatchObject({
      target: { resource: topic },
      // 3 partitions after the addition, 7 records, cleanup.policy the one override left.
      before: {
        partitions: 3,
        replicationFactor: 1,
        messages: 7,
        configOverrides: 1,
        consumerGroups: [group],
        connectors: [],
      },
      after: { deleted: true },
    });
    expect(
      (await request(server).get(api(`/local/topics/${topic}`))).status,
    ).toBe(404);

    const groupDeleted = await request(server).delete(
      api(`/local/consumer-groups/${group}`),
    );
    expect(groupDeleted.status).toBe(200);
    expect(groupDeleted.body).toEqual({ deleted: group });
  });
});
