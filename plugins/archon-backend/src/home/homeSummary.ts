import type { GraphContributorState, GraphService } from '../graph';
import type { HomeAttentionCount } from '../schema/openapi/generated/models';

/** At most this many counted rows are named in one count (the count itself is exact). */
export const HOME_SUMMARY_MAX_ITEMS = 50;

type Count = HomeAttentionCount;
type CountId = Count['id'];

export const HOME_COUNT_LABELS: Record<CountId, string> = {
  'apps-failing': 'apps crash-looping or degraded',
  'connectors-failing': 'connectors with failed tasks',
  'groups-lagging': 'consumer groups lagging',
  'drift-edges': 'drift edges in the graph',
  'config-levels-failing': 'configuration levels that do not resolve',
  'config-undeployed': 'apps with configuration changes not yet deployed',
};

/** The app state words (glossary) that need attention; the graph's app summary leads with the word. */
const FAILING_APP_STATES = new Set(['crash-looping', 'degraded']);

/** A count of these rows, or unknown with why. */
export function countOf(
  id: CountId,
  items: string[],
  source?: { stale?: boolean; asOf?: string },
): Count {
  return {
    id,
    label: HOME_COUNT_LABELS[id],
    count: items.length,
    items: items.slice(0, HOME_SUMMARY_MAX_ITEMS),
    ...(source?.stale ? { stale: true, asOf: source.asOf } : {}),
  };
}

export function unknownCount(id: CountId, why: string): Count {
  return { id, label: HOME_COUNT_LABELS[id], unknown: why };
}

/**
 * Why a count from these graph contributors cannot be given: a contributor
 * that never read its system has no part in the graph, so its zero would be
 * a guess. A contributor that read once and cannot now keeps its last part
 * (the count is then stale, as of its oldest read).
 */
export function sourceOf(
  states: GraphContributorState[],
  ids: string[],
): { unknown?: string; stale?: boolean; asOf?: string } {
  const used = states.filter(s => ids.includes(s.id));
  if (used.length === 0) {
    return { unknown: `no ${ids.join(' or ')} system is configured` };
  }
  const unread = used.find(s => !s.refreshedAt);
  if (unread) {
    return {
      unknown: `the ${
        unread.id
      } graph contributor has not read its systems yet${
        unread.error ? `: ${unread.error}` : ''
      }`,
    };
  }
  const stale = used.filter(s => s.stale && s.asOf).map(s => s.asOf!);
  return stale.length ? { stale: true, asOf: stale.sort()[0] } : {};
}

/** The graph's counts: what its index holds now, one pass over the nodes of each kind. */
export function graphCounts(graph: GraphService): Count[] {
  const states = graph.contributors();
  const index = graph.index;
  const nodesOf = (kind: Parameters<typeof index.nodeIdsOfKind>[0]) =>
    [...index.nodeIdsOfKind(kind)]
      .map(id => index.node(id))
      .filter(n => n !== undefined)
      .sort((a, b) => a.id.localeCompare(b.id));

  const counted = (
    id: CountId,
    contributors: string[],
    items: () => string[],
  ): Count => {
    const source = sourceOf(states, contributors);
    return source.unknown
      ? unknownCount(id, source.unknown)
      : countOf(id, items(), source);
  };

  /**
   * Groups whose time lag exceeds `archon.kafka.lagThresholdSeconds`: the
   * Kafka contributor marks them (`lagging`, by isGroupLagging) from the lag
   * sampler's latest sample. A Kafka cluster with no sample yet makes the
   * count unknown: its groups' zero would be a guess.
   */
  const groupsLagging = (): Count => {
    const unsampled = nodesOf('cluster').find(
      n =>
        n.system === 'kafka' &&
        typeof n.attributes?.timeLagUnknown === 'string',
    );
    if (unsampled && !sourceOf(states, ['kafka']).unknown) {
      return unknownCount(
        'groups-lagging',
        `no time lag for Kafka cluster ${unsampled.name}: ${String(
          unsampled.attributes!.timeLagUnknown,
        )}`,
      );
    }
    return counted('groups-lagging', ['kafka'], () =>
      nodesOf('consumer-group')
        .filter(n => n.attributes?.lagging === true)
        .map(n => n.id),
    );
  };

  return [
    counted('apps-failing', ['marathon'], () =>
      nodesOf('app')
        .filter(n =>
          FAILING_APP_STATES.has(
            (n.status?.summary ?? '').split(',')[0].trim(),
          ),
        )
        .map(n => n.id),
    ),
    counted('connectors-failing', ['kafka'], () =>
      nodesOf('connector')
        .filter(
          n =>
            (n.status?.metrics?.tasksFailed ?? 0) > 0 ||
            n.status?.state === 'failed',
        )
        .map(n => n.id),
    ),
    groupsLagging(),
    counted('drift-edges', ['kafka', 'marathon'], () => {
      const drifting: string[] = [];
      for (const record of index.edges()) {
        const edge = index.edgeView(record);
        if (edge.drift) drifting.push(`${edge.from} -> ${edge.to}`);
      }
      return drifting.sort();
    }),
    counted('config-levels-failing', ['config'], () =>
      nodesOf('config-path')
        .filter(n => n.attributes?.resolution === 'failing')
        .map(n => n.id.replace(/^config:/, '')),
    ),
  ];
}

/** The configuration paths that apps on the graph were deployed from (label `archon.io/config-path`). */
export function deployedConfigPaths(graph: GraphService): string[] {
  const index = graph.index;
  const paths = new Set<string>();
  for (const id of index.nodeIdsOfKind('app')) {
    const path = index.node(id)?.attributes?.configPath;
    if (typeof path === 'string') paths.add(path);
  }
  return [...paths].sort();
}
