import type { LoggerService } from '@backstage/backend-plugin-api';
import express from 'express';
import Router from 'express-promise-router';
import type {
  ArchonAuditor,
  ArchonAuthorizer,
} from '@archon/plugin-archon-node';
import type { AuditStore } from '../audit/AuditStore';
import { createOpenApiRouter, spec } from '../schema/openapi';
import type { ConfigService } from '../config/ConfigService';
import type { DeployService } from '../deploy/DeployService';
import type { HealthService } from '../health/HealthService';
import type { GraphService } from '../graph';
import { requestIds } from '../audit/requestId';
import { addAuditRoutes } from '../audit/auditRoutes';
import { addConfigRoutes } from '../config/configRoutes';
import { addDeployRoutes } from '../deploy/deployRoutes';
import { addGraphRoutes, graphNodeIdUrls } from '../graph/graphRoutes';
import { addHomeRoutes } from '../home/homeRoutes';
import { moduleIdUrls } from './moduleIdUrls';
import { configPathUrls } from '../config/configPathUrls';
import { configPathInputs } from '../config/configPathInputs';
import type { ZooKeeperExplorerLimits } from '../zookeeper/explorer/ZooKeeperExplorer';
import { addZooKeeperRoutes } from '../zookeeper/zookeeperRoutes';
import { zookeeperPathUrls } from '../zookeeper/zookeeperPathUrls';
import { archonErrorHandler, bodyTooLargeHandler } from './archonErrorHandler';
import { databaseRequestScope } from '../database/DatabaseDeadline';
import {
  finalErrorHandler,
  malformedBodyHandler,
  unmatchedRoutes,
} from './apiErrors';
import { retiredPagingParameters } from './listPaging';

/** A module's router once its factory ran. */
export interface MountedModuleRouter {
  system: string;
  router: express.Router;
  rewritePath?(path: string): string | undefined;
}

/** Request bodies above this are refused with 413 before parsing, unless `archon.maxRequestBodyBytes` says otherwise. */
export const MAX_BODY_BYTES = 2 * 1024 * 1024;

/**
 * HTTP only: validates every request against the OpenAPI spec, then hands it
 * to the services. Technology modules' routers are mounted under their
 * system name behind the same validation.
 */
export async function createRouter(options: {
  health: HealthService;
  config: ConfigService;
  deploy: DeployService;
  /** The cross-system graph (`/graph`). */
  graph: GraphService;
  authorizer: ArchonAuthorizer;
  /** Where every mutation is recorded (Backstage's auditor and the audit log). */
  audit: ArchonAuditor;
  auditStore: AuditStore;
  secretPatterns: readonly string[];
  /** The modules' routers, built by their factories, mounted under `/<system>`. */
  moduleRouters: MountedModuleRouter[];
  /** Largest request body (bytes); MAX_BODY_BYTES by default. */
  maxBodyBytes?: number;
  /** Where 5xx answers are logged with their stack (answers never carry one). */
  logger?: LoggerService;
  /** Caps of the ZooKeeper explorer (export size, search, ...); its defaults where absent. */
  explorerLimits?: Partial<ZooKeeperExplorerLimits>;
}): Promise<express.Router> {
  const { health, moduleRouters } = options;
  const router = await createOpenApiRouter();

  router.get('/health', async (req, res) => {
    // A health answer is live (each result's age changes every request), so
    // nothing may cache it; and it is not compressed: at 16 clients gzip of
    // its ~5 KB cost 30% of the throughput and took p99 from 44 to 165 ms
    // on loopback (the scale benchmark, #21), for a body polled every few
    // seconds. `no-transform` is what makes Backstage's compression skip it.
    res.setHeader('Cache-Control', 'no-store, no-transform');
    res.json(
      await health.check({ kinds: req.query.kind, fresh: req.query.fresh }),
    );
  });
  addConfigRoutes(router, options);
  addZooKeeperRoutes(router, options);
  addDeployRoutes(router, options);
  addGraphRoutes(router, options);
  addHomeRoutes(router, options);
  addAuditRoutes(router, options);

  const root = Router();
  // First, so every audit entry of the request (of any module) carries the same id.
  root.use(requestIds());
  // Parsed here, before validation, so an oversized body is a clear 413 and
  // not a generic 400. Large enough for any set that fits a znode (1 MB), so
  // the size check can still say which keys are too big.
  root.use(
    express.json({ limit: options.maxBodyBytes ?? MAX_BODY_BYTES }),
    bodyTooLargeHandler(),
    malformedBodyHandler(),
  );
  root.use(configPathUrls(), zookeeperPathUrls(), graphNodeIdUrls());
  root.use(configPathInputs());
  root.use(retiredPagingParameters(spec));
  root.use(moduleIdUrls(moduleRouters));
  // One database deadline per request; after the body parsers, whose stream callbacks would not carry it.
  root.use(databaseRequestScope());
  root.use(router);
  for (const m of moduleRouters) {
    root.use(`/${m.system}`, m.router);
  }
  root.use(unmatchedRoutes(spec));
  root.use(archonErrorHandler());
  root.use(finalErrorHandler(options.logger));
  return root;
}
