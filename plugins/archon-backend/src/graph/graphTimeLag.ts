import type { GraphNodeView } from './graphModel';
import { kindOfNodeId } from './graphModel';

/** What a consumes-from edge shows of its consumer's time lag. */
export interface EdgeTimeLag {
  metrics: { timeLagMs: number };
  lagging: boolean;
}

/** A consumer group's time lag on one topic, as the Kafka part reports it. */
function groupTimeLag(
  group: GraphNodeView | undefined,
  topic: string,
): { ms: number; lagging: boolean } | undefined {
  const byTopic = group?.attributes?.timeLagByTopic as
    | Record<string, { ms?: unknown; lagging?: unknown }>
    | undefined;
  const entry = byTopic?.[topic];
  if (!entry || typeof entry.ms !== 'number') return undefined;
  return { ms: entry.ms, lagging: entry.lagging === true };
}

/**
 * The time lag of a consumes-from edge (topic → group, or topic → app
 * through the app's groups), from the groups' per-topic figures of the
 * latest lag sample: an app's edge takes the largest of its groups' and
 * lags when any of them does (the groups' rule, isGroupLagging with
 * `archon.kafka.lagThresholdSeconds`, applied where the sample is read).
 * Undefined for other edges and for consumers with no figure.
 */
export function edgeTimeLag(
  edge: { kind: string; from: string; to: string },
  derivedThrough: Iterable<string>,
  node: (id: string) => GraphNodeView | undefined,
): EdgeTimeLag | undefined {
  if (edge.kind !== 'consumes-from') return undefined;
  const topic = node(edge.from)?.name;
  if (topic === undefined) return undefined;
  const groups =
    kindOfNodeId(edge.to) === 'consumer-group'
      ? [edge.to]
      : [...derivedThrough];
  let found: { ms: number; lagging: boolean } | undefined;
  for (const id of groups) {
    const lag = groupTimeLag(node(id), topic);
    if (!lag) continue;
    found = {
      ms: Math.max(found?.ms ?? 0, lag.ms),
      lagging: (found?.lagging ?? false) || lag.lagging,
    };
  }
  return found && { metrics: { timeLagMs: found.ms }, lagging: found.lagging };
}
