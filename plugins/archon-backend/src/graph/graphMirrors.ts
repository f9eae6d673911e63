import type { GraphNodeView } from './graphModel';

/** What the topics' write rates say about a declared `mirrors` edge. */
export interface MirrorGrowth {
  /** An observation for the edge's evidence. */
  observed?: string;
  /** The source moves and the replica does not: the mirror drifts whatever else was seen. */
  stalled: boolean;
}

/**
 * Judges a mirror by its two topics' write rates (messages per second
 * between the lag sampler's two latest samples, the topic nodes'
 * `messagesPerSecond`): the replica's end offsets moving is the
 * replication seen; a source that moves while its replica does not is a
 * mirror that stalls (drift, even while MirrorMaker's heartbeats flow);
 * a source that did not move leaves nothing to replicate, so an existing
 * replica that stands still is no drift. Without rates nothing is said.
 */
export function mirrorGrowth(
  source: GraphNodeView | undefined,
  replica: GraphNodeView | undefined,
): MirrorGrowth {
  const rateOf = (n: GraphNodeView | undefined) => {
    const rate = n?.status?.metrics?.messagesPerSecond;
    return typeof rate === 'number' ? rate : undefined;
  };
  const from = rateOf(source);
  const to = rateOf(replica);
  const where = (n: GraphNodeView | undefined) =>
    n ? `${n.name} on ${n.cluster ?? 'its cluster'}` : 'the replica';
  if (to !== undefined && to > 0)
    return {
      observed: `end offsets of ${where(replica)} move (${to.toFixed(
        1,
      )} msg/s)`,
      stalled: false,
    };
  if (from !== undefined && from > 0) return { stalled: true };
  if (from === 0 && replica && !replica.attributes?.placeholder)
    return {
      observed: `${where(
        source,
      )} did not move between the latest samples and its replica ${where(
        replica,
      )} exists: nothing waits to be replicated`,
      stalled: false,
    };
  return { stalled: false };
}
