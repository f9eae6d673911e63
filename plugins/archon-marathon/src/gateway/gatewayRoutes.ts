import express, { type Response } from 'express';
import Router from 'express-promise-router';
import { InputError } from '@backstage/errors';
import type {
  GatewayResolution,
  GatewayRouteList,
} from '@archon/plugin-archon-common';
import { pageList, parsePageQuery } from '@archon/plugin-archon-node';
import type { GatewayService } from './GatewayService';
import type { GatewayRoute } from './routesFromLabels';

/** A route's place in the list: by instance, app, port, host and path (as the service sorts), then what tells routes of one port apart. */
function routeIdOf(r: GatewayRoute): string {
  return [
    r.instance,
    r.appId,
    r.portIndex ?? '',
    r.vhost ?? '',
    r.path ?? '',
    r.source,
    r.entry,
    r.port ?? '',
  ].join(' ');
}

/** HTTP only: `/api/archon/gateway/routes` and `/api/archon/gateway/resolve?url=`. */
export function createGatewayRouter(options: {
  gateway: GatewayService;
}): express.Router {
  const { gateway } = options;
  const router = Router();
  const instanceOf = (value: unknown) =>
    typeof value === 'string' && value ? value : undefined;

  router.get('/routes', async (req, res: Response<GatewayRouteList>) => {
    const page = parsePageQuery(req.query, {
      defaultLimit: 100,
      sortFields: ['route'],
      what: 'gateway routes',
    });
    // Conflicts and errors are about all routes, whichever page shows them.
    const { items, ...rest } = await gateway.routes(
      instanceOf(req.query.instance),
    );
    res.json({ ...rest, ...pageList(items, page, { id: routeIdOf }) });
  });

  router.get('/resolve', async (req, res: Response<GatewayResolution>) => {
    const url = req.query.url;
    if (typeof url !== 'string' || !url)
      throw new InputError(
        'Give the URL to resolve: ?url=http://www.example.com/api',
      );
    res.json(await gateway.resolve(url, instanceOf(req.query.instance)));
  });

  return router;
}
