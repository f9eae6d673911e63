import type {
  ArchonGraphContribution,
  ArchonGraphEdgeEvidence,
  ArchonGraphEdgeKind,
  ArchonGraphNode,
  ArchonGraphNodeKind,
} from '@archon/plugin-archon-node';
import {
  driftOf,
  edgeKey,
  GRAPH_NODE_KINDS,
  kindOfNodeId,
  placeholderNode,
  type GraphEdgeView,
  type GraphNodeView,
} from './graphModel';
import {
  addTo,
  Change,
  EMPTY,
  mergeEvidence,
  removeFrom,
  sameEvidence,
  type EdgeRecord,
  type Part,
  type PartReplacement,
} from './graphRecords';
import { validatePart } from './validatePart';
import { edgeTimeLag } from './graphTimeLag';
import { mirrorGrowth } from './graphMirrors';

export type { EdgeRecord, PartReplacement } from './graphRecords';
export { mergeEvidence } from './graphRecords';

/**
 * The merged graph with its indexes, kept up to date part by part: replacing
 * one contributor's part touches only the nodes and edges that part had or
 * has (and the consumer groups whose derivations they feed), never the
 * whole graph. Queries read adjacency, kind and search indexes from here.
 *
 * Merge rules: nodes with the same id from several parts are one node (the
 * first registered part's fields win, attributes are combined, the most
 * recently sampled status wins); edges with the same (from, kind, to) are one
 * edge with the union of their evidence. An edge end that no part
 * contributes is a placeholder node while some edge refers to it.
 */
