import { mockServices } from '@backstage/backend-test-utils';
import type { JsonObject } from '@backstage/types';
import archonPlugin from '@archon/plugin-archon-backend';
import { startArchonTestBackend } from '@archon/test-utils';
import { archonModuleKafka } from '../module';

/**
 * archon's backend plugin with this module only, given `archon.kafka` /
 * `archon.kafkaConnect` config (no ZooKeeper). The scheduler is a mock, so
 * the sampler never runs and only the test's own requests reach the clusters.
 */
export function startKafkaModuleBackend(archon: JsonObject) {
  return startArchonTestBackend({
    features: [
      archonPlugin,
      archonModuleKafka,
      mockServices.scheduler.mock({ scheduleTask: jest.fn(async () => {}) })
        .factory,
    ],
    zookeeper: false,
    archon,
  });
}
