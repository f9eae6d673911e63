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
} as const;

const R = ARCHON_CATALOG_RELATIONS;

/**
 * Forward/reverse pairs, for the catalog-graph plugin's known relation pairs
 * (so its diagrams merge and label both directions of an archon edge).
 */
export const ARCHON_CATALOG_RELATION_PAIRS: Array<[string, string]> = [
  [R.producesTo, R.producedBy],
  [R.consumesFrom, R.consumedBy],
  [R.writesTo, R.writtenBy],
  [R.readsFrom, R.readBy],
];
