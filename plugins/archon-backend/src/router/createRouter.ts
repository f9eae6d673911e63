import express from 'express';
import Router from 'express-promise-router';
import type { ArchonModuleRouter } from '@archon/plugin-archon-node';
import { createOpenApiRouter } from '../schema/openapi';
import type { HealthService } from '../service/health/HealthService';
import { unprocessableErrorHandler } from './unprocessableErrorHandler';

/**
 * HTTP only: validates requests against the OpenAPI spec and hands them to
 * the services. Technology modules' routers are mounted under their system
 * name after archon's own routes.
 */
export async function createRouter(options: {
  health: HealthService;
  moduleRouters: ArchonModuleRouter[];
}): Promise<express.Router> {
  const { health, moduleRouters } = options;
  const router = await createOpenApiRouter();

  router.get('/health', async (req, res) => {
    const kinds = req.query.kind;
    res.json(await health.check({ kinds }));
  });

  const root = Router();
  root.use(router);
  for (const m of moduleRouters) {
    root.use(`/${m.system}`, m.router);
  }
  root.use(unprocessableErrorHandler());
  return root;
}
