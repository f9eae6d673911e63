import type { ReleaseStore } from '../deploy/store/ReleaseStore';

/** A path whose running app(s) would need a redeploy to take a configuration change. */
export interface RedeployNeed {
  path: string;
  /** Each target the path runs on, with the deployed release that runs there now. */
  targets: Array<{
    target: Record<string, unknown>;
    releaseId: string;
    deployedAt: string;
  }>;
}

/** How many paths of one impact report are looked up (each is one indexed query). */
const MAX_PATHS = 500;
/** Releases read per path to find the latest deployed one of each target. */
const RELEASES_PER_PATH = 50;

/**
 * Which of `paths` have a deployed release, i.e. an app that runs with the
 * configuration of that path on some target and keeps running with the old
 * one until it is redeployed (configuration is shipped as an immutable
 * release). Read from the release store only; the deploy flow is untouched.
 */
export async function redeployNeeds(
  releases: ReleaseStore,
  ensemble: string,
  paths: string[],
): Promise<RedeployNeed[]> {
  const needs: RedeployNeed[] = [];
  for (const path of paths.slice(0, MAX_PATHS)) {
    const deployed = await releases.list({
      ensemble,
      path,
      status: 'deployed',
      limit: RELEASES_PER_PATH,
    });
    const byTarget = new Map<string, RedeployNeed['targets'][number]>();
    for (const release of deployed) {
      // Newest first: the first release of each target is what runs there.
      const key = JSON.stringify(release.target);
      if (!byTarget.has(key)) {
        byTarget.set(key, {
          target: release.target,
          releaseId: release.id,
          deployedAt: release.updatedAt,
        });
      }
    }
    if (byTarget.size > 0)
      needs.push({ path, targets: [...byTarget.values()] });
  }
  return needs;
}
