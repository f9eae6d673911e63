import {
  createFrontendPlugin,
  PageBlueprint,
} from '@backstage/frontend-plugin-api';
import StorageIcon from '@material-ui/icons/Storage';
import { archonApi } from './api';
import { rootRouteRef } from './routes';

/** The systems page; its title and icon also make its sidebar entry. */
export const systemsPage = PageBlueprint.make({
  params: {
    path: '/archon',
    title: 'archon',
    icon: <StorageIcon />,
    routeRef: rootRouteRef,
    noHeader: true,
    loader: () =>
      import('./components/SystemsPage').then(m => <m.SystemsPage />),
  },
});

/** archon's frontend: pages and entity tabs over the archon API. */
export const archonPlugin = createFrontendPlugin({
  pluginId: 'archon',
  info: { packageJson: () => import('../package.json') },
  extensions: [archonApi, systemsPage],
  routes: { root: rootRouteRef },
});
