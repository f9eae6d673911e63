import {
  archonConfigReadPermission,
  archonGraphReadPermission,
} from '@archon/plugin-archon-common';
import type { ArchonAuthorizer } from '@archon/plugin-archon-node';
import { isErrorWithName } from '@backstage/errors';
import type { Permission } from '@backstage/plugin-permission-common';
import type { ConfigService } from '../config/ConfigService';
import { ConfigResolutionError } from '../config/core';
import type { GraphService } from '../graph';
import type { createOpenApiRouter } from '../schema/openapi';
import type { HomeAttentionCount } from '../schema/openapi/generated/models';
import {
  countOf,
  deployedConfigPaths,
  graphCounts,
  HOME_COUNT_LABELS,
  sourceOf,
  unknownCount,
} from './homeSummary';

type ApiRouter = Awaited<ReturnType<typeof createOpenApiRouter>>;

const notPermitted = (permission: Permission) =>
  `you may not read it: it needs the permission "${permission.name}"`;

/**
 * The apps' configuration paths whose next deploy would ship something the
 * running release did not: the configuration cache's effective set against
 * the latest deployed release in archon's database, one query per path that
 * an app on the graph was deployed from (no call to ZooKeeper or Marathon).
 */
async function undeployedCount(
  config: ConfigService,
  paths: string[],
): Promise<HomeAttentionCount> {
  const stale = config.staleness();
  const changed: string[] = [];
  for (const path of paths) {
    try {
      const { diff } = await config.pending(path);
      if (diff.added.length + diff.removed.length + diff.changed.length > 0) {
        changed.push(path);
      }
    } catch (e) {
      // A path that does not resolve cannot be deployed: it is counted with
      // the failing levels, not here; nor can one whose level was removed
      // after the deploy. Anything else means we do not know.
      if (ConfigResolutionError.is(e) || isErrorWithName(e, 'NotFoundError'))
        continue;
      return unknownCount(
        'config-undeployed',
        `the pending changes of ${path} could not be read: ${
          (e as Error).message
        }`,
      );
    }
  }
  return countOf(
    'config-undeployed',
    changed,
    stale
      ? { stale: true, asOf: new Date(stale.asOf).toISOString() }
      : undefined,
  );
}

/**
 * `GET /home/summary`: the Home page's counts in one read. Each count says
 * unknown (with why) when the caller may not read its source, rather than
 * refusing the whole summary or showing 0.
 */
export function addHomeRoutes(
  router: ApiRouter,
  options: {
    graph: GraphService;
    config: ConfigService;
    authorizer: ArchonAuthorizer;
  },
) {
  const { graph, config, authorizer } = options;
  router.get('/home/summary', async (req, res) => {
    const credentials = await authorizer.credentials(req);
    const mayReadGraph = await authorizer.isAllowed(
      credentials,
      archonGraphReadPermission,
    );
    const counts = mayReadGraph
      ? graphCounts(graph)
      : (Object.keys(HOME_COUNT_LABELS) as HomeAttentionCount['id'][])
          .filter(id => id !== 'config-undeployed')
          .map(id => unknownCount(id, notPermitted(archonGraphReadPermission)));
    let undeployed: HomeAttentionCount;
    if (!mayReadGraph) {
      // The deployed paths are read from the graph's app nodes.
      undeployed = unknownCount(
        'config-undeployed',
        notPermitted(archonGraphReadPermission),
      );
    } else if (sourceOf(graph.contributors(), ['marathon']).unknown) {
      undeployed = unknownCount(
        'config-undeployed',
        sourceOf(graph.contributors(), ['marathon']).unknown!,
      );
    } else {
      // Only the paths whose configuration the caller may read (a path is
      // the resource of archon.config.read).
      const paths = deployedConfigPaths(graph);
      const readable = await Promise.all(
        paths.map(path =>
          authorizer.isAllowed(credentials, archonConfigReadPermission, path),
        ),
      );
      undeployed =
        paths.length > 0 && !readable.some(Boolean)
          ? unknownCount(
              'config-undeployed',
              notPermitted(archonConfigReadPermission),
            )
          : await undeployedCount(
              config,
              paths.filter((_, i) => readable[i]),
            );
    }
    res.json({
      generatedAt: new Date().toISOString(),
      counts: [...counts, undeployed],
    });
  });
}
