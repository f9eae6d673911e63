import {
  ApiBlueprint,
  createApiRef,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/frontend-plugin-api';
import { ArchonApiClient } from '@archon/plugin-archon-common';

/**
 * The typed archon client generated from the OpenAPI spec, with Backstage's
 * discovery (base URL) and fetch (the signed-in user's token) underneath.
 */
export const archonApiRef = createApiRef<ArchonApiClient>({
  id: 'plugin.archon.client',
});

export const archonApi = ApiBlueprint.make({
  params: defineParams =>
    defineParams({
      api: archonApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new ArchonApiClient({ discoveryApi, fetchApi }),
    }),
});
