import express, { type Response } from 'express';
import Router from 'express-promise-router';
import {
  archonConnectConnectorManagePermission,
  type ConnectActiveTopics,
  type ConnectAlterConnectorOffsetsRequest,
  type ConnectClusterInfo,
  type ConnectClusterList,
  type ConnectConfigRequest,
  type ConnectConnector,
  type ConnectDeleteConnectorResult,
  type ConnectConnectorList,
  type ConnectConnectorOffsets,
  type ConnectConnectorRequest,
  type ConnectConnectorRequested,
  type ConnectOffsetsChangeResult,
  type ConnectPluginList,
  type ConnectRestartResult,
  type ConnectTaskList,
  type ConnectRestartTaskResult,
  type ConnectValidationResult,
} from '@archon/plugin-archon-common';
import {
  pageList,
  parseListQuery,
  boolQuery,
  strQuery,
} from '@archon/plugin-archon-node';
import type { ConnectService } from './ConnectService';
import { authorize, guarded, type GuardDeps } from '../router/guard';

/** What connector lists sort by: `attention` (failing first, the default), `name` or `state`; ties by name. */
const CONNECTOR_SORTS = ['attention', 'name', 'state'] as const;

function connectorSortValue<
  C extends { name: string; state: string; failedTasks: number },
>(c: C, sort: (typeof CONNECTOR_SORTS)[number]) {
  if (sort === 'attention')
    return c.state === 'FAILED' || c.failedTasks > 0 ? 0 : 1;
  return sort === 'state' ? c.state : c.name;
}

