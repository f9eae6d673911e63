import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import {
  archonModulesExtensionPoint,
  type ArchonHealthProbe,
  type ArchonModuleRouter,
} from '@archon/plugin-archon-node';
import { archonPermissions } from '@archon/plugin-archon-common';
import { createRouter } from './router/createRouter';
import { HealthService } from './service/health/HealthService';
import { readZooKeeperEnsembles } from './service/zookeeper/ZooKeeperEnsembleConfig';
import { createZooKeeperHealthProbe } from './service/zookeeper/createZooKeeperHealthProbe';

/**
 * archon's backend plugin: the single REST API under `/api/archon`. It owns
 * the core services and lets technology modules contribute through
 * {@link archonModulesExtensionPoint}.
 */
export const archonPlugin = createBackendPlugin({
  pluginId: 'archon',
  register(env) {
    const probes: ArchonHealthProbe[] = [];
    const moduleRouters: ArchonModuleRouter[] = [];
    env.registerExtensionPoint(archonModulesExtensionPoint, {
      addHealthProbes(...added) {
        probes.push(...added);
      },
      addRouter(router) {
        if (moduleRouters.some(r => r.system === router.system)) {
          throw new Error(
            `archon: two modules both serve /api/archon/${router.system}`,
          );
        }
        moduleRouters.push(router);
      },
    });

    env.registerInit({
      deps: {
        logger: coreServices.logger,
        config: coreServices.rootConfig,
        httpRouter: coreServices.httpRouter,
        permissionsRegistry: coreServices.permissionsRegistry,
      },
      async init({ logger, config, httpRouter, permissionsRegistry }) {
        permissionsRegistry.addPermissions(archonPermissions);
        const { ensembles } = readZooKeeperEnsembles(config);
        const health = new HealthService({
          probes: [...ensembles.map(createZooKeeperHealthProbe), ...probes],
          timeoutMs: config.getOptionalNumber('archon.healthProbeTimeoutMs') ?? 3000,
          logger,
        });
        httpRouter.use(
          await createRouter({ health, moduleRouters }),
        );
      },
    });
  },
});
