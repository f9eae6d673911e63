import {
  ARCHON_CATALOG_RELATIONS as R,
  ARCHON_CATALOG_RELATION_LABELS,
  ARCHON_CATALOG_RELATION_PAIRS,
} from './catalogRelations';

/**
 * The catalog-graph plugin's rule for a merged edge (its buildGraph with
 * mergeRelations): the edge goes from the entity holding the pair's first
 * relation to the other end.
 */
function drawnEdge(holder: string, relation: string, target: string) {
  const pair = ARCHON_CATALOG_RELATION_PAIRS.find(p => p.includes(relation))!;
  return pair[0] === relation ? [holder, target] : [target, holder];
}

describe('catalog relation pairs', () => {
  it('draw every archon edge in the direction data flows', () => {
    // app consumes sample.raw and produces sample.enriched; the source
    // connector writes sample.raw; the sink reads sample.enriched. Each
    // relation as its holder emits it, both directions.
    const relations: Array<[string, string, string]> = [
      ['app', R.consumesFrom, 'raw'],
      ['raw', R.consumedBy, 'app'],
      ['app', R.producesTo, 'enriched'],
      ['enriched', R.producedBy, 'app'],
      ['source', R.writesTo, 'raw'],
      ['raw', R.writtenBy, 'source'],
      ['sink', R.readsFrom, 'enriched'],
      ['enriched', R.readBy, 'sink'],
      // MirrorMaker's replica on another cluster holds mirroredFrom.
      ['replica', R.mirroredFrom, 'enriched'],
      ['enriched', R.mirrorsTo, 'replica'],
    ];
    const edges = relations.map(([h, r, t]) => drawnEdge(h, r, t).join('→'));
    expect(new Set(edges)).toEqual(
      new Set([
        'raw→app',
        'app→enriched',
        'source→raw',
        'enriched→sink',
        'enriched→replica',
      ]),
    );
  });

  it('pairs every archon relation exactly once', () => {
    expect(ARCHON_CATALOG_RELATION_PAIRS.flat().sort()).toEqual(
      Object.values(R).sort(),
    );
  });

  it('words every drawn edge', () => {
    expect(Object.keys(ARCHON_CATALOG_RELATION_LABELS).sort()).toEqual(
      ARCHON_CATALOG_RELATION_PAIRS.map(p => p[0]).sort(),
    );
  });
});