/** HTTP only: `/api/archon/connect/...` on top of ConnectService. */
export function createConnectRouter(
  options: GuardDeps & { connect: ConnectService },
): express.Router {
  const { connect } = options;
  const router = Router();
  router.use(express.json({ limit: '2mb' }));

  /** A connector change: audited on the connector, the config it was given (masked by the audit log) as its after state. */
  const manage = <T>(
    req: express.Request,
    eventId: string,
    meta: Record<string, unknown> & { connector: string },
    action: () => Promise<T>,
  ) =>
    guarded(
      options,
      req,
      {
        eventId,
        permission: archonConnectConnectorManagePermission,
        system: 'connect',
        resource: String(meta.connector ?? ''),
        meta: { cluster: req.params.cluster, ...meta },
        after: () =>
          req.body?.config ? { config: req.body.config } : undefined,
      },
      action,
    );

  router.get('/', async (_req, res: Response<ConnectClusterList>) => {
    res.json({
      items: connect.clusters().map(c => ({
        name: c.name,
        url: c.url,
        kafkaCluster: c.kafkaCluster ?? null,
      })),
    });
  });

  router.get('/:cluster', async (req, res: Response<ConnectClusterInfo>) => {
    res.json(await connect.info(req.params.cluster));
  });

  router.get(
    '/:cluster/plugins',
    async (req, res: Response<ConnectPluginList>) => {
      res.json({ items: await connect.plugins(req.params.cluster) });
    },
  );

  router.post(
    '/:cluster/validate',
    async (req, res: Response<ConnectValidationResult>) => {
      // Changes nothing, but sends a connector config (secrets included) to Connect: only for those who may manage connectors.
      await authorize(options, req, archonConnectConnectorManagePermission, {
        system: 'connect',
        cluster: req.params.cluster,
      });
      const body: ConnectConnectorRequest = req.body;
      res.json(
        await connect.validate(req.params.cluster, body.name, body.config),
      );
    },
  );

  router.get(
    '/:cluster/connectors',
    async (req, res: Response<ConnectConnectorList>) => {
      const { filter, page } = parseListQuery(req.query, {
        sortFields: CONNECTOR_SORTS,
        what: 'connectors',
      });
      const { items, ...counts } = await connect.list(req.params.cluster, {
        state: strQuery(req.query.state),
        filter,
      });
      const listed = pageList(items, page, {
        id: c => c.name,
        value: connectorSortValue,
      });
      // Topics only for the page's connectors: Connect answers them one by one.
      const topics = await connect.activeTopicsOf(
        req.params.cluster,
        listed.items.map(c => c.name),
      );
      // byState and failedTasks count the whole cluster; total counts the listed (filtered) connectors.
      res.json({
        ...counts,
        ...listed,
        items: listed.items.map(c => ({
          ...c,
          activeTopics: topics.get(c.name) ?? null,
        })),
      });
    },
  );

  router.post(
    '/:cluster/connectors',
    async (req, res: Response<ConnectConnector>) => {
      const { name, config }: ConnectConnectorRequest = req.body;
      const created = await manage(
        req,
        'connector-create',
        { connector: name, connectorClass: config?.['connector.class'] },
        () => connect.create(req.params.cluster, name, config),
      );
      res.status(201).json(created);
    },
  );

  router.get(
    '/:cluster/connectors/:name',
    async (req, res: Response<ConnectConnector>) => {
      res.json(await connect.get(req.params.cluster, req.params.name));
    },
  );

  router.put(
    '/:cluster/connectors/:name/config',
    async (req, res: Response<ConnectConnector>) => {
      const { cluster, name } = req.params;
      res.json(
        await manage(req, 'connector-update', { connector: name }, () =>
          connect.update(
            cluster,
            name,
            (req.body as ConnectConfigRequest).config,
          ),
        ),
      );
    },
  );

  router.delete(
    '/:cluster/connectors/:name',
    async (req, res: Response<ConnectDeleteConnectorResult>) => {
      const { cluster, name } = req.params;
      res.json(
        await manage(req, 'connector-delete', { connector: name }, () =>
          connect.delete(cluster, name),
        ),
      );
    },
  );

  for (const action of ['pause', 'resume', 'stop'] as const) {
    router.post(
      `/:cluster/connectors/:name/${action}`,
      async (req, res: Response<ConnectConnectorRequested>) => {
        const { cluster, name } = req.params;
        res
          .status(202)
          .json(
            await manage(req, `connector-${action}`, { connector: name }, () =>
              connect.setState(cluster, name, action),
            ),
          );
      },
    );
  }

  router.post(
    '/:cluster/connectors/:name/restart',
    async (req, res: Response<ConnectRestartResult>) => {
      const { cluster, name } = req.params;
      const includeTasks = boolQuery(req.query.includeTasks) ?? false;
      const onlyFailed = boolQuery(req.query.onlyFailed) ?? false;
      res
        .status(202)
        .json(
          await manage(
            req,
            'connector-restart',
            { connector: name, includeTasks, onlyFailed },
            () => connect.restart(cluster, name, { includeTasks, onlyFailed }),
          ),
        );
    },
  );

  router.get(
    '/:cluster/connectors/:name/tasks',
    async (req, res: Response<ConnectTaskList>) => {
      res.json({
        items: await connect.tasks(req.params.cluster, req.params.name),
      });
    },
  );

  router.post(
    '/:cluster/connectors/:name/tasks/:task/restart',
    async (req, res: Response<ConnectRestartTaskResult>) => {
      const { cluster, name } = req.params;
      const task = Number(req.params.task);
      res
        .status(202)
        .json(
          await manage(
            req,
            'connector-task-restart',
            { connector: name, task },
            () => connect.restartTask(cluster, name, task),
          ),
        );
    },
  );

  router.get(
    '/:cluster/connectors/:name/topics',
    async (req, res: Response<ConnectActiveTopics>) => {
      res.json(await connect.activeTopics(req.params.cluster, req.params.name));
    },
  );

  router.post(
    '/:cluster/connectors/:name/topics/reset',
    async (req, res: Response<ConnectConnectorRequested>) => {
      const { cluster, name } = req.params;
      // 202: Connect accepted the reset and applies it asynchronously.
      res
        .status(202)
        .json(
          await manage(req, 'connector-topics-reset', { connector: name }, () =>
            connect.resetActiveTopics(cluster, name),
          ),
        );
    },
  );

  router.get(
    '/:cluster/connectors/:name/offsets',
    async (req, res: Response<ConnectConnectorOffsets>) => {
      res.json(await connect.offsets(req.params.cluster, req.params.name));
    },
  );

  router.patch(
    '/:cluster/connectors/:name/offsets',
    async (req, res: Response<ConnectOffsetsChangeResult>) => {
      const { cluster, name } = req.params;
      res.json(
        await manage(req, 'connector-offsets-alter', { connector: name }, () =>
          connect.alterOffsets(
            cluster,
            name,
            (req.body as ConnectAlterConnectorOffsetsRequest).offsets,
          ),
        ),
      );
    },
  );

  router.delete(
    '/:cluster/connectors/:name/offsets',
    async (req, res: Response<ConnectOffsetsChangeResult>) => {
      const { cluster, name } = req.params;
      res.json(
        await manage(req, 'connector-offsets-reset', { connector: name }, () =>
          connect.resetOffsets(cluster, name),
        ),
      );
    },
  );

  return router;
}
