import {
  coreServices,
  createBackendModule,
  readSchedulerServiceTaskScheduleDefinitionFromConfig,
} from '@backstage/backend-plugin-api';
import { catalogProcessingExtensionPoint } from '@backstage/plugin-catalog-node';
import { ArchonMarathonEntityProvider } from './catalog/ArchonMarathonEntityProvider';
import { ArchonMarathonRelationsProcessor } from './catalog/ArchonMarathonRelationsProcessor';
import { readMarathonInstances } from './marathon/config';
import { MarathonInstances } from './marathon/MarathonInstances';

/**
 * Marathon apps as catalog Components (`spec.type: service`) and their
 * relations to the Kafka topics their configuration names.
 * Config: `archon.marathon.catalog` (see config.d.ts).
 */
export const catalogModuleArchonMarathon = createBackendModule({
  pluginId: 'catalog',
  moduleId: 'archon-marathon',
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
        catalog.addProcessor(new ArchonMarathonRelationsProcessor());
        const c = config.getOptionalConfig('archon.marathon.catalog');
        if (c?.getOptionalBoolean('enabled') === false) return;
        const instances = new MarathonInstances(
          readMarathonInstances(config),
          logger,
        );
        lifecycle.addShutdownHook(() => instances.close());
        const schedule = c?.has('schedule')
          ? readSchedulerServiceTaskScheduleDefinitionFromConfig(
              c.getConfig('schedule'),
            )
          : { frequency: { minutes: 5 }, timeout: { minutes: 3 } };
        const firstKafkaCluster = config
          .getOptionalConfigArray('archon.kafka.clusters')?.[0]
          ?.getOptionalString('name');
        catalog.addEntityProvider(
          new ArchonMarathonEntityProvider({
            instances,
            logger: logger.child({ provider: 'archon-marathon' }),
            taskRunner: scheduler.createScheduledTaskRunner(schedule),
            defaults: {
              namespace: c?.getOptionalString('namespace') ?? 'default',
              owner:
                c?.getOptionalString('owner') ??
                'group:default/marathon-admins',
              lifecycle: c?.getOptionalString('lifecycle') ?? 'production',
              kafkaCluster:
                c?.getOptionalString('kafkaCluster') ?? firstKafkaCluster,
              locationRef: `url:${(
                c?.getOptionalString('baseUrl') ??
                'http://localhost:7007/api/archon'
              ).replace(/\/+$/, '')}/marathon`,
            },
          }),
        );
      },
    });
  },
});
