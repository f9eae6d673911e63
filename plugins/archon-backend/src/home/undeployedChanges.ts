import {
  archonConfigReadPermission,
  archonGraphReadPermission,
  archonSecretsRevealPermission,
} from '@archon/plugin-archon-common';
import type { ArchonAuthorizer } from '@archon/plugin-archon-node';
import type { BackstageCredentials } from '@backstage/backend-plugin-api';
import { ServiceUnavailableError } from '@backstage/errors';
import type { ConfigService } from '../config/ConfigService';
import { maskConfigDiff } from '../config/core';
import type { GraphService } from '../graph';
import type { createOpenApiRouter } from '../schema/openapi';
import type { UndeployedConfigChange } from '../schema/openapi/generated/models';
import { deployedConfigPaths, sourceOf } from './homeSummary';

type ApiRouter = Awaited<ReturnType<typeof createOpenApiRouter>>;

/** What the undeployed list and the Home count are made of, before masking. */
export type UndeployedPath = Awaited<
  ReturnType<ConfigService['pendingOfDeployed']>
>[number];

/**
 * The apps whose configuration changed since their deployed release, of the
 * paths `credentials` may read: the paths apps on the graph were deployed
 * from (its Marathon part), each against its latest deployed release (one
 * database read for all). The one definition behind the Home count and
 * `GET /config/undeployed`. `unknown` says why there is no answer (the
 * graph's Marathon part never read); `notPermitted` that the caller may read
 * none of the paths.
 */
export async function undeployedChanges(options: {
  graph: GraphService;
  config: ConfigService;
  authorizer: ArchonAuthorizer;
  credentials: BackstageCredentials;
  ensemble?: string;
}): Promise<
  { unknown: string } | { notPermitted: true } | { changes: UndeployedPath[] }
> {
  const { graph, config, authorizer, credentials } = options;
  const source = sourceOf(graph.contributors(), ['marathon']);
  if (source.unknown) return { unknown: source.unknown };
  const paths = deployedConfigPaths(graph);
  // A path is the resource of archon.config.read.
  const readable = await Promise.all(
    paths.map(path =>
      authorizer.isAllowed(credentials, archonConfigReadPermission, path),
    ),
  );
  if (paths.length > 0 && !readable.some(Boolean)) {
    return { notPermitted: true };
  }
  const changes = await config.pendingOfDeployed(
    paths.filter((_, i) => readable[i]),
    options.ensemble,
  );
  return {
    changes: changes.filter(
      c =>
        c.diff.added.length + c.diff.removed.length + c.diff.changed.length > 0,
    ),
  };
}

/**
 * `GET /config/undeployed`: the rows behind the Home page's count of
 * configuration changes not yet deployed, with what changed (secret values
 * masked unless the caller may reveal them for that path).
 */
export function addUndeployedRoute(
  router: ApiRouter,
  options: {
    graph: GraphService;
    config: ConfigService;
    authorizer: ArchonAuthorizer;
    secretPatterns: readonly string[];
  },
) {
  const { authorizer, config, secretPatterns } = options;
  router.get('/config/undeployed', async (req, res) => {
    // The apps (and their paths) come from the graph.
    const credentials = await authorizer.authorize(
      req,
      archonGraphReadPermission,
    );
    const result = await undeployedChanges({
      ...options,
      credentials,
      ensemble: req.query.ensemble,
    });
    if ('notPermitted' in result) {
      // Only paths the caller may read are listed: none.
      res.json({ items: [], generatedAt: new Date().toISOString() });
      return;
    }
    if ('unknown' in result) {
      throw new ServiceUnavailableError(
        `The apps' configuration paths are not known yet: ${result.unknown}`,
      );
    }
    const items: UndeployedConfigChange[] = await Promise.all(
      result.changes.map(async c => {
        const reveal = await authorizer.isAllowed(
          credentials,
          archonSecretsRevealPermission,
          c.path,
        );
        // The deploy flow records { kind, instance, workloadId } (the app's id there).
        const target = c.latestRelease.target;
        return {
          path: c.path,
          ...(typeof target.workloadId === 'string' && {
            app: target.workloadId,
          }),
          ...(typeof target.instance === 'string' && {
            target: target.instance,
          }),
          latestRelease: c.latestRelease.id,
          releasedAt: c.latestRelease.createdAt,
          diff: reveal ? c.diff : maskConfigDiff(c.diff, secretPatterns),
          masked: !reveal,
        };
      }),
    );
    const stale = config.staleness();
    res.json({
      items,
      generatedAt: new Date().toISOString(),
      ...(stale && { stale: true, asOf: new Date(stale.asOf).toISOString() }),
    });
  });
}
