import express, { type Response } from 'express';
import Router from 'express-promise-router';
import {
  type KafkaAddPartitionsRequest,
  type KafkaAddPartitionsResult,
  type KafkaAlterTopicConfigsRequest,
  type KafkaAlterTopicConfigsResult,
  type KafkaClusterList,
  type KafkaClusterOverview,
  type KafkaCreateTopicRequest,
  type KafkaCreateTopicValidation,
  type KafkaDeleteTopicResult,
  type KafkaGetBrokerConfigs200Response,
  type KafkaMessageList,
  type KafkaProduceRequest,
  type KafkaProduceResult,
  type KafkaThroughputSeries,
  type KafkaTopicDescription,
  type KafkaTopicList,
  type KafkaTopicUsage,
  archonKafkaMessageProducePermission,
  archonKafkaMessageReadPermission,
  archonKafkaTopicAlterPermission,
  archonKafkaTopicCreatePermission,
  archonKafkaTopicDeletePermission,
} from '@archon/plugin-archon-common';
import {
  markStale,
  boolQuery,
  intQuery,
  parseListQuery,
  strQuery,
} from '@archon/plugin-archon-node';
import { readsForFields } from './topicListFields';
import type { ConsumerGroupService } from './ConsumerGroupService';
import type { CoordinatedResetService } from './CoordinatedResetService';
import { addConsumerGroupRoutes } from './consumerGroupRoutes';
import type { KafkaService } from './KafkaService';
import type { MessageService } from './MessageService';
import type { MessageFormat } from './messageFormat';
import { addMessageTailRoute, messageFilterQuery } from './messageTailRoute';
import type { SampleStore } from '../sampler/SampleStore';
import { authorize, type GuardDeps } from '../router/guard';
import { kafkaChange, sampledSeries } from './kafkaRouteParts';
import { TOPIC_SORT_FIELDS } from './topicFigures';

/** What the Kafka routes work with. */
export type KafkaRouterOptions = GuardDeps & {
  kafka: KafkaService;
  groups: ConsumerGroupService;
  coordinatedReset: CoordinatedResetService;
  messages: MessageService;
  samples?: SampleStore;
  /** `archon.kafka.lagThresholdSeconds` (default 60): when a group lags. */
  lagThresholdSeconds?: number;
};

