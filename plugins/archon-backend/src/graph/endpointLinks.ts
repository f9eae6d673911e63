import type {
  ArchonGraphContribution,
  ArchonGraphEdge,
  ArchonGraphEndpointUse,
  ArchonGraphNodeKind,
} from '@archon/plugin-archon-node';
import type { GraphIndex } from './GraphIndex';

/**
 * The part archon-backend derives itself from the endpoints contributors
 * declare (`attributes.endpoints`, see `ArchonGraphEndpoints`): no single
 * contributor sees both an app and the connector on the other side of its
 * file, so the match is made here, over the merged graph. Its id is taken,
 * like `config`.
 */
export const ENDPOINT_PART = 'endpoints';

interface Use {
  id: string;
  name: string;
  declared: string;
}

type Uses = Map<string, Use[]>;

/**
 * `source-reads` app → source connector for every file or URL an app writes
 * and a source connector reads, and `sink-writes` sink connector → app for
 * every one a sink connector writes and an app reads. Each edge is declared
 * by both sides' declarations; nothing observes a file, so it carries no
 * observation and no drift.
 */
export function endpointLinks(index: GraphIndex): ArchonGraphContribution {
  const apps = usesOf(index, 'app');
  const connectors = usesOf(index, 'connector');
  const edges: ArchonGraphEdge[] = [];
  const link = (
    from: Use,
    to: Use,
    kind: ArchonGraphEdge['kind'],
    endpoint: string,
    fromVerb: string,
    toVerb: string,
  ) => {
    edges.push({
      from: from.id,
      to: to.id,
      kind,
      evidence: {
        declared: [
          `${from.name} ${fromVerb} ${endpoint}: ${from.declared}`,
          `${to.name} ${toVerb} ${endpoint}: ${to.declared}`,
        ],
      },
    });
  };
  for (const [endpoint, readers] of connectors.reads) {
    for (const writer of apps.writes.get(endpoint) ?? [])
      for (const connector of readers)
        link(writer, connector, 'source-reads', endpoint, 'writes', 'reads');
  }
  for (const [endpoint, writers] of connectors.writes) {
    for (const reader of apps.reads.get(endpoint) ?? [])
      for (const connector of writers)
        link(connector, reader, 'sink-writes', endpoint, 'writes', 'reads');
  }
  return { nodes: [], edges };
}

/** A stable text of a contribution's edges, to skip a replacement that changes nothing. */
export function endpointLinksKey(part: ArchonGraphContribution): string {
  return part.edges
    .map(e => `${e.from} ${e.kind} ${e.to} ${e.evidence?.declared?.join(';')}`)
    .sort()
    .join('\n');
}

function usesOf(index: GraphIndex, kind: ArchonGraphNodeKind) {
  const writes: Uses = new Map();
  const reads: Uses = new Map();
  for (const id of index.nodeIdsOfKind(kind)) {
    const node = index.node(id);
    const declared = node?.attributes?.endpoints as
      | { writes?: unknown; reads?: unknown }
      | undefined;
    if (!node || !declared || typeof declared !== 'object') continue;
    collect(writes, declared.writes, id, node.name);
    collect(reads, declared.reads, id, node.name);
  }
  return { writes, reads };
}

function collect(into: Uses, list: unknown, id: string, name: string) {
  if (!Array.isArray(list)) return;
  for (const item of list as Partial<ArchonGraphEndpointUse>[]) {
    if (typeof item?.endpoint !== 'string') continue;
    let uses = into.get(item.endpoint);
    if (!uses) into.set(item.endpoint, (uses = []));
    uses.push({ id, name, declared: String(item.declared ?? 'declared') });
  }
}
