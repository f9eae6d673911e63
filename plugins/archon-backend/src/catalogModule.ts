import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { catalogProcessingExtensionPoint } from '@backstage/plugin-catalog-node';
import { ArchonApiEntityProvider } from './catalog/ArchonApiEntityProvider';
import { archonApiEntities } from './catalog/archonApiEntities';
import { spec } from './schema/openapi';

/**
 * archon's own catalog entities: the `archon` component and the `archon-api`
 * OpenAPI entity (the served spec). Config: `archon.catalog.owner`.
 */
export const catalogModuleArchonApi = createBackendModule({
  pluginId: 'catalog',
  moduleId: 'archon-api',
  register(env) {
    env.registerInit({
      deps: {
        catalog: catalogProcessingExtensionPoint,
        config: coreServices.rootConfig,
      },
      async init({ catalog, config }) {
        catalog.addEntityProvider(
          new ArchonApiEntityProvider(
            archonApiEntities({
              owner:
                config.getOptionalString('archon.catalog.owner') ??
                'group:default/archon-admins',
              baseUrl: config.getString('backend.baseUrl'),
              spec,
            }),
          ),
        );
      },
    });
  },
});
