/*
 * Where a release stands on its target (issue #13), computed in one place for
 * `archon releases ls` and the portal's Deploy tab from the releases of one
 * configuration path and what runs on the target now.
 */

/**
 * - `live`: the release the app runs now
 * - `superseded`: deployed once, replaced by a later deploy
 * - `rolled-back`: was live when a rollback replaced it
 * - `failed`: its deploy failed (or was refused or cancelled)
 * - `destroyed`: was live when the app was destroyed
 * - `deploying`: its deploy is under way
 */
export type ArchonReleaseState =
  | 'live'
  | 'superseded'
  | 'rolled-back'
  | 'failed'
  | 'destroyed'
  | 'deploying';

/** What the states are computed from: a release as the API lists it. */
export interface ArchonReleaseFacts {
  id: string;
  status: string;
  createdAt: string;
  target: { [key: string]: unknown };
}

/**
 * The state of each release (by id) of one path on one target, given what
 * runs there now (`exists` and its release label). Releases of other targets
 * are left out: filter by `target.instance` first.
 */
export function releaseStates(
  releases: readonly ArchonReleaseFacts[],
  running: { exists: boolean; releaseId?: string },
): Record<string, ArchonReleaseState> {
  const rolledBackFrom = new Set(
    releases
      .map(r => r.target.rolledBackFrom)
      .filter((id): id is string => typeof id === 'string'),
  );
  const deployed = releases
    .filter(r => r.status === 'deployed')
    .sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  const states: Record<string, ArchonReleaseState> = {};
  for (const release of releases) {
    if (release.status === 'failed') states[release.id] = 'failed';
    else if (release.status !== 'deployed') states[release.id] = 'deploying';
    else if (running.exists && running.releaseId === release.id)
      states[release.id] = 'live';
    else if (rolledBackFrom.has(release.id)) states[release.id] = 'rolled-back';
    // Gone from the target: the newest deployed release is the one destroy took down.
    else if (!running.exists && deployed[0]?.id === release.id)
      states[release.id] = 'destroyed';
    else states[release.id] = 'superseded';
  }
  return states;
}
