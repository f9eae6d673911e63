import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { archonModulesExtensionPoint } from '@archon/plugin-archon-node';
import { ConnectRestClient } from './service/connect/ConnectRestClient';
import { createConnectHealthProbe } from './service/connect/createConnectHealthProbe';
import { createKafkaHealthProbe } from './service/kafka/createKafkaHealthProbe';
import { KafkaClientFactory } from './service/kafka/KafkaClientFactory';
import {
  readConnectClusters,
  readKafkaClusters,
} from './service/kafka/KafkaClusterConfig';

/** Contributes Kafka and Kafka Connect to the archon backend plugin. */
export const archonModuleKafka = createBackendModule({
  pluginId: 'archon',
  moduleId: 'kafka',
  register(env) {
    env.registerInit({
      deps: {
        archon: archonModulesExtensionPoint,
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        lifecycle: coreServices.lifecycle,
      },
      async init({ archon, config, logger, lifecycle }) {
        const kafkaClusters = readKafkaClusters(config);
        const connectClusters = readConnectClusters(config, kafkaClusters);
        const clients = new KafkaClientFactory(kafkaClusters, logger);
        lifecycle.addShutdownHook(() => clients.close());
        archon.addHealthProbes(
          ...kafkaClusters.map(c => createKafkaHealthProbe(c, clients)),
          ...connectClusters.map(c =>
            createConnectHealthProbe(new ConnectRestClient(c)),
          ),
        );
      },
    });
  },
});
