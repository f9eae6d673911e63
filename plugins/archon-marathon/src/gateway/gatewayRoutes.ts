import express from 'express';
import Router from 'express-promise-router';
import { InputError } from '@backstage/errors';
import type { GatewayService } from './GatewayService';

/** HTTP only: `/api/archon/gateway/routes` and `/api/archon/gateway/resolve?url=`. */
export function createGatewayRouter(options: { gateway: GatewayService }): express.Router {
  const { gateway } = options;
  const router = Router();
  const instanceOf = (value: unknown) => (typeof value === 'string' && value ? value : undefined);

  router.get('/routes', async (req, res) => {
    res.json(await gateway.routes(instanceOf(req.query.instance)));
  });

  router.get('/resolve', async (req, res) => {
    const url = req.query.url;
    if (typeof url !== 'string' || !url) throw new InputError('Give the URL to resolve: ?url=http://www.example.com/api');
    res.json(await gateway.resolve(url, instanceOf(req.query.instance)));
  });

  return router;
}
