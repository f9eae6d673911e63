import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { archonModulesExtensionPoint } from '@archon/plugin-archon-node';
import {
  DEFAULT_LAG_THRESHOLD_SECONDS,
  readSecretKeyPatterns,
} from '@archon/plugin-archon-common';
import { createConnectRouter } from './connect/connectRoutes';
import { createKafkaRouter } from './kafka/kafkaRoutes';
import { ConnectRestClient } from './connect/ConnectRestClient';
import { ConnectService } from './connect/ConnectService';
import { createConnectHealthProbe } from './connect/createConnectHealthProbe';
import { ConsumerGroupService } from './kafka/ConsumerGroupService';
import { CoordinatedResetService } from './kafka/CoordinatedResetService';
import { createKafkaHealthProbe } from './kafka/createKafkaHealthProbe';
import { KafkaClientFactory } from './kafka/KafkaClientFactory';
import {
  readConnectClusters,
  readKafkaClusters,
} from './kafka/KafkaClusterConfig';
import { KafkaService } from './kafka/KafkaService';
import { MessageService } from './kafka/MessageService';
import { KafkaSampler, readSamplerSettings } from './sampler/KafkaSampler';
import { SampleStore } from './sampler/SampleStore';
import { KafkaTopology } from './catalog/KafkaTopology';
import { KafkaGraphContributor } from './graph/KafkaGraphContributor';

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
        database: coreServices.database,
        scheduler: coreServices.scheduler,
      },
      async init({ archon, config, logger, lifecycle, database, scheduler }) {
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

        const kafka = new KafkaService(clients);
        const groups = new ConsumerGroupService(kafka);
        const messages = new MessageService(kafka);
        const connect = new ConnectService(
          connectClusters,
          readSecretKeyPatterns(config),
        );
        const samples = await SampleStore.create(database);
        kafka.setSources({
          rates: samples,
          topicGroups: samples,
          connectors: connect,
          groups,
        });

        const sampler = new KafkaSampler({
          clients,
          groups,
          store: samples,
          logger: logger.child({ task: 'archon-kafka-sampler' }),
          settings: readSamplerSettings(config),
        });
        if (kafkaClusters.length > 0) await sampler.schedule(scheduler);

        // One threshold for the graph's group nodes (so the Home count) and the group list.
        const lagThresholdSeconds = Math.max(
          0,
          config.getOptionalNumber('archon.kafka.lagThresholdSeconds') ??
            DEFAULT_LAG_THRESHOLD_SECONDS,
        );
        const waitTimeoutMs =
          (config.getOptionalNumber(
            'archon.kafka.coordinatedReset.waitTimeoutSeconds',
          ) ?? 60) * 1000;
        archon.addRouter({
          system: 'kafka',
          createRouter: ({ auditor, apps, authorizer }) =>
            createKafkaRouter({
              authorizer,
              audit: auditor,
              kafka,
              groups,
              coordinatedReset: new CoordinatedResetService(groups, apps, {
                waitTimeoutMs,
                pollIntervalMs: 500,
              }),
              messages,
              samples,
              lagThresholdSeconds,
            }),
        });
        archon.addRouter({
          system: 'connect',
          createRouter: ({ auditor, authorizer }) =>
            createConnectRouter({
              authorizer,
              audit: auditor,
              connect,
            }),
        });
        // The catalog module registers topics and connectors under this
        // namespace unless it is disabled; graph nodes then name their entity.
        const catalog = config.getOptionalConfig('archon.kafka.catalog');
        const graphRefreshSeconds = config.getOptionalNumber(
          'archon.kafka.graph.refreshIntervalSeconds',
        );
        archon.addGraphContributor(
          new KafkaGraphContributor(
            {
              topology: new KafkaTopology(clients, connect),
              groups,
              rates: samples,
              lags: samples,
              lagThresholdSeconds,
              catalogNamespace:
                catalog?.getOptionalBoolean('enabled') === false
                  ? undefined
                  : catalog?.getOptionalString('namespace') ?? 'default',
            },
            logger.child({ task: 'archon-kafka-graph' }),
            {
              refreshIntervalMs:
                graphRefreshSeconds === undefined
                  ? undefined
                  : Math.max(2, graphRefreshSeconds) * 1000,
            },
          ),
        );
      },
    });
  },
});