export class GraphIndex {
  readonly #parts = new Map<string, Part>();
  readonly #nodeParts = new Map<string, Map<string, ArchonGraphNode>>();
  readonly #nodeViews = new Map<string, GraphNodeView>();
  readonly #edges = new Map<string, EdgeRecord>();
  readonly #out = new Map<string, Set<EdgeRecord>>();
  readonly #in = new Map<string, Set<EdgeRecord>>();
  /** Edges each consumer group's derivation added to, so a re-derivation can take them back. */
  readonly #derivedBy = new Map<string, Set<EdgeRecord>>();
  readonly #byKind = new Map<ArchonGraphNodeKind, Set<string>>(
    GRAPH_NODE_KINDS.map(k => [k, new Set<string>()]),
  );
  /** Lower-cased `name\nid` per node, for search without re-lowering per request. */
  readonly #searchKeys = new Map<string, string>();
  /** When placeholders first appeared (their status's sampledAt). */
  readonly #placeholderSince = new Map<string, string>();
  #version = 0;

  /** Bumped by every replacement; caches keyed on it stay valid until the graph changes. */
  get version(): number {
    return this.#version;
  }

  get nodeCount(): number {
    return this.#searchKeys.size;
  }

  get edgeCount(): number {
    return this.#edges.size;
  }

  partIds(): string[] {
    return [...this.#parts.keys()];
  }

  /**
   * Replaces one contributor's whole part; everything it no longer reports
   * goes. Compared with the part it replaces, so the cost follows what
   * changed: a node whose name is the same only swaps its record (a fresh
   * status is the common case), an edge with the same evidence is left alone,
   * and only changed edges re-derive and re-index their ends.
   */
  replacePart(
    partId: string,
    contribution: ArchonGraphContribution,
    sampledAt: string,
  ): PartReplacement {
    const { part, rejected, reasons } = validatePart(contribution, sampledAt);
    const change = new Change();
    const old = this.#parts.get(partId);
    if (old) {
      for (const id of old.nodes.keys()) {
        if (!part.nodes.has(id)) this.#withdrawNode(partId, id, change);
      }
      for (const [key, edge] of old.edges) {
        if (!part.edges.has(key)) this.#withdrawEdge(partId, key, change);
        else if (!sameEvidence(edge.evidence, part.edges.get(key)!.evidence))
          this.#withdrawEdge(partId, key, change);
      }
    }
    this.#parts.set(partId, part);
    for (const [id, node] of part.nodes) {
      let byPart = this.#nodeParts.get(id);
      if (!byPart) this.#nodeParts.set(id, (byPart = new Map()));
      const before = byPart.get(partId);
      byPart.set(partId, node);
      this.#nodeViews.delete(id);
      if (node.kind === 'topic') this.#invalidateWriters(id);
      // Indexes hold only presence, kind and name: a node that keeps its name keeps its entries.
      if (!before || before.name !== node.name) change.nodes.add(id);
    }
    for (const edge of part.edges.values()) {
      const record = this.#edgeRecord(edge.from, edge.kind, edge.to);
      if (record.byPart.has(partId)) continue;
      record.byPart.set(partId, edge.evidence);
      change.touch(record);
    }
    this.#apply(change);
    return {
      nodes: part.nodes.size,
      edges: part.edges.size,
      rejected,
      reasons,
    };
  }

  /** Drops a part as if its contributor reported nothing. */
  removePart(partId: string): void {
    const old = this.#parts.get(partId);
    if (!old) return;
    const change = new Change();
    for (const id of old.nodes.keys()) this.#withdrawNode(partId, id, change);
    for (const key of old.edges.keys()) this.#withdrawEdge(partId, key, change);
    this.#parts.delete(partId);
    this.#apply(change);
  }

  has(id: string): boolean {
    return this.#searchKeys.has(id);
  }

  /** The merged node, or its placeholder; undefined when nothing knows the id. */
  node(id: string): GraphNodeView | undefined {
    if (!this.#searchKeys.has(id)) return undefined;
    let view = this.#nodeViews.get(id);
    if (!view) {
      view = this.#buildNodeView(id);
      if (view) this.#nodeViews.set(id, view);
    }
    return view;
  }

  nodeIds(): IterableIterator<string> {
    return this.#searchKeys.keys();
  }

  nodeIdsOfKind(kind: ArchonGraphNodeKind): ReadonlySet<string> {
    return this.#byKind.get(kind)!;
  }

  /** Every node id with its search key, for a scan without a lookup per node. */
  searchEntries(): IterableIterator<[string, string]> {
    return this.#searchKeys.entries();
  }

  /** `name\nid`, lower-cased. */
  searchKey(id: string): string | undefined {
    return this.#searchKeys.get(id);
  }

  outEdges(id: string): ReadonlySet<EdgeRecord> {
    return this.#out.get(id) ?? EMPTY;
  }

  inEdges(id: string): ReadonlySet<EdgeRecord> {
    return this.#in.get(id) ?? EMPTY;
  }

  edge(
    from: string,
    kind: ArchonGraphEdgeKind,
    to: string,
  ): EdgeRecord | undefined {
    return this.#edges.get(edgeKey(from, kind, to));
  }

  edges(): IterableIterator<EdgeRecord> {
    return this.#edges.values();
  }

  /** The edge as the API shows it: merged evidence, drift, contributors. */
  edgeView(record: EdgeRecord): GraphEdgeView {
    if (record.view) return record.view;
    let evidence: ArchonGraphEdgeEvidence | undefined;
    for (const e of record.byPart.values())
      evidence = mergeEvidence(evidence, e);
    for (const observed of record.derived.values())
      evidence = mergeEvidence(evidence, { observed });
    if (
      record.kind === 'produces-to' &&
      evidence?.declared?.length &&
      !evidence.observed?.length
    ) {
      const moving = this.#soleProducerObservation(record);
      if (moving) evidence = mergeEvidence(evidence, { observed: [moving] });
    }
    let stalled = false;
    if (record.kind === 'mirrors' && evidence?.declared?.length) {
      const growth = mirrorGrowth(this.node(record.from), this.node(record.to));
      if (growth.observed)
        evidence = mergeEvidence(evidence, { observed: [growth.observed] });
      stalled = growth.stalled;
    }
    let drift = stalled
      ? 'declared-not-observed'
      : driftOf(record.kind, record.from, record.to, evidence);
    if (
      !drift &&
      record.kind === 'consumes-from' &&
      kindOfNodeId(record.to) === 'consumer-group' &&
      !this.#groupIsAccountedFor(record.to)
    ) {
      drift = 'observed-not-declared';
    }
    record.view = {
      from: record.from,
      to: record.to,
      kind: record.kind,
      ...(evidence ? { evidence } : {}),
      ...(drift ? { drift } : {}),
      ...(record.derived.size > 0 ? { derived: true } : {}),
      // Read from the groups' nodes; the evidence text carries the same
      // figure, so a changed time lag changes the record and drops this view.
      ...edgeTimeLag(record, record.derived.keys(), id => this.node(id)),
      contributors: [...record.byPart.keys()],
    };
    return record.view;
  }

  /**
   * Kafka cannot name a topic's producers, so an app's declared produces-to
   * edge counts as observed when the topic's end offsets move and that app is
   * the only thing declared to write to it (no other app, no source
   * connector): nobody else can be the writer archon knows of.
   */
  #soleProducerObservation(record: EdgeRecord): string | undefined {
    const rate = this.node(record.to)?.status?.metrics?.messagesPerSecond;
    if (!(typeof rate === 'number' && rate > 0)) return undefined;
    let writers = 0;
    for (const e of this.inEdges(record.to)) {
      if (
        (e.kind === 'produces-to' || e.kind === 'source-writes') &&
        e.byPart.size > 0
      )
        writers++;
    }
    if (writers !== 1) return undefined;
    return `end offsets of ${this.#nameOf(record.to)} move (${rate.toFixed(
      1,
    )} msg/s) and ${this.#nameOf(record.from)} is its only declared producer`;
  }

  /**
   * A consumer group reading topics is declared when an app claims it
   * (`belongs-to`) or it is Kafka Connect's own group of a sink connector
   * (`connect-<connector name>`); any other reader is an undeclared consumer,
   * which is drift.
   */
  #groupIsAccountedFor(group: string): boolean {
    for (const e of this.outEdges(group))
      if (e.kind === 'belongs-to' && e.byPart.size > 0) return true;
    const name = this.#nameOf(group);
    if (!name.startsWith('connect-')) return false;
    const connector = name.slice('connect-'.length);
    for (const id of this.nodeIdsOfKind('connector')) {
      if (this.#nameOf(id) === connector) return true;
    }
    return false;
  }

  /** Drops the cached views of the edges whose evidence depends on topic `id`'s rate: its writers (sole producer) and its mirrors. */
  #invalidateWriters(id: string) {
    for (const e of this.inEdges(id))
      if (e.kind === 'produces-to' || e.kind === 'mirrors') e.view = undefined;
    for (const e of this.outEdges(id))
      if (e.kind === 'mirrors') e.view = undefined;
  }

  #withdrawNode(partId: string, id: string, change: Change) {
    const byPart = this.#nodeParts.get(id);
    byPart?.delete(partId);
    if (byPart?.size === 0) this.#nodeParts.delete(id);
    change.nodes.add(id);
  }

  #withdrawEdge(partId: string, key: string, change: Change) {
    const record = this.#edges.get(key);
    if (!record) return;
    record.byPart.delete(partId);
    change.touch(record);
  }

  #edgeRecord(from: string, kind: ArchonGraphEdgeKind, to: string): EdgeRecord {
    const key = edgeKey(from, kind, to);
    let record = this.#edges.get(key);
    if (!record) {
      record = { key, from, to, kind, byPart: new Map(), derived: new Map() };
      this.#edges.set(key, record);
      addTo(this.#out, from, record);
      addTo(this.#in, to, record);
    }
    return record;
  }

  /** Re-derives the touched groups, drops empty edges, re-indexes the touched nodes. */
  #apply(change: Change) {
    for (const group of change.groups) this.#derive(group, change);
    for (const record of change.edges) {
      record.view = undefined;
      if (record.kind === 'produces-to' || record.kind === 'source-writes')
        this.#invalidateWriters(record.to);
      if (
        record.byPart.size === 0 &&
        record.derived.size === 0 &&
        this.#edges.get(record.key) === record
      ) {
        this.#edges.delete(record.key);
        removeFrom(this.#out, record.from, record);
        removeFrom(this.#in, record.to, record);
      }
    }
    const now = new Date().toISOString();
    for (const id of change.nodes) this.#reindexNode(id, now);
    this.#version++;
  }

  /**
   * If group G belongs-to app A and topic T consumes-from→G is observed, then
   * T consumes-from→A is observed too. Recomputed per touched group only.
   */
  #derive(group: string, change: Change) {
    // Whether the group is claimed decides the drift of the edges into it.
    for (const feed of this.inEdges(group)) feed.view = undefined;
    for (const record of this.#derivedBy.get(group) ?? []) {
      record.derived.delete(group);
      change.touchDerived(record);
    }
    this.#derivedBy.delete(group);
    const apps = [...this.outEdges(group)].filter(
      e => e.kind === 'belongs-to' && e.byPart.size > 0,
    );
    if (apps.length === 0) return;
    const feeds = [...this.inEdges(group)].filter(
      e => e.kind === 'consumes-from' && e.byPart.size > 0,
    );
    const made = new Set<EdgeRecord>();
    for (const feed of feeds) {
      const observed: string[] = [];
      for (const evidence of feed.byPart.values())
        observed.push(...(evidence?.observed ?? []));
      if (observed.length === 0) continue;
      const through = observed.map(
        o => `${o} (through consumer group ${group})`,
      );
      for (const app of apps) {
        if (app.to === feed.from) continue;
        const record = this.#edgeRecord(feed.from, 'consumes-from', app.to);
        record.derived.set(group, through);
        made.add(record);
        change.touchDerived(record);
      }
    }
    if (made.size > 0) this.#derivedBy.set(group, made);
  }

  #reindexNode(id: string, now: string) {
    this.#nodeViews.delete(id);
    const kind = kindOfNodeId(id)!;
    const present =
      this.#nodeParts.has(id) ||
      (this.#out.get(id)?.size ?? 0) > 0 ||
      (this.#in.get(id)?.size ?? 0) > 0;
    if (!present) {
      this.#byKind.get(kind)?.delete(id);
      this.#searchKeys.delete(id);
      this.#placeholderSince.delete(id);
      return;
    }
    if (this.#nodeParts.has(id)) this.#placeholderSince.delete(id);
    else if (!this.#placeholderSince.has(id))
      this.#placeholderSince.set(id, now);
    this.#byKind.get(kind)!.add(id);
    this.#searchKeys.set(id, `${this.#nameOf(id)}\n${id}`.toLowerCase());
  }

  /** The merged node's name (the first registered part's) without building its view. */
  #nameOf(id: string): string {
    const byPart = this.#nodeParts.get(id);
    if (byPart) {
      for (const partId of this.#parts.keys()) {
        const node = byPart.get(partId);
        if (node) return node.name;
      }
    }
    return placeholderNode(id, '')!.name;
  }

  #buildNodeView(id: string): GraphNodeView | undefined {
    const byPart = this.#nodeParts.get(id);
    if (!byPart || byPart.size === 0) {
      return placeholderNode(
        id,
        this.#placeholderSince.get(id) ?? new Date().toISOString(),
      );
    }
    // Registration order of parts decides which fields win.
    const contributions: Array<[string, ArchonGraphNode]> = [];
    for (const partId of this.#parts.keys()) {
      const node = byPart.get(partId);
      if (node) contributions.push([partId, node]);
    }
    const [, first] = contributions[0];
    const view: GraphNodeView = {
      ...first,
      contributors: contributions.map(([p]) => p),
    };
    let attributes: Record<string, unknown> | undefined;
    for (let i = contributions.length - 1; i >= 0; i--) {
      const [, node] = contributions[i];
      if (node.attributes) attributes = { ...attributes, ...node.attributes };
      for (const field of ['cluster', 'entityRef'] as const) {
        if (view[field] === undefined && node[field] !== undefined)
          view[field] = node[field];
      }
      if (
        node.status &&
        (!view.status || node.status.sampledAt > view.status.sampledAt)
      )
        view.status = node.status;
    }
    if (attributes) view.attributes = attributes;
    return view;
  }
}