/** HTTP only: `/api/archon/kafka/...` on top of the Kafka services. */
export function createKafkaRouter(options: KafkaRouterOptions): express.Router {
  const { kafka, messages, authorizer } = options;
  const router = Router();
  router.use(express.json({ limit: '2mb' }));

  router.get('/', async (_req, res: Response<KafkaClusterList>) => {
    res.json({
      items: kafka.clusters().map(c => ({ name: c.name, brokers: c.brokers })),
    });
  });

  router.get('/:cluster', async (req, res: Response<KafkaClusterOverview>) => {
    res.json(await kafka.overview(req.params.cluster));
  });

  router.get(
    '/:cluster/brokers/:broker/configs',
    async (req, res: Response<KafkaGetBrokerConfigs200Response>) => {
      res.json({
        items: await kafka.brokerConfigs(
          req.params.cluster,
          Number(req.params.broker),
        ),
      });
    },
  );

  // ------------------------------------------------------------------ topics

  router.get('/:cluster/topics', async (req, res: Response<KafkaTopicList>) => {
    // The last answer, marked stale, while the cluster is unreachable (#22).
    const { listing, staleness } = await kafka.listTopicsOrLast(
      req.params.cluster,
      {
        ...parseListQuery(req.query, {
          sortFields: TOPIC_SORT_FIELDS,
          what: 'topics',
        }),
        regex: strQuery(req.query.regex),
        includeInternal: boolQuery(req.query.includeInternal),
        reads: readsForFields(strQuery(req.query.fields)),
      },
    );
    res.json(markStale(res, listing, staleness));
  });

  router.post(
    '/:cluster/topics',
    async (
      req,
      res: Response<KafkaTopicDescription | KafkaCreateTopicValidation>,
    ) => {
      const { cluster } = req.params;
      const body: KafkaCreateTopicRequest = req.body;
      const result = await kafkaChange(
        options,
        req,
        {
          eventId: 'topic-create',
          on: { topic: body?.name },
          after: () => ({
            partitions: body?.partitions,
            replicationFactor: body?.replicationFactor,
            configs: body?.configs,
          }),
          permission: archonKafkaTopicCreatePermission,
          meta: {
            partitions: body?.partitions,
            replicationFactor: body?.replicationFactor,
            validateOnly: !!body?.validateOnly,
          },
        },
        async () => {
          const created = await kafka.createTopic(cluster, body);
          return created.validateOnly
            ? created
            : kafka.describeTopic(cluster, body.name);
        },
      );
      res.status(body?.validateOnly ? 200 : 201).json(result);
    },
  );

  router.get(
    '/:cluster/topics/:topic',
    async (req, res: Response<KafkaTopicDescription>) => {
      res.json(await kafka.describeTopic(req.params.cluster, req.params.topic));
    },
  );

  router.get(
    '/:cluster/topics/:topic/usage',
    async (req, res: Response<KafkaTopicUsage>) => {
      res.json(await kafka.usage(req.params.cluster, req.params.topic));
    },
  );

  router.delete(
    '/:cluster/topics/:topic',
    async (req, res: Response<KafkaDeleteTopicResult>) => {
      const { cluster, topic } = req.params;
      const confirm = strQuery(req.query.confirm);
      // `before` (what the topic held) is for the audit entry only.
      const { before: _lost, ...deleted } = await kafkaChange(
        options,
        req,
        {
          eventId: 'topic-delete',
          on: { topic },
          severityLevel: 'high',
          permission: archonKafkaTopicDeletePermission,
          meta: { confirmed: confirm === topic },
          summary: result => ({
            before: result.before,
            after: { deleted: true },
          }),
        },
        () => kafka.deleteTopic(cluster, topic, confirm),
      );
      res.json(deleted);
    },
  );

  router.patch(
    '/:cluster/topics/:topic/configs',
    async (req, res: Response<KafkaAlterTopicConfigsResult>) => {
      const { cluster, topic } = req.params;
      res.json(
        await kafkaChange(
          options,
          req,
          {
            eventId: 'topic-configs-alter',
            on: { topic },
            after: () => ({ set: req.body?.set, reset: req.body?.reset }),
            permission: archonKafkaTopicAlterPermission,
            meta: {
              set: req.body?.set,
              reset: req.body?.reset,
              validateOnly: !!req.body?.validateOnly,
            },
          },
          () =>
            kafka.alterTopicConfigs(
              cluster,
              topic,
              req.body as KafkaAlterTopicConfigsRequest,
            ),
        ),
      );
    },
  );

  router.post(
    '/:cluster/topics/:topic/partitions',
    async (req, res: Response<KafkaAddPartitionsResult>) => {
      const { cluster, topic } = req.params;
      res.json(
        await kafkaChange(
          options,
          req,
          {
            eventId: 'topic-partitions-add',
            on: { topic },
            after: () => ({ partitions: req.body?.count }),
            severityLevel: 'high',
            permission: archonKafkaTopicAlterPermission,
            meta: { count: req.body?.count, dryRun: !!req.body?.dryRun },
          },
          () =>
            kafka.addPartitions(
              cluster,
              topic,
              req.body as KafkaAddPartitionsRequest,
            ),
        ),
      );
    },
  );

  router.get(
    '/:cluster/topics/:topic/throughput',
    async (req, res: Response<KafkaThroughputSeries>) => {
      const { topic } = req.params;
      res.json({
        topic,
        items: await sampledSeries(options, req, (samples, cluster, since) =>
          samples.topicSeries(cluster, topic, since),
        ),
      });
    },
  );

  router.get(
    '/:cluster/topics/:topic/messages',
    async (req, res: Response<KafkaMessageList>) => {
      const { cluster, topic } = req.params;
      await authorize(options, req, archonKafkaMessageReadPermission, {
        system: 'kafka',
        cluster,
      });
      res.json(
        await messages.read(cluster, topic, {
          partition: intQuery(req.query.partition),
          from: strQuery(req.query.start) as
            | 'newest'
            | 'oldest'
            | 'offset'
            | 'timestamp'
            | undefined,
          offset: intQuery(req.query.offset),
          timestamp: intQuery(req.query.timestamp),
          limit: intQuery(req.query.limit),
          maxBytes: intQuery(req.query.maxBytes),
          timeoutMs: intQuery(req.query.timeoutMs),
          keyFormat: strQuery(req.query.keyFormat) as MessageFormat | undefined,
          valueFormat: strQuery(req.query.valueFormat) as
            | MessageFormat
            | undefined,
          filter: messageFilterQuery(req.query),
          scanLimit: intQuery(req.query.scanLimit),
          cursor: strQuery(req.query.cursor),
        }),
      );
    },
  );

  addMessageTailRoute(router, options);

  router.post(
    '/:cluster/topics/:topic/messages',
    async (req, res: Response<KafkaProduceResult>) => {
      const { cluster, topic } = req.params;
      const result = await kafkaChange(
        options,
        req,
        {
          eventId: 'message-produce',
          on: { topic },
          permission: archonKafkaMessageProducePermission,
          meta: {
            partition: req.body?.partition,
            count: req.body?.count ?? 1,
          },
        },
        () => messages.produce(cluster, topic, req.body as KafkaProduceRequest),
      );
      res.status(201).json(result);
    },
  );

  addConsumerGroupRoutes(router, options, authorizer);

  return router;
}
