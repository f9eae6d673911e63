import {
  archonConfigReadPermission,
  archonGraphReadPermission,
} from '@archon/plugin-archon-common';
import type { ArchonAuthorizer } from '@archon/plugin-archon-node';
import type { Permission } from '@backstage/plugin-permission-common';
import type { ConfigService } from '../config/ConfigService';
import type { GraphService } from '../graph';
import type { createOpenApiRouter } from '../schema/openapi';
import type { HomeAttentionCount } from '../schema/openapi/generated/models';
import {
  countOf,
  graphCounts,
  HOME_COUNT_LABELS,
  unknownCount,
} from './homeSummary';
import { addUndeployedRoute, undeployedChanges } from './undeployedChanges';

type ApiRouter = Awaited<ReturnType<typeof createOpenApiRouter>>;

const notPermitted = (permission: Permission) =>
  `you may not read it: it needs the permission "${permission.name}"`;

/**
 * The count of `GET /config/undeployed`'s rows (the paths the caller may
 * read), or unknown with why; stale while ZooKeeper is away.
 */
async function undeployedCount(
  options: Parameters<typeof undeployedChanges>[0],
): Promise<HomeAttentionCount> {
  let result;
  try {
    result = await undeployedChanges(options);
  } catch (e) {
    return unknownCount(
      'config-undeployed',
      `the pending changes could not be read: ${(e as Error).message}`,
    );
  }
  if ('unknown' in result) {
    return unknownCount('config-undeployed', result.unknown);
  }
  if ('notPermitted' in result) {
    return unknownCount(
      'config-undeployed',
      notPermitted(archonConfigReadPermission),
    );
  }
  const stale = options.config.staleness();
  return countOf(
    'config-undeployed',
    result.changes.map(c => c.path),
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
    secretPatterns: readonly string[];
  },
) {
  const { graph, config, authorizer } = options;
  addUndeployedRoute(router, options);
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
    } else {
      undeployed = await undeployedCount({
        graph,
        config,
        authorizer,
        credentials,
      });
    }
    res.json({
      generatedAt: new Date().toISOString(),
      counts: [...counts, undeployed],
    });
  });
}
