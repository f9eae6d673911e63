import {
  coreServices,
  createBackendModule,
  readSchedulerServiceTaskScheduleDefinitionFromConfig,
} from '@backstage/backend-plugin-api';
import { catalogProcessingExtensionPoint } from '@backstage/plugin-catalog-node';
import { readSecretKeyPatterns } from '@archon/plugin-archon-common';
import { ArchonKafkaEntityProvider } from './catalog/ArchonKafkaEntityProvider';
import { ArchonKafkaRelationsProcessor } from './catalog/ArchonKafkaRelationsProcessor';
import { KafkaTopology } from './catalog/KafkaTopology';
import { ConnectService } from './connect/ConnectService';
import { KafkaClientFactory } from './kafka/KafkaClientFactory';
import {
  readConnectClusters,
  readKafkaClusters,
} from './kafka/KafkaClusterConfig';

/**
 * Kafka topics and Connect connectors as catalog entities, and the relations
 * between them and the entities whose consumer groups read them.
 * Config: `archon.kafka.catalog` (see config.d.ts).
 */
export const catalogModuleArchonKafka = createBackendModule({
  pluginId: 'catalog',
  moduleId: 'archon-kafka',
  register(env) {
    env.registerInit({
      deps: {
        catalog: catalogProcessingExtensionPoint,
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        scheduler: coreServices.scheduler,
        lifecycle: coreServices.lifecycle,
      },
      async init({ catalog, config, logger, scheduler, lifecycle }) {
        const kafkaClusters = readKafkaClusters(config);
        const clients = new KafkaClientFactory(kafkaClusters, logger);
        lifecycle.addShutdownHook(() => clients.close());
        const topology = new KafkaTopology(
          clients,
          new ConnectService(
            readConnectClusters(config, kafkaClusters),
            readSecretKeyPatterns(config),
          ),
        );
        const c = config.getOptionalConfig('archon.kafka.catalog');
        const namespace = c?.getOptionalString('namespace') ?? 'default';
        catalog.addProcessor(
          new ArchonKafkaRelationsProcessor({ topology, namespace }),
        );
        if (c?.getOptionalBoolean('enabled') === false) return;
        const schedule = c?.has('schedule')
          ? readSchedulerServiceTaskScheduleDefinitionFromConfig(
              c.getConfig('schedule'),
            )
          : { frequency: { minutes: 30 }, timeout: { minutes: 10 } };
        catalog.addEntityProvider(
          new ArchonKafkaEntityProvider({
            topology,
            logger: logger.child({ provider: 'archon-kafka' }),
            includeInternal: c?.getOptionalBoolean('includeInternal') ?? false,
            taskRunner: scheduler.createScheduledTaskRunner(schedule),
            defaults: {
              namespace,
              owner:
                c?.getOptionalString('owner') ?? 'group:default/kafka-admins',
              lifecycle: c?.getOptionalString('lifecycle') ?? 'production',
              locationRef: `url:${(
                c?.getOptionalString('baseUrl') ??
                'http://localhost:7007/api/archon'
              ).replace(/\/+$/, '')}/kafka`,
            },
          }),
        );
      },
    });
  },
});
