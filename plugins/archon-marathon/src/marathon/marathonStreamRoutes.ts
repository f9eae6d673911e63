import {
  archonAppLogsReadPermission,
  type MarathonTaskLog,
} from '@archon/plugin-archon-common';
import {
  openEventStream,
  wantsEventStream,
  boolQuery,
  intQuery,
} from '@archon/plugin-archon-node';
import type express from 'express';
import type { Response } from 'express';
import type { MarathonEvent } from '../client/types';
import { parseAppId } from '../render/appId';
import type { MarathonRouterOptions } from './marathonRoutes';
import { pathOf } from './requestValues';
import { endStream, endUnlessAttached } from './streamEnds';

const LOG_POLL_MS = 1000;

/**
 * HTTP only: the Marathon routes that answer with a stream of server-sent
 * events: a task's log followed, and an app's events.
 */
export function addMarathonStreamRoutes(
  router: express.Router,
  options: MarathonRouterOptions,
) {
  const { instances, monitor, authorizer } = options;

  router.get(
    '/:instance/apps/:appId/tasks/:taskId/logs',
    async (req, res: Response<MarathonTaskLog>) => {
      const { instance, taskId } = req.params;
      instances.get(instance);
      await authorizer.precheck(req, archonAppLogsReadPermission);
      const appId = parseAppId(req.params.appId);
      const app = await monitor.raw(instance, appId);
      await authorizer.authorize(req, archonAppLogsReadPermission, pathOf(app));
      const file = req.query.file === 'stderr' ? 'stderr' : 'stdout';
      const sandbox = await monitor.sandbox(instance, appId, taskId);
      const first = await monitor.readLog(instance, sandbox, taskId, file, {
        tail: intQuery(req.query.tail),
        offset: intQuery(req.query.offset),
      });
      if (!((boolQuery(req.query.follow) ?? false) && wantsEventStream(req))) {
        res.json(first);
        return;
      }
      const stream = openEventStream(req, res);
      stream.send('log', first);
      let offset = first.nextOffset;
      let reading = false;
      const timer = setInterval(async () => {
        if (reading || stream.closed) return;
        reading = true;
        try {
          const next = await monitor.readLog(instance, sandbox, taskId, file, {
            offset,
          });
          if (next.data) {
            stream.send('log', {
              offset: next.offset,
              nextOffset: next.nextOffset,
              data: next.data,
            });
            offset = next.nextOffset;
          }
        } catch (error) {
          const e = error as Error;
          if (
            e.name === 'ServiceUnavailableError' ||
            e.name === 'UpstreamTimeoutError'
          ) {
            // Marathon or the agent stopped answering: the shared unreachable frame.
            endStream(
              stream,
              instance,
              `Reading the ${file} of task ${taskId} of Marathon instance "${instance}": ${e.message}`,
            );
          } else {
            stream.send('end', { reason: e.message });
            stream.close();
          }
        } finally {
          reading = false;
        }
      }, LOG_POLL_MS);
      stream.onClose(() => clearInterval(timer));
    },
  );

  router.get('/:instance/apps/:appId/events', async (req, res) => {
    const { events } = instances.get(req.params.instance);
    const appId = parseAppId(req.params.appId);
    // Before the stream opens: once it has, the status is 200 and an unknown
    // app would look like a quiet one (a 404 naming the app instead).
    await monitor.raw(req.params.instance, appId);
    const stream = openEventStream(req, res);
    const concerns = (event: MarathonEvent) => {
      const e = event as Record<string, any>;
      if (e.appId === appId || e.runSpecId === appId) return true;
      if (
        typeof e.uri === 'string' &&
        e.uri.replace(/^\/v2\/apps/, '') === appId
      )
        return true;
      const plan = e.plan as
        | { steps?: Array<{ actions?: Array<{ app?: string }> }> }
        | undefined;
      return !!plan?.steps?.some(s => s.actions?.some(a => a.app === appId));
    };
    const unsubscribe = events.subscribe(
      event => {
        if (!concerns(event)) return;
        // The full definition (with its environment) is not repeated here: read the app.
        const { appDefinition: _definition, ...rest } = event as Record<
          string,
          unknown
        >;
        stream.send(event.eventType, rest);
      },
      () => stream.send('attached', { instance: req.params.instance, appId }),
      reason => endStream(stream, req.params.instance, reason),
    );
    if (events.connected)
      stream.send('attached', { instance: req.params.instance, appId });
    else endUnlessAttached(stream, events, req.params.instance);
    stream.onClose(unsubscribe);
  });
}
