import type express from 'express';
import { archonKafkaMessageReadPermission } from '@archon/plugin-archon-common';
import {
  intQuery,
  openEventStream,
  strQuery,
} from '@archon/plugin-archon-node';
import { authorize } from '../router/guard';
import type { KafkaRouterOptions } from './kafkaRoutes';
import type { MessageFilterInput } from './messageFilter';
import type { MessageFormat } from './messageFormat';
import { prepareTail, runTail } from './messageTail';

/** The filter query values of a read or a tail (`key`, `valueContains`, `jsonPath`). */
export function messageFilterQuery(
  query: Record<string, unknown>,
): MessageFilterInput {
  return {
    key: strQuery(query.key),
    valueContains: strQuery(query.valueContains),
    jsonPath: strQuery(query.jsonPath),
  };
}

/**
 * HTTP only: `GET /:cluster/topics/:topic/messages/tail`, a topic followed
 * live as server-sent events (see runTail).
 */
export function addMessageTailRoute(
  router: express.Router,
  options: KafkaRouterOptions,
) {
  router.get('/:cluster/topics/:topic/messages/tail', async (req, res) => {
    const { cluster, topic } = req.params;
    await authorize(options, req, archonKafkaMessageReadPermission, {
      system: 'kafka',
      cluster,
    });
    // Everything that can be refused is checked before the stream opens (then the status is 200).
    const start = await prepareTail(options.kafka, cluster, topic, {
      partition: intQuery(req.query.partition),
      filter: messageFilterQuery(req.query),
      keyFormat: strQuery(req.query.keyFormat) as MessageFormat | undefined,
      valueFormat: strQuery(req.query.valueFormat) as MessageFormat | undefined,
      maxSeconds: intQuery(req.query.maxSeconds),
    });
    const stream = openEventStream(req, res);
    await runTail(options.kafka, start, stream);
  });
}
