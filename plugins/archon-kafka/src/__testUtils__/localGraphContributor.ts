import { mockServices } from '@backstage/backend-test-utils';
import { getTestCluster } from '@archon/test-utils';
import { KafkaTopology } from '../catalog/KafkaTopology';
import { ConnectService } from '../connect/ConnectService';
import { ConsumerGroupService } from '../kafka/ConsumerGroupService';
import { KafkaClientFactory } from '../kafka/KafkaClientFactory';
import { KafkaService } from '../kafka/KafkaService';
import { KafkaGraphContributor } from '../graph/KafkaGraphContributor';

/**
 * archon-kafka's graph contributor over the shared local cluster, as the
 * graph suites read it: Kafka `local` and Connect `local` (on Kafka
 * `local`), no sampler, no lag samples. The suite closes `clients`.
 */
export function localGraphContributor(options: {
  clientId: string;
  catalogNamespace?: string;
}) {
  const cluster = getTestCluster();
  const logger = mockServices.logger.mock();
  const clients = new KafkaClientFactory(
    [
      {
        name: 'local',
        brokers: cluster.kafka.brokers,
        clientId: options.clientId,
        requestTimeoutMs: 10_000,
      },
    ],
    logger,
  );
  const kafkaService = new KafkaService(clients);
  const connect = new ConnectService([
    {
      name: 'local',
      url: cluster.connect.url,
      kafkaCluster: 'local',
      requestTimeoutMs: 10_000,
    },
  ]);
  const contributor = new KafkaGraphContributor(
    {
      topology: new KafkaTopology(clients, connect),
      groups: new ConsumerGroupService(kafkaService),
      ...(options.catalogNamespace
        ? { catalogNamespace: options.catalogNamespace }
        : {}),
    },
    logger,
  );
  return { cluster, logger, clients, kafkaService, connect, contributor };
}
