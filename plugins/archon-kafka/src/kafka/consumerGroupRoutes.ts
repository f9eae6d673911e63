import type express from 'express';
import type { Response } from 'express';
import {
  DEFAULT_LAG_THRESHOLD_SECONDS,
  isGroupLagging,
  archonAppScalePermission,
  archonKafkaGroupResetPermission,
  archonMarathonTargetManagePermission,
  clusterResourceRef,
  type KafkaConsumerGroup,
  type KafkaConsumerGroupList,
  type KafkaConsumerGroupOffsets,
  type KafkaDeleteConsumerGroupResult,
  type KafkaLagSeries,
  type KafkaResetOffsetsRequest,
  type KafkaResetOffsetsResult,
} from '@archon/plugin-archon-common';
import {
  type ArchonAuthorizer,
  markStale,
  parseListQuery,
  boolQuery,
  strQuery,
} from '@archon/plugin-archon-node';
import type { ResetRequest } from './ConsumerGroupService';
import { offsetResetSummary } from './offsetResetSummary';
import { authorize } from '../router/guard';
import { kafkaChange, sampledSeries } from './kafkaRouteParts';
import {
  laggingGroupIds,
  sampledGroupLags,
  sampledTimeLag,
} from './sampledGroupLags';
import type { KafkaRouterOptions } from './kafkaRoutes';

/** When a group lags (`archon.kafka.lagThresholdSeconds`, default 60). */
const lagThreshold = (options: KafkaRouterOptions) =>
  options.lagThresholdSeconds ?? DEFAULT_LAG_THRESHOLD_SECONDS;

/**
 * HTTP only: `/api/archon/kafka/<cluster>/consumer-groups/...`: the groups,
 * their offsets and lag, deleting a group and resetting its offsets (with
 * the app that consumes stopped and restarted around it, when coordinated).
 */
