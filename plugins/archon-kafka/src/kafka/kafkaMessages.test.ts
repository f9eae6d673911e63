import request from 'supertest';
import { waitFor } from '@archon/test-utils';
import {
  api,
  prefix,
  server,
  useKafkaRoutesBackend,
} from '../__testUtils__/kafkaRoutesSuite';
import { followTail } from '../__testUtils__/followTail';
import { activeTails } from './messageTail';

jest.setTimeout(180_000);

const topic = `${prefix}messages`;
const messages = api(`/local/topics/${topic}/messages`);

/** Follows the topic's live tail with these query values. */
const follow = (query: string) =>
  followTail(server, `${messages}/tail?${query}`);

describe('Kafka messages: filter, progress, live tail and copies against the local Kafka', () => {
  useKafkaRoutesBackend();

  beforeAll(async () => {
    const created = await request(server)
      .post(api('/local/topics'))
      .send({ name: topic, partitions: 3, replicationFactor: 1 });
    if (created.status !== 201)
      throw new Error(`creating ${topic}: ${JSON.stringify(created.body)}`);
  });

  afterAll(async () => {
    await request(server).delete(
      api(`/local/topics/${topic}?confirm=${topic}`),
    );
  });

  it('produces copies in one send, audited, and refuses a count out of bounds naming it', async () => {
    const copies = await request(server)
      .post(messages)
      .send({ key: 'noise', value: '{"user":{"id":7}}', count: 40 });
    expect(copies.status).toBe(201);
    expect(copies.body.count).toBe(40);
    // One key: one partition, 40 consecutive offsets from the first.
    expect(copies.body.written).toEqual([
      { partition: copies.body.partition, offset: copies.body.offset },
    ]);
    for (const count of [0, 101]) {
      const bad = await request(server)
        .post(messages)
        .send({ value: 'x', count });
      expect(bad.status).toBe(400);
      expect(bad.body.error.message).toMatch(/count/);
    }
  });

  it('still produces after a topic it wrote to was deleted (a kafkajs producer alone would not)', async () => {
    const create = (name: string) =>
      request(server)
        .post(api('/local/topics'))
        .send({ name, partitions: 1, replicationFactor: 1 });
    const produce = (name: string) =>
      request(server)
        .post(api(`/local/topics/${name}/messages`))
        .send({ value: name });
    const remove = (name: string) =>
      request(server).delete(api(`/local/topics/${name}?confirm=${name}`));
    const gone = `${prefix}gone`;
    const fresh = `${prefix}fresh`;
    expect((await create(gone)).status).toBe(201);
    expect((await produce(gone)).status).toBe(201);
    expect((await remove(gone)).status).toBe(200);
    expect((await create(fresh)).status).toBe(201);
    expect((await produce(fresh)).status).toBe(201);
    await remove(fresh);
  });

  it('finds a record by key, substring and JSON path among others, with progress, and continues with the cursor', async () => {
    for (const partition of [0, 1, 2]) {
      const noise = await request(server)
        .post(messages)
        .send({ value: `{"user":{"id":${partition}}}`, partition, count: 20 });
      expect(noise.status).toBe(201);
    }
    const needle = await request(server)
      .post(messages)
      .send({
        key: 'needle',
        value: '{"user":{"id":42},"note":"find me"}',
        partition: 1,
        headers: { trace: 't-1' },
      });
    expect(needle.status).toBe(201);
    const total = 40 + 60 + 1;

    for (const filter of [
      'key=needle',
      'valueContains=find%20me',
      `jsonPath=${encodeURIComponent('$.user.id == 42')}`,
    ]) {
      const found = await request(server).get(`${messages}?${filter}`);
      expect(found.status).toBe(200);
      expect(found.body.messages).toHaveLength(1);
      expect(found.body.messages[0]).toMatchObject({
        partition: 1,
        offset: needle.body.offset,
        key: { text: 'needle' },
        headers: [{ key: 'trace', value: { text: 't-1' } }],
      });
      expect(found.body.scan).toEqual({
        scanned: total,
        matched: 1,
        total,
        remaining: 0,
        cursor: null,
      });
    }

    // A small scan budget: the answer says how far it got and where to go on.
    const query = `start=oldest&scanLimit=30&jsonPath=${encodeURIComponent(
      '$.user.id < 42',
    )}`;
    let page = await request(server).get(`${messages}?${query}`);
    expect(page.status).toBe(200);
    expect(page.body.scan.scanned).toBeGreaterThan(0);
    expect(page.body.scan.scanned).toBeLessThanOrEqual(30);
    expect(page.body.scan.remaining).toBe(total - page.body.scan.scanned);
    let scanned = page.body.scan.scanned;
    let matched = page.body.messages.length;
    let pages = 1;
    while (page.body.scan.cursor) {
      page = await request(server).get(
        `${messages}?${query}&cursor=${encodeURIComponent(
          page.body.scan.cursor,
        )}`,
      );
      expect(page.status).toBe(200);
      scanned += page.body.scan.scanned;
      matched += page.body.messages.length;
      pages += 1;
    }
    expect(pages).toBeGreaterThan(3);
    expect(scanned).toBe(total);
    expect(matched).toBe(100);

    // Newest first: the page holds the newest matches and the cursor the older rest.
    const newest = await request(server).get(
      `${messages}?limit=5&valueContains=user`,
    );
    expect(newest.body.messages).toHaveLength(5);
    expect(newest.body.messages[0].key.text).toBe('needle');
    expect(newest.body.scan.cursor).not.toBeNull();
  });

  it('refuses bad filter input with a 400 naming the field', async () => {
    const path = await request(server).get(
      `${messages}?jsonPath=${encodeURIComponent('user.id == 1')}`,
    );
    expect(path.status).toBe(400);
    expect(path.body.error.message).toMatch(/^jsonPath: must start with "\$"/);
    const cursor = await request(server).get(`${messages}?cursor=nonsense`);
    expect(cursor.status).toBe(400);
    expect(cursor.body.error.message).toMatch(/^cursor: /);
    const scan = await request(server).get(`${messages}?scanLimit=0`);
    expect(scan.status).toBe(400);
    expect(scan.body.error.message).toMatch(/scanLimit/);
    const tail = await request(server).get(
      `${messages}/tail?jsonPath=${encodeURIComponent('$.a ==')}`,
    );
    expect(tail.status).toBe(400);
    expect(tail.body.error.message).toMatch(/^jsonPath: /);
    const partition = await request(server).get(`${messages}/tail?partition=9`);
    expect(partition.status).toBe(400);
    expect(partition.body.error.message).toMatch(/has no partition 9/);
  });

  it('tails records produced after it started, filtered, and stops fetching when the client goes away', async () => {
    const before = activeTails();
    const tail = follow(`valueContains=live&maxSeconds=120`);
    await waitFor(
      () => tail.frames.some(f => f.event === 'attached'),
      30_000,
      'the attached event',
    );
    expect(tail.status()).toBe(200);
    expect(activeTails()).toBe(before + 1);
    await request(server)
      .post(messages)
      .send({ key: 'other', value: 'not this one' });
    const live = await request(server)
      .post(messages)
      .send({ key: 'k-live', value: 'a live one', partition: 2 });
    expect(live.status).toBe(201);
    const arrived = await waitFor(
      () => tail.frames.find(f => f.event === 'message'),
      30_000,
      'the live record',
    );
    expect(arrived.data).toMatchObject({
      partition: 2,
      offset: live.body.offset,
      key: { text: 'k-live' },
      value: { text: 'a live one' },
    });
    expect(tail.frames.filter(f => f.event === 'message')).toHaveLength(1);

    await tail.stop();
    await waitFor(() => activeTails() === before, 30_000, 'the tail to stop');
  });

  it('ends a tail with an end event when its lifetime is over', async () => {
    const tail = follow('maxSeconds=1');
    await waitFor(
      () => tail.frames.find(f => f.event === 'end'),
      30_000,
      'the end event',
    );
    expect(tail.frames.map(f => f.event)).toEqual(['attached', 'end']);
    expect(tail.of('end')[0].data.cause).toBe('lifetime');
    await tail.stop();
  });

  it('picks up a partition added while it runs and delivers its records from their beginning', async () => {
    const growing = `${prefix}growing`;
    const created = await request(server)
      .post(api('/local/topics'))
      .send({ name: growing, partitions: 1, replicationFactor: 1 });
    expect(created.status).toBe(201);
    const tail = followTail(
      server,
      api(`/local/topics/${growing}/messages/tail?maxSeconds=120`),
    );
    try {
      await waitFor(() => tail.of('attached')[0], 30_000, 'attached');
      expect(tail.of('attached')[0].data.partitions).toEqual([
        { partition: 0, offset: 0 },
      ]);
      const added = await request(server)
        .post(api(`/local/topics/${growing}/partitions`))
        .send({ count: 2, confirm: growing });
      expect(added.status).toBe(200);
      // Written to the new partition before the tail may have seen it: it is
      // new to the tail all the same, so it arrives.
      const produced = await request(server)
        .post(api(`/local/topics/${growing}/messages`))
        .send({ key: 'new', value: 'in the new partition', partition: 1 });
      expect(produced.status).toBe(201);
      const arrived = await waitFor(
        () => tail.of('message')[0],
        60_000,
        'the record of the new partition',
      );
      expect(arrived.data).toMatchObject({
        partition: 1,
        offset: produced.body.offset,
        value: { text: 'in the new partition' },
      });
      expect(tail.of('partitions')).toEqual([
        { event: 'partitions', data: { added: [{ partition: 1, offset: 0 }] } },
      ]);
      expect(tail.of('end')).toEqual([]);
    } finally {
      await tail.stop();
      await request(server).delete(
        api(`/local/topics/${growing}?confirm=${growing}`),
      );
    }
  });
});
