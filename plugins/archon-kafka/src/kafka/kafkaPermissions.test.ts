import request from 'supertest';
import archonPlugin from '@archon/plugin-archon-backend';
import { startArchonTestBackend } from '@archon/test-utils';
import { archonModuleKafka } from '../module';
import { testCluster, testPrefix } from '../__testUtils__/cluster';

jest.setTimeout(180_000);

describe('/api/archon/kafka permissions', () => {
  it('answers 403 naming the permission when the policy denies', async () => {
    const info = await testCluster();
    const backend = await startArchonTestBackend({
      features: [archonPlugin, archonModuleKafka],
      cluster: info,
      zookeeper: false,
      kafka: true,
      deny: () => true,
    });
    try {
      const name = `${testPrefix('kperm')}t`;
      const server = backend.server;
      const create = await request(server)
        .post('/api/archon/kafka/local/topics')
        .send({ name, partitions: 1, replicationFactor: 1 });
      expect(create.status).toBe(403);
      expect(create.body.error.message).toMatch(/archon\.kafka\.topic\.create/);
      const read = await request(server).get(
        '/api/archon/kafka/local/topics/__consumer_offsets/messages',
      );
      expect(read.status).toBe(403);
      expect(read.body.error.message).toMatch(/archon\.kafka\.message\.read/);
      // Reading metadata needs no special permission.
      expect(
        (await request(server).get('/api/archon/kafka/local')).status,
      ).toBe(200);
    } finally {
      await backend.stop();
    }
  });
});
