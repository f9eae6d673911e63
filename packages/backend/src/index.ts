/*
 * The archon backend: the create-app template's wiring (new backend system)
 * plus archon's own plugin and its technology modules.
 */
import { createBackend } from '@backstage/backend-defaults';
import { rootHttpRouterServiceFactory } from '@backstage/backend-defaults/rootHttpRouter';
import { withoutStackTraces } from './http/withoutStackTraces';

const backend = createBackend();

// Backstage's defaults, except that no answer carries a stack trace, whatever
// NODE_ENV says (see withoutStackTraces): first in the chain, so it covers
// every plugin's own error handler. archon's own routes never send one either.
backend.add(
  rootHttpRouterServiceFactory({
    configure(context) {
      context.app.use(withoutStackTraces());
      context.applyDefaults();
    },
  }),
);

backend.add(import('@backstage/plugin-app-backend'));
backend.add(import('@backstage/plugin-proxy-backend'));

// scaffolder plugin
backend.add(import('@backstage/plugin-scaffolder-backend'));
backend.add(
  import('@backstage/plugin-scaffolder-backend-module-notifications'),
);
// archon's scaffolder actions (config write, topic create, deploy), run as the template's user
backend.add(import('@archon/plugin-scaffolder-backend-module-archon'));

// auth plugin; guest sign-in for the local profile
backend.add(import('@backstage/plugin-auth-backend'));
backend.add(import('@backstage/plugin-auth-backend-module-guest-provider'));

// catalog plugin
backend.add(import('@backstage/plugin-catalog-backend'));
backend.add(
  import('@backstage/plugin-catalog-backend-module-scaffolder-entity-model'),
);
backend.add(import('@backstage/plugin-catalog-backend-module-logs'));

// permission plugin, with archon's local policy (see ./modules)
backend.add(import('@backstage/plugin-permission-backend'));
backend.add(import('./modules/permissionModuleArchonLocalPolicy'));

// search plugin, with the PostgreSQL engine when the database is PostgreSQL
backend.add(import('@backstage/plugin-search-backend'));
backend.add(import('@backstage/plugin-search-backend-module-pg'));
backend.add(import('@backstage/plugin-search-backend-module-catalog'));

// user settings, notifications and signals
backend.add(import('@backstage/plugin-user-settings-backend'));
backend.add(import('@backstage/plugin-notifications-backend'));
backend.add(import('@backstage/plugin-signals-backend'));

// archon: the core plugin and its technology modules
backend.add(import('@archon/plugin-archon-backend'));
backend.add(import('@archon/plugin-archon-backend/catalog'));
backend.add(import('@archon/plugin-archon-kafka'));
backend.add(import('@archon/plugin-archon-kafka/catalog'));
backend.add(import('@archon/plugin-archon-marathon'));
backend.add(import('@archon/plugin-archon-marathon/catalog'));

backend.start();