export function addConsumerGroupRoutes(
  router: express.Router,
  options: KafkaRouterOptions,
  authorizer: ArchonAuthorizer,
) {
  const { groups, coordinatedReset } = options;

  router.get(
    '/:cluster/consumer-groups',
    async (req, res: Response<KafkaConsumerGroupList>) => {
      const { cluster } = req.params;
      const threshold = lagThreshold(options);
      // Time lag comes from the latest lag sample (one store read), so
      // `lagging` can filter before paging without a Fetch per group.
      const sampled = await sampledGroupLags(options.samples, cluster);
      const lagging = boolQuery(req.query.lagging) === true;
      // The last answer, marked stale, while the cluster is unreachable (#22).
      const { answer, staleness } = await groups.listOrLast(cluster, {
        ...parseListQuery(req.query, {
          sortFields: ['groupId'],
          what: 'consumer groups',
        }),
        state: strQuery(req.query.state),
        ...(lagging ? { only: laggingGroupIds(sampled, threshold) } : {}),
      });
      res.json(
        markStale(
          res,
          {
            ...answer,
            items: answer.items.map(item => ({
              ...item,
              ...sampledTimeLag(sampled, item.groupId, threshold),
            })),
            lagThresholdSeconds: threshold,
            ...(sampled.asOf ? { timeLagAsOf: sampled.asOf } : {}),
            ...(sampled.unknown ? { timeLagUnknown: sampled.unknown } : {}),
          },
          staleness,
        ),
      );
    },
  );

  router.get(
    '/:cluster/consumer-groups/:group',
    async (req, res: Response<KafkaConsumerGroup>) => {
      const group = await groups.describe(
        req.params.cluster,
        req.params.group,
        { timeLag: boolQuery(req.query.timeLag) },
      );
      const threshold = lagThreshold(options);
      res.json({
        ...group,
        lagging: isGroupLagging(group.maxTimeLagMs, threshold),
        lagThresholdSeconds: threshold,
      });
    },
  );

  router.delete(
    '/:cluster/consumer-groups/:group',
    async (req, res: Response<KafkaDeleteConsumerGroupResult>) => {
      const { cluster, group } = req.params;
      res.json(
        await kafkaChange(
          options,
          req,
          {
            eventId: 'group-delete',
            on: { group },
            severityLevel: 'high',
            permission: archonKafkaGroupResetPermission,
          },
          () => groups.delete(cluster, group),
        ),
      );
    },
  );

  router.get(
    '/:cluster/consumer-groups/:group/offsets',
    async (req, res: Response<KafkaConsumerGroupOffsets>) => {
      const d = await groups.describe(req.params.cluster, req.params.group, {
        timeLag: boolQuery(req.query.timeLag),
      });
      res.json({
        groupId: d.groupId,
        state: d.state,
        partitions: d.partitions,
        totalLag: d.totalLag,
      });
    },
  );

  router.post(
    '/:cluster/consumer-groups/:group/offsets',
    async (req, res: Response<KafkaResetOffsetsResult>) => {
      const { cluster, group } = req.params;
      const { coordinated, waitTimeoutSeconds, ...request } = (req.body ??
        {}) as KafkaResetOffsetsRequest &
        ResetRequest & {
          coordinated?: boolean;
          waitTimeoutSeconds?: number;
        };
      const asked = {
        to: request.to,
        timestamp: request.timestamp,
        offset: request.offset,
        topics: request.topics,
      };
      if (coordinated) {
        if (request.dryRun) {
          // A preview changes nothing: no permission needed beyond reading.
          const owner = await coordinatedReset.owner(cluster, group);
          res.json(
            await coordinatedReset.preview(cluster, group, request, owner),
          );
          return;
        }
        res.json(
          await options.audit.run(
            req,
            {
              action: 'group-offsets-coordinated-reset',
              severityLevel: 'high',
              target: { system: 'kafka', cluster, resource: group },
              meta: {
                cluster,
                group,
                ...asked,
                coordinated: true,
                waitTimeoutSeconds,
              },
            },
            async () => {
              // Every permission before anything happens: the reset's, then
              // the app's on its path and on its Marathon instance (#20).
              await authorize(options, req, archonKafkaGroupResetPermission, {
                system: 'kafka',
                cluster,
              });
              await authorizer.precheck(req, archonAppScalePermission);
              const owner = await coordinatedReset.owner(cluster, group);
              await authorizer.authorize(
                req,
                archonAppScalePermission,
                owner.configPath,
              );
              await authorizer.authorize(
                req,
                archonMarathonTargetManagePermission,
                clusterResourceRef('marathon', owner.instance),
              );
              return coordinatedReset.execute(
                req,
                cluster,
                group,
                request,
                owner,
                {
                  waitTimeoutMs:
                    waitTimeoutSeconds === undefined
                      ? undefined
                      : waitTimeoutSeconds * 1000,
                },
              );
            },
            {
              summary: result => {
                const offsets = offsetResetSummary(result);
                return {
                  before: { ...offsets.before, app: result.app },
                  after: {
                    ...offsets.after,
                    restored: result.restored,
                    steps: result.steps,
                  },
                };
              },
              successMeta: result => ({
                configPath: result.app.configPath,
                instance: result.app.instance,
              }),
            },
          ),
        );
        return;
      }
      const run = () => groups.resetOffsets(cluster, group, request);
      if (request.dryRun) {
        // A preview changes nothing: no permission needed beyond reading.
        res.json(await run());
        return;
      }
      res.json(
        await kafkaChange(
          options,
          req,
          {
            eventId: 'group-offsets-reset',
            on: { group },
            summary: offsetResetSummary,
            severityLevel: 'high',
            permission: archonKafkaGroupResetPermission,
            meta: asked,
          },
          run,
        ),
      );
    },
  );

  router.get(
    '/:cluster/consumer-groups/:group/lag-history',
    async (req, res: Response<KafkaLagSeries>) => {
      const { group } = req.params;
      res.json({
        groupId: group,
        items: await sampledSeries(options, req, (samples, cluster, since) =>
          samples.groupSeries(cluster, group, since),
        ),
      });
    },
  );
}
