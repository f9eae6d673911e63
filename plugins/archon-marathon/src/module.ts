import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { archonModulesExtensionPoint } from '@archon/plugin-archon-node';
import { readSecretKeyPatterns } from '@archon/plugin-archon-common';
import { readMarathonInstances } from './marathon/config';
import { GatewayService } from './gateway/GatewayService';
import { rewriteMarathonPath } from './marathon/appIdUrls';
import { createGatewayRouter } from './gateway/gatewayRoutes';
import { createMarathonRouter } from './marathon/marathonRoutes';
import { createMarathonHealthProbe } from './marathon/createMarathonHealthProbe';
import { MarathonDeployAdapter } from './marathon/MarathonDeployAdapter';
import { MarathonInstances } from './marathon/MarathonInstances';
import { MarathonMonitor } from './marathon/MarathonMonitor';
import { MarathonGraphContributor } from './graph/MarathonGraphContributor';

/**
 * Contributes Marathon to the archon backend plugin: health probes, the deploy
 * adapter behind `POST /api/archon/deployments`, monitoring and debugging under
 * `/api/archon/marathon`, and public routes under `/api/archon/gateway`.
 * Config: `archon.marathon.instances` (see config.d.ts).
 */
export const archonModuleMarathon = createBackendModule({
  pluginId: 'archon',
  moduleId: 'marathon',
  register(env) {
    env.registerInit({
      deps: {
        archon: archonModulesExtensionPoint,
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        lifecycle: coreServices.lifecycle,
      },
      async init({ archon, config, logger, lifecycle }) {
        const instances = new MarathonInstances(
          readMarathonInstances(config),
          logger,
        );
        lifecycle.addShutdownHook(() => instances.close());
        archon.addHealthProbes(
          ...instances.all().map(createMarathonHealthProbe),
        );
        const secretPatterns = readSecretKeyPatterns(config);
        archon.addDeployAdapter(
          new MarathonDeployAdapter(instances, secretPatterns),
        );
        const monitor = new MarathonMonitor(instances);
        archon.addRouter({
          system: 'marathon',
          createRouter: ({ authorizer, auditor }) =>
            createMarathonRouter({
              instances,
              monitor,
              authorizer,
              audit: auditor,
              secretPatterns,
            }),
          rewritePath: rewriteMarathonPath,
        });
        archon.addRouter({
          system: 'gateway',
          createRouter: () =>
            createGatewayRouter({ gateway: new GatewayService(instances) }),
        });
        // Topics and groups an app names are on KAFKA_CLUSTER, else the
        // catalog module's default cluster (as its entities say).
        const catalog = config.getOptionalConfig('archon.marathon.catalog');
        archon.addGraphContributor(
          new MarathonGraphContributor(
            instances,
            {
              kafkaCluster:
                catalog?.getOptionalString('kafkaCluster') ??
                config
                  .getOptionalConfigArray('archon.kafka.clusters')?.[0]
                  ?.getOptionalString('name'),
              catalogNamespace:
                catalog?.getOptionalBoolean('enabled') === false
                  ? undefined
                  : catalog?.getOptionalString('namespace') ?? 'default',
            },
            logger.child({ task: 'archon-marathon-graph' }),
          ),
        );
      },
    });
  },
});
