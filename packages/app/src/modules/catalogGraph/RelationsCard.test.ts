import { edgeLabel } from './RelationsCard';

describe('the Relations card edge labels', () => {
  it("words archon's merged edges along the arrow", () => {
    expect(edgeLabel(['archonMirrorsTo', 'archonMirroredFrom'])).toBe(
      'mirrors to',
    );
    expect(edgeLabel(['archonConsumedBy', 'archonConsumesFrom'])).toBe(
      'consumed by',
    );
  });

  it('leaves the catalog graph’s own relations as it writes them', () => {
    expect(edgeLabel(['ownerOf', 'ownedBy'])).toBe('ownerOf / ownedBy');
    expect(edgeLabel(['dependsOn'])).toBe('dependsOn');
  });
});
