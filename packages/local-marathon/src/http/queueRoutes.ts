import { canonicalPath } from '../model/pathId';
import { renderQueueEntry } from '../api/renderQueue';
import { notFound } from './errors';
import { listParam } from './params';
import { Router } from './router';
import { ServerContext } from './ServerContext';

/** /v2/queue (server: QueueResource). */
export function registerQueueRoutes(
  router: Router,
  server: ServerContext,
): void {
  router
    .add('GET', /^\/v2\/queue\/?$/, context => {
      const withLastUnused = listParam(context.query, 'embed').some(e =>
        e.split(',').includes('lastUnusedOffers'),
      );
      const agent = {
        agentId: server.layout.agentId,
        host: server.taskHost,
        portRange: server.portRange,
      };
      return {
        status: 200,
        body: {
          queue: server.scheduler
            .queue()
            .map(entry => renderQueueEntry(entry, withLastUnused, agent)),
        },
      };
    })
    .add('DELETE', /^\/v2\/queue\/(.+)\/delay$/, context => {
      const appId = canonicalPath(context.params[0]);
      if (!server.service.resetDelay(appId))
        throw notFound(`Application ${appId} not found in tasks queue.`);
      // The server answers 204 (the RAML says 200).
      return { status: 204 };
    });
}
