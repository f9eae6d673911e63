import type { Request } from 'express';
import { intQuery } from '@archon/plugin-archon-node';
import { guarded, type GuardedEvent } from '../router/guard';
import type { SampleStore } from '../sampler/SampleStore';
import type { KafkaRouterOptions } from './kafkaRoutes';

/**
 * What the topic and the consumer-group routes share, so both do it one way:
 * the audited change of one topic or group and the sample window of a series.
 */

/** A request on one cluster, `/:cluster/...`. */
type ClusterRequest = Request<{ cluster: string }, any, any, any>;

/**
 * A change to one topic or group of the cluster in the URL, under an audit
 * event whose target is that resource (system `kafka`) and whose meta names
 * the cluster and the resource before the route's own fields; the permission
 * is checked inside the event, so a refusal is audited too.
 */
export function kafkaChange<T>(
  options: KafkaRouterOptions,
  req: ClusterRequest,
  event: Omit<GuardedEvent<T>, 'system' | 'resource' | 'meta'> & {
    /** The resource changed; a name missing from the request audits as ''. */
    on: { topic: string | undefined } | { group: string };
    meta?: Record<string, unknown>;
  },
  action: () => Promise<T>,
): Promise<T> {
  const { on, meta, ...rest } = event;
  const [kind, name] = Object.entries(on)[0];
  return guarded(
    options,
    req,
    {
      ...rest,
      system: 'kafka',
      resource: String(name ?? ''),
      meta: { cluster: req.params.cluster, [kind]: name, ...meta },
    },
    action,
  );
}

/**
 * A sampled series of the cluster in the URL over the last `minutes` (60 by
 * default). An unknown cluster is a 404 even while sampling is off, which
 * answers an empty series.
 */
export async function sampledSeries<T>(
  options: KafkaRouterOptions,
  req: ClusterRequest,
  read: (samples: SampleStore, cluster: string, since: number) => Promise<T[]>,
): Promise<T[]> {
  const { cluster } = req.params;
  options.kafka.cluster(cluster);
  const minutes = intQuery(req.query.minutes) ?? 60;
  return options.samples
    ? read(options.samples, cluster, Date.now() - minutes * 60_000)
    : [];
}
