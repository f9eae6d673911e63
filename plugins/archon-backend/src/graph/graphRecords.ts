import type {
  ArchonGraphEdge,
  ArchonGraphEdgeEvidence,
  ArchonGraphEdgeKind,
  ArchonGraphNode,
} from '@archon/plugin-archon-node';
import { kindOfNodeId, type GraphEdgeView } from './graphModel';

/** One merged edge: who vouches for it with what, and what was derived for it. */
export interface EdgeRecord {
  readonly key: string;
  readonly from: string;
  readonly to: string;
  readonly kind: ArchonGraphEdgeKind;
  /** Evidence per contributing part (undefined: a structural edge without evidence). */
  readonly byPart: Map<string, ArchonGraphEdgeEvidence | undefined>;
  /** Observed evidence derived through a consumer group, per group id. */
  readonly derived: Map<string, string[]>;
  /** Cached view; dropped whenever the record changes. */
  view?: GraphEdgeView;
}

export interface Part {
  nodes: Map<string, ArchonGraphNode>;
  /** By edge key; evidence normalized (no repeats, no empty lists). */
  edges: Map<string, ArchonGraphEdge>;
  sampledAt: string;
}

/** What one part replacement did, and what it had to skip. */
export interface PartReplacement {
  nodes: number;
  edges: number;
  /** Items refused as malformed, with the first few reasons. */
  rejected: number;
  reasons: string[];
}

export const EMPTY: ReadonlySet<EdgeRecord> = new Set();

/** What one replacement touched. */
export class Change {
  readonly nodes = new Set<string>();
  readonly edges = new Set<EdgeRecord>();
  /** Consumer groups (or any node) whose derivations must be recomputed. */
  readonly groups = new Set<string>();

  touch(record: EdgeRecord) {
    this.touchDerived(record);
    if (record.kind === 'belongs-to') this.groups.add(record.from);
    if (
      record.kind === 'consumes-from' &&
      kindOfNodeId(record.to) === 'consumer-group'
    )
      this.groups.add(record.to);
  }

  /** A change that does not feed further derivations. */
  touchDerived(record: EdgeRecord) {
    this.edges.add(record);
    this.nodes.add(record.from);
    this.nodes.add(record.to);
  }
}

export function addTo(
  map: Map<string, Set<EdgeRecord>>,
  id: string,
  record: EdgeRecord,
) {
  let set = map.get(id);
  if (!set) map.set(id, (set = new Set()));
  set.add(record);
}

export function removeFrom(
  map: Map<string, Set<EdgeRecord>>,
  id: string,
  record: EdgeRecord,
) {
  const set = map.get(id);
  set?.delete(record);
  if (set?.size === 0) map.delete(id);
}

export function sameEvidence(
  a: ArchonGraphEdgeEvidence | undefined,
  b: ArchonGraphEdgeEvidence | undefined,
): boolean {
  return (
    sameList(a?.declared, b?.declared) && sameList(a?.observed, b?.observed)
  );
}

function sameList(a: string[] | undefined, b: string[] | undefined): boolean {
  if ((a?.length ?? 0) !== (b?.length ?? 0)) return false;
  return (a ?? []).every((x, i) => x === b![i]);
}

/** Union of two evidence records, without repeats; undefined when both are. */
export function mergeEvidence(
  a: ArchonGraphEdgeEvidence | undefined,
  b: ArchonGraphEdgeEvidence | undefined,
): ArchonGraphEdgeEvidence | undefined {
  if (!a) return b && normalize(b);
  if (!b) return a;
  const declared = union(a.declared, b.declared);
  const observed = union(a.observed, b.observed);
  return {
    ...(declared ? { declared } : {}),
    ...(observed ? { observed } : {}),
  };
}

function normalize(e: ArchonGraphEdgeEvidence): ArchonGraphEdgeEvidence {
  const declared = union(e.declared, undefined);
  const observed = union(e.observed, undefined);
  return {
    ...(declared ? { declared } : {}),
    ...(observed ? { observed } : {}),
  };
}

function union(
  a: string[] | undefined,
  b: string[] | undefined,
): string[] | undefined {
  if (!a?.length && !b?.length) return undefined;
  return [...new Set([...(a ?? []), ...(b ?? [])])];
}
