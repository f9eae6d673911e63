import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import type { BackendFeature } from '@backstage/backend-plugin-api';
import type { JsonObject } from '@backstage/types';
import { archonPlugin } from '../plugin';

/**
 * The archon plugin in a test backend, pointed at a ZooKeeper ensemble with
 * a private root so test files never see each other's configuration.
 */
export async function startArchonTestBackend(options: {
  zookeeper: { connectionString: string; root: string };
  config?: JsonObject;
  features?: Array<BackendFeature | Promise<{ default: BackendFeature }>>;
}) {
  return startTestBackend({
    features: [
      archonPlugin,
      mockServices.rootConfig.factory({
        data: {
          archon: {
            zookeeper: {
              ensembles: [
                {
                  name: 'local',
                  connectionString: options.zookeeper.connectionString,
                  root: options.zookeeper.root,
                  sessionTimeoutMs: 6000,
                },
              ],
            },
            ...options.config,
          },
        },
      }),
      ...(options.features ?? []),
    ],
  });
}
