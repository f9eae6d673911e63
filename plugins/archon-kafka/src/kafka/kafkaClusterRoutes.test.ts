import request from 'supertest';
import {
  api,
  prefix,
  server,
  useKafkaRoutesBackend,
} from '../__testUtils__/kafkaRoutesSuite';

jest.setTimeout(180_000);

/**
 * The Kafka cluster routes and topic creation's validation, end to end:
 * archon's backend plugin (its OpenAPI validator in front), this module, the
 * real local Kafka. Neither test leaves anything behind for another one.
 */
describe('/api/archon/kafka: clusters and topic validation', () => {
  useKafkaRoutesBackend();

  it('describes the cluster and refuses unknown clusters and a broker that is down', async () => {
    const clusters = await request(server).get(api(''));
    expect(clusters.status).toBe(200);
    expect(clusters.body.items.map((c: { name: string }) => c.name)).toEqual([
      'local',
      'down',
    ]);

    const overview = await request(server).get(api('/local'));
    expect(overview.status).toBe(200);
    expect(overview.body.version).toBe('4.3');
    expect(overview.body.brokers[0]).toMatchObject({
      id: 1,
      host: '127.0.0.1',
    });
    expect(overview.body.offlinePartitions).toBe(0);

    const unknown = await request(server).get(api('/nope/topics'));
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.message).toMatch(
      /unknown Kafka cluster "nope"; configured: local, down/,
    );

    const down = await request(server).get(api('/down/topics'));
    expect(down.status).toBe(503);
    expect(down.body.error.message).toMatch(/brokers tried: 127\.0\.0\.1:1/);

    // The backend keeps serving the other cluster.
    expect((await request(server).get(api('/local'))).status).toBe(200);
  });

  it('validates topic creation', async () => {
    const create = (body: object) =>
      request(server).post(api('/local/topics')).send(body);
    const badName = await create({
      name: 'no spaces!',
      partitions: 1,
      replicationFactor: 1,
    });
    expect(badName.status).toBe(400);
    expect(badName.body.error.message).toMatch(/name/);
    expect(
      (
        await create({
          name: `${prefix}x`,
          partitions: 0,
          replicationFactor: 1,
        })
      ).status,
    ).toBe(400);
    expect(
      (
        await create({
          name: `${prefix}x`,
          partitions: -3,
          replicationFactor: 1,
        })
      ).status,
    ).toBe(400);
    expect((await create({ name: `${prefix}x`, partitions: 1 })).status).toBe(
      400,
    );
    const rf = await create({
      name: `${prefix}x`,
      partitions: 1,
      replicationFactor: 3,
    });
    expect(rf.status).toBe(400);
    expect(rf.body.error.message).toMatch(
      /replicationFactor 3 is larger than the number of brokers \(1\)/,
    );
    const unknownConfig = await create({
      name: `${prefix}x`,
      partitions: 1,
      replicationFactor: 1,
      configs: { 'no.such.config': '1' },
    });
    expect(unknownConfig.status).toBe(400);
    expect(unknownConfig.body.error.message).toMatch(/no\.such\.config/i);
    const badValue = await create({
      name: `${prefix}x`,
      partitions: 1,
      replicationFactor: 1,
      configs: { 'retention.ms': 'soon' },
    });
    expect(badValue.status).toBe(400);
    const dry = await create({
      name: `${prefix}x`,
      partitions: 2,
      replicationFactor: 1,
      validateOnly: true,
    });
    expect(dry.status).toBe(200);
    expect(dry.body).toEqual({ name: `${prefix}x`, validateOnly: true });
    expect(
      (await request(server).get(api(`/local/topics/${prefix}x`))).status,
    ).toBe(404);
  });
});
