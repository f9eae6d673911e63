/**
 * The software catalog relation types archon's catalog processors emit, both
 * directions. Word characters only: the catalog's entity schema requires
 * relation types to match `^\w+$`.
 */
export const ARCHON_CATALOG_RELATIONS = {
  /** app → topic it produces to (archon-marathon) */
  producesTo: 'archonProducesTo',
  producedBy: 'archonProducedBy',
  /** app → topic it consumes from (archon-marathon) */
  consumesFrom: 'archonConsumesFrom',
  consumedBy: 'archonConsumedBy',
  /** source connector → topic (archon-kafka) */
  writesTo: 'archonWritesTo',
  writtenBy: 'archonWrittenBy',
  /** sink connector → topic (archon-kafka) */
  readsFrom: 'archonReadsFrom',
  readBy: 'archonReadBy',
  /** source topic → its MirrorMaker 2 replica on another Kafka cluster (archon-kafka) */
  mirrorsTo: 'archonMirrorsTo',
  mirroredFrom: 'archonMirroredFrom',
} as const;

const R = ARCHON_CATALOG_RELATIONS;

/**
 * Relation pairs for the catalog-graph plugin's known relation pairs, so its
 * diagrams merge both directions of an archon edge into one. The plugin
 * draws a merged edge from the entity that holds the pair's FIRST relation,
 * and lays diagrams out left to right: each pair therefore starts with the
 * relation of the upstream end, so data flows left to right (input topic →
 * app → output topic, source connector → topic → sink connector).
 */
export const ARCHON_CATALOG_RELATION_PAIRS: Array<[string, string]> = [
  // app → topic
  [R.producesTo, R.producedBy],
  // topic → app (the topic holds consumedBy)
  [R.consumedBy, R.consumesFrom],
  // source connector → topic
  [R.writesTo, R.writtenBy],
  // topic → sink connector (the topic holds readBy)
  [R.readBy, R.readsFrom],
  // source topic → replica (the replica holds mirroredFrom)
  [R.mirrorsTo, R.mirroredFrom],
];

/**
 * The words the catalog graph writes on a merged archon edge, read along
 * its arrow: from the holder of the pair's first relation to the other end
 * (`sample.raw` consumed by `enricher`, `sample.aggregated` mirrors to its
 * replica on dr). Keyed by that first relation.
 */
export const ARCHON_CATALOG_RELATION_LABELS: Record<string, string> = {
  [R.producesTo]: 'produces to',
  [R.consumedBy]: 'consumed by',
  [R.writesTo]: 'writes to',
  [R.readBy]: 'read by',
  [R.mirrorsTo]: 'mirrors to',
};
