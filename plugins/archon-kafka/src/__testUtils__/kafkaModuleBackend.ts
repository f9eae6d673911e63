import { mockServices } from '@backstage/backend-test-utils';
import { startPrivateCluster } from '@archon/local-cluster';
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

/**
 * A private Kafka (and Connect, when asked) of the test's own, on free ports
 * (the shared ones serve other test files), and this module's backend on it:
 * both clusters are named `private`. `kafka`/`kafkaConnect` add settings to
 * the module's config, `kafkaCluster`/`connectCluster` to its one cluster.
 */
export async function startPrivateKafkaBackend(options: {
  services: Array<'kafka' | 'connect'>;
  label: string;
  kafka?: JsonObject;
  kafkaCluster?: JsonObject;
  kafkaConnect?: JsonObject;
  connectCluster?: JsonObject;
}) {
  const cluster = await startPrivateCluster(options.services, {
    label: options.label,
  });
  try {
    const backend = await startKafkaModuleBackend({
      kafka: {
        ...options.kafka,
        clusters: [
          {
            name: 'private',
            brokers: cluster.info.kafka.brokers,
            ...options.kafkaCluster,
          },
        ],
        sampler: { enabled: false },
      },
      ...(options.services.includes('connect') && {
        kafkaConnect: {
          ...options.kafkaConnect,
          clusters: [
            {
              name: 'private',
              url: cluster.info.connect.url,
              kafkaCluster: 'private',
              ...options.connectCluster,
            },
          ],
        },
      }),
    });
    return {
      cluster,
      backend,
      server: backend.server,
      /** Stops the backend, then the private cluster, and removes its run folder. */
      async stop() {
        await backend.stop();
        await cluster.dispose();
      },
    };
  } catch (error) {
    await cluster.dispose();
    throw error;
  }
}
