import {
  ApiBlueprint,
  createFrontendModule,
} from '@backstage/frontend-plugin-api';
import {
  ALL_RELATION_PAIRS,
  ALL_RELATIONS,
  DefaultCatalogGraphApi,
  catalogGraphApiRef,
} from '@backstage/plugin-catalog-graph';
import { EntityCardBlueprint } from '@backstage/plugin-catalog-react/alpha';
import { ARCHON_CATALOG_RELATION_PAIRS } from '@archon/plugin-archon';

/**
 * The catalog graph API with archon's relation types added to the built-in
 * ones: without them the catalog-graph card and page would not know that
 * `archonProducesTo` and `archonProducedBy` are one edge seen from both ends,
 * and would not offer them in the relation filter. The entity page's
 * Relations card is replaced by one that labels archon's edges in words
 * (same id, so it takes the plugin card's place).
 */
export const catalogGraphModule = createFrontendModule({
  pluginId: 'catalog-graph',
  extensions: [
    EntityCardBlueprint.make({
      name: 'relations',
      params: {
        loader: () => import('./RelationsCard').then(m => <m.RelationsCard />),
      },
    }),
    ApiBlueprint.make({
      params: defineParams =>
        defineParams({
          api: catalogGraphApiRef,
          deps: {},
          factory: () =>
            new DefaultCatalogGraphApi({
              knownRelations: [
                ...ALL_RELATIONS,
                ...ARCHON_CATALOG_RELATION_PAIRS.flat(),
              ],
              knownRelationPairs: [
                ...ALL_RELATION_PAIRS,
                ...ARCHON_CATALOG_RELATION_PAIRS,
              ],
              // Required once options are given (the constructor reads it
              // unguarded): every known relation shows by default.
              defaultRelationTypes: { exclude: [] },
            }),
        }),
    }),
  ],
});
