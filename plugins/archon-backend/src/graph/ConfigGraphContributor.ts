import {
  archonGraphNodeId,
  type ArchonGraphContribution,
  type ArchonGraphContributor,
  type ArchonGraphNode,
} from '@archon/plugin-archon-node';
import type { ConfigService } from '../config/ConfigService';
import {
  ConfigResolver,
  levelClassifier,
  openLevelReason,
} from '../config/core';

/**
 * The configuration levels of the default ensemble as graph nodes: one
 * `config:<path>` node per level that holds a configuration set (or holds
 * data that cannot be read as one, shown as failed); a level that fails to
 * resolve by the rule of {@link levelClassifier} is `failed` too, its summary
 * starting with "failing" and `attributes.resolution` = `failing`; a template
 * level (`open`: references left for deeper levels) stays healthy with
 * `attributes.resolution` = `open`. No edges: levels are
 * linked to apps by the orchestrator's contributor (`configured-by`), and
 * level → sub-level edges would only restate the path.
 *
 * Reads the watch-driven cache, so a snapshot costs no ZooKeeper round
 * trip; the cache's change events push a refresh. While ZooKeeper is
 * unreachable the cache cannot confirm what it holds: the levels are still
 * drawn, each with `asOf` (when the connection was lost), so the graph
 * serves them marked stale (#22); losing and regaining the connection pushes
 * a refresh too.
 */
export function createConfigGraphContributor(
  config: ConfigService,
): ArchonGraphContributor {
  const resolver = new ConfigResolver();
  return {
    id: 'config',
    // Watches push every change; the interval only backs them up.
    refreshIntervalMs: 5 * 60_000,
    async snapshot(): Promise<ArchonGraphContribution> {
      const ensemble = config.ensemble();
      await ensemble.cache.ready(undefined, { allowStale: true });
      const sampledAt = new Date().toISOString();
      const stale = config.staleness();
      const asOf = stale && new Date(stale.asOf).toISOString();
      const nodes: ArchonGraphNode[] = [];
      const levels = ensemble.cache.snapshot();
      // The one rule the tree and the Configuration page use too.
      const classify = levelClassifier(
        resolver,
        levels,
        await config.deployedPaths(),
      );
      for (const [path, level] of levels) {
        const invalid = ensemble.cache.invalidLevel(path);
        if (!level.hasSet && !invalid) continue;
        const keys = Object.keys(level.properties).length;
        // A level that fails to resolve is never healthy when apps resolve
        // it; a template level (open) is healthy, its paths below decide.
        const resolution = invalid ? undefined : classify(path);
        const failing =
          resolution?.state === 'failing' ? resolution.failure : undefined;
        const open = resolution?.state === 'open' ? resolution : undefined;
        const statusOf = (): NonNullable<ArchonGraphNode['status']> => {
          if (invalid) {
            return {
              state: 'failed',
              summary: `cannot be read as a configuration set: ${invalid.message}`,
              sampledAt,
            };
          }
          if (failing) {
            const n = failing.problems.length;
            return {
              state: 'failed',
              summary: `failing: does not resolve (${n} problem${
                n === 1 ? '' : 's'
              }, keys ${failing.unresolvedKeys.join(', ')})`,
              sampledAt,
            };
          }
          return {
            state: 'healthy',
            summary: open
              ? `${keys} keys, version ${
                  level.version
                }; open: ${openLevelReason(open)}`
              : `${keys} keys, version ${level.version}`,
            metrics: { keys },
            sampledAt,
          };
        };
        nodes.push({
          id: archonGraphNodeId.configPath(path),
          kind: 'config-path',
          name: path,
          system: 'config',
          cluster: ensemble.config.name,
          attributes: {
            version: level.version,
            keys,
            ...(failing && {
              resolution: 'failing',
              unresolvedKeys: failing.unresolvedKeys,
            }),
            ...(open && { resolution: 'open', openKeys: open.openKeys }),
          },
          status: statusOf(),
          ...(asOf && { asOf }),
        });
      }
      return { nodes, edges: [] };
    },
    onChange(changed) {
      const { cache, session } = config.ensemble();
      cache.on('change', changed);
      session.on('disconnected', changed);
      session.on('connected', changed);
      return () => {
        cache.off('change', changed);
        session.off('disconnected', changed);
        session.off('connected', changed);
      };
    },
  };
}
