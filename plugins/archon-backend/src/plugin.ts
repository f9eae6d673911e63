import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import {
  ArchonAuthorizer,
  archonModulesExtensionPoint,
  type ArchonDeployAdapter,
  type ArchonGraphContributor,
  type ArchonHealthProbe,
  type ArchonModuleRouter,
} from '@archon/plugin-archon-node';
import {
  archonPermissions,
  readSecretKeyPatterns,
} from '@archon/plugin-archon-common';
import { AuditStore } from './audit/AuditStore';
import { ConfigHistoryStore } from './config/store/ConfigHistoryStore';
import { DeployFlowStore } from './deploy/store/DeployFlowStore';
import { DeployLockStore } from './deploy/store/DeployLockStore';
import { migrateDatabase } from './database/migrateDatabase';
import { DatabaseDeadline } from './database/DatabaseDeadline';
import { ReleaseStore } from './deploy/store/ReleaseStore';
import { configPathResourceType } from './config/configPathRules';
import { clusterResourceType } from './access/clusterRules';
import { createRouter } from './router/createRouter';
import { ConfigService } from './config/ConfigService';
import { DeployAppOperations } from './deploy/DeployAppOperations';
import { DeployService } from './deploy/DeployService';
import { HealthService } from './health/HealthService';
import { readHealthIntervalMs } from './health/healthConfig';
import { createConfigGraphContributor, GraphService } from './graph';
import { ArchonAuditLog } from './audit/ArchonAuditLog';
import { readZooKeeperEnsembles } from './zookeeper/ZooKeeperEnsembleConfig';
import { createZooKeeperHealthProbe } from './zookeeper/createZooKeeperHealthProbe';

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
    const deployAdapters: ArchonDeployAdapter[] = [];
    const graphContributors: ArchonGraphContributor[] = [];
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
      addDeployAdapter(adapter) {
        deployAdapters.push(adapter);
      },
      addGraphContributor(contributor) {
        if (graphContributors.some(c => c.id === contributor.id)) {
          throw new Error(
            `archon: two graph contributors are both called "${contributor.id}"`,
          );
        }
        graphContributors.push(contributor);
      },
    });

    env.registerInit({
      deps: {
        logger: coreServices.logger,
        config: coreServices.rootConfig,
        httpRouter: coreServices.httpRouter,
        httpAuth: coreServices.httpAuth,
        permissions: coreServices.permissions,
        permissionsRegistry: coreServices.permissionsRegistry,
        database: coreServices.database,
        auditor: coreServices.auditor,
        lifecycle: coreServices.lifecycle,
      },
      async init({
        logger,
        config,
        httpRouter,
        httpAuth,
        permissions,
        permissionsRegistry,
        database,
        auditor,
        lifecycle,
      }) {
        permissionsRegistry.addPermissions(archonPermissions);
        permissionsRegistry.addResourceType(configPathResourceType);
        permissionsRegistry.addResourceType(clusterResourceType);

        const db = await migrateDatabase(database);
        const dbDeadline = DatabaseDeadline.fromConfig(config);
        const { ensembles, defaultEnsemble } = readZooKeeperEnsembles(config);
        const configService = new ConfigService({
          ensembles,
          defaultEnsemble,
          history: new ConfigHistoryStore(db, dbDeadline, logger),
          releases: new ReleaseStore(db, dbDeadline),
          logger,
        });
        // Loads in the background: the backend starts even when ZooKeeper is down.
        configService.start();
        lifecycle.addShutdownHook(() => configService.close());

        const health = new HealthService({
          probes: [...ensembles.map(createZooKeeperHealthProbe), ...probes],
          timeoutMs:
            config.getOptionalNumber('archon.healthProbeTimeoutMs') ?? 3000,
          intervalMs: readHealthIntervalMs(config),
          logger,
        });
        health.start();
        lifecycle.addShutdownHook(() => health.stop());
        const secretPatterns = readSecretKeyPatterns(config);
        const auditStore = new AuditStore(db, dbDeadline);
        const audit = new ArchonAuditLog({
          auditor,
          httpAuth,
          store: auditStore,
          logger,
          secretPatterns,
        });
        const deploy = new DeployService({
          config: configService,
          adapters: deployAdapters,
          logger: logger.child({ service: 'archon-deploy' }),
          defaultTimeoutMs:
            (config.getOptionalNumber('archon.deploy.timeoutSeconds') ?? 600) *
            1000,
          secretPatterns,
          locks: new DeployLockStore(db, dbDeadline),
          flows: new DeployFlowStore(db, dbDeadline),
          lockLeaseMs:
            (config.getOptionalNumber('archon.deploy.lockLeaseSeconds') ?? 30) *
            1000,
          settleMs:
            (config.getOptionalNumber('archon.deploy.settleSeconds') ?? 10) *
            1000,
          crashLoopFailures:
            config.getOptionalNumber('archon.deploy.crashLoopFailures') ?? 3,
        });
        lifecycle.addShutdownHook(() => deploy.close());
        if (deployAdapters.length > 0) {
          // In the background: an orchestrator that is down must not hold up the start.
          const timer = setTimeout(() => {
            deploy
              .reconcile()
              .catch(error =>
                logger.warn(`archon: settling open releases failed: ${error}`),
              );
          }, 5000);
          timer.unref();
          lifecycle.addShutdownHook(() => clearTimeout(timer));
        }
        // The graph's parts are taken in the background: a system that is down
        // keeps only its own part out, and never holds up the start.
        const graph = new GraphService({
          contributors: [
            ...(ensembles.length > 0
              ? [createConfigGraphContributor(configService)]
              : []),
            ...graphContributors,
          ],
          logger: logger.child({ service: 'archon-graph' }),
          limits: {
            maxDepth: config.getOptionalNumber('archon.graph.maxDepth'),
            maxNodes: config.getOptionalNumber('archon.graph.maxNodes'),
          },
        });
        graph.start();
        // The modules' routers, built now that what they are handed exists.
        const authorizer = new ArchonAuthorizer({ httpAuth, permissions });
        const moduleContext = {
          auditor: audit,
          apps: new DeployAppOperations({ deploy, graph, audit, httpAuth }),
          authorizer,
        };
        const mountedModuleRouters = await Promise.all(
          moduleRouters.map(async m => ({
            system: m.system,
            rewritePath: m.rewritePath,
            router: await m.createRouter(moduleContext),
          })),
        );
        lifecycle.addShutdownHook(() => graph.close());
        // The API's description is public, like any OpenAPI document: clients
        // and the portal's API page read it before they have a token.
        httpRouter.addAuthPolicy({
          path: '/openapi.json',
          allow: 'unauthenticated',
        });
        httpRouter.use(
          await createRouter({
            logger,
            deploy,
            graph,
            health,
            config: configService,
            authorizer,
            audit,
            auditStore,
            secretPatterns,
            moduleRouters: mountedModuleRouters,
            maxBodyBytes: config.getOptionalNumber(
              'archon.maxRequestBodyBytes',
            ),
            explorerLimits: {
              exportMaxNodes: config.getOptionalNumber(
                'archon.zookeeper.limits.exportMaxNodes',
              ),
              exportMaxBytes: config.getOptionalNumber(
                'archon.zookeeper.limits.exportMaxBytes',
              ),
            },
          }),
        );
      },
    });
  },
});
